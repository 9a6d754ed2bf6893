/**
 * Reading a corpus folder: recursion, formats, encodings, and the files that must be skipped (with a
 * reason) or ignored, without one bad file stopping the rest.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocument, listCorpus, readDocuments, type Listing, type ReadDocument } from '../../app/corpus/read.js';
import type { SkippedFile } from '../../app/contract/types.js';
import { openCorpus, type OpenedCorpus } from '../../app/indexing/open.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_TEXT, pseudoRandomBytes, regexSpans, removeDir, tempDir, writeTree } from '../support/corpus.js';
import { utf16be, utf16le, utf8, windows1252 } from '../support/encode.js';

const PAGE = `<!doctype html><html><head><title>Workers &amp; councils</title>
<style>.bureaucracy { color: red }</style><script>var bureaucracy = 1;</script></head>
<body><h1>The soviets</h1><p>The workers’ councils met &amp; voted.</p><p>Bureaucracy <i>rules</i>.</p></body></html>`;
const MARKDOWN = '# Notes\n\nThe *bureaucracy* and the workers’ councils.\n';
const CAFE = 'A café where the bureaucracy met “daily”.\n';
const BUREAUCRACY = /\bbureaucracy\b/gi;

/** Every file of the fixture: relative name -> [bytes, the text a reader should get back]. */
const TEXT_FILES: Record<string, [Uint8Array, string]> = {
  'chapter.txt': [utf8(CHAPTER_TEXT, false), CHAPTER_TEXT],
  'nested/deeper/notes.md': [utf8(MARKDOWN, false), MARKDOWN],
  'encodings/utf8-bom.txt': [utf8(CHAPTER_TEXT, true), CHAPTER_TEXT],
  'encodings/utf16le-bom.txt': [utf16le(CHAPTER_TEXT, true), CHAPTER_TEXT],
  'encodings/utf16be-bom.txt': [utf16be(CHAPTER_TEXT, true), CHAPTER_TEXT],
  'encodings/utf16le-nobom.txt': [utf16le(CHAPTER_TEXT, false), CHAPTER_TEXT],
  'encodings/cp1252.txt': [windows1252(CAFE), CAFE],
};

let dir: string;
let outside: string;
let listing: Listing;
let read: Map<string, ReadDocument | SkippedFile>;

beforeAll(async () => {
  dir = tempDir('read');
  outside = tempDir('outside');
  writeTree(dir, Object.fromEntries(Object.entries(TEXT_FILES).map(([k, [bytes]]) => [k, bytes])));
  writeTree(dir, {
    'nested/page.html': PAGE,
    'nested/old.htm': '<html><body><p>The bureaucracy of old.</p></body></html>',
    'empty.txt': new Uint8Array(0),
    'binary.txt': Uint8Array.from([...pseudoRandomBytes(2000, 3), 0, 0, 0, ...pseudoRandomBytes(2000, 4)]),
    '.hidden.txt': 'bureaucracy bureaucracy',
    '.git/HEAD.txt': 'bureaucracy',
    'report.odt': 'PK-not-really-an-odt bureaucracy',
    'data.json': '{"bureaucracy": 1}',
  });
  writeFileSync(join(outside, 'secret.txt'), 'bureaucracy outside the corpus');
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'link-outside.txt'));
  listing = await listCorpus([dir]);
  const docs = await readDocuments(listing.files);
  read = new Map(docs.map((d, i) => [listing.files[i]!.name, d]));
});

afterAll(() => {
  removeDir(dir);
  removeDir(outside);
});

function doc(name: string): ReadDocument {
  const d = read.get(name);
  if (!d || !isDocument(d)) throw new Error(`${name} was not read as a document: ${JSON.stringify(d)}`);
  return d;
}

