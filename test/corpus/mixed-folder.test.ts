/**
 * A folder of every supported format, opened as one corpus: counts per document against the words each
 * fixture was built from, page and section citations on KWIC lines, metadata from the files and from a
 * sidecar metadata.csv, subcorpus filters, and the CLI on the same folder.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine.js';
import type { CorpusInfo, KwicLine } from '../../app/contract/types.js';
import { buildDocx, buildEpub, buildPdf } from './formats/build-fixtures.js';
import { runCli } from '../support/cli.js';

let dir: string;
let indexDir: string;
let engine: Engine;
let info: CorpusInfo;

/** Occurrences of a word (case-insensitive, whole word) in a text: the independent count. */
const occurrences = (text: string, word: string) => (text.match(new RegExp(`\\b${word}\\b`, 'gi')) ?? []).length;

const TXT = 'The bureaucracy plans. The bureaucracy rules.\n';
const MD = '---\ntitle: Notes\nauthor: Reader\ndate: 1990-05-01\n---\n# First\n\nOne bureaucracy here.\n\n# Second\n\nAnd the workers answer.\n';
const HTML = '<html><head><title>Page</title><script>alert("bureaucracy")</script></head><body><h1>Head</h1><p>A bureaucracy in HTML.</p></body></html>';
const PDF_PAGES = [['Page one speaks of bureaucracy.'], ['Page two speaks of workers.'], ['Page three: bureaucracy again.']];
const TEI = `<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>TEI text</title><author>Cliff</author></titleStmt><publicationStmt><date>1955</date></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc></teiHeader><text><body><div><head>Alpha</head><p>The bureaucracy in Alpha.</p></div><div><head>Beta</head><p>No such word in Beta.</p></div></body></text></TEI>`;
const CSV = 'id,year,text\n1,1951,"A row about the bureaucracy, quoted"\n2,1952,"Another row, with workers"\n';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-mixed-'));
  indexDir = mkdtempSync(join(tmpdir(), 'loupe-mixed-index-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'plain.txt'), TXT);
  writeFileSync(join(dir, 'notes.md'), MD);
  writeFileSync(join(dir, 'sub', 'page.html'), HTML);
  writeFileSync(join(dir, 'report.pdf'), buildPdf({ pages: PDF_PAGES, info: { Title: 'Report', Author: 'Author P', CreationDate: 'D:19600101000000' } }));
  writeFileSync(
    join(dir, 'letter.docx'),
    buildDocx({ paragraphs: [{ text: 'Letter', style: 'Heading1' }, { text: 'Dear reader, the bureaucracy answers.' }], core: { title: 'A letter', creator: 'Writer D', created: '1970-01-01T00:00:00Z' } }),
  );
  writeFileSync(
    join(dir, 'book.epub'),
    buildEpub({
      chapters: [
        { file: 'c1.xhtml', body: '<h1>Chapter One</h1><p>The bureaucracy begins.</p>', title: 'One' },
        { file: 'c2.xhtml', body: '<h1>Chapter Two</h1><p>The workers end it.</p>', title: 'Two' },
      ],
      metadata: '<dc:title>Book</dc:title><dc:creator>Writer E</dc:creator><dc:date>1980</dc:date>',
    }),
  );
  writeFileSync(join(dir, 'text.xml'), TEI);
  writeFileSync(join(dir, 'rows.csv'), CSV);
  writeFileSync(join(dir, 'metadata.csv'), 'file,author,year,genre\nplain.txt,Cliff,1948,pamphlet\nsub/page.html,Someone,1999,web\n');
  engine = new Engine({ indexDir });
  const r = await engine.openCorpus({ paths: [dir] });
  if (!r.ok) throw new Error(r.error.message);
  info = r.value;
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(indexDir, { recursive: true, force: true });
});

