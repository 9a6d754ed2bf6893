/**
 * The word list of a lazily opened index comes from the counts saved with it (each word's counted
 * tokens and the documents they are in), not from its columns: the same list, in every order, as the
 * index loaded whole computes from its columns, with no whole column read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countedFrequencies, countedRange } from '../../app/stats/counts.js';
import { frequencyList } from '../../app/stats/frequency.js';
import { columnsRead, savedCorpus, type SavedCorpus } from '../support/saved-index.js';

let saved: SavedCorpus;

beforeAll(async () => {
  // A text whose words are punctuation in one place and a word in another, and one in few documents.
  saved = await savedCorpus('saved-word-counts', 12, { 'mixed.txt': 'Yes -- no -- maybe. The rest: yes, no.\n' });
}, 60_000);
afterAll(() => saved.remove());

describe('the word list of a lazily opened index', () => {
  it('equals the list computed from the columns, in every order, and reads no column', async () => {
    const lazy = await saved.lazily();
    expect(Array.from(countedFrequencies(lazy, 'word'))).toEqual(Array.from(countedFrequencies(saved.whole, 'word')));
    expect(Array.from(countedRange(lazy, 'word'))).toEqual(Array.from(countedRange(saved.whole, 'word')));
    for (const sort of ['freq', 'term', 'range', 'rank'] as const) {
      const want = frequencyList(saved.whole, { sort, limit: 0 });
      const got = frequencyList(lazy, { sort, limit: 0 });
      expect(got.rows.length, sort).toBeGreaterThan(1000);
      expect(got, sort).toEqual(want);
    }
    expect(columnsRead(lazy)).toEqual([]);
  });
});
