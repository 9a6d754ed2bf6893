/**
 * The engine's fast paths (top-`limit` selection of collocates, reused scratch arrays, word lists
 * sorted on packed numeric keys and built only for the page asked for) against the plain way:
 * every row built from the row-by-row references, sorted by an ordinary comparator, then paged.
 * Paging boundaries are chosen inside runs of ties on purpose.
 */
import { describe, expect, it } from 'vitest';
import { collocations } from '../../app/stats/collocation.js';
import { associate, measureScore } from '../../app/stats/measures.js';
import { COLLOC_MEASURES, type CollocMeasure, type CollocRow } from '../../app/contract/stats.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { brownIndex, chapterIndex, close, refHits, rowsOf, type Row } from './support.js';
import { referenceCollocations, type RefRow } from './reference-colloc.js';

const codePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type Sort = CollocMeasure | 'observed';
const valueOf = (r: RefRow, m: Sort) => (m === 'observed' ? r.O : r[m]);

/** All reference rows with O >= minObserved in the documented order: measure desc, O desc, term. */
function referenceOrder(table: Map<string, RefRow>, minObserved: number, sort: Sort): RefRow[] {
  return [...table.values()]
    .filter((r) => r.O >= Math.max(1, minObserved))
    .sort((x, y) => valueOf(y, sort) - valueOf(x, sort) || y.O - x.O || codePoint(x.term, y.term));
}

/** Limits that cut through a run of rows tied on the sort value (and on O when sorting by O). */
function tieCuts(order: RefRow[], sort: Sort): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < order.length && cuts.length < 3; i++) {
    if (valueOf(order[i - 1]!, sort) === valueOf(order[i]!, sort) && order[i - 1]!.O === order[i]!.O) cuts.push(i);
  }
  return cuts;
}

function expectSameRows(got: CollocRow[], want: RefRow[], label: string): void {
  expect(got.map((r) => r.term), label).toEqual(want.map((r) => r.term));
  got.forEach((r, i) => {
    const w = want[i]!;
    expect([r.observed, r.termFreq], `${label} ${r.term}`).toEqual([w.O, w.C]);
    expect(close(r.expected, w.E), `${label} ${r.term} E`).toBe(true);
    for (const m of COLLOC_MEASURES) if (!close(r[m], w[m])) throw new Error(`${label}: ${r.term} ${m} = ${r[m]}, reference ${w[m]}`);
  });
}

function checkCollocations(index: CorpusIndex, rows: Row[], query: string, span: [number, number], by: 'word' | 'lemma') {
  const ref = referenceCollocations(rows, refHits(rows, [query]), span[0], span[1], by);
  let checked = 0;
  for (const sort of [...COLLOC_MEASURES, 'observed'] as Sort[]) {
    for (const minObserved of [1, 2, 3]) {
      const order = referenceOrder(ref.table, minObserved, sort);
      const limits = new Set([0, 1, 7, 50, order.length, order.length + 1, ...tieCuts(order, sort)]);
      for (const limit of limits) {
        const got = collocations(index, { query, span, by, sort, minObserved, limit });
        const label = `${query} ${span} ${by} sort ${sort} min ${minObserved} limit ${limit}`;
        expect(got.windowTokens, label).toBe(ref.R1);
        expect(got.truncated, label).toBe(limit > 0 && order.length > limit);
        expectSameRows(got.rows, limit > 0 ? order.slice(0, limit) : order, label);
        checked++;
      }
    }
  }
  return checked;
}

describe('collocations: selected top rows equal the fully sorted reference', () => {
  it('on the bundled chapter, every measure, by word and lemma, limits inside ties', () => {
    const index = chapterIndex();
    const rows = rowsOf(index);
    let checked = 0;
    checked += checkCollocations(index, rows, 'bureaucracy', [5, 5], 'word');
    checked += checkCollocations(index, rows, 'the', [4, 2], 'word');
    checked += checkCollocations(index, rows, 'revolution', [5, 5], 'lemma');
    expect(checked).toBeGreaterThan(100);
  });
  it('on 40 Brown texts', () => {
    const index = brownIndex();
    const rows = rowsOf(index);
    expect(checkCollocations(index, rows, 'said', [5, 5], 'word')).toBeGreaterThan(50);
  });
});

describe('reused scratch arrays', () => {
  it('hundreds of calls on one index (past the mark generations wrapping) give the same answers', () => {
    const index = chapterIndex();
    const queries = ['bureaucracy', 'the', 'revolution', 'of'];
    const first = queries.map((q) => collocations(index, { query: q, minObserved: 1, limit: 0 }));
    expect(first.every((r) => r.rows.length > 0)).toBe(true);
    for (let i = 0; i < 300; i++) {
      const k = i % queries.length;
      const again = collocations(index, { query: queries[k]!, minObserved: 1, limit: 0 });
      if (JSON.stringify(again) !== JSON.stringify(first[k])) throw new Error(`call ${i} (${queries[k]}) differs from the first`);
    }
  });
});

describe('measureScore', () => {
  it('is bit for bit the value in associate() for every measure', () => {
    let n = 0;
    for (const N of [1000, 123_457, 98_765_432]) {
      for (const R1 of [1, 10, 999, Math.floor(N / 3), N]) {
        for (const C of [1, 2, 17, 500, Math.floor(N / 2)]) {
          for (const O of [1, 2, 3, 11, 499]) {
            if (O > C || O > R1 || C > N || R1 > N) continue;
            const a = associate(O, C, R1, N, 37);
            for (const m of COLLOC_MEASURES) expect(Object.is(measureScore(m, O, C, R1, N, 37), a[m]), `${m} ${O} ${C} ${R1} ${N}`).toBe(true);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});
