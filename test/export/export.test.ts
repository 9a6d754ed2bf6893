/**
 * Concordance exports through the Engine (the same path the app's Export button takes) in TSV, CSV,
 * HTML, JSON and XLSX, on the chapter plus hostile one-line documents whose lines start with spreadsheet
 * formula characters and carry a <script> tag, with a project open that codes and notes some lines;
 * the provenance sidecar of CSV and TSV; file names from the query; and a corpus whose very folder
 * name is a formula.
 */
import { strFromU8, unzipSync } from 'fflate';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../app/contract/api.js';
import type { KwicLine, KwicRequest } from '../../app/contract/types.js';
import { Engine } from '../../app/engine.js';
import { toExportFile, neutraliseLine, slug, type ExportTable } from '../../app/export/formats.js';
import { neutralise } from '../../app/contract/cells.js';
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
let dataDir: string;
let engine: Engine;
let lines: KwicLine[];
const files = new Map<ExportFormat, string>();
const CATEGORIES = [
  { id: 'c1', name: 'ruling class', colour: '#aa3333' },
  { id: 'c2', name: '=apparatus', colour: '#3333aa' },
];
const HEADER = ['document', 'position', 'left', 'node', 'right', 'category', 'note'];

function value<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** What a delimited or spreadsheet cell must hold: one line, formula characters neutralised. */
const expectedCell = (s: string) => {
  const flat = s.replace(/[\t\r\n]+/g, ' ');
  return /^[=+\-@]/.test(flat) ? `'${flat}` : flat;
};

beforeAll(async () => {
  dir = tempDir('export');
  indexDir = tempDir('export-index');
  dataDir = tempDir('export-data');
  writeTree(dir, { 'chapter.txt': CHAPTER_TEXT, ...Object.fromEntries(HOSTILE.map((t, i) => [`hostile/${i + 1}.txt`, t])) });
  engine = new Engine({ indexDir, dataDir });
  value(await engine.openCorpus({ paths: [dir] }));
  // A project codes the first three lines (two categories on the first, one a formula) and notes two.
  value(await engine.newProject({ name: 'Exports' }));
  value(await engine.updateProject({ categories: CATEGORIES }));
  const before = value(await engine.kwic({ ...REQUEST, limit: 3 })).lines;
  const at = (l: KwicLine) => ({ doc: l.doc, start: l.start, end: l.end });
  value(await engine.codeLines({ lines: before.map(at), add: ['c1'], query: REQUEST.query }));
  value(await engine.codeLines({ lines: [at(before[0]!)], add: ['c2'], note: 'two codes, one note' }));
  value(await engine.codeLines({ lines: [at(before[2]!)], note: '+1 a note, with a comma' }));
  lines = value(await engine.kwic({ ...REQUEST, limit: 1000 })).lines;
  for (const format of ['tsv', 'csv', 'html', 'json', 'xlsx'] as const) {
    const file = value(await engine.exportData({ what: 'kwic', format, kwic: REQUEST }));
    expect(file.filename).toBe(`loupe-kwic-bureaucracy.${format}`);
    expect(file.encoding).toBe(format === 'xlsx' ? 'base64' : 'utf8');
    expect(file.sidecar).toBeUndefined();
    files.set(format, file.content);
  }
});

afterAll(() => {
  removeDir(dir);
  removeDir(indexDir);
  removeDir(dataDir);
});

