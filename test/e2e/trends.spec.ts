/**
 * A reader follows two terms through the bundled chapter: how often `bureaucracy` and `workers`
 * occur in each tenth of the text, the raw counts on hover, the table against the concordance's own
 * totals, and a point opened as the concordance of exactly that segment.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { LoupeApi } from '../../app/contract/api';
import { appUrl, collectRows, grid, openApp, parseDelimited, search, status, waitForLines } from './helpers';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const TERMS = ['bureaucracy', 'workers'] as const;

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

/** What the concordance says of a query: its total, from the status line a reader sees. */
async function concordanceTotal(page: Page, query: string): Promise<number> {
  await page.getByRole('tab', { name: 'Concordance' }).click();
  await search(page, query);
  await waitForLines(page, query);
  const text = (await status(page).textContent()) ?? '';
  return Number(/([\d,]+) hits? in/.exec(text)?.[1]?.replace(/,/g, ''));
}

/** Opens Trends for the query in force plus `workers`, by 10 segments, and waits for the table. */
async function openTrends(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Trends' }).click();
  const more = page.getByRole('searchbox', { name: 'More terms' });
  await more.fill(TERMS[1]);
  await more.press('Enter');
  await page.getByRole('combobox', { name: 'By' }).selectOption('segment');
  await page.getByRole('spinbutton', { name: 'Segments' }).fill('10');
  const table = page.getByRole('table', { name: 'Trends table' });
  await expect(table.locator('tbody tr')).toHaveCount(10);
  await expect(table.locator('thead')).toContainText(TERMS[1]);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
}

/** The table's hit counts of series `s` (0-based), bucket by bucket. */
async function tableCounts(page: Page, s: number): Promise<number[]> {
  const rows = page.getByRole('table', { name: 'Trends table' }).locator('tbody tr');
  return rows.evaluateAll(
    (trs, col) => trs.map((tr) => Number((tr.querySelectorAll('td')[col]?.textContent ?? '').replace(/[^\d]/g, ''))),
    2 + 2 * s,
  );
}

const point = (page: Page, s: number, b: number) => page.locator(`.tr-layer [data-series="${s}"][data-bucket="${b}"]`);

test('two terms across ten segments: counts on hover, table sums, a point opens its segment', async ({ page }) => {
  // `bureaucracy` last: it stays the query in force, the chart's first term.
  const workers = await concordanceTotal(page, TERMS[1]);
  const bureaucracy = await concordanceTotal(page, TERMS[0]);
  expect(bureaucracy).toBe(36);
  const totals = [bureaucracy, workers];
  await openTrends(page);

  // The table's counts add up to what the concordance finds for each term.
  const counts = [await tableCounts(page, 0), await tableCounts(page, 1)];
  expect(counts[0]!.reduce((a, b) => a + b, 0)).toBe(totals[0]);
  expect(counts[1]!.reduce((a, b) => a + b, 0)).toBe(totals[1]);
  const foot = page.getByRole('table', { name: 'Trends table' }).locator('tfoot');
  await expect(foot).toContainText(String(totals[0]));

  // Hovering a point shows that segment's raw counts for both terms.
  const b = counts[1]!.findIndex((c, i) => c > 0 && counts[0]![i]! > 0);
  expect(b).toBeGreaterThanOrEqual(0);
  await point(page, 1, b).hover();
  const tip = page.getByRole('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(`${b + 1}/10`);
  await expect(tip.locator('tr').nth(0)).toContainText(`${counts[0]![b]} hit`);
  await expect(tip.locator('tr').nth(1)).toContainText(`${counts[1]![b]} hit`);
  await expect(point(page, 1, b)).toHaveAttribute('data-count', String(counts[1]![b]));

  // The segment's token range, as the engine gives it, to check the lines against.
  const trends = await api(page, 'trends', { queries: [...TERMS], by: 'segment', segments: 10 });
  if (!trends.ok) throw new Error(trends.error.message);
  const [from, to] = trends.value.buckets[b]!.range!;

  // Clicking the point opens the concordance with exactly that segment's lines of `workers`.
  await point(page, 1, b).click();
  await expect(page.getByRole('tab', { name: 'Concordance' })).toHaveAttribute('aria-selected', 'true');
  await expect(grid(page)).toHaveAttribute('data-loaded-query', TERMS[1]);
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(counts[1]![b]! + 1));
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const lines = await collectRows(page);
  expect(lines).toHaveLength(counts[1]![b]!);
  for (const l of lines) {
    expect(l.node.toLowerCase()).toBe(TERMS[1]);
    const at = Number(/token (\d+)/.exec(l.doc)?.[1]);
    expect(at).toBeGreaterThanOrEqual(from);
    expect(at).toBeLessThan(to);
  }
});

test('keyboard: Tab to a line of the chart, arrows along it, Enter opens that segment', async ({ page }) => {
  await search(page, TERMS[0]);
  await waitForLines(page, TERMS[0]);
  await openTrends(page);
  const counts = await tableCounts(page, 0);
  const first = point(page, 0, 0);
  await first.focus();
  await expect(page.getByRole('tooltip')).toContainText('1/10');
  // Two steps right along the first line, then Enter.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(point(page, 0, 2)).toBeFocused();
  await expect(page.getByRole('tooltip')).toContainText('3/10');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Concordance' })).toHaveAttribute('aria-selected', 'true');
  if (counts[2]! > 0) await expect(grid(page)).toHaveAttribute('aria-rowcount', String(counts[2]! + 1));
  else await expect(grid(page)).toHaveAttribute('aria-rowcount', '1');
});

