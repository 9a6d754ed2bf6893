/**
 * The saved index: reopening an unchanged corpus reuses it without tokenising; a changed, added or
 * removed file is noticed; a damaged or outdated index file is rebuilt, never trusted, never a crash.
 * Expected counts come from regexes over the files' text.
 */
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../app/contract/types.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import { openCorpus, type OpenedCorpus } from '../../app/indexing/open.js';
import { FORMAT_VERSION, loadIndex, saveIndex } from '../../app/index/persist.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_TEXT, pseudoRandomBytes, regexSpans, removeDir, tempDir, writeTree } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

const BUREAUCRACY = /\bbureaucracy\b/gi;
const EXTRA = 'The bureaucracy of the extra file.\n';

let corpus: string;
let indexDir: string;

interface Opened extends OpenedCorpus {
  phases: Set<IndexProgress['phase']>;
  notices: string[];
}

async function open(): Promise<Opened> {
  const phases = new Set<IndexProgress['phase']>();
  const notices: string[] = [];
  const o = await openCorpus([corpus], { indexDir, onProgress: (p) => phases.add(p.phase), onNotice: (m) => notices.push(m) });
  return { ...o, phases, notices };
}

/** What the corpus folder holds right now, counted from the files themselves. */
function expectedFromFiles(): { docs: number; bureaucracy: number } {
  const files = readdirSync(corpus).filter((f) => f.endsWith('.txt'));
  const bureaucracy = files.reduce((n, f) => n + regexSpans(readFileSync(join(corpus, f), 'utf8'), BUREAUCRACY).length, 0);
  return { docs: files.length, bureaucracy };
}

function expectCurrent(o: Opened) {
  const want = expectedFromFiles();
  expect(o.info.documents).toHaveLength(want.docs);
  expect(runQuery(o.index, 'bureaucracy').starts.length).toBe(want.bureaucracy);
}

function indexFile(): string {
  return savedIndexFile(indexDir);
}

/** Section table of a saved index, read from its documented layout (24-byte prefix, JSON header, sections). */
function sections(file: string): { base: number; headerLength: number; list: Array<{ name: string; offset: number; length: number }> } {
  const bytes = readFileSync(file);
  const padded = bytes.readUInt32LE(12);
  const headerLength = bytes.readUInt32LE(20);
  const header = JSON.parse(bytes.subarray(24, 24 + headerLength).toString('utf8')) as {
    sections: Array<{ name: string; offset: number; length: number }>;
  };
  return { base: 24 + padded, headerLength, list: header.sections };
}

function flipByte(file: string, at: number) {
  const bytes = readFileSync(file);
  bytes[at] = bytes[at]! ^ 0x5a;
  writeFileSync(file, bytes);
}

beforeAll(() => {
  corpus = tempDir('persist-corpus');
  indexDir = tempDir('persist-index');
  writeTree(corpus, { 'chapter.txt': CHAPTER_TEXT, 'extra.txt': EXTRA });
});

afterAll(() => {
  removeDir(corpus);
  removeDir(indexDir);
});

describe('reusing a saved index', () => {
  let first: Opened;

  it('the first open tokenises and saves', async () => {
    first = await open();
    expect(first.info.reused).toBe(false);
    expect(first.phases.has('tokenising')).toBe(true);
    expect(first.phases.has('saving')).toBe(true);
    expectCurrent(first);
    expect(statSync(indexFile()).size).toBeGreaterThan(0);
  });

  it('reopening an unchanged corpus reuses the index: no tokenising, same tokens and figures', async () => {
    const again = await open();
    expect(again.info.reused).toBe(true);
    expect(again.phases.has('tokenising')).toBe(false);
    expect(again.phases.has('reading')).toBe(false);
    expect({ ...again.info, reused: false }).toEqual(first.info);
    expect(Array.from(again.index.form, (id) => again.index.forms[id])).toEqual(
      Array.from(first.index.form, (id) => first.index.forms[id]),
    );
    expect(Array.from(again.index.start)).toEqual(Array.from(first.index.start));
    expect(again.index.docs.map((d) => d.text)).toEqual(first.index.docs.map((d) => d.text));
    expectCurrent(again);
  });

  it('a file touched but unchanged is recognised by its content: still reused', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(corpus, 'extra.txt'), later, later);
    const o = await open();
    expect(o.info.reused).toBe(true);
    expect(o.phases.has('tokenising')).toBe(false);
  });
});

