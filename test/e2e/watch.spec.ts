/**
 * A host started with --watch re-indexes its corpus when a file changes and tells the page
 * (`event: corpus`); the page shows a notice and reruns the query, so the new hit appears.
 * This spec starts a host of its own, on a corpus in a temporary folder.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { grid, queryBox, status, waitForLines } from './helpers';

let root: string;
let corpus: string;
let host: RunningHost;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'loupe-e2e-watch-'));
  corpus = join(root, 'texts');
  mkdirSync(corpus);
  mkdirSync(join(root, 'index'));
  writeFileSync(join(corpus, 'one.txt'), 'The councils met in spring. The councils spoke.\n');
  writeFileSync(join(corpus, 'two.txt'), 'A pamphlet on the councils and the state.\n');
  host = await startHost(['--watch', '--corpus', corpus, '--index', join(root, 'index')]);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('--watch: appending the searched word to a file raises the hit count by one, with a notice', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('corpus-name')).toBeVisible();

  await queryBox(page).fill('councils');
  await queryBox(page).press('Enter');
  await waitForLines(page, 'councils');
  const before = Number(/^(\d+) hits?/.exec((await status(page).textContent()) ?? '')?.[1]);
  expect(before).toBeGreaterThan(0);
  const rowsBefore = Number(await grid(page).getAttribute('aria-rowcount'));

  appendFileSync(join(corpus, 'two.txt'), 'Later the councils returned.\n');

  await expect(page.getByRole('status').filter({ hasText: 'Corpus updated: 2 documents' })).toBeVisible({ timeout: 30_000 });
  await expect(status(page)).toContainText(new RegExp(`\\b${before + 1} hits in 2 documents`), { timeout: 30_000 });
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(rowsBefore + 1));
  expect(errors, 'no uncaught errors in the page').toEqual([]);
});