describe('listing a folder', () => {
  it('recurses into nested folders and lists supported files by their relative names', () => {
    const names = listing.files.map((f) => f.name).sort();
    expect(names).toEqual(
      [...Object.keys(TEXT_FILES), 'nested/page.html', 'nested/old.htm', 'empty.txt', 'binary.txt'].sort(),
    );
  });

  it('ignores hidden files and folders entirely', () => {
    const all = [...listing.files.map((f) => f.name), ...listing.skipped.map((s) => s.name)];
    expect(all.filter((n) => n.split('/').some((part) => part.startsWith('.')))).toEqual([]);
  });

  it('lists unsupported extensions as skipped, with a reason', () => {
    const skipped = new Map(listing.skipped.map((s) => [s.name, s.reason]));
    expect(skipped.get('report.odt')).toMatch(/unsupported/i);
    expect(skipped.get('data.json')).toMatch(/unsupported/i);
  });

  it('skips a symbolic link that leads outside the folder', () => {
    const skipped = new Map(listing.skipped.map((s) => [s.name, s.reason]));
    expect(skipped.get('link-outside.txt')).toMatch(/outside/i);
    expect(listing.files.some((f) => f.path.startsWith(outside))).toBe(false);
  });
});

describe('reading and decoding each file', () => {
  it.each(Object.keys(TEXT_FILES))('%s reads back as the text that was encoded', (name) => {
    expect(doc(name).text).toBe(TEXT_FILES[name]![1]);
  });

  it('warns about UTF-16 without a BOM and about windows-1252, naming the file', () => {
    expect(doc('encodings/utf16le-nobom.txt').warnings.join(' ')).toMatch(/utf16le-nobom\.txt.*(BOM|byte-order)/i);
    expect(doc('encodings/cp1252.txt').warnings.join(' ')).toMatch(/cp1252\.txt.*windows-1252/i);
    for (const clean of ['chapter.txt', 'encodings/utf8-bom.txt', 'encodings/utf16le-bom.txt', 'encodings/utf16be-bom.txt'])
      expect(doc(clean).warnings).toEqual([]);
  });

  it('HTML: visible text only (no script or style), title captured', () => {
    const page = doc('nested/page.html');
    expect(page.title).toBe('Workers & councils');
    expect(page.text).not.toMatch(/color|var |<|>/);
    expect(regexSpans(page.text, BUREAUCRACY)).toHaveLength(1);
    expect(page.text).toContain('The workers’ councils met & voted.');
    expect(doc('nested/old.htm').text.trim()).toBe('The bureaucracy of old.');
  });

  it('an empty file is a document with empty text', () => {
    expect(doc('empty.txt').text).toBe('');
  });

  it('a binary file is skipped with a reason, and the files after it are still read', () => {
    const bin = read.get('binary.txt')!;
    expect(isDocument(bin)).toBe(false);
    expect((bin as SkippedFile).reason).toMatch(/binary|NUL/i);
    expect(doc('empty.txt')).toBeDefined(); // listed after binary.txt
    expect(doc('encodings/utf8-bom.txt').text.length).toBeGreaterThan(0);
  });
});

describe('opening the folder as a corpus', () => {
  let opened: OpenedCorpus;
  let indexDir: string;
  beforeAll(async () => {
    indexDir = tempDir('read-index');
    opened = await openCorpus([dir], { indexDir });
  });
  afterAll(() => removeDir(indexDir));

  it('lists the empty file with 0 tokens and skips the binary, the unsupported and the outside link', () => {
    const byName = new Map(opened.info.documents.map((d) => [d.name, d]));
    expect(byName.get('empty.txt')?.tokens).toBe(0);
    expect(byName.has('binary.txt')).toBe(false);
    const skipped = opened.info.skipped.map((s) => s.name).sort();
    expect(skipped).toEqual(['binary.txt', 'data.json', 'link-outside.txt', 'report.odt']);
    expect(opened.info.documents).toHaveLength(listing.files.length - 1);
  });

  it('counts a word over every decoded document as the raw texts say', () => {
    const hits = runQuery(opened.index, 'bureaucracy');
    const expected = opened.index.docs.reduce((n, d) => n + regexSpans(d.text, BUREAUCRACY).length, 0);
    // Independent of the decoded texts too: five copies of the chapter plus the small files.
    const fromSources = 5 * regexSpans(CHAPTER_TEXT, BUREAUCRACY).length + 1 + 1 + 1 + 1;
    expect(hits.starts.length).toBe(fromSources);
    expect(hits.starts.length).toBe(expected);
    expect(opened.index.documentCount(hits.starts)).toBe(9);
    expect(runQuery(opened.index, 'café').starts.length).toBe(1);
  });
});
