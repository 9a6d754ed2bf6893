/**
 * Metadata and subcorpora as a reader meets them: a folder of texts with a metadata.csv sidecar
 * (and a Markdown file with a heading), opened by its path in web mode. The documents table shows
 * the metadata; a subcorpus filter restricts the concordance and the word list to the documents it
 * selects, with counts checked against counts made here from the texts themselves; a malformed
 * filter says where it went wrong; compare puts the same query side by side in two subcorpora.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { buildPdf } from '../corpus/formats/build-fixtures';
import { appUrl, hostApi, collectRows, grid, openApp, parseDelimited, search, status } from './helpers';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

interface Doc {
  file: string;
  author: string;
  year: number;
  text: string;
  /** PDF only: the lines of each page (text is their concatenation, for counting). */
  pages?: string[][];
  /** PDF only: bookmarks (0-based page), which become its sections. */
  outline?: Array<{ title: string; page: number }>;
}

const PDF_PAGES = [
  ['Report on the bureaucracy of the state,', 'written for the congress.'],
  ['Findings: the bureaucracy grew in every city.', 'The bureaucracy must be watched by the councils.'],
];

// Decoys (bureaucracies, bureaucratic, Bureaucrat) must not count; capitals must.
const DOCS: Doc[] = [
  {
    file: 'alpha.txt',
    author: 'Cliff',
    year: 1938,
    text:
      'The bureaucracy rose above the class. Every bureaucracy needs its own ideology.\n\n' +
      'Bureaucracies elsewhere were more bureaucratic than this one, and the Bureaucracy knew it.\n',
  },
  {
    file: 'beta.txt',
    author: 'Trotsky',
    year: 1955,
    text: 'A revolution betrayed by the bureaucracy. The workers watched the bureaucracy closely.\n\nNo bureaucrat admitted it.\n',
  },
  {
    file: 'gamma.md',
    author: 'Cliff',
    year: 1961,
    text:
      'An opening paragraph on the bureaucracy before any heading.\n\n' +
      '## Chapter Two\n\n' +
      'Here the bureaucracy meets the councils. The councils outlast the bureaucracy in the end.\n',
  },
  {
    file: 'report.pdf',
    author: 'Luxemburg',
    year: 1918,
    text: PDF_PAGES.map((p) => p.join('\n')).join('\n\n'),
    pages: PDF_PAGES,
    outline: [{ title: 'Findings', page: 1 }],
  },
];

/** Hits of the word as the reader would count them: whole words, any case. */
const countIn = (text: string, word: string) => (text.match(new RegExp(`\\b${word}\\b`, 'gi')) ?? []).length;
const hitsWhere = (keep: (d: Doc) => boolean, word = 'bureaucracy') => DOCS.filter(keep).reduce((n, d) => n + countIn(d.text, word), 0);
const docsWhere = (keep: (d: Doc) => boolean, word = 'bureaucracy') => DOCS.filter((d) => keep(d) && countIn(d.text, word) > 0).length;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
/** The concordance's status line, as the reader should see it. */
const statusOf = (keep: (d: Doc) => boolean, where = '') =>
  `${plural(hitsWhere(keep), 'hit')} in ${plural(docsWhere(keep), 'document')}${where ? ` · subcorpus: ${where}` : ''}`;

let root: string;
let folder: string;

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'loupe-e2e-sub-'));
  folder = join(root, 'pamphlets-with-metadata');
  mkdirSync(folder);
  for (const d of DOCS) {
    writeFileSync(join(folder, d.file), d.pages ? buildPdf({ pages: d.pages, outline: d.outline }) : d.text);
  }
  writeFileSync(
    join(folder, 'metadata.csv'),
    ['file,author,year', ...DOCS.map((d) => `${d.file},${d.author},${d.year}`)].join('\n') + '\n',
  );
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

const idle = (page: Page) => expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
const whereBox = (page: Page) => page.getByRole('textbox', { name: 'Subcorpus', exact: true });
const documents = (page: Page) => page.getByRole('table', { name: 'Documents' });

async function openFolder(page: Page): Promise<void> {
  await openApp(page);
  await page.keyboard.press('Control+9');
  await page.getByLabel(/Full paths of folders or files/).fill(folder);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('corpus-name')).toHaveText('pamphlets-with-metadata');
  await idle(page);
}