test('the data exports as CSV: bucket, tokens, then hits and per million per term', async ({ page }) => {
  await search(page, TERMS[0]);
  await waitForLines(page, TERMS[0]);
  await openTrends(page);
  const counts = await tableCounts(page, 0);
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save trends data as CSV' }).click()]);
  expect(d.suggestedFilename()).toBe('loupe-trends-bureaucracy-vs-workers.csv');
  const rows = parseDelimited(await readFile((await d.path())!, 'utf8'), ',');
  expect(rows[0]).toEqual(['bucket', 'tokens', 'bureaucracy hits', 'bureaucracy per million', 'workers hits', 'workers per million']);
  const body = rows.slice(1).filter((r) => r.length > 1);
  expect(body.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1}/10`));
  expect(body.map((r) => Number(r[2]))).toEqual(counts);
  for (const r of body) expect(Number(r[3])).toBeCloseTo((Number(r[2]) / Number(r[1])) * 1e6, 6);

  // The plot exports too, with a line per term drawn in.
  const [svgFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save plot as SVG' }).click()]);
  const svg = await readFile((await svgFile.path())!, 'utf8');
  expect(svg).toContain('<svg');
  expect(svg).toContain('bureaucracy');
  expect((svg.match(/<line /g) ?? []).length).toBeGreaterThan(18);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save plot as PNG' }).click()]);
  expect((await readFile((await png.path())!)).subarray(1, 4).toString()).toBe('PNG');
  await mkdir(ARTIFACTS, { recursive: true });
  await png.saveAs(`${ARTIFACTS}trends-plot.png`);
});

test('screenshots of Trends at 1440x900, light and dark', async ({ page }) => {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await search(page, TERMS[0]);
  await waitForLines(page, TERMS[0]);
  await openTrends(page);
  const counts = await tableCounts(page, 1);
  await point(page, 1, counts.indexOf(Math.max(...counts))).hover();
  await expect(page.getByRole('tooltip')).toBeVisible();
  const light = await page.screenshot({ path: `${ARTIFACTS}trends-light-1440x900.png` });
  await test.info().attach('light theme', { body: light, contentType: 'image/png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await page.screenshot({ path: `${ARTIFACTS}trends-dark-1440x900.png` });
  await test.info().attach('dark theme', { body: dark, contentType: 'image/png' });
});

test.describe('by a metadata field', () => {
  // Four pamphlets, two from one year and one without a year in metadata.csv.
  const DOCS = [
    { file: 'a.txt', year: '1955', text: 'The workers met. The workers voted, and the workers won.\n' },
    { file: 'b.txt', year: '1938', text: 'Workers of one factory wrote to the workers of another.\n' },
    { file: 'c.txt', year: '1955', text: 'A long report on grain, with no word for the subject at hand at all.\n' },
    { file: 'd.txt', year: '', text: 'Undated: the workers and the councils.\n' },
  ];
  const countIn = (text: string) => (text.match(/\bworkers\b/gi) ?? []).length;
  let root = '';

  test.beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'loupe-e2e-trends-'));
    const folder = join(root, 'pamphlets-by-year');
    mkdirSync(folder);
    for (const d of DOCS) writeFileSync(join(folder, d.file), d.text);
    writeFileSync(join(folder, 'metadata.csv'), ['file,year', ...DOCS.map((d) => `${d.file},${d.year}`)].join('\n') + '\n');
  });
  test.afterAll(() => rmSync(root, { recursive: true, force: true }));
  // The host is shared by every spec: put the bundled corpus back for the next test.
  test.afterEach(async () => {
    const url = new URL(appUrl());
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    await fetch(`${url.origin}/api/openCorpus`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-loupe-token': token },
      body: '{}',
    });
  });

  test('workers by year: years in order, undated texts apart, a year opens its documents', async ({ page }) => {
    await page.getByRole('tab', { name: 'Corpus' }).click();
    await page.getByLabel(/Full paths of folders or files/).fill(join(root, 'pamphlets-by-year'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('corpus-name')).toHaveText('pamphlets-by-year');
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await search(page, 'workers');
    await waitForLines(page, 'workers');

    await page.getByRole('tab', { name: 'Trends' }).click();
    await page.getByRole('combobox', { name: 'By' }).selectOption('field');
    await page.getByRole('combobox', { name: 'Field' }).selectOption('year');
    const table = page.getByRole('table', { name: 'Trends table' });
    await expect(table.locator('thead')).toContainText('year');
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    const want = ['1938', '1955'].map((y) => DOCS.filter((d) => d.year === y).reduce((n, d) => n + countIn(d.text), 0));
    expect(rows.map((r) => r[0])).toEqual(['1938', '1955', '(none)']);
    expect(rows.map((r) => Number(r[2]))).toEqual([...want, countIn(DOCS[3]!.text)]);
    await expect(page.getByText('“(none)”: the documents without a value for year.')).toBeVisible();

    // 1955's point opens the concordance of the two texts from 1955.
    await point(page, 0, 1).click();
    await expect(page.getByRole('tab', { name: 'Concordance' })).toHaveAttribute('aria-selected', 'true');
    await expect(grid(page)).toHaveAttribute('aria-rowcount', String(want[1]! + 1));
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    const lines = await collectRows(page);
    expect(new Set(lines.map((l) => l.doc.split(' · ')[0]))).toEqual(new Set(['a.txt']));
  });
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
