/**
 * The ways results leave the app: CSV (header row first, named after the query, with a provenance
 * file beside it on request), a spreadsheet, the dispersion plot as SVG and PNG, and selected
 * concordance lines on the clipboard (TSV and HTML).
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { collectRows, grid, openApp, search, waitForLines } from './helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
});

async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

const CSV_HEADER = 'document,position,left,node,right,category,note';

test('the concordance as CSV starts with its header row and is named after the query', async ({ page }) => {
  const { name, bytes } = await download(page, 'Export as CSV');
  expect(name).toBe('loupe-kwic-bureaucracy.csv');
  const lines = bytes.toString('utf8').trimEnd().split('\n');
  // What a spreadsheet or pandas reads as the column names: no comment lines before it.
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines).toHaveLength(36 + 1);
  expect(lines[1]).toMatch(/^cliff-russia-ch18-the-coming-russian-revolution\.txt,\d+,/);
});

test('with a provenance file, a CSV export also saves the record of how it was made', async ({ page }) => {
  const provenance = page.getByRole('checkbox', { name: 'with provenance file' });
  await provenance.check();
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Export as CSV' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const files = new Map(
    await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await readFile((await d.path())!, 'utf8')] as const)),
  );
  expect([...files.keys()].sort()).toEqual(['loupe-kwic-bureaucracy.about.txt', 'loupe-kwic-bureaucracy.csv']);
  expect(files.get('loupe-kwic-bureaucracy.csv')!.split('\n')[0]).toBe(CSV_HEADER);
  const about = files.get('loupe-kwic-bureaucracy.about.txt')!.split('\n');
  expect(about).toContain('query: bureaucracy');
  expect(about).toContain('data file: loupe-kwic-bureaucracy.csv');
  expect(about).toContain('hits: 36');
  expect(about.some((l) => /^corpus fingerprint: [0-9a-f]{16,}$/.test(l))).toBe(true);
  await expect(
    page.getByRole('status').filter({ hasText: 'Saved loupe-kwic-bureaucracy.csv and loupe-kwic-bureaucracy.about.txt' }),
  ).toBeVisible();
});

test('the concordance as XLSX is a real workbook', async ({ page }) => {
  const { name, bytes } = await download(page, 'Export as XLSX');
  expect(name).toBe('loupe-kwic-bureaucracy.xlsx');
  // An XLSX file is a zip archive holding the workbook parts.
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  expect(bytes.includes(Buffer.from('xl/worksheets/'))).toBe(true);
});

test('the dispersion plot saves as SVG and PNG', async ({ page }) => {
  await page.getByRole('tab', { name: 'Dispersion' }).click();
  const plot = page.getByRole('img', { name: 'Dispersion of bureaucracy' });
  await expect(plot).toBeVisible();
  await expect(plot.locator('line.bc-tick')).toHaveCount(36);

  const svg = await download(page, 'Save plot as SVG');
  expect(svg.name).toBe('dispersion-bureaucracy.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // One tick per hit plus the five axis ticks, each with its colour written in (no stylesheet needed).
  expect(text.match(/<line /g)?.length).toBe(36 + 5);
  expect(text).not.toContain('class=');

  const png = await download(page, 'Save plot as PNG');
  expect(png.name).toBe('dispersion-bureaucracy.png');
  expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.bytes.readUInt32BE(16);
  const height = png.bytes.readUInt32BE(20);
  expect(width).toBeGreaterThan(1000); // drawn at twice the plot's size
  expect(height).toBeGreaterThan(50);
});

test('selected lines copy to the clipboard as TSV and HTML', async ({ page }) => {
  const rows = await collectRows(page);
  await grid(page)
    .getByRole('rowgroup')
    .nth(1)
    .evaluate((el) => (el.scrollTop = 0));
  await page.getByRole('checkbox', { name: 'Select line 2', exact: true }).check();
  await page.getByRole('checkbox', { name: 'Select line 4', exact: true }).check();
  await page.getByRole('button', { name: /Copy 2 selected/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied 2 lines' })).toBeVisible();

  const { text, html } = await page.evaluate(async () => {
    const items = await navigator.clipboard.read();
    const item = items[0]!;
    return {
      text: await (await item.getType('text/plain')).text(),
      html: await (await item.getType('text/html')).text(),
    };
  });
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'));
  expect(lines[0]).toEqual(['document', 'position', 'left', 'node', 'right', 'category', 'note']);
  expect(lines).toHaveLength(3);
  for (const [k, i] of [
    [1, 1],
    [2, 3],
  ] as const) {
    const [, , left, node, right] = lines[k]!;
    expect(left!.replace(/\s+/g, ' ').trim()).toBe(rows[i]!.left);
    expect(node).toBe(rows[i]!.node);
    expect(right!.replace(/\s+/g, ' ').trim()).toBe(rows[i]!.right);
  }
  expect(html).toContain('<table>');
  expect(html.match(/<tr>/g)?.length).toBe(3);
  expect(html).toContain('<b>bureaucracy</b>');
});