/** Runs a query with a subcorpus filter and waits for its lines. */
async function searchIn(page: Page, query: string, where: string): Promise<void> {
  await whereBox(page).fill(where);
  await search(page, query);
  await expect(grid(page)).toHaveAttribute('data-loaded-query', query);
  await expect(grid(page)).toHaveAttribute('data-loaded-where', where);
  await idle(page);
}

/** The cells of a table, row by row, as text. */
async function cells(page: Page, name: string): Promise<string[][]> {
  return page
    .getByRole('table', { name })
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
}

test('the documents table shows the sidecar metadata and the Markdown sections, and sorts', async ({ page }) => {
  await openFolder(page);
  const table = documents(page);
  const head = await table.locator('thead th').allTextContents();
  const col = (label: string) => head.findIndex((h) => h.trim() === label);
  for (const label of ['Document', 'Author', 'Year', 'Sections', 'Pages', 'Counted tokens'])
    expect(col(label), label).toBeGreaterThanOrEqual(0);

  const rows = await cells(page, 'Documents');
  expect(rows.map((r) => r[col('Document')])).toEqual(DOCS.map((d) => d.file));
  for (const d of DOCS) {
    const r = rows.find((x) => x[col('Document')] === d.file)!;
    expect(r[col('Author')]).toBe(d.author);
    expect(r[col('Year')]).toBe(String(d.year));
    // One heading in the Markdown file, one bookmark in the PDF; plain text has none.
    expect(r[col('Sections')]).toBe(d.file.endsWith('.md') ? '1' : d.outline ? String(d.outline.length) : '0');
    expect(r[col('Pages')]).toBe(d.pages ? String(d.pages.length) : '');
  }

  // Sorting by year, descending on the second click; by author keeps ties in document order.
  const yearButton = table.getByRole('button', { name: 'Year', exact: true });
  await yearButton.click();
  await yearButton.click();
  await expect(table.locator('thead th').nth(col('Year'))).toHaveAttribute('aria-sort', 'descending');
  const byYear = (await cells(page, 'Documents')).map((r) => r[col('Document')]);
  expect(byYear).toEqual([...DOCS].sort((a, b) => b.year - a.year).map((d) => d.file));
  await table.getByRole('button', { name: 'Author', exact: true }).click();
  const byAuthor = (await cells(page, 'Documents')).map((r) => r[col('Author')]);
  expect(byAuthor).toEqual([...DOCS.map((d) => d.author)].sort());
});