describe('noticing changes', () => {
  it('a modified file (longer) re-indexes and the counts change', async () => {
    writeFileSync(join(corpus, 'extra.txt'), EXTRA + 'Bureaucracy, bureaucracy.\n');
    const o = await open();
    expect(o.info.reused).toBe(false);
    expect(o.phases.has('tokenising')).toBe(true);
    expectCurrent(o);
    expect(runQuery(o.index, 'bureaucracy').starts.length).toBe(36 + 3);
    expect((await open()).info.reused).toBe(true);
  });

  it('a modified file of the same size (a later edit) re-indexes too', async () => {
    const path = join(corpus, 'extra.txt');
    const before = readFileSync(path, 'utf8');
    const after = before.replace('extra file', 'xyzzy file');
    expect(after.length).toBe(before.length);
    writeFileSync(path, after);
    const later = new Date(Date.now() + 120_000);
    utimesSync(path, later, later);
    const o = await open();
    expect(o.info.reused).toBe(false);
    expect(runQuery(o.index, 'xyzzy').starts.length).toBe(1);
    expect(runQuery(o.index, 'extra').starts.length).toBe(0);
  });

  it('an added file re-indexes', async () => {
    writeFileSync(join(corpus, 'added.txt'), 'A new bureaucracy, added later.\n');
    const o = await open();
    expect(o.info.reused).toBe(false);
    expect(o.info.documents.map((d) => d.name)).toContain('added.txt');
    expectCurrent(o);
  });

  it('a removed file re-indexes', async () => {
    rmSync(join(corpus, 'added.txt'));
    rmSync(join(corpus, 'extra.txt'));
    const o = await open();
    expect(o.info.reused).toBe(false);
    expect(o.info.documents.map((d) => d.name)).toEqual(['chapter.txt']);
    expectCurrent(o);
    expect(runQuery(o.index, 'bureaucracy').starts.length).toBe(36);
  });
});

