/**
 * Near misses on the bundled chapter: close queries offered for a query with no hits, each checked
 * here against the raw text (a regular expression), never against the engine alone; and the same
 * answers from the chapter's saved index opened lazily, without loading its vocabulary whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { openCorpus } from '../../app/indexing/open.js';
import { loadIndex } from '../../app/index/persist.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { nearMisses } from '../../app/query/near-misses.js';
import { editDistance } from '../../app/text/edit-distance.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, regexSpans, removeDir, tempDir } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

const index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);

/** Occurrences in the raw text, as whole words; straight and typographic apostrophes alike. */
function inText(phrase: string, caseSensitive: boolean): number {
  const body = phrase
    .split(/('|\s+)/)
    .filter((p) => p !== '' && !/^\s+$/.test(p))
    .map((p) => (p === "'" ? "['\u2019]" : p.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')))
    .join('\\s*');
  return regexSpans(CHAPTER_TEXT, new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu')).length;
}

describe('near misses on the chapter', () => {
  it('workers councils: the possessive apostrophe the corpus writes', () => {
    expect(runQuery(index, 'workers councils').starts.length).toBe(0);
    const near = nearMisses(index, 'workers councils', false);
    expect(near[0]).toBe("workers' councils");
    expect(inText(near[0]!, false)).toBeGreaterThan(0);
  });

  it('a misspelt word: close words by edit distance, the frequent first', () => {
    expect(inText('bureacracy', false)).toBe(0);
    const near = nearMisses(index, 'bureacracy', false);
    expect(near[0]).toBe('bureaucracy');
    // Two slips away, and the case the reader typed is kept.
    expect(nearMisses(index, 'Stalinits', false)).toContain('Stalinist');
    expect(nearMisses(index, 'buraecracy', false)).toContain('bureaucracy');
  });

  it('a misspelt word inside a phrase', () => {
    expect(inText('the Stalinist bureaucracy', false)).toBeGreaterThan(0);
    expect(nearMisses(index, 'the Stalinist bureacracy', false)[0]).toBe('the Stalinist bureaucracy');
    // Two words misspelt.
    expect(nearMisses(index, 'the Stalinst bureacracy', false)[0]).toBe('the Stalinist bureaucracy');
  });

  it('with case on, a word that only exists in another case is offered as the corpus writes it', () => {
    expect(inText('russia', true)).toBe(0);
    // As written first; close words (`Russian`) after it.
    expect(nearMisses(index, 'russia', true)[0]).toBe('Russia');
    const councils = nearMisses(index, 'workers councils', true);
    expect(councils.length).toBeGreaterThan(0);
    for (const c of councils) expect(inText(c, true), c).toBeGreaterThan(0);
    expect(councils).toContain("workers' councils");
    expect(councils).toContain("Workers' Councils");
  });

  it('everything offered has hits, with the same case setting', () => {
    for (const [query, cs] of [
      ['workers councils', false],
      ['bureacracy', false],
      ['Bureacracy', true],
      ['stalinist', true],
      ['revolutoin', false],
      ['the bureacracy of', false],
    ] as const) {
      const near = nearMisses(index, query, cs, 10);
      expect(near.length, query).toBeGreaterThan(0);
      expect(near.length).toBeLessThanOrEqual(10);
      expect(new Set(near).size).toBe(near.length);
      for (const q of near) expect(runQuery(index, q, { caseSensitive: cs }).starts.length, `${query} -> ${q}`).toBeGreaterThan(0);
    }
  });

  it('nothing for queries that have hits, that are not plain words, or that are far from every word', () => {
    expect(nearMisses(index, 'bureaucracy', false)).toEqual([]);
    expect(nearMisses(index, '[lemma="bureacracy"]', false)).toEqual([]);
    expect(nearMisses(index, 'bureacr*', false)).toEqual([]);
    expect(nearMisses(index, '/bureacracy/', false)).toEqual([]);
    expect(nearMisses(index, 'lemma:bureacracy', false)).toEqual([]);
    expect(nearMisses(index, 'qqqqqqqqqq', false)).toEqual([]);
    expect(nearMisses(index, '', false)).toEqual([]);
    expect(nearMisses(index, 'bureacracy', false, 0)).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('bureacracy', 'bureaucracy')).toBe(1);
    expect(editDistance('yeer', 'year')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Ωμέγα', 'Ωμεγα')).toBe(1);
    // Bounded: anything beyond the bound is reported as bound + 1.
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
  });
});

describe('on a lazily opened index', () => {
  let corpus: string;
  let cache: string;
  let lazy: CorpusIndex;

  beforeAll(async () => {
    corpus = tempDir('near-lazy');
    cache = tempDir('near-lazy-cache');
    writeFileSync(join(corpus, CHAPTER_NAME), CHAPTER_TEXT);
    await openCorpus([corpus], { indexDir: cache, inThreadBelow: 50_000_000 });
    lazy = (await loadIndex(savedIndexFile(cache), { lazyAbove: 0 })).index;
    expect(lazy.lazy).toBe(true);
  }, 60_000);
  afterAll(() => {
    removeDir(corpus);
    removeDir(cache);
  });

  it('answers as the index read whole, reading the vocabulary by prefix only', () => {
    for (const q of ['workers councils', 'bureacracy', 'the Stalinst bureacracy', 'russia'])
      expect(nearMisses(lazy, q, false), q).toEqual(nearMisses(index, q, false));
    const fields = lazy as unknown as Record<string, unknown>;
    expect(fields._words).toBeUndefined();
    expect(fields._wordsHeld).toBeUndefined();
  });
});