test('a subcorpus filter restricts the concordance, the word list and exports; lines cite their section', async ({ page }) => {
  await openFolder(page);
  await page.keyboard.press('Control+1');

  const early = (d: Doc) => d.year < 1950;
  await searchIn(page, 'bureaucracy', 'year < 1950');
  await expect(status(page)).toHaveText(statusOf(early, 'year < 1950'));
  await expect(page.getByTestId('subcorpus-size')).toContainText(`subcorpus: ${plural(DOCS.filter(early).length, 'document')}`);
  const earlyRows = await collectRows(page);
  expect(earlyRows).toHaveLength(hitsWhere(early));
  const earlyFiles = DOCS.filter(early).map((d) => d.file);
  for (const r of earlyRows) expect(earlyFiles).toContain(r.doc.split(' · ')[0]);
  // PDF lines cite their page, and the bookmark they fall under.
  const pdfRows = earlyRows.filter((r) => r.doc.startsWith('report.pdf'));
  expect(pdfRows.map((r) => r.doc.replace(/ · token \d+/, ''))).toEqual(
    PDF_PAGES.flatMap((lines, i) =>
      Array<string>(countIn(lines.join(' '), 'bureaucracy')).fill(i === 0 ? 'report.pdf · p. 1' : `report.pdf · Findings · p. ${i + 1}`),
    ),
  );
  const firstPdfCell = grid(page).locator('.c-doc').filter({ hasText: 'report.pdf' }).first();
  await expect(firstPdfCell.locator('.doc-name')).toHaveText('report.pdf');
  await expect(firstPdfCell.locator('.cite')).toHaveText('p. 1');

  const cliff = (d: Doc) => d.author === 'Cliff';
  await searchIn(page, 'bureaucracy', 'author = Cliff');
  const nCliff = hitsWhere(cliff);
  await expect(status(page)).toHaveText(statusOf(cliff, 'author = Cliff'));
  const rows = await collectRows(page);
  expect(rows).toHaveLength(nCliff);
  // Lines after the Markdown heading cite it; lines before it and in plain text cite nothing.
  const gamma = DOCS[2]!.text;
  const afterHeading = countIn(gamma.slice(gamma.indexOf('## Chapter Two')), 'bureaucracy');
  const cited = rows.filter((r) => r.doc.includes('Chapter Two'));
  expect(cited).toHaveLength(afterHeading);
  for (const r of cited) expect(r.doc.startsWith('gamma.md')).toBe(true);
  const citeCells = grid(page).locator('.c-doc .cite');
  await grid(page)
    .getByRole('rowgroup')
    .nth(1)
    .evaluate((el) => (el.scrollTop = 0));
  await expect(citeCells.first()).toHaveText('Chapter Two');
  await expect(grid(page).locator('[role=row]').filter({ hasText: 'Chapter Two' }).first().locator('.doc-name')).toHaveText('gamma.md');

  // The export carries the subcorpus: the same lines as on screen.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as TSV' }).click()]);
  const content = await readFile(await download.path(), 'utf8');
  const table = parseDelimited(
    content
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n'),
    '\t',
  ).filter((r) => r.some((c) => c !== ''));
  expect(table.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r.doc.split(' · ')[0]));

  // The word list counts the subcorpus only.
  await page.keyboard.press('Control+2');
  const wordList = page.getByRole('table', { name: 'Word list' });
  await expect(page.getByRole('status').filter({ hasText: 'types' })).toContainText('subcorpus: author = Cliff');
  await idle(page);
  const freq = await wordList
    .locator('tbody tr')
    .filter({ has: page.getByRole('button', { name: 'bureaucracy', exact: true }) })
    .locator('td')
    .nth(2)
    .textContent();
  expect(Number(freq)).toBe(nCliff);

  // The Corpus view greys the documents outside the subcorpus.
  await page.keyboard.press('Control+9');
  await expect(page.getByTestId('subcorpus-line')).toContainText(`${DOCS.filter(cliff).length} of ${DOCS.length} documents`);
  const outside = documents(page).locator('tbody tr.outside td:first-child');
  await expect(outside).toHaveText(DOCS.filter((d) => !cliff(d)).map((d) => d.file));

  // Clearing the filter brings back the whole corpus.
  await page.keyboard.press('Control+1');
  await page.getByRole('button', { name: 'Clear subcorpus' }).click();
  await expect(grid(page)).toHaveAttribute('data-loaded-where', '');
  await idle(page);
  await expect(status(page)).toHaveText(statusOf(() => true));
});