async function lines(query: string, where?: string): Promise<KwicLine[]> {
  const r = await engine.kwic({ query, limit: 1000, ...(where ? { where } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.lines;
}

describe('a folder mixing every format', () => {
  it('opens every file as documents; the sidecar is metadata, not a document', () => {
    const names = info.documents.map((d) => d.name).sort();
    expect(names).toEqual(['book.epub', 'letter.docx', 'notes.md', 'plain.txt', 'report.pdf', 'rows.csv #row 1', 'rows.csv #row 2', 'sub/page.html', 'text.xml'].sort());
    expect(info.skipped).toEqual([]);
  });

  it('counts bureaucracy in each document as the fixtures were written', async () => {
    const perDoc = new Map<string, number>();
    for (const l of await lines('bureaucracy')) perDoc.set(l.docName, (perDoc.get(l.docName) ?? 0) + 1);
    expect(perDoc.get('plain.txt')).toBe(occurrences(TXT, 'bureaucracy'));
    expect(perDoc.get('notes.md')).toBe(1);
    expect(perDoc.get('sub/page.html')).toBe(1); // the script's "bureaucracy" is not visible text
    expect(perDoc.get('report.pdf')).toBe(PDF_PAGES.flat().reduce((a, t) => a + occurrences(t, 'bureaucracy'), 0));
    expect(perDoc.get('letter.docx')).toBe(1);
    expect(perDoc.get('book.epub')).toBe(1);
    expect(perDoc.get('text.xml')).toBe(1);
    expect(perDoc.get('rows.csv #row 1')).toBe(1);
    expect(perDoc.has('rows.csv #row 2')).toBe(false);
  });

  it('cites pages for PDF hits and sections for chaptered documents', async () => {
    const all = await lines('bureaucracy');
    const pdf = all.filter((l) => l.docName === 'report.pdf').map((l) => l.page);
    expect(pdf).toEqual([1, 3]);
    const workers = await lines('workers');
    expect(workers.find((l) => l.docName === 'report.pdf')!.page).toBe(2);
    expect(workers.find((l) => l.docName === 'book.epub')!.section).toMatch(/Chapter Two|Two/);
    expect(all.find((l) => l.docName === 'book.epub')!.section).toMatch(/Chapter One|One/);
    expect(all.find((l) => l.docName === 'text.xml')!.section).toBe('Alpha');
    expect(workers.find((l) => l.docName === 'notes.md')!.section).toBe('Second');
  });

  it('keeps metadata from the files and from metadata.csv', () => {
    const doc = (name: string) => info.documents.find((d) => d.name === name)!;
    expect(doc('plain.txt').author).toBe('Cliff');
    expect(doc('plain.txt').meta).toMatchObject({ year: '1948', genre: 'pamphlet' });
    expect(doc('sub/page.html').author).toBe('Someone');
    expect(doc('report.pdf').title).toBe('Report');
    expect(doc('report.pdf').pages).toBe(3);
    expect(doc('letter.docx').author).toBe('Writer D');
    expect(doc('book.epub').author).toBe('Writer E');
    expect(doc('text.xml').author).toBe('Cliff');
    expect(doc('notes.md').date).toBe('1990-05-01');
    expect(doc('rows.csv #row 1').meta).toMatchObject({ year: '1951' });
  });

  it('restricts queries and statistics to a subcorpus by metadata', async () => {
    const cliff = await lines('bureaucracy', 'author = Cliff');
    expect(new Set(cliff.map((l) => l.docName))).toEqual(new Set(['plain.txt', 'text.xml']));
    const early = await lines('bureaucracy', 'year < 1960');
    expect(new Set(early.map((l) => l.docName))).toEqual(new Set(['plain.txt', 'text.xml', 'rows.csv #row 1']));
    const freq = await engine.freq({ where: 'genre = pamphlet', limit: 0 });
    if (!freq.ok) throw new Error(freq.error.message);
    expect(freq.value.corpusTokens).toBe(info.documents.find((d) => d.name === 'plain.txt')!.counted);
  });

  it('the CLI opens the same folder and compares a term across subcorpora', async () => {
    const count = await runCli(['count', 'bureaucracy', '--corpus', dir, '--index', indexDir, '--format', 'json', '--where', 'author = Cliff']);
    expect(count.code).toBe(0);
    expect(JSON.parse(count.stdout)).toEqual({ query: 'bureaucracy', hits: 3, documents: 2 });
    const across = await runCli(['compare', 'bureaucracy', '--corpus', dir, '--index', indexDir, '--format', 'json', '--across', 'year < 1960', '--across', 'year >= 1960']);
    expect(across.code).toBe(0);
    const rows = JSON.parse(across.stdout).rows as Array<{ subcorpus: string; hits: number }>;
    expect(rows.map((r) => [r.subcorpus, r.hits])).toEqual([['year < 1960', 4], ['year >= 1960', 6]]);
  }, 60_000);
});
