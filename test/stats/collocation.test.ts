/**
 * Collocations against a reference written from docs/statistics.md, token row by token row: windows
 * walked one position at a time, sets and maps, every measure from its formula.
 */
import { describe, expect, it } from 'vitest';
import { collocations, collocationsOfHits } from '../../app/stats/collocation.js';
import { runQuery } from '../../app/query/run.js';
import type { CorpusIndex } from '../../app/index/store.js';
import type { CollocRow } from '../../app/contract/stats.js';
import { LoupeFailure } from '../../app/contract/errors.js';
import { brownIndex, chapterIndex, close, refHits, rowsOf, type Row } from './support.js';
import { referenceCollocations } from './reference-colloc.js';
import { bundledStopwords } from '../../app/stats/stoplist.js';

const MEASURES = ['mi', 'mi3', 't', 'z', 'll', 'logDice', 'dice', 'deltaP'] as const;

function expectMatches(index: CorpusIndex, rows: Row[], query: string, seq: string[], span: [number, number], by: 'word' | 'lemma') {
  const hits = runQuery(index, query);
  const ref = refHits(rows, seq);
  // The engine's query and the literal sequence must agree, or the comparison below means nothing.
  expect(Array.from(hits.starts)).toEqual(ref.map((h) => h.start));
  expect(Array.from(hits.ends)).toEqual(ref.map((h) => h.end));
  const got = collocations(index, { query, span, by, minObserved: 1, limit: 0 });
  const want = referenceCollocations(rows, ref, span[0], span[1], by);
  expect(got.hits).toBe(ref.length);
  expect(got.windowTokens).toBe(want.R1);
  expect(got.corpusTokens).toBe(want.N);
  expect(got.truncated).toBe(false);
  expect(got.rows.length).toBe(want.table.size);
  let checked = 0;
  for (const row of got.rows) {
    const w = want.table.get(row.term);
    expect(w, row.term).toBeDefined();
    expect([row.term, row.observed, row.termFreq]).toEqual([w!.term, w!.O, w!.C]);
    expect(close(row.expected, w!.E), `${row.term} E`).toBe(true);
    for (const m of MEASURES) {
      if (!close(row[m], w![m])) throw new Error(`${query} ${span} ${by}: ${row.term} ${m} = ${row[m]}, reference ${w![m]}`);
      checked++;
    }
  }
  return { got, checked };
}

describe('collocations match the reference on the bundled chapter', () => {
  const index = chapterIndex();
  const rows = rowsOf(index);
  const cases: Array<[string, string[], [number, number], 'word' | 'lemma']> = [
    ['bureaucracy', ['bureaucracy'], [5, 5], 'word'],
    ["workers' councils", ['workers', "'", 'councils'], [5, 5], 'word'],
    ['the', ['the'], [5, 5], 'word'],
    ['of', ['of'], [3, 0], 'word'],
    ['soviet', ['soviet'], [0, 4], 'lemma'],
    ['bureaucracy', ['bureaucracy'], [10, 10], 'lemma'],
  ];
  for (const [query, seq, span, by] of cases) {
    it(`${query} span ${span} by ${by}`, () => {
      const { got, checked } = expectMatches(index, rows, query, seq, span, by);
      expect(checked).toBeGreaterThan(0);
      if (query === 'bureaucracy') expect(got.hits).toBe(36);
      if (query === "workers' councils") expect(got.hits).toBe(6);
    });
  }
});

describe('collocations match the reference on 40 Brown texts', () => {
  const index = brownIndex();
  const rows = rowsOf(index);
  for (const [query, span] of [
    ['the', [5, 5]],
    ['said', [4, 4]],
    ['time', [2, 6]],
  ] as Array<[string, [number, number]]>) {
    it(`${query} span ${span}`, () => {
      const { got } = expectMatches(index, rows, query, [query], span, 'word');
      expect(got.rows.length).toBeGreaterThan(10);
    });
  }
});