test('a malformed filter shows its message inline with a caret; a filter nothing matches says so', async ({ page }) => {
  await openFolder(page);
  await page.keyboard.press('Control+1');
  const bad = 'year < 1950 & author';
  await whereBox(page).fill(bad);
  await search(page, 'bureaucracy');
  const alert = page.locator('#where-error');
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText('E_QUERY');
  await expect(alert).toContainText('Subcorpus filter');
  await expect(whereBox(page)).toHaveAttribute('aria-invalid', 'true');
  // The same message and position the engine gives for this filter.
  const r = await hostApi('count', { query: 'bureaucracy', where: bad });
  expect(r.ok).toBe(false);
  await expect(alert).toContainText(r.error!.message);
  const [echo, marker] = ((await alert.locator('pre').textContent()) ?? '').split('\n');
  expect(echo).toBe(bad);
  expect(marker).toBe(`${' '.repeat(r.error!.position ?? bad.length)}^`);
  // The query itself is fine: no error under the query box.
  await expect(page.getByRole('searchbox', { name: 'Query' })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(status(page)).toHaveText(/could not/);

  await whereBox(page).fill('year > 2100');
  await whereBox(page).press('Enter');
  await expect(alert).toContainText('E_CORPUS');
  await expect(alert).toContainText('No document matches');

  await searchIn(page, 'bureaucracy', 'year >= 1950');
  await expect(alert).toHaveCount(0);
  const late = (d: Doc) => d.year >= 1950;
  await expect(status(page)).toHaveText(statusOf(late, 'year >= 1950'));
});

test('compare one query across two subcorpora: hits, documents and a plot per subcorpus', async ({ page }) => {
  await openFolder(page);
  await page.keyboard.press('Control+8');
  await page.getByRole('button', { name: 'Across subcorpora' }).click();
  await page.getByRole('searchbox', { name: 'Query 1' }).fill('bureaucracy');
  await page.getByRole('button', { name: 'Add query' }).click();
  await page.getByRole('searchbox', { name: 'Query 2' }).fill('councils');
  await page.getByRole('textbox', { name: 'Subcorpus 1' }).fill('year < 1950');
  await page.getByRole('textbox', { name: 'Subcorpus 2' }).fill('year >= 1950');
  await page.getByRole('button', { name: 'Compare across' }).click();

  const table = page.getByRole('table', { name: 'Counts across subcorpora' });
  await expect(table).toBeVisible();
  await idle(page);
  const early = (d: Doc) => d.year < 1950;
  const late = (d: Doc) => d.year >= 1950;
  const [bRow, cRow] = await cells(page, 'Counts across subcorpora');
  // Query | hits, per million, documents, DP (early) | the same (late)
  expect(bRow![0]).toBe('bureaucracy');
  expect(Number(bRow![1])).toBe(hitsWhere(early));
  expect(bRow![3]).toBe(`${docsWhere(early)} of ${DOCS.filter(early).length}`);
  expect(Number(bRow![5])).toBe(hitsWhere(late));
  expect(bRow![7]).toBe(`${docsWhere(late)} of ${DOCS.filter(late).length}`);
  expect(cRow![0]).toBe('councils');
  expect(Number(cRow![1])).toBe(hitsWhere(early, 'councils'));
  expect(Number(cRow![5])).toBe(hitsWhere(late, 'councils'));
  // Per million within each subcorpus: hits over that subcorpus's counted tokens.
  const info = await hostApi('corpusInfo', {});
  const counted = (keep: (d: Doc) => boolean) =>
    (info.value as { documents: Array<{ name: string; counted: number }> }).documents
      .filter((d) => DOCS.some((x) => x.file === d.name && keep(x)))
      .reduce((n, d) => n + d.counted, 0);
  expect(Number(bRow![2])).toBeCloseTo((hitsWhere(early) / counted(early)) * 1e6, -1);
  expect(Number(bRow![6])).toBeCloseTo((hitsWhere(late) / counted(late)) * 1e6, -1);
  await expect(page.getByRole('img', { name: 'Dispersion across subcorpora: year < 1950, year >= 1950' })).toBeVisible();

  // Its TSV opens with the header row and is named by its queries.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export comparison as TSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('loupe-compare-across-bureaucracy-vs-councils.tsv');
  const tsv = parseDelimited(await readFile(await download.path(), 'utf8'), '\t').filter((r) => r.some((c) => c !== ''));
  expect(tsv[0]).toEqual(['query', 'subcorpus', 'hits', 'perMillion', 'documentsWithHits', 'documents', 'tokens', 'dp']);
  expect(tsv.slice(1).map((r) => [r[0], r[1], Number(r[2])])).toEqual([
    ['bureaucracy', 'year < 1950', hitsWhere(early)],
    ['bureaucracy', 'year >= 1950', hitsWhere(late)],
    ['councils', 'year < 1950', hitsWhere(early, 'councils')],
    ['councils', 'year >= 1950', hitsWhere(late, 'councils')],
  ]);

  await mkdir(ARTIFACTS, { recursive: true });
  await shoot(page, 'compare-subcorpora');
});

test('screenshots: documents table, filtered concordance with citations, light and dark', async ({ page }) => {
  await mkdir(ARTIFACTS, { recursive: true });
  await openFolder(page);
  await page.keyboard.press('Control+1');
  await searchIn(page, 'bureaucracy', 'author = Cliff');
  await shoot(page, 'concordance-subcorpus');
  // The help lists this corpus's fields with some of their values.
  await page.getByRole('button', { name: 'Syntax' }).click();
  const help = page.getByRole('region', { name: 'Subcorpus help' });
  for (const d of DOCS) {
    await expect(help).toContainText(d.author);
    await expect(help).toContainText(String(d.year));
  }
  await shoot(page, 'subcorpus-help');
  await page.getByRole('button', { name: 'Syntax' }).click();
  await page.keyboard.press('Control+9');
  await expect(page.getByTestId('subcorpus-line')).toBeVisible();
  await shoot(page, 'corpus-documents');
});

/** Light, then dark: saved as artifacts and attached to the report. */
async function shoot(page: Page, name: string): Promise<void> {
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  for (const theme of ['light', 'dark'] as const) {
    for (let i = 0; i < 3 && (await html.getAttribute('data-theme')) !== theme; i++) await toggle.click();
    await expect(html).toHaveAttribute('data-theme', theme);
    const shot = await page.screenshot({ path: `${ARTIFACTS}${name}-${theme}-1280x800.png` });
    await test.info().attach(`${name} (${theme})`, { body: shot, contentType: 'image/png' });
  }
}