describe('concordance exports', () => {
  it('the concordance has every hit of every document', () => {
    expect(lines).toHaveLength(HITS);
  });

  it("the project's categories and notes reach the lines", () => {
    expect(lines[0]!.categories).toEqual(['ruling class', '=apparatus']);
    expect(lines[0]!.note).toBe('two codes, one note');
    expect(lines[1]!.categories).toEqual(['ruling class']);
    expect(lines[2]!.note).toBe('+1 a note, with a comma');
    expect(lines.slice(3).every((l) => !l.categories?.length && !l.note)).toBe(true);
  });

  it.each([
    ['tsv', '\t'],
    ['csv', ','],
  ] as const)('%s: the header row first, then one row per line with its category and note', (format, delimiter) => {
    const content = files.get(format)!;
    expect(content.split('\n')[0]).toBe(HEADER.join(delimiter));
    expect(content).not.toMatch(/^#/m);
    const rows = parseDelimited(content, delimiter);
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1)).toEqual(
      lines.map((l) => [
        l.docName,
        String(l.position),
        expectedCell(l.left),
        expectedCell(l.node),
        expectedCell(l.right),
        expectedCell((l.categories ?? []).join('; ')),
        expectedCell(l.note ?? ''),
      ]),
    );
    expect(rows[1]!.slice(5)).toEqual(['ruling class; =apparatus', 'two codes, one note']);
    expect(rows[3]!.slice(5)).toEqual(['ruling class', "'+1 a note, with a comma"]);
    expect(rows[4]!.slice(5)).toEqual(['', '']);
  });

  it('json: the lines as the source has them, with what made them', () => {
    const out = JSON.parse(files.get('json')!);
    expect(out.about.query).toBe('bureaucracy');
    expect(out.about.hits).toBe(String(HITS));
    expect(out.hits).toBe(HITS);
    expect(out.lines).toEqual(
      lines.map((l) => ({
        doc: l.docName,
        position: l.position,
        left: l.left,
        node: l.node,
        right: l.right,
        category: (l.categories ?? []).join('; '),
        categories: l.categories ?? [],
        note: l.note ?? '',
      })),
    );
    expect(out.lines[0].categories).toEqual(['ruling class', '=apparatus']);
  });

  it('html: a table of every line with all text escaped', () => {
    const html = files.get('html')!;
    expect(html.match(/<tr>/g)).toHaveLength(HITS + 1);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;/script&gt;');
    expect(html).toContain('&amp; co.');
    expect(html).toContain('<th>category</th><th>note</th>');
    expect(html).toContain('<td>ruling class; =apparatus</td><td>two codes, one note</td>');
    expect(html).toContain('<dt>query</dt><dd>bureaucracy</dd>');
  });

  it('xlsx: a zip (PK) whose sheet holds every line, formulas neutralised', () => {
    const bytes = Buffer.from(files.get('xlsx')!, 'base64');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const zip = unzipSync(new Uint8Array(bytes));
    const sheet = strFromU8(zip['xl/worksheets/sheet1.xml']!);
    expect(sheet.match(/<row /g)).toHaveLength(HITS + 1);
    const strings = Array.from(strFromU8(zip['xl/sharedStrings.xml']!).matchAll(/<t[^>]*>([^<]*)<\/t>/g), (m) =>
      m[1]!
        .replace(/&gt;/g, '>')
        .replace(/&lt;/g, '<')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
    expect(strings).toContain("'=SUM(1,2");
    expect(strings).toContain("'@x");
    expect(strings).toContain('category');
    expect(strings).toContain('ruling class; =apparatus');
    expect(strings).toContain("'+1 a note, with a comma");
    expect(strings.filter((s) => /^[=+\-@]/.test(s))).toEqual([]);
    // The record of how it was made stays on its own sheet.
    expect(Object.keys(zip).filter((k) => k.startsWith('xl/worksheets/sheet'))).toHaveLength(2);
    expect(strings).toContain('corpus fingerprint');
  });

  it('each formula character at the start of a real line is neutralised in the delimited exports', () => {
    const tsv = files.get('tsv')!;
    for (const bad of ['=SUM(1,2', '@x', '@home the ', '-2 the ', '+3 the ']) {
      expect(
        lines.some((l) => l.left === bad || l.right === bad),
        bad,
      ).toBe(true);
      expect(tsv).toContain(`\t'${bad}`);
      expect(tsv).not.toMatch(new RegExp(`(^|\\t)${bad.replace(/[+()]/g, '\\$&')}`, 'm'));
    }
  });
});

