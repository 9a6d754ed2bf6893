/**
 * Files too large to hold as bytes and text at once are decoded as a stream, with progress and
 * cancellation; a text too long for one JavaScript string becomes several documents, `name#part1`,
 * `#part2`, ... cut between words. The thresholds are options so most of this runs on a few MB;
 * one test reads a real 70 MB file at the default threshold.
 */
import { createHash } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SkippedFile } from '../../app/contract/types.js';
import { documentsOf, isDocument, readDocument, type ReadDocument, type ReadOptions, type SourceFile } from '../../app/corpus/read.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_TEXT, open, removeDir, tempDir, thrown } from './support.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('large');
});
afterAll(() => removeDir(dir));

function fileOf(name: string, bytes: Uint8Array): SourceFile {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const st = statSync(path);
  return { path, name, size: st.size, mtimeMs: st.mtimeMs };
}

function asDoc(d: ReadDocument | SkippedFile): ReadDocument {
  if (!isDocument(d)) throw new Error(`skipped: ${d.reason}`);
  return d;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** The chapter repeated to at least `chars` characters (curly quotes and dashes: multi-byte in UTF-8). */
const repeated = (chars: number) => CHAPTER_TEXT.repeat(Math.ceil(chars / CHAPTER_TEXT.length));
const STREAM: ReadOptions = { streamAbove: 64 * 1024 };

describe('streamed decoding', () => {
  it('a 3 MB UTF-8 file decodes exactly, multi-byte characters across chunk edges included, with byte progress', async () => {
    const text = repeated(3_000_000);
    const bytes = Buffer.from(text, 'utf8');
    const seen: number[] = [];
    const d = asDoc(
      await readDocument(fileOf('big.txt', bytes), {
        ...STREAM,
        onBytes: (_f, read, total) => (expect(total).toBe(bytes.length), seen.push(read)),
      }),
    );
    expect(d.text).toBe(text);
    expect(d.hash).toBe(sha256(bytes));
    expect(d.encoding).toBe('utf-8');
    expect(d.warnings).toEqual([]);
    expect(d.parts).toBeUndefined();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it.each([
    ['UTF-16LE with BOM', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), /utf-16le/, false],
    ['UTF-16LE without BOM', (t: string) => Buffer.from(t, 'utf16le'), /utf-16le/, true],
    ['UTF-8 with BOM', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]), /utf-8/, false],
  ])('%s streams to the same text', async (label, encode, encoding, warned) => {
    const text = repeated(1_500_000);
    const d = asDoc(await readDocument(fileOf(`${label}.txt`, encode(text)), STREAM));
    expect(d.text).toBe(text);
    expect(d.encoding).toMatch(encoding);
    expect(d.warnings.length > 0).toBe(warned);
  });

  it('a large windows-1252 file falls back with a warning; a large UTF-8 file with a stray byte is repaired', async () => {
    const latin = repeated(1_500_000).replace(/[^\x00-\xff]/g, '-') + ' café';
    const w = asDoc(await readDocument(fileOf('latin.txt', Buffer.from(latin, 'latin1')), STREAM));
    expect(w.encoding).toBe('windows-1252');
    expect(w.text).toBe(latin);
    expect(w.warnings.join(' ')).toMatch(/windows-1252/);

    const text = repeated(1_500_000);
    const bytes = Buffer.concat([Buffer.from(text.slice(0, 1_000_000)), Buffer.from([0xff]), Buffer.from(text.slice(1_000_000))]);
    const r = asDoc(await readDocument(fileOf('stray.txt', bytes), STREAM));
    expect(r.encoding).toMatch(/utf-8/);
    expect(r.text).toBe(text.slice(0, 1_000_000) + '\ufffd' + text.slice(1_000_000));
    expect(r.warnings.join(' ')).toMatch(/1 invalid byte sequence/);
  });

  it('a large binary file is skipped with a reason', async () => {
    const bytes = Buffer.alloc(200_000, 7);
    bytes[5000] = 0;
    const d = await readDocument(fileOf('blob.txt', bytes), STREAM);
    expect(isDocument(d)).toBe(false);
    expect((d as SkippedFile).reason).toMatch(/binary/);
  });

  it('a text longer than a document may hold is split into #part1..n, cut between words, that join back to the text', async () => {
    const text = repeated(2_000_000);
    const d = asDoc(await readDocument(fileOf('huge.txt', Buffer.from(text)), { ...STREAM, partChars: 300_000 }));
    const docs = documentsOf(d);
    // Cutting at a word before the limit can cost at most one extra part.
    expect(docs.length).toBeGreaterThanOrEqual(Math.ceil(text.length / 300_000));
    expect(docs.length).toBeLessThanOrEqual(Math.ceil(text.length / 300_000) + 1);
    expect(docs.map((p) => p.name)).toEqual(docs.map((_, i) => `huge.txt#part${i + 1}`));
    expect(docs.map((p) => p.text).join('')).toBe(text);
    for (const p of docs) expect(p.text.length).toBeLessThanOrEqual(300_000);
    for (const p of docs.slice(0, -1)) expect(p.text).toMatch(/[\n ]$/);
    expect(d.warnings.join(' ')).toMatch(/split into \d+ parts/);
    expect(new Set(docs.map((p) => p.hash))).toEqual(new Set([sha256(Buffer.from(text))]));
  });

  it('one enormous line (no line ends at all) is cut at spaces', async () => {
    const text = repeated(1_000_000).replace(/[\r\n]+/g, ' ');
    const docs = documentsOf(asDoc(await readDocument(fileOf('one-line.txt', Buffer.from(text)), { ...STREAM, partChars: 250_000 })));
    expect(docs.length).toBeGreaterThanOrEqual(4);
    expect(docs.map((p) => p.text).join('')).toBe(text);
    for (const p of docs.slice(0, -1)) expect(p.text.endsWith(' ')).toBe(true);
  });

  it('reading is cancellable mid-file with an AbortSignal: E_CANCELLED, not a skipped file', async () => {
    const abort = new AbortController();
    let chunks = 0;
    const e = await thrown(
      readDocument(fileOf('cancel.txt', Buffer.from(repeated(4_000_000))), {
        ...STREAM,
        signal: abort.signal,
        onBytes: () => {
          if (++chunks === 1) abort.abort();
        },
      }),
    );
    expect(e.code).toBe('E_CANCELLED');
    expect(chunks).toBe(1);
  });

  it('the 70 MB file at the default threshold: streamed (progress per MiB), exact text and hash', async () => {
    const text = repeated((70 * 1024 * 1024) / 1.02);
    const bytes = Buffer.from(text);
    expect(bytes.length).toBeGreaterThan(64 * 1024 * 1024);
    let events = 0;
    const d = asDoc(await readDocument(fileOf('seventy.txt', bytes), { onBytes: () => events++ }));
    expect(events).toBeGreaterThanOrEqual(64);
    expect(d.text.length).toBe(text.length);
    expect(d.text === text).toBe(true);
    expect(d.hash).toBe(sha256(bytes));
  }, 60_000);
});