describe('a damaged or outdated index file is rebuilt', () => {
  const damage: Array<[string, (file: string) => void]> = [
    ['truncated to half', (f) => truncateSync(f, Math.floor(statSync(f).size / 2))],
    ['truncated inside the prefix', (f) => truncateSync(f, 10)],
    ['emptied', (f) => truncateSync(f, 0)],
    [
      'one byte flipped in the middle of the token column',
      (f) => {
        const s = sections(f);
        const form = s.list.find((x) => x.name === 'form.data')!;
        flipByte(f, s.base + form.offset + Math.floor(form.length / 2));
      },
    ],
    [
      'one byte flipped in the middle of the word postings',
      (f) => {
        const s = sections(f);
        const postings = s.list.find((x) => x.name === 'wordPostings.data')!;
        flipByte(f, s.base + postings.offset + Math.floor(postings.length / 2));
      },
    ],
    ['one byte flipped in the header', (f) => flipByte(f, 24 + Math.floor(sections(f).headerLength / 2))],
    [
      'another format version',
      (f) => {
        const bytes = readFileSync(f);
        bytes.writeUInt32LE(FORMAT_VERSION + 1, 8);
        writeFileSync(f, bytes);
      },
    ],
    ['garbage of the same size', (f) => writeFileSync(f, pseudoRandomBytes(statSync(f).size, 11))],
    [
      'garbage that starts with the magic bytes',
      (f) => writeFileSync(f, Buffer.concat([Buffer.from('LOUPEIDX'), Buffer.from(pseudoRandomBytes(5000, 12))])),
    ],
  ];

  it.each(damage)('%s: reopen rebuilds with correct counts, then reuses again', async (_what, harm) => {
    expect((await open()).info.reused).toBe(true);
    harm(indexFile());
    const rebuilt = await open();
    expect(rebuilt.info.reused).toBe(false);
    expect(rebuilt.rebuiltBecause).toMatch(/damaged|version/);
    expect(rebuilt.notices.join(' ')).toMatch(/Re-indexing/);
    expectCurrent(rebuilt);
    expect(runQuery(rebuilt.index, "workers' councils").starts.length).toBe(regexSpans(CHAPTER_TEXT, /\bworkers['’] councils\b/gi).length);
    const next = await open();
    expect(next.info.reused).toBe(true);
    expectCurrent(next);
  });
});

describe('saveIndex and loadIndex', () => {
  it('round-trip every column and document', async () => {
    const dir = tempDir('persist-roundtrip');
    try {
      const docs = [
        { name: 'a.txt', path: '/a.txt', text: CHAPTER_TEXT.slice(0, 5000), title: 'A' },
        { name: 'b.txt', path: '/b.txt', text: 'Short “quoted” text.', warnings: ['b.txt: a warning'], encoding: 'windows-1252' },
      ];
      const index = buildIndexSync(docs);
      const manifest = { inputs: ['/x'], files: [], skipped: [{ name: 'c.bin', reason: 'binary' }], fingerprint: 'f' };
      const file = join(dir, 'index.loupe');
      await saveIndex(file, index, manifest);
      const loaded = await loadIndex(file);
      expect(loaded.manifest).toEqual(manifest);
      for (const col of ['form', 'lemma', 'pos', 'kind', 'start', 'end', 'flags', 'docStart'] as const)
        expect(Array.from(loaded.index[col]), col).toEqual(Array.from(index[col]));
      expect(loaded.index.forms).toEqual(index.forms);
      expect(loaded.index.lemmas).toEqual(index.lemmas);
      expect(loaded.index.docs).toEqual(index.docs);
    } finally {
      removeDir(dir);
    }
  });

  it('plain-text documents are read back from their files, not stored twice; other texts are stored', async () => {
    const dir = tempDir('persist-sources');
    try {
      writeTree(dir, { 'plain.txt': CHAPTER_TEXT.slice(0, 4000), 'page.html': '<p>Kept <b>in</b> the index.</p>' });
      const built = await openCorpus([dir], { indexDir: join(dir, '.cache'), inThreadBelow: 50_000_000 });
      const [rel] = readdirSync(join(dir, '.cache'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.loupe'));
      const file = join(dir, '.cache', rel!);
      const s = sections(file);
      const texts = s.list.find((x) => x.name === 'texts')!;
      // Only the HTML document's visible text is in the index.
      expect(texts.length).toBe(Buffer.byteLength(built.index.docs.find((d) => d.name === 'page.html')!.text, 'utf8'));
      for (const lazyAbove of [0, undefined]) {
        const { index } = await loadIndex(file, lazyAbove === undefined ? {} : { lazyAbove });
        expect(index.docs.map((d) => d.text)).toEqual(built.index.docs.map((d) => d.text));
      }
      // The file edited behind the index's back (same size, same time): the hash says it changed.
      const plain = join(dir, 'plain.txt');
      const st = statSync(plain);
      writeFileSync(plain, CHAPTER_TEXT.slice(0, 4000).replace('bureaucracy', 'BUREAUCRACY'));
      utimesSync(plain, st.atime, st.mtime);
      await expect(loadIndex(file)).rejects.toThrow(/has changed since it was indexed/);
      const lazy = (await loadIndex(file, { lazyAbove: 0 })).index;
      expect(() => lazy.docs.find((d) => d.name === 'plain.txt')!.text).toThrow(/has changed since it was indexed/);
      // Opening the corpus notices too (the eager load fails) and re-indexes what the file says now.
      const again = await openCorpus([dir], { indexDir: join(dir, '.cache'), inThreadBelow: 50_000_000 });
      expect(again.info.reused).toBe(false);
      expect(runQuery(again.index, 'form:BUREAUCRACY').starts.length).toBe(1);
    } finally {
      removeDir(dir);
    }
  });
});
