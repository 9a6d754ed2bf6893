/**
 * A reader's analysis of the bundled chapter in web mode: compares bureaucracy with workers'
 * councils and changes the measure, span and stop words without pressing Compare again; sorts the
 * collocates and the keywords by their columns; and opens the text at a mark of a dispersion plot,
 * by mouse and by keyboard. Figures are checked against the host's own answers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { CollocResult, CompareResult, DispersionResult, KeywordResult } from '../../app/contract/stats';
import { flat, hostApi, openApp, search } from './helpers';

const QUERIES = ['bureaucracy', "workers' councils"];
const STOPWORDS = new Set(
  readFileSync(fileURLToPath(new URL('../../reference/stopwords-en.txt', import.meta.url)), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean),
);

async function host<T>(method: string, req: unknown): Promise<T> {
  const r = await hostApi(method, req);
  expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
  return r.value as T;
}

const ready = (page: Page) => expect(page.locator('html')).toHaveAttribute('data-ready', 'true');

async function openView(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
}

/** The text of one column of a table's body, by the column's index. */
async function column(table: Locator, i: number): Promise<string[]> {
  return table.locator('tbody tr').evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent?.trim() ?? ''), i);
}
/** A hit whose mark is well clear of its neighbours' (hits a few words apart share a pixel), past the first few. */
function isolated(at: number[]): number {
  return at.findIndex((p, i) => i >= 5 && p - at[i - 1]! > 0.01 && (at[i + 1] ?? 1) - p > 0.01);
}
const num = (s: string) => Number(s.replace(/,/g, '').replace('−', '-'));
const byTerm = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('compare: shared collocates are never distinctive, and the controls rerun it', async ({ page }) => {
  await openView(page, 'Compare');
  await page.getByRole('searchbox', { name: 'Compare term 1' }).fill(QUERIES[0]!);
  await page.getByRole('searchbox', { name: 'Compare term 2' }).fill(QUERIES[1]!);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const heading = page.getByRole('heading', { name: /^Collocates by/ });
  await expect(heading).toHaveText('Collocates by logDice, span ±5');
  await ready(page);

  const shared = async () => page.locator('.shared-line .chip').allTextContents();
  const distinctive = async () => (await page.locator('.distinctive .chip').allTextContents()).map((s) => s.trim());
  const sharedNow = await shared();
  // The words the reader saw both as shared and as distinctive: shared now, distinctive nowhere.
  expect(sharedNow).toEqual(expect.arrayContaining(['the', 'of']));
  const distinctiveNow = await distinctive();
  expect(distinctiveNow.length).toBeGreaterThan(0);
  expect(distinctiveNow.filter((d) => sharedNow.includes(d))).toEqual([]);

  const topOf = (q: string) => page.getByRole('table', { name: `Collocates of ${q}` });
  const termsOf = async (q: string) => (await column(topOf(q), 0)).map((t) => t.replace(/\s*⋄$/, ''));

  // A new measure: the lists rerun by MI at once, as the engine ranks them.
  await page.getByLabel('Measure').selectOption('mi');
  await expect(heading).toHaveText('Collocates by MI, span ±5');
  await ready(page);
  const byMi = await host<CompareResult>('compare', { queries: QUERIES, measure: 'mi', span: [5, 5], limit: 20 });
  for (const t of byMi.terms) expect(await termsOf(t.query)).toEqual(t.collocates.map((c) => c.term));
  expect(await shared()).toEqual(byMi.shared);

  // Stop words off: no stop word left in any list, the same request at the host agrees.
  await page.getByRole('checkbox', { name: 'Hide stop words' }).check();
  await expect(heading).toHaveText('Collocates by MI, span ±5, stop words hidden');
  await ready(page);
  const stopped = await host<CompareResult>('compare', { queries: QUERIES, measure: 'mi', span: [5, 5], limit: 20, stoplist: true });
  const withStops = byMi.terms[0]!.collocates.filter((c) => STOPWORDS.has(c.term));
  expect(withStops.length).toBeGreaterThan(0);
  for (const t of stopped.terms) {
    const shown = await termsOf(t.query);
    expect(shown).toEqual(t.collocates.map((c) => c.term));
    expect(shown.filter((w) => STOPWORDS.has(w))).toEqual([]);
  }

  // A narrower span reruns too.
  await page.getByLabel('Span ±').fill('3');
  await expect(heading).toHaveText('Collocates by MI, span ±3, stop words hidden');
  await ready(page);
  const narrow = await host<CompareResult>('compare', { queries: QUERIES, measure: 'mi', span: [3, 3], limit: 20, stoplist: true });
  expect(await termsOf(QUERIES[0]!)).toEqual(narrow.terms[0]!.collocates.map((c) => c.term));
  expect((await distinctive()).filter((d) => narrow.shared.includes(d))).toEqual([]);
});