describe('a corpus with a file split into parts', () => {
  it('opens with one document per part, the same hits as the whole text, and progress in MiB', async () => {
    const text = repeated(600_000);
    const bytes = Buffer.from(text);
    const folder = join(dir, 'corpus');
    const cache = tempDir('large-cache');
    try {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'long.txt'), bytes);
      const phases: string[] = [];
      const opened = await open([folder], cache, {
        read: { streamAbove: 64 * 1024, partChars: 250_000 },
        onProgress: (p) => phases.push(`${p.phase}:${p.file ?? ''}`),
      });
      const names = opened.info.documents.map((d) => d.name);
      expect(names).toEqual(['long.txt#part1', 'long.txt#part2', 'long.txt#part3']);
      expect(phases).toContain('reading:long.txt (MiB)');
      // Cut between words, so every word is found as often as in the text tokenised whole.
      const whole = buildIndexSync([{ name: 'long.txt', path: join(folder, 'long.txt'), text }]);
      for (const q of ['bureaucracy', 'workers', 'the'])
        expect(runQuery(opened.index, q).starts.length).toBe(runQuery(whole, q).starts.length);
      // And the parts are remembered: the second open reuses the saved index.
      const again = await open([folder], cache, { read: { streamAbove: 64 * 1024, partChars: 250_000 } });
      expect(again.info.reused).toBe(true);
      expect(again.info.documents.map((d) => d.name)).toEqual(names);
    } finally {
      removeDir(cache);
    }
  }, 60_000);
});
