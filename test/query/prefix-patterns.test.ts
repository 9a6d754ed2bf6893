/**
 * Wildcards and regexes with a literal start or end, on an index read from its saved file, test only
 * the strings of one range of the sorted table (or of the words spelled backwards): the same hits as a scan of every string, without reading
 * the vocabulary whole. On the chapter with Brown texts, and on a text with the long s, which a
 * case-insensitive `s` matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusIndex } from '../../app/index/store.js';
import { runQuery } from '../../app/query/run.js';
import { resolveTerms } from '../../app/query/terms.js';
import { savedCorpus, type SavedCorpus } from '../support/saved-index.js';

const LONG_S = 'The ſtate of the States, as the ſtatute ſays, is a State in name only. Interest and INTERESTS, ſo to ſpeak.\n';

let saved: SavedCorpus;
let whole: CorpusIndex;

beforeAll(async () => {
  saved = await savedCorpus('prefix-patterns', 20, { 'long-s.txt': LONG_S });
  ({ whole } = saved);
}, 120_000);
afterAll(() => saved.remove());

const PATTERNS: Array<[string, boolean]> = [
  ['inter*', false],
  ['state*', false],
  ['ſtat*', false],
  ['st?te', false],
  ['bureaucra*', false],
  ['/Inter.*/', false],
  ['/stat(e|ute)s?/', false],
  ['/sa[yi].*/', false],
  ['Stat*', true],
  ['ſtat*', true],
  ['INTER*', true],
  ['[word="work.*"]', false],
  ['[form="The.*"]', true],
  ['/xqz.*/', false],
  ['*ness', false],
  ['/.*ness/', false],
  ['/.*NESS/', false],
  ['*ates', false],
  ['*ſs', false],
  ['*tute', false],
  ['/.*(ion|ions)/', false],
  ['*ing', true],
  ['[word=".*cy" & !pos="NOUN"]', false],
  // Hundreds of words each: located together, by one run of ranks (a start) or scattered (an end).
  ['s*', false],
  ['c*', false],
  ['*s', false],
  ['/.*ed/', false],
  ['[word="a.*" & !pos="DET"]', false],
];

describe('patterns with a literal start, read by range from the saved tables', () => {
  it('give the hits a scan of every string gives', async () => {
    const lazy = await saved.lazily();
    expect(lazy.lazy).toBe(true);
    // The long s is in the corpus: a literal's `s` is looked up as s and as ſ.
    expect(lazy.mayHoldLongS()).toBe(true);
    expect(whole.mayHoldLongS()).toBe(true);
    for (const [q, caseSensitive] of PATTERNS) {
      const want = runQuery(whole, q, { caseSensitive });
      const got = runQuery(lazy, q, { caseSensitive });
      expect(Array.from(got.starts), q).toEqual(Array.from(want.starts));
    }
    // The long s: `state*` reaches ſtate, ſtatute and the States alike.
    const states = runQuery(whole, 'state*').starts.length;
    expect(states).toBeGreaterThanOrEqual(5);
    expect(runQuery(lazy, 'state*').starts.length).toBe(states);
  });

  it('read neither the vocabulary nor the forms whole when the start or end is ASCII', async () => {
    const lazy = await saved.lazily();
    // A case-sensitive pattern with no literal start scans the exact forms; an alternation at the end
    // has no literal end.
    const scans = new Set(['*ing', '/.*(ion|ions)/']);
    for (const [q, caseSensitive] of PATTERNS) if (!q.includes('ſ') && !scans.has(q)) runQuery(lazy, q, { caseSensitive });
    const fields = lazy as unknown as Record<string, unknown>;
    expect(['_words', '_wordsHeld', '_forms'].filter((f) => fields[f] !== undefined)).toEqual([]);
    // The words of a start are neighbours in the saved order: their tables are read as one run, not whole.
    const fresh = await saved.lazily();
    const src = (fresh as unknown as { src: { small: Map<string, unknown> } }).src;
    expect(runQuery(fresh, 'c*').starts.length).toBeGreaterThan(1000);
    expect(['wordRank', 'wordPostingsOffsets', 'wordPostings.terms'].filter((t) => src.small.has(t))).toEqual([]);
    // Every word of the range matches, so which ids they are is never read: only the range's two ends.
    const sections = (fresh as unknown as { src: { sections: { readRange: (name: string, ...rest: number[]) => unknown } } }).src.sections;
    const readRange = sections.readRange.bind(sections);
    const read: string[] = [];
    sections.readRange = (name, ...rest) => (read.push(name), readRange(name, ...rest));
    expect(runQuery(fresh, 'con*').starts.length).toBeGreaterThan(100);
    expect(runQuery(fresh, '/.*tion/').starts.length).toBeGreaterThan(100);
    expect(read.filter((name) => name === 'wordOrder' || name === 'wordsReversedOrder')).toEqual([]);
    expect(resolveTerms(fresh, 'word', { kind: 'wildcard', pattern: 'con*' }, true, 0).ids.length).toBeGreaterThan(10);
    expect(read).toContain('wordOrder');
    // Their count comes from the range's two ends of the counts table: the sum of the words' counts.
    const terms = resolveTerms(fresh, 'word', { kind: 'wildcard', pattern: 'c*' }, true, 0);
    expect(terms.total?.()).toBe(terms.ids.reduce((n, id) => n + whole.wordFrequency(id), 0));
    // The same for the words of a literal end, located by their rank spelled backwards.
    const ending = resolveTerms(fresh, 'word', { kind: 'wildcard', pattern: '*s' }, true, 0);
    expect(ending.ids.length).toBeGreaterThan(128);
    expect(ending.total?.()).toBe(ending.ids.reduce((n, id) => n + whole.wordFrequency(id), 0));
    expect(Array.from(ending.union!())).toEqual(Array.from(runQuery(whole, '*s').starts));
    expect(src.small.has('wordRank')).toBe(false);
    // Neither a start nor an end, or a start beyond ASCII under case folding: a scan of every word.
    runQuery(lazy, 'ſtat*');
    expect(fields._wordsHeld).toBeDefined();
  });

  it('locate no postings for the words of an ending with one or two tokens: the tables hold their positions', async () => {
    const fresh = await saved.lazily();
    type Entries = { count: Uint32Array; held: Uint32Array };
    const src = (fresh as unknown as { src: Record<string, (...args: unknown[]) => unknown> }).src;
    for (const ending of ['ness', 'tion', 'ly']) {
      const words = resolveTerms(whole, 'word', { kind: 'wildcard', pattern: `*${ending}` }, true, 0).ids;
      const sizes = words.map((id) => whole.wordPositions(id).length);
      const rare = sizes.filter((n) => n <= 2);
      // Each ending has words of both kinds, so the test tells reading every word from reading the frequent ones.
      expect(rare.length, ending).toBeGreaterThan(0);
      expect(words.length - rare.length, ending).toBeGreaterThan(0);
      const range = src.stringsWithPrefix!('wordsReversed', [...ending].reverse().join('')) as { firstRank: number; count: number };
      expect(range.count, ending).toBe(words.length);
      const entries = src.entriesOfRanks!('wordsReversed', [[range.firstRank, range.firstRank + range.count]]) as Entries;
      expect(entries.count.length, ending).toBe(words.length - rare.length);
      expect(entries.held.length, ending).toBe(rare.reduce((n, c) => n + c, 0));
      expect(Array.from(runQuery(fresh, `/.*${ending}/`).starts), ending).toEqual(Array.from(runQuery(whole, `/.*${ending}/`).starts));
    }
  });
});