test('collocates: header clicks sort the whole list both ways; stop words can be hidden', async ({ page }) => {
  await search(page, 'bureaucracy');
  await openView(page, 'Collocates');
  const table = page.getByRole('table', { name: 'Collocates' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await ready(page);
  const header = (label: string) =>
    table.getByRole('columnheader').filter({ has: page.getByRole('button', { name: `Sort by ${label}`, exact: true }) });
  await expect(header('logDice')).toHaveAttribute('aria-sort', 'descending');

  // Fewer rows than the list holds, so a sort of the visible rows alone would show.
  await page.getByLabel('Rows').fill('10');
  const all = (await host<CollocResult>('colloc', { query: 'bureaucracy', span: [5, 5], limit: 0, sort: 'mi' })).rows;
  expect(all.length).toBeGreaterThan(30);
  const terms = () => column(table, 0);

  await page.getByRole('button', { name: 'Sort by MI', exact: true }).click();
  await expect(header('MI')).toHaveAttribute('aria-sort', 'descending');
  await expect(header('logDice')).not.toHaveAttribute('aria-sort', /./);
  await ready(page);
  await expect.poll(terms).toEqual(all.slice(0, 10).map((r) => r.term));

  // Again: reversed over the whole list, the lowest MI of all of them first.
  await page.getByRole('button', { name: 'Sort by MI', exact: true }).click();
  await expect(header('MI')).toHaveAttribute('aria-sort', 'ascending');
  await ready(page);
  const lowest = [...all].sort((a, b) => a.mi - b.mi || byTerm(a.term, b.term)).slice(0, 10);
  await expect.poll(terms).toEqual(lowest.map((r) => r.term));
  const mi = (await column(table, 5)).map(num);
  expect(mi).toEqual([...mi].sort((a, b) => a - b));
  expect(mi[0]).toBeLessThan(all[9]!.mi);

  await page.getByRole('button', { name: 'Sort by Collocate', exact: true }).click();
  await expect(header('Collocate')).toHaveAttribute('aria-sort', 'ascending');
  await ready(page);
  await expect.poll(terms).toEqual(
    all
      .map((r) => r.term)
      .sort(byTerm)
      .slice(0, 10),
  );
  await page.getByRole('button', { name: 'Sort by C', exact: true }).click();
  await expect(header('C')).toHaveAttribute('aria-sort', 'descending');
  await ready(page);
  const c = (await column(table, 3)).map(num);
  expect(c).toEqual(
    [...all]
      .map((r) => r.termFreq)
      .sort((a, b) => b - a)
      .slice(0, 10),
  );

  // Stop words hidden: the rows lose them, and R1, h and N stay as they were.
  await page.getByRole('button', { name: 'Sort by O', exact: true }).click();
  await expect(header('O')).toHaveAttribute('aria-sort', 'descending');
  await ready(page);
  await expect.poll(terms).toContain('the');
  const statusLine = page.getByRole('status').filter({ hasText: 'window set R1' });
  // h, R1 and N as the status line shows them.
  const figures = async () =>
    /^(\S+) hits of .*· window set R1 = (\S+) tokens · N = (\S+)/.exec(flat((await statusLine.textContent()) ?? ''))?.slice(1);
  const before = await figures();
  expect(before).toHaveLength(3);
  await page.getByRole('checkbox', { name: 'Hide stop words' }).check();
  await expect(statusLine).toContainText('stop words hidden');
  await ready(page);
  const kept = (await host<CollocResult>('colloc', { query: 'bureaucracy', span: [5, 5], limit: 10, sort: 'observed', stoplist: true }))
    .rows;
  await expect.poll(terms).toEqual(kept.map((r) => r.term));
  expect((await terms()).filter((t) => STOPWORDS.has(t))).toEqual([]);
  expect(await figures()).toEqual(before);
});

test('keywords: a header click sorts the list by that column, again reverses it', async ({ page }) => {
  await openView(page, 'Keywords');
  const table = page.getByRole('table', { name: 'Positive keywords' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await ready(page);
  const kw = await host<KeywordResult>('keywords', { reference: 'brown', by: 'word', minFreq: 3, limit: 50 });
  expect(await column(table, 0)).toEqual(kw.positive.map((r) => r.term));

  const header = (label: string) =>
    table.getByRole('columnheader').filter({ has: page.getByRole('button', { name: `Sort by ${label}`, exact: true }) });
  await table.getByRole('button', { name: 'Sort by Freq.', exact: true }).click();
  await expect(header('Freq.')).toHaveAttribute('aria-sort', 'descending');
  const freq = (await column(table, 1)).map(num);
  expect(freq).toEqual(kw.positive.map((r) => r.freq).sort((a, b) => b - a));
  await table.getByRole('button', { name: 'Sort by Freq.', exact: true }).click();
  await expect(header('Freq.')).toHaveAttribute('aria-sort', 'ascending');
  expect((await column(table, 1)).map(num)).toEqual(kw.positive.map((r) => r.freq).sort((a, b) => a - b));

  await table.getByRole('button', { name: 'Sort by Word', exact: true }).click();
  await expect(header('Word')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header('Freq.')).not.toHaveAttribute('aria-sort', /./);
  expect(await column(table, 0)).toEqual(kw.positive.map((r) => r.term).sort(byTerm));
  // The other table keeps its own order.
  expect(await column(page.getByRole('table', { name: 'Negative keywords' }), 0)).toEqual(kw.negative.map((r) => r.term));
});

test('dispersion: a mark opens the text at that hit, by mouse and by keyboard', async ({ page }) => {
  await search(page, 'bureaucracy');
  await openView(page, 'Dispersion');
  await ready(page);
  const text = page.getByRole('region', { name: 'Text at the hit' });

  const k = isolated((await host<DispersionResult>('dispersion', { query: 'bureaucracy' })).corpusPositions);
  expect(k).toBeGreaterThan(4);
  await page.getByRole('button', { name: new RegExp(`^Whole corpus: hit ${k + 1} of 36,`) }).click();
  await expect(text).toContainText(`Hit ${k + 1} of 36`);
  const current = text.locator('mark[aria-current="true"]');
  await expect(current).toHaveText(/bureaucracy/i);
  await expect(current).toBeInViewport();
  // The text's own k-th mark is the current one.
  await expect(text.locator('mark').nth(k)).toHaveAttribute('aria-current', 'true');

  // Keyboard: Tab into the plot (one stop), along it with the arrows, Enter to open.
  await text.getByRole('button', { name: 'Close' }).click();
  await expect(text).toHaveCount(0);
  await page.getByLabel("Parts for Juilland's D").focus();
  const onMark = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  for (let i = 0; i < 10 && !/hit \d+ of 36/.test(await onMark()); i++) await page.keyboard.press('Tab');
  // The row's one tab stop is the mark last opened.
  expect(await onMark()).toMatch(new RegExp(`^Whole corpus: hit ${k + 1} of 36,`));
  await page.keyboard.press('Home');
  expect(await onMark()).toMatch(/^Whole corpus: hit 1 of 36,/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect(await onMark()).toMatch(/^Whole corpus: hit 3 of 36,/);
  await page.keyboard.press('Enter');
  await expect(text).toContainText('Hit 3 of 36');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(text).toContainText('Hit 36 of 36');
  await expect(text.locator('mark').nth(35)).toHaveAttribute('aria-current', 'true');
});

test("compare: a mark of workers' councils opens the text at that hit", async ({ page }) => {
  await openView(page, 'Compare');
  await page.getByRole('searchbox', { name: 'Compare term 1' }).fill(QUERIES[0]!);
  await page.getByRole('searchbox', { name: 'Compare term 2' }).fill(QUERIES[1]!);
  await page.getByRole('searchbox', { name: 'Compare term 2' }).press('Enter');
  await ready(page);
  await page.getByRole('button', { name: /^workers' councils: hit 4 of 6,/ }).click();
  const text = page.getByRole('region', { name: 'Text at the hit' });
  await expect(text).toContainText('Hit 4 of 6');
  const current = text.locator('mark[aria-current="true"]');
  await expect(current).toHaveText(/workers[’'] councils/i);
  await expect(current).toBeInViewport();
});

test('compare across subcorpora: a mark opens the text at that hit', async ({ page }) => {
  await openView(page, 'Compare');
  await page.getByRole('button', { name: 'Across subcorpora' }).click();
  await page.getByRole('searchbox', { name: 'Query 1' }).fill('bureaucracy');
  // The chapter is the whole of both: each axis runs through the same document.
  await page.getByRole('textbox', { name: 'Subcorpus 1' }).fill('name ~ cliff');
  await page.getByRole('textbox', { name: 'Subcorpus 2' }).fill('name ~ russia');
  await page.getByRole('button', { name: 'Compare across' }).click();
  await ready(page);
  const k = isolated((await host<DispersionResult>('dispersion', { query: 'bureaucracy', where: 'name ~ russia' })).corpusPositions);
  await page.getByRole('button', { name: new RegExp(`^bureaucracy · name ~ russia: hit ${k + 1} of 36,`) }).click();
  const text = page.getByRole('region', { name: 'Text at the hit' });
  await expect(text).toContainText(`Hit ${k + 1} of 36`);
  await expect(text.locator('mark').nth(k)).toHaveAttribute('aria-current', 'true');
  await expect(text.locator('mark[aria-current="true"]')).toBeInViewport();
});
