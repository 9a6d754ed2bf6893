/**
 * The word list of a lazily opened index comes from the counts saved with it (each word's counted
 * tokens and the documents they are in), not from its columns: the same list, in every order, as the
 * index loaded whole computes from its columns, with no whole column read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countedFrequencies, countedRange } from '../../app/stats/counts.js';
import { frequencyList } from '../../app/stats/frequency.js';
import { compareCodePoints } from '../../app/index/sorted-strings.js';
import { columnsRead, savedCorpus, type SavedCorpus } from '../support/saved-index.js';

let saved: SavedCorpus;

beforeAll(async () => {
  // A text whose words are punctuation in one place and a word in another, and one in few documents.
  saved = await savedCorpus('saved-word-counts', 12, {
    'mixed.txt': 'Yes -- no -- maybe. The rest: yes, no.\n',
    // Forms beyond the basic plane and near its top, where UTF-16 order is not code-point order.
    'astral.txt': 'The \u{1D49C}lpha and the \uFF21lpha came, and \u{1D49C}lpha again.\n',
  });
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

  it('by exact form, lemma and tag likewise, with the forms and lemmas in the order their saved tables keep', async () => {
    const lazy = await saved.lazily();
    for (const by of ['form', 'lemma', 'pos'] as const) {
      expect(Array.from(countedFrequencies(lazy, by)), by).toEqual(Array.from(countedFrequencies(saved.whole, by)));
      expect(Array.from(countedRange(lazy, by)), by).toEqual(Array.from(countedRange(saved.whole, by)));
      for (const sort of ['freq', 'term', 'range', 'rank'] as const) {
        const want = frequencyList(saved.whole, { by, sort, limit: 0 });
        const got = frequencyList(lazy, { by, sort, limit: 0 });
        expect(got.rows.length, `${by} ${sort}`).toBeGreaterThan(by === 'pos' ? 10 : 1000);
        expect(got, `${by} ${sort}`).toEqual(want);
      }
    }
    expect(columnsRead(lazy)).toEqual([]);
    // Term order is code-point order: a character beyond the basic plane sorts after one near its top.
    const terms = frequencyList(saved.whole, { by: 'form', sort: 'term', limit: 0 }).rows.map((r) => r.term);
    for (let k = 1; k < terms.length; k++) expect(compareCodePoints(terms[k - 1]!, terms[k]!)).toBeLessThan(0);
  });
});