describe('collocation options', () => {
  const index = chapterIndex();
  it('minObserved filters, sort orders, limit truncates and says so', () => {
    const all = collocations(index, { query: 'bureaucracy', minObserved: 1, limit: 0, sort: 'mi' });
    const some = collocations(index, { query: 'bureaucracy', minObserved: 3, limit: 5, sort: 'll' });
    expect(some.rows.length).toBe(5);
    expect(some.truncated).toBe(true);
    expect(some.rows.every((r) => r.observed >= 3)).toBe(true);
    const eligible = all.rows
      .filter((r) => r.observed >= 3)
      .map((r) => r.ll)
      .sort((a, b) => b - a);
    expect(some.rows.map((r) => r.ll)).toEqual(eligible.slice(0, 5));
    for (let i = 1; i < all.rows.length; i++) expect(all.rows[i - 1]!.mi).toBeGreaterThanOrEqual(all.rows[i]!.mi);
    const exact = collocations(index, { query: 'bureaucracy', minObserved: 3, limit: eligible.length });
    expect(exact.truncated).toBe(false);
  });
  it('the sum of O over all collocates is R1', () => {
    const r = collocations(index, { query: 'the', minObserved: 1, limit: 0 });
    expect(r.rows.reduce((s, x: CollocRow) => s + x.observed, 0)).toBe(r.windowTokens);
  });
  it('a query without hits has no collocates', () => {
    const r = collocationsOfHits(index, { starts: new Uint32Array(0), ends: new Uint32Array(0) }, { query: 'x' });
    expect(r).toMatchObject({ hits: 0, windowTokens: 0, rows: [], truncated: false });
  });
  it('bad requests fail with E_USAGE', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as LoupeFailure).code;
      }
      return 'no error';
    };
    expect(code(() => collocations(index, { query: 'the', span: [-1, 2] }))).toBe('E_USAGE');
    expect(code(() => collocations(index, { query: 'the', sort: 'bogus' as never }))).toBe('E_USAGE');
    expect(code(() => collocations(index, { query: '' }))).toBe('E_USAGE');
    expect(code(() => collocations(index, { query: 'the', minObserved: 1.5 }))).toBe('E_USAGE');
  });
});

describe('the stoplist leaves out stopword collocates and changes nothing else', () => {
  const index = chapterIndex();
  const stop = (t: string) => bundledStopwords().has(t.toLowerCase());

  for (const by of ['word', 'lemma'] as const) {
    it(`bureaucracy by ${by}`, () => {
      const all = collocations(index, { query: 'bureaucracy', by, limit: 0 });
      const kept = collocations(index, { query: 'bureaucracy', by, limit: 0, stoplist: true });
      // Function words are among its collocates without the list, so the list has something to drop.
      expect(all.rows.filter((r) => stop(r.term)).length).toBeGreaterThan(3);
      expect(kept.rows.some((r) => stop(r.term))).toBe(false);
      // Only rows go: h, R1, N and every remaining row (O, E, C, every measure, order) are as before.
      expect([kept.hits, kept.windowTokens, kept.corpusTokens]).toEqual([all.hits, all.windowTokens, all.corpusTokens]);
      expect(kept.rows).toEqual(all.rows.filter((r) => !stop(r.term)));
    });
  }

  it('limit and truncation count the rows that remain', () => {
    const kept = collocations(index, { query: 'bureaucracy', limit: 0, stoplist: true });
    const top = collocations(index, { query: 'bureaucracy', limit: 10, stoplist: true, sort: 'logDice' });
    expect(top.rows).toEqual(kept.rows.slice(0, 10));
    expect(top.truncated).toBe(kept.rows.length > 10);
    const exact = collocations(index, { query: 'bureaucracy', limit: kept.rows.length, stoplist: true });
    expect(exact.truncated).toBe(false);
  });
});
