/**
 * Merging on two threads (app/indexing/concat.ts) gives the same index as merging on one: every column,
 * string table and document range, for a corpus built from the chapter and Brown texts on the
 * tokenising workers, and for batches sliced out of an existing index (views into its columns, which
 * must be copied, not handed over).
 */
import { describe, expect, it } from 'vitest';
import { mergeBatches, mergeBatchesAsync } from '../../app/indexing/build.js';
import { sliceBatch } from '../../app/indexing/incremental.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { tokenise } from '../../app/text/tokenise.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT } from '../support/corpus.js';

const docs = [
  { name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT },
  ...brownTexts(8).map((t, i) => ({ name: `brown-${i}.txt`, path: `/brown/${i}.txt`, text: t.text })),
  { name: 'empty.txt', path: '/empty.txt', text: '' },
];

const NUMBER_COLUMNS = ['formToWord', 'docStart', 'form', 'lemma', 'pos', 'kind', 'start', 'end', 'flags'] as const;

/** Where two indexes first differ (a short message, not a diff of a million numbers), or 'same'. */
function firstDifference(a: CorpusIndex, b: CorpusIndex): string {
  for (const k of ['forms', 'lemmas', 'words'] as const) {
    if (a[k].length !== b[k].length) return `${k}: ${a[k].length} vs ${b[k].length} entries`;
    const i = a[k].findIndex((s, j) => s !== b[k][j]);
    if (i >= 0) return `${k}[${i}]: ${a[k][i]} vs ${b[k][i]}`;
  }
  for (const k of NUMBER_COLUMNS) {
    const x = a[k];
    const y = b[k];
    if (x.length !== y.length) return `${k}: ${x.length} vs ${y.length} values`;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${k}[${i}]: ${x[i]} vs ${y[i]}`;
  }
  return a.countedTotal === b.countedTotal ? 'same' : `countedTotal: ${a.countedTotal} vs ${b.countedTotal}`;
}

describe('merging with a helper thread', () => {
  it('gives the same index as merging on one thread', async () => {
    const one = mergeBatches(
      docs,
      docs.map((d) => tokenise(d.text)),
    );
    const two = await mergeBatchesAsync(
      docs,
      docs.map((d) => tokenise(d.text)),
      0,
    );
    expect(two.tokenCount).toBeGreaterThan(10_000);
    expect(firstDifference(one, two)).toBe('same');
  });

  it('copies batches that are views into another index, leaving that index intact', async () => {
    const one = mergeBatches(
      docs,
      docs.map((d) => tokenise(d.text)),
    );
    const copy = mergeBatches(
      docs,
      docs.map((d) => tokenise(d.text)),
    );
    const two = await mergeBatchesAsync(
      docs,
      docs.map((_, d) => sliceBatch(one, d)),
      0,
    );
    expect(firstDifference(one, copy)).toBe('same');
    expect(firstDifference(two, copy)).toBe('same');
  });

  it('fails with the merge error, not a hang, when a batch cannot be merged', async () => {
    const batches = docs.map((d) => tokenise(d.text));
    // A batch whose string table is missing: interning it throws part way through the merge.
    (batches[3] as { forms: unknown }).forms = undefined;
    await expect(mergeBatchesAsync(docs, batches, 0)).rejects.toThrow(TypeError);
  });
});