describe('toExportFile on its own', () => {
  const table: ExportTable = {
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
    const csv = (await toExportFile(table, 'csv')).content;
    const rows = parseDelimited(csv, ',');
    expect(rows[0]).toEqual(['text', 'number']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["'=1+1", "'+a", "'-b", "'@c", 'plain', '<script>alert(1)</script>']);
    expect(rows[3]![1]).toBe('-3');
  });

  it('html escapes the title, the header notes and every cell', async () => {
    const html = (await toExportFile(table, 'html')).content;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Cells &lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('the provenance sidecar', () => {
  it.each(['csv', 'tsv'] as const)('%s with provenance: the same data file, and beside it what made it', async (format) => {
    const file = value(await engine.exportData({ what: 'kwic', format, kwic: REQUEST, provenance: true }));
    expect(file.filename).toBe(`loupe-kwic-bureaucracy.${format}`);
    expect(file.content.split('\n')[0]).toBe(HEADER.join(format === 'csv' ? ',' : '\t'));
    expect(file.content).toBe(files.get(format));
    const sidecar = file.sidecar!;
    expect(sidecar.filename).toBe('loupe-kwic-bureaucracy.about.txt');
    expect(sidecar.mime).toMatch(/^text\/plain/);
    const about = new Map(
      sidecar.content
        .trimEnd()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
    );
    expect(about.get('query')).toBe('bureaucracy');
    expect(about.get('data file')).toBe(file.filename);
    expect(about.get('hits')).toBe(String(HITS));
    expect(about.get('settings')).toContain('case insensitive');
    expect(about.get('corpus fingerprint')).toBe(value(await engine.corpusInfo())!.fingerprint);
    expect(Date.parse(about.get('exported at')!)).not.toBeNaN();
  });

  it('other formats carry their record inside and have no sidecar', async () => {
    for (const format of ['xlsx', 'json', 'html'] as const) {
      expect(value(await engine.exportData({ what: 'kwic', format, kwic: REQUEST, provenance: true })).sidecar, format).toBeUndefined();
    }
  });

  it('other exports name their query too and have sidecars', async () => {
    const colloc = value(
      await engine.exportData({ what: 'colloc', format: 'tsv', colloc: { query: "workers' councils", limit: 0 }, provenance: true }),
    );
    expect(colloc.filename).toBe('loupe-colloc-workers-councils.tsv');
    expect(colloc.content.split('\n')[0]!.split('\t')[0]).toBe('term');
    expect(colloc.sidecar!.content).toContain("query: workers' councils\n");
    const compare = value(
      await engine.exportData({ what: 'compare', format: 'csv', compare: { queries: ['bureaucracy', "workers' councils"] } }),
    );
    expect(compare.filename).toBe('loupe-compare-bureaucracy-vs-workers-councils.csv');
    const freq = value(await engine.exportData({ what: 'freq', format: 'csv', freq: {} }));
    expect(freq.filename).toBe('loupe-freq.csv');
    expect(freq.content.split('\n')[0]).toBe('rank,word,freq,perMillion,range');
    const trends = value(
      await engine.exportData({ what: 'trends', format: 'csv', trends: { queries: ['bureaucracy'], by: 'segment', segments: 4 } }),
    );
    expect(trends.filename).toBe('loupe-trends-bureaucracy.csv');
    const rows = parseDelimited(trends.content, ',');
    expect(rows[0]).toEqual(['bucket', 'tokens', 'bureaucracy hits', 'bureaucracy per million']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(rows.slice(1).reduce((a, r) => a + Number(r[2]), 0)).toBe(HITS);
  });

  it('a comparison across subcorpora: a row per query and subcorpus, a failing filter left empty, cells made safe', async () => {
    const across = value(
      await engine.exportData({
        what: 'across',
        format: 'tsv',
        across: { queries: ['bureaucracy', '=cmd'], wheres: ['name ~ chapter', 'colour = red'] },
      }),
    );
    expect(across.filename).toBe('loupe-compare-across-bureaucracy-vs-cmd.tsv');
    const rows = parseDelimited(across.content, '\t').filter((r) => r.some((c) => c !== ''));
    expect(rows[0]).toEqual(['query', 'subcorpus', 'hits', 'perMillion', 'documentsWithHits', 'documents', 'tokens', 'dp']);
    expect(rows[1]!.slice(0, 3)).toEqual(['bureaucracy', 'name ~ chapter', String(regexSpans(CHAPTER_TEXT, BUREAUCRACY).length)]);
    expect(rows[1]![4]).toBe('1');
    expect(rows[2]).toEqual(['bureaucracy', 'colour = red', '', '', '', '', '', '']);
    // A query is text from the reader's hand: in a spreadsheet it must stay text.
    expect(rows[3]![0]).toBe("'=cmd");
  });
});

describe('file names from queries', () => {
  it('letters and digits of any script joined by dashes, bounded, never empty, never a path', () => {
    expect(slug('bureaucracy')).toBe('bureaucracy');
    expect(slug("Workers' Councils")).toBe('workers-councils');
    expect(slug('[lemma="council" & pos="NOUN"]')).toBe('lemma-council-pos-noun');
    expect(slug('Революция 1917')).toBe('революция-1917');
    expect(slug('日本語の 文')).toBe('日本語の-文');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('C:\\Windows\\x')).toBe('c-windows-x');
    expect(slug('"*"')).toBe('query');
    expect(slug('')).toBe('query');
    const long = slug('the '.repeat(50));
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^the(-the)*$/);
    // One word longer than the bound is cut between characters, never inside one.
    expect(Array.from(slug('𝔟'.repeat(60)))).toHaveLength(40);
    for (const q of ['a/b', 'a\\b', 'a:b', 'a\u0000b', 'a?b*', '<a>|b', '. .', 'x'.repeat(500)]) {
      expect(slug(q), q).toMatch(/^[\p{L}\p{M}\p{N}]+(-[\p{L}\p{M}\p{N}]+)*$/u);
    }
  });
});

describe('a corpus whose folder name is a formula', () => {
  const FOLDER = 'corp,=HYPERLINK("http:evil.example"),+cmd';
  let root: string;
  let hostile: Engine;
  let hostileIndex: string;

  /** Each piece a spreadsheet might make a cell of: split on the usual delimiters, leading space dropped. */
  const pieces = (line: string) => line.split(/[,;\t|]/).map((p) => p.trimStart());
  const FORMULA = /^[=+\-@]/;

  beforeAll(async () => {
    root = tempDir('export-hostile');
    hostileIndex = tempDir('export-hostile-index');
    writeTree(root, { [`${FOLDER}/chapter.txt`]: CHAPTER_TEXT, [`${FOLDER}/@doc,=1+1.txt`]: 'the bureaucracy\n' });
    hostile = new Engine({ indexDir: hostileIndex });
    value(await hostile.openCorpus({ paths: [join(root, FOLDER)] }));
    expect(value(await hostile.corpusInfo())!.label).toBe(FOLDER);
  });
  afterAll(() => {
    removeDir(root);
    removeDir(hostileIndex);
  });

  it('no cell of the data and no line or cell of the sidecar starts a formula', async () => {
    for (const format of ['csv', 'tsv'] as const) {
      const file = value(await hostile.exportData({ what: 'kwic', format, kwic: { query: 'bureaucracy' }, provenance: true }));
      const cells = parseDelimited(file.content, format === 'csv' ? ',' : '\t').flat();
      expect(cells).toContain("'@doc,=1+1.txt");
      expect(
        cells.filter((c) => FORMULA.test(c)),
        format,
      ).toEqual([]);
      const sidecar = file.sidecar!.content.trimEnd().split('\n');
      expect(sidecar).toContain(`corpus: corp,'=HYPERLINK("http:evil.example"),'+cmd`);
      for (const line of sidecar) {
        expect(line).not.toMatch(FORMULA);
        expect(
          pieces(line).filter((p) => FORMULA.test(p)),
          line,
        ).toEqual([]);
        expect(
          pieces(line.slice(line.indexOf(': ') + 2)).filter((p) => FORMULA.test(p)),
          line,
        ).toEqual([]);
      }
    }
    // Each piece that a delimiter starts is neutralised; a line break becomes a space.
    expect(neutraliseLine('=bureaucracy')).toBe("'=bureaucracy");
    expect(neutraliseLine('a,\t-b; @c|+d\n=e')).toBe("a,\t'-b; '@c|'+d =e");
  });

  it('the About sheet of the workbook holds the folder name as text', async () => {
    const file = value(await hostile.exportData({ what: 'kwic', format: 'xlsx', kwic: { query: 'bureaucracy' } }));
    const zip = unzipSync(new Uint8Array(Buffer.from(file.content, 'base64')));
    const strings = Array.from(strFromU8(zip['xl/sharedStrings.xml']!).matchAll(/<t[^>]*>([^<]*)<\/t>/g), (m) =>
      m[1]!
        .replace(/&gt;/g, '>')
        .replace(/&lt;/g, '<')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
    expect(strings).toContain(FOLDER);
    expect(strings.filter((s) => FORMULA.test(s))).toEqual([]);
  });
});
