/**
 * Concordance exports through the Engine (the same path the app's Export button takes) in TSV, CSV,
 * HTML, JSON and XLSX, on the chapter plus hostile one-line documents whose lines start with spreadsheet
 * formula characters and carry a <script> tag.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../app/contract/api.js';
import type { KwicLine, KwicRequest } from '../../app/contract/types.js';
import { Engine } from '../../app/engine.js';
import { exportTable, neutralise, type Table } from '../../app/export/table.js';
import { CHAPTER_TEXT, regexSpans, removeDir, tempDir, writeTree } from '../support/corpus.js';
import { parseDelimited } from '../support/cli.js';

// One line per document, so each line's context is only its own text.
const HOSTILE = [
  '@home the bureaucracy',
  '-2 the bureaucracy',
  '+3 the bureaucracy',
  'The bureaucracy=SUM(1,2)',
  'The bureaucracy@x',
  '<script>alert("x")</script> the bureaucracy & co.',
].map((line) => line + '\n');
const BUREAUCRACY = /\bbureaucracy\b/gi;
const HITS = regexSpans(CHAPTER_TEXT, BUREAUCRACY).length + HOSTILE.reduce((n, t) => n + regexSpans(t, BUREAUCRACY).length, 0);
const REQUEST: KwicRequest = { query: 'bureaucracy', context: 3 };

let dir: string;
let indexDir: string;
let engine: Engine;
let lines: KwicLine[];
const files = new Map<ExportFormat, string>();

/** What a delimited or spreadsheet cell must hold: one line, formula characters neutralised. */
const expectedCell = (s: string) => {
  const flat = s.replace(/[\t\r\n]+/g, ' ');
  return /^[=+\-@]/.test(flat) ? `'${flat}` : flat;
};

beforeAll(async () => {
  dir = tempDir('export');
  indexDir = tempDir('export-index');
  writeTree(dir, { 'chapter.txt': CHAPTER_TEXT, ...Object.fromEntries(HOSTILE.map((t, i) => [`hostile/${i + 1}.txt`, t])) });
  engine = new Engine({ indexDir });
  const opened = await engine.openCorpus({ paths: [dir] });
  if (!opened.ok) throw new Error(opened.error.message);
  const page = await engine.kwic({ ...REQUEST, limit: 1000 });
  if (!page.ok) throw new Error(page.error.message);
  lines = page.value.lines;
  for (const format of ['tsv', 'csv', 'html', 'json', 'xlsx'] as const) {
    const r = await engine.exportData({ what: 'kwic', format, kwic: REQUEST });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.filename).toBe(`loupe-concordance.${format}`);
    expect(r.value.encoding).toBe(format === 'xlsx' ? 'base64' : 'utf8');
    files.set(format, r.value.content);
  }
});

afterAll(() => {
  removeDir(dir);
  removeDir(indexDir);
});

describe('concordance exports', () => {
  it('the concordance has every hit of every document', () => {
    expect(lines).toHaveLength(HITS);
  });

  it.each([
    ['tsv', '\t'],
    ['csv', ','],
  ] as const)('%s: a commented header that records the query, then one row per line', (format, delimiter) => {
    const content = files.get(format)!;
    const meta = content.split('\n').filter((l) => l.startsWith('# '));
    expect(meta).toContain('# query: bureaucracy');
    expect(meta).toContain(`# hits: ${HITS}`);
    const rows = parseDelimited(content.split('\n').filter((l) => !l.startsWith('# ')).join('\n'), delimiter);
    expect(rows[0]).toEqual(['document', 'position', 'left', 'node', 'right']);
    expect(rows.slice(1)).toEqual(lines.map((l) => [l.docName, String(l.position), expectedCell(l.left), expectedCell(l.node), expectedCell(l.right)]));
  });

  it('json: the lines as the source has them, with what made them', () => {
    const out = JSON.parse(files.get('json')!);
    expect(out.about.query).toBe('bureaucracy');
    expect(out.hits).toBe(HITS);
    expect(out.lines).toEqual(lines.map((l) => ({ doc: l.docName, position: l.position, left: l.left, node: l.node, right: l.right })));
  });

  it('html: a table of every line with all text escaped', () => {
    const html = files.get('html')!;
    expect(html.match(/<tr>/g)).toHaveLength(HITS + 1);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;/script&gt;');
    expect(html).toContain('&amp; co.');
  });

  it('xlsx: a zip (PK) whose sheet holds every line, formulas neutralised', () => {
    const bytes = Buffer.from(files.get('xlsx')!, 'base64');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const zip = unzipSync(new Uint8Array(bytes));
    const sheet = strFromU8(zip['xl/worksheets/sheet1.xml']!);
    expect(sheet.match(/<row /g)).toHaveLength(HITS + 1);
    const strings = Array.from(strFromU8(zip['xl/sharedStrings.xml']!).matchAll(/<t[^>]*>([^<]*)<\/t>/g), (m) =>
      m[1]!.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
    );
    expect(strings).toContain("'=SUM(1,2");
    expect(strings).toContain("'@x");
    expect(strings.filter((s) => /^[=+\-@]/.test(s))).toEqual([]);
  });

  it('each formula character at the start of a real line is neutralised in the delimited exports', () => {
    const tsv = files.get('tsv')!;
    for (const bad of ['=SUM(1,2', '@x', '@home the ', '-2 the ', '+3 the ']) {
      expect(lines.some((l) => l.left === bad || l.right === bad), bad).toBe(true);
      expect(tsv).toContain(`\t'${bad}`);
      expect(tsv).not.toMatch(new RegExp(`(^|\\t)${bad.replace(/[+()]/g, '\\$&')}`, 'm'));
    }
  });
});

describe('exportTable on its own', () => {
  const table: Table = {
    name: 'cells',
    title: 'Cells <b>bold</b>',
    meta: [['note', '=not a formula']],
    columns: ['text', 'number'],
    rows: [
      ['=1+1', 1],
      ['+a', 2],
      ['-b', -3],
      ['@c', 4],
      ['plain', 5],
      ['<script>alert(1)</script>', 6],
    ],
  };

  it('neutralise: only strings starting with = + - @ get an apostrophe; numbers stay numbers', () => {
    expect(table.rows.map((r) => neutralise(r[0]!))).toEqual(["'=1+1", "'+a", "'-b", "'@c", 'plain', '<script>alert(1)</script>']);
    expect(neutralise(-3)).toBe(-3);
  });

  it('csv keeps negative numbers as numbers and neutralises text', async () => {
    const csv = (await exportTable(table, 'csv')).content;
    const rows = parseDelimited(csv.split('\n').filter((l) => !l.startsWith('# ')).join('\n'), ',');
    expect(rows.slice(1).map((r) => r[0])).toEqual(["'=1+1", "'+a", "'-b", "'@c", 'plain', '<script>alert(1)</script>']);
    expect(rows[3]![1]).toBe('-3');
  });

  it('html escapes the title, the header notes and every cell', async () => {
    const html = (await exportTable(table, 'html')).content;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Cells &lt;b&gt;bold&lt;/b&gt;');
  });
});
