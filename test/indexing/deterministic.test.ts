/**
 * The same files give the same saved index, byte for byte, however the work was spread: tokenised on
 * this thread or on the worker pool, with documents finishing in whatever order the threads manage,
 * whether documents are read whole or streamed in parts. An index that cannot be rebuilt exactly cannot be cited.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCorpus, type OpenOptions } from '../../app/indexing/open.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_NAME, CHAPTER_TEXT } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

const root = mkdtempSync(join(tmpdir(), 'loupe-deterministic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Documents of very different sizes, so that on two threads they finish out of order.
const corpusDir = join(root, 'corpus');
const brown = brownTexts(30);
{
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, CHAPTER_NAME), CHAPTER_TEXT);
  brown.forEach((t, i) => writeFileSync(join(corpusDir, `brown-${String(i).padStart(2, '0')}.txt`), t.text));
  // One long document made of many Brown texts, larger than the streaming threshold below.
  writeFileSync(join(corpusDir, 'long.txt'), brown.map((t) => t.text).join('\n\n'));
}

/** Builds the corpus into a fresh cache folder and returns the saved index file's bytes. */
async function build(name: string, opts: OpenOptions): Promise<Buffer> {
  const indexDir = join(root, name);
  const opened = await openCorpus([corpusDir], { indexDir, ...opts });
  expect(opened.tokenised).toBeGreaterThanOrEqual(brown.length + 2);
  expect(opened.notSaved).toBeUndefined();
  return readFileSync(savedIndexFile(indexDir));
}

function firstDifferingByte(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('deterministic builds', () => {
  it('gives byte-identical indexes on one thread and on the worker pool, whole or in parts', async () => {
    const inThread = await build('in-thread', { inThreadBelow: Number.POSITIVE_INFINITY });
    const workers = await build('workers', { inThreadBelow: 0 });
    const workersAgain = await build('workers-again', { inThreadBelow: 0 });
    const parts = { streamAbove: 200_000, partChars: 150_000 };
    const streamedInThread = await build('streamed-in-thread', { inThreadBelow: Number.POSITIVE_INFINITY, read: parts });
    const streamedWorkers = await build('streamed-workers', { inThreadBelow: 0, read: parts });
    expect(inThread.length).toBeGreaterThan(1_000_000);
    expect(firstDifferingByte(inThread, workers)).toBe(-1);
    expect(firstDifferingByte(workers, workersAgain)).toBe(-1);
    expect(firstDifferingByte(streamedInThread, streamedWorkers)).toBe(-1);
  }, 300_000);
});
