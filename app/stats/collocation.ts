/**
 * Collocations (STATISTICS.md, "Collocation"). The window set is a list of token positions; its
 * collocates are counted into a Uint32Array indexed by word (or lemma) id, and measures are worked
 * out only for the candidates that reach minObserved. No per-token objects.
 */
import type { CorpusIndex } from '../index/store.js';
import { COLLOC_MEASURES, type CollocMeasure, type CollocRequest, type CollocResult, type CollocRow } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { countedFrequencies, groupColumn } from './counts.js';
import { resolveHits, type Hits } from './hits.js';
import { associate } from './measures.js';
import { windowPositions } from './windows.js';

export const DEFAULT_SPAN: [number, number] = [5, 5];
export const DEFAULT_COLLOC_SORT: CollocMeasure = 'logDice';

export interface CollocateCounts {
  by: 'word' | 'lemma';
  hits: number; // h
  windowTokens: number; // R1
  corpusTokens: number; // N
  /** O per word (or lemma) id. */
  observed: Uint32Array;
  /** Ids with O > 0, in first-seen order. */
  seen: Uint32Array;
  /** C per id: counted corpus frequency. */
  corpusFreq: Uint32Array;
}

export function collocateCounts(
  index: CorpusIndex,
  hits: Hits,
  span: [number, number],
  by: 'word' | 'lemma' = 'word',
): CollocateCounts {
  const positions = windowPositions(index, hits, span[0], span[1]);
  const { ids, names } = groupColumn(index, by);
  const observed = new Uint32Array(names.length);
  const seen = new Uint32Array(Math.min(positions.length, names.length));
  let s = 0;
  for (let i = 0; i < positions.length; i++) {
    const id = ids[positions[i]!]!;
    const o = observed[id]!;
    observed[id] = o + 1;
    if (o === 0) seen[s++] = id;
  }
  return {
    by,
    hits: hits.starts.length,
    windowTokens: positions.length,
    corpusTokens: index.countedTotal,
    observed,
    seen: seen.subarray(0, s),
    corpusFreq: countedFrequencies(index, by),
  };
}

export function termOf(index: CorpusIndex, by: 'word' | 'lemma', id: number): string {
  return by === 'lemma' ? index.lemmas[id]! : index.words[id]!;
}

/** One row for id, from its O (which may be below any threshold). */
export function collocRow(index: CorpusIndex, c: CollocateCounts, id: number, observed = c.observed[id]!): CollocRow {
  const C = c.corpusFreq[id]!;
  const a = associate(observed, C, c.windowTokens, c.corpusTokens, c.hits);
  return {
    term: termOf(index, c.by, id),
    observed,
    expected: a.expected,
    termFreq: C,
    mi: a.mi,
    mi3: a.mi3,
    t: a.t,
    z: a.z,
    ll: a.ll,
    logDice: a.logDice,
    dice: a.dice,
    deltaP: a.deltaP,
  };
}

const codePointOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortCollocRows(rows: CollocRow[], sort: CollocMeasure | 'observed'): CollocRow[] {
  return rows.sort((x, y) => y[sort] - x[sort] || y.observed - x.observed || codePointOrder(x.term, y.term));
}

export function checkMeasure(m: unknown, allowObserved = true): CollocMeasure | 'observed' {
  if ((allowObserved && m === 'observed') || COLLOC_MEASURES.includes(m as CollocMeasure)) return m as CollocMeasure;
  throw new LoupeFailure('E_USAGE', `unknown measure ${String(m)}; use one of ${COLLOC_MEASURES.join(', ')}${allowObserved ? ', observed' : ''}`);
}

export function checkCount(name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new LoupeFailure('E_USAGE', `${name} must be a whole number >= ${min}`);
  return v;
}

/** All rows with O >= minObserved, sorted; no limit applied. */
export function collocationRows(index: CorpusIndex, c: CollocateCounts, minObserved: number, sort: CollocMeasure | 'observed'): CollocRow[] {
  const rows: CollocRow[] = [];
  const floor = Math.max(1, minObserved);
  for (let i = 0; i < c.seen.length; i++) {
    const id = c.seen[i]!;
    if (c.observed[id]! >= floor) rows.push(collocRow(index, c, id));
  }
  return sortCollocRows(rows, sort);
}

export function collocationsOfHits(index: CorpusIndex, hits: Hits, req: Omit<CollocRequest, 'caseSensitive'>): CollocResult {
  const span = req.span ?? DEFAULT_SPAN;
  const by = req.by ?? 'word';
  if (by !== 'word' && by !== 'lemma') throw new LoupeFailure('E_USAGE', `collocates group by word or lemma, not ${String(by)}`);
  const minObserved = checkCount('minObserved', req.minObserved ?? 2);
  const limit = checkCount('limit', req.limit ?? 50);
  const sort = checkMeasure(req.sort ?? DEFAULT_COLLOC_SORT);
  const counts = collocateCounts(index, hits, span, by);
  const all = collocationRows(index, counts, minObserved, sort);
  const truncated = limit > 0 && all.length > limit;
  return {
    query: req.query,
    hits: counts.hits,
    windowTokens: counts.windowTokens,
    corpusTokens: counts.corpusTokens,
    truncated,
    rows: truncated ? all.slice(0, limit) : all,
  };
}

export function collocations(index: CorpusIndex, req: CollocRequest): CollocResult {
  return collocationsOfHits(index, resolveHits(index, req.query, req.caseSensitive), req);
}
