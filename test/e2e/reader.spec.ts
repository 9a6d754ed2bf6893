/**
 * A reader's session in web mode: open the bundled corpus (Tony Cliff, "The coming Russian
 * revolution"), search, sort, read a line in context, compare two terms, export, make a mistake.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { LoupeApi } from '../../app/contract/api';
import { collectRows, firstWord, flat, grid, openApp, parseDelimited, queryBox, search, status, waitForLines } from './helpers';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('the bundled corpus opens and the header names it with its size', async ({ page }) => {
  const header = page.getByRole('banner');
  await expect(header).toContainText('Cliff');
  await expect(header).toContainText(/\d[\d,]* tokens/);
  // The header's token count is the corpus's own count, as the host reports it.
  const info = await api(page, 'corpusInfo', {});
  if (!info.ok) throw new Error(info.error.message);
  await expect(header).toContainText(`${info.value.counted.toLocaleString('en')} tokens`);
});

test('bureaucracy: 36 hits, every line reachable, sorting by R1 orders the R1 column', async ({ page }) => {
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await expect(status(page)).toHaveText('36 hits in 1 document');
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '37');

  const rows = await collectRows(page);
  expect(rows.map((r) => r.index)).toEqual(Array.from({ length: 36 }, (_, i) => i));
  for (const r of rows) expect(r.node.toLowerCase()).toBe('bureaucracy');
  // Corpus order before sorting: positions ascend.
  const positions = rows.map((r) => Number(/token (\d+)/.exec(r.doc)?.[1]));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));

  await page.getByRole('button', { name: 'Sort by R1' }).click();
  await expect(page.getByRole('button', { name: 'Sort by R1' })).toHaveAttribute('aria-pressed', 'true');
  await waitForLines(page, 'bureaucracy', 'R1');
  const sorted = await collectRows(page);
  expect(sorted).toHaveLength(36);
  const r1 = sorted.map((r) => firstWord(r.right));
  expect(r1.every((w) => w.length > 0)).toBe(true);
  // Code-unit order of case-folded words: what the engine's rank tables use.
  expect(r1).toEqual([...r1].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect(r1).not.toEqual(rows.map((r) => firstWord(r.right)));
  // Same lines, different order.
  expect(new Set(sorted.map((r) => r.doc))).toEqual(new Set(rows.map((r) => r.doc)));
});

test('clicking a line opens the text with every hit marked and the clicked one in view', async ({ page }) => {
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  const row = grid(page).locator('[role=row][aria-rowindex="7"]'); // the 6th line
  const left = flat((await row.locator('[role=gridcell].c-left').textContent()) ?? '');
  await row.click();

  const text = page.getByRole('region', { name: 'Text view' });
  await expect(text).toBeVisible();
  await expect(text.locator('mark')).toHaveCount(36);
  await expect(text).toContainText('Hit 6 of 36');
  const current = text.locator('mark[aria-current="true"]');
  await expect(current).toHaveText(/^bureaucracy$/i);
  await expect(current).toBeInViewport();
  // It is the clicked line's hit: the text just before it ends with the line's left context.
  const before = await current.evaluate((m) => {
    const range = document.createRange();
    range.setStart(m.parentElement!, 0);
    range.setEndBefore(m);
    return range.toString().slice(-300);
  });
  expect(flat(before).slice(-40)).toBe(left.slice(-40));

  await text.getByRole('button', { name: 'Next hit' }).click();
  await expect(text).toContainText('Hit 7 of 36');
  await expect(text.locator('mark[aria-current="true"]')).toBeInViewport();
  await text.getByRole('button', { name: 'Previous hit' }).click();
  await text.getByRole('button', { name: 'Previous hit' }).click();
  await expect(text).toContainText('Hit 5 of 36');
});

test("compare bureaucracy with workers' councils: both columns side by side", async ({ page }) => {
  await queryBox(page).click();
  await page.keyboard.press('Control+8');
  await expect(page.getByRole('button', { name: 'Compare', exact: true }).first()).toBeVisible();
  await page.getByRole('searchbox', { name: 'Compare term 1' }).fill('bureaucracy');
  await page.getByRole('searchbox', { name: 'Compare term 2' }).fill("workers' councils");
  await page.getByRole('button', { name: 'Compare', exact: true }).click();

  const counts = page.getByRole('table', { name: 'Counts' });
  await expect(counts.getByRole('row').nth(1)).toContainText('bureaucracy');
  await expect(counts.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('36');
  await expect(counts.getByRole('row').nth(2)).toContainText("workers' councils");
  await expect(counts.getByRole('row').nth(2).getByRole('cell').nth(1)).toHaveText('6');

  const a = page.getByRole('region', { name: 'Concordance of bureaucracy' });
  const b = page.getByRole('region', { name: "Concordance of workers' councils" });
  await expect(a).toContainText('36 hits in 1 document');
  await expect(b).toContainText('6 hits in 1 document');
  await expect(b.locator('li')).toHaveCount(6);
  // The apostrophe in the query matches the typographic one in the text.
  await expect(b.locator('mark').first()).toHaveText(/workers[’'] councils/i);
  await a.scrollIntoViewIfNeeded();
  await expect(a).toBeInViewport();
  await expect(b).toBeInViewport();
  const [boxA, boxB] = [await a.boundingBox(), await b.boundingBox()];
  expect(boxA && boxB && Math.abs(boxA.y - boxB.y) < 2 && boxA.x + boxA.width <= boxB.x).toBe(true);
  await expect(page.getByRole('img', { name: /Dispersion of bureaucracy, workers' councils/ })).toBeVisible();
});

for (const format of ['tsv', 'csv'] as const) {
  test(`export the concordance as ${format.toUpperCase()}: header, 36 lines, same lines as the grid`, async ({ page }) => {
    await search(page, 'bureaucracy');
    await waitForLines(page, 'bureaucracy');
    const rows = await collectRows(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Export as ${format.toUpperCase()}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`loupe-kwic-bureaucracy.${format}`);
    const path = await download.path();
    const content = await readFile(path, 'utf8');
    await test.info().attach(`concordance.${format}`, { body: content, contentType: 'text/plain' });

    // The header row comes first, so spreadsheets and data frames read the table as it is.
    const table = parseDelimited(content, format === 'csv' ? ',' : '\t').filter((r) => r.some((c) => c !== ''));
    expect(table[0]).toEqual(['document', 'position', 'left', 'node', 'right', 'category', 'note']);
    const lines = table.slice(1);
    expect(lines).toHaveLength(36);
    lines.forEach((cells, i) => {
      const r = rows[i]!;
      expect(cells).toHaveLength(7);
      expect(r.doc.startsWith(cells[0]!)).toBe(true);
      expect(r.doc).toContain(`token ${cells[1]}`);
      expect(flat(cells[2]!)).toBe(r.left);
      expect(flat(cells[3]!)).toBe(r.node);
      expect(flat(cells[4]!)).toBe(r.right);
    });
  });
}

test('a malformed query shows its E_QUERY message inline with a caret where it went wrong', async ({ page }) => {
  const bad = '[lemma="x"';
  await search(page, bad);
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('E_QUERY');
  // The same message and position the engine gives for this query.
  const r = await api(page, 'kwic', { query: bad });
  if (r.ok) throw new Error(`the engine accepted ${bad}`);
  expect(r.error.code).toBe('E_QUERY');
  await expect(alert).toContainText(r.error.message);
  const caret = (await alert.locator('pre').textContent()) ?? '';
  const [echo, marker] = caret.split('\n');
  expect(echo).toBe(bad);
  expect(marker).toBe(`${' '.repeat(r.error.position ?? bad.length)}^`);
  await expect(queryBox(page)).toHaveAttribute('aria-invalid', 'true');

  // Correcting the query clears the error.
  await search(page, '[lemma="bureaucracy"]');
  await expect(alert).toHaveCount(0);
  await waitForLines(page, '[lemma="bureaucracy"]');
  await expect(status(page)).toHaveText(/^\d+ hits? in 1 document$/);
});

test('keyboard: Ctrl+1..9 switch views, Ctrl+F focuses the query, Enter runs it', async ({ page }) => {
  await page.keyboard.press('Control+2');
  await expect(page.getByRole('tab', { name: 'Word list' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('table', { name: 'Word list' })).toBeVisible();
  await page.getByRole('table', { name: 'Word list' }).click();
  await page.keyboard.press('Control+F');
  await expect(queryBox(page)).toBeFocused();
  await page.keyboard.type("workers' councils");
  await page.keyboard.press('Enter');
  // The word list takes no query, so Enter brings the reader to the concordance.
  await expect(page.getByRole('tab', { name: 'Concordance' })).toHaveAttribute('aria-selected', 'true');
  await waitForLines(page, "workers' councils");
  await expect(status(page)).toHaveText('6 hits in 1 document');
  await page.keyboard.press('Control+0');
  await expect(page.getByRole('tab', { name: 'Trends' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+9');
  await expect(page.getByRole('table', { name: 'Documents' })).toContainText('cliff-russia-ch18');
});

test('screenshots in light and dark theme at 1280x800', async ({ page }) => {
  await mkdir(ARTIFACTS, { recursive: true });
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await grid(page).locator('[role=row][aria-rowindex="4"]').click();
  await expect(page.getByRole('region', { name: 'Text view' }).locator('mark[aria-current="true"]')).toBeInViewport();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const light = await page.screenshot({ path: `${ARTIFACTS}loupe-light-1280x800.png` });
  await test.info().attach('light theme', { body: light, contentType: 'image/png' });

  // The toggle cycles system -> light -> dark.
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  for (let i = 0; i < 3 && (await page.locator('html').getAttribute('data-theme')) !== 'dark'; i++) await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(luminance(bg)).toBeLessThan(0.2);
  const dark = await page.screenshot({ path: `${ARTIFACTS}loupe-dark-1280x800.png` });
  await test.info().attach('dark theme', { body: dark, contentType: 'image/png' });
});

/** Calls the host's API directly, with the page's own token, to learn what the engine says. */
async function api<M extends keyof LoupeApi>(page: Page, method: M, req: unknown): Promise<Awaited<ReturnType<LoupeApi[M]>>> {
  return page.evaluate(
    async ([m, body]) => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('loupe-token') ?? '';
      const res = await fetch(`/api/${m}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-loupe-token': token },
        body: JSON.stringify(body),
      });
      return res.json();
    },
    [method, req] as const,
  );
}

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
  return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
}
