/**
 * Collocations (docs/statistics.md, "Collocation"). The window set's tokens are counted as the windows
 * are swept, into a Uint32Array indexed by word (or lemma) id that is kept per index and cleared by
 * the ids it saw. Candidates that reach minObserved are scored by the sort measure alone; full rows
 * (every measure) are built only for the `limit` returned. No per-token objects.
 */
import type { CorpusIndex } from '../index/store.js';
import { COLLOC_MEASURES, type CollocMeasure, type CollocRequest, type CollocResult, type CollocRow } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { countedFrequencies, groupColumn } from './counts.js';
import { resolveHits, type Hits } from './hits.js';
import { associate, measureScore } from './measures.js';
import { checkSpan, scanWindows } from './windows.js';
import { bundledStopwords } from './stoplist.js';
import { foldKey } from '../text/normalise.js';

export const DEFAULT_SPAN: [number, number] = [5, 5];
const DEFAULT_COLLOC_SORT: CollocMeasure = 'logDice';

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

export function collocateCounts(index: CorpusIndex, hits: Hits, span: [number, number], by: 'word' | 'lemma' = 'word'): CollocateCounts {
  checkSpan(span[0], span[1]);
  const { ids, size, fold } = groupColumn(index, by);
  const observed = new Uint32Array(size);
  const seen = new Uint32Array(Math.min(hits.starts.length * (span[0] + span[1]), size));
  const r = scanWindows(index, hits, span[0], span[1], { ids, observed, seen, ...(fold ? { fold } : {}) });
  return {
    by,
    hits: hits.starts.length,
    windowTokens: r.size,
    corpusTokens: index.countedTotal,
    observed,
    seen: seen.subarray(0, r.seen),
    corpusFreq: countedFrequencies(index, by),
  };
}

/**
 * O-per-id and seen-id arrays as long as the vocabulary (2M+ types at 100M tokens), kept per index
 * and grouping so a query does not allocate and zero them; each use leaves them all zero again by
 * clearing only the ids it saw.
 */
const scratch = new WeakMap<CorpusIndex, Partial<Record<'word' | 'lemma', { observed: Uint32Array; seen: Uint32Array; busy: boolean }>>>();

function withScratch<T>(index: CorpusIndex, by: 'word' | 'lemma', terms: number, use: (observed: Uint32Array, seen: Uint32Array) => T): T {
  let perIndex = scratch.get(index);
  if (!perIndex) scratch.set(index, (perIndex = {}));
  let s = perIndex[by];
  if (!s || s.observed.length !== terms) s = perIndex[by] = { observed: new Uint32Array(terms), seen: new Uint32Array(terms), busy: false };
  // Re-entry cannot happen in one synchronous call, but a fresh pair keeps it correct if it ever does.
  const mine = s.busy ? { observed: new Uint32Array(terms), seen: new Uint32Array(terms), busy: true } : s;
  mine.busy = true;
  try {
    return use(mine.observed, mine.seen);
  } finally {
    mine.busy = false;
  }
}

/**
 * Candidate order (score desc, O desc, term in code-point order) over parallel
 * arrays, so only the rows returned are ever built. With 0 < limit < candidates, a bounded heap keeps
 * the best `limit` (one comparison for most candidates) instead of sorting them all.
 */
export function rankCandidates(
  ids: Uint32Array,
  score: Float64Array,
  obs: Uint32Array,
  nameOf: (id: number) => string,
  limit: number,
): Uint32Array {
  const m = ids.length;
  // a before b in the final order
  const before = (a: number, b: number): boolean => {
    const sa = score[a]!;
    const sb = score[b]!;
    if (sa !== sb) return sa > sb;
    const oa = obs[a]!;
    const ob = obs[b]!;
    if (oa !== ob) return oa > ob;
    return nameOf(ids[a]!) < nameOf(ids[b]!);
  };
  let keep: number[];
  if (limit === 0 || m <= limit) {
    keep = Array.from({ length: m }, (_, i) => i);
  } else {
    // Heap of candidate indexes, the root the last in order among those kept.
    const heap = new Int32Array(limit);
    let size = 0;
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) return;
        const r = l + 1;
        const worst = r < size && before(heap[l]!, heap[r]!) ? r : l;
        if (!before(heap[i]!, heap[worst]!)) return;
        const t = heap[i]!;
        heap[i] = heap[worst]!;
        heap[worst] = t;
        i = worst;
      }
    };
    for (let c = 0; c < m; c++) {
      if (size < limit) {
        let i = size++;
        heap[i] = c;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (!before(heap[p]!, heap[i]!)) break;
          const t = heap[i]!;
          heap[i] = heap[p]!;
          heap[p] = t;
          i = p;
        }
      } else if (before(c, heap[0]!)) {
        heap[0] = c;
        down(0);
      }
    }
    keep = Array.from(heap);
  }
  keep.sort((a, b) => (a === b ? 0 : before(a, b) ? -1 : 1));
  const out = new Uint32Array(keep.length);
  for (let i = 0; i < keep.length; i++) out[i] = ids[keep[i]!]!;
  return out;
}

function termOf(index: CorpusIndex, by: 'word' | 'lemma', id: number): string {
  return by === 'lemma' ? index.lemmas[id]! : index.wordAt(id);
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

export function checkMeasure(m: unknown, allowObserved = true): CollocMeasure | 'observed' {
  if ((allowObserved && m === 'observed') || COLLOC_MEASURES.includes(m as CollocMeasure)) return m as CollocMeasure;
  throw new LoupeFailure(
    'E_USAGE',
    `unknown measure ${String(m)}; use one of ${COLLOC_MEASURES.join(', ')}${allowObserved ? ', observed' : ''}`,
  );
}

export function checkCount(name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new LoupeFailure('E_USAGE', `${name} must be a whole number >= ${min}`);
  return v;
}

/**
 * Whether a collocate is a bundled stopword, or undefined when no stoplist applies. Only candidates
 * are asked, by name, so a lazily opened vocabulary is never read whole. The stoplist drops rows and
 * nothing else: R1, h and every other collocate's O and scores stay what they were.
 */
export function stopwordTest(nameOf: (id: number) => string, stoplist: boolean | undefined): ((id: number) => boolean) | undefined {
  if (!stoplist) return undefined;
  const stop = bundledStopwords();
  return (id) => stop.has(foldKey(nameOf(id)));
}

/** Ids with O >= minObserved (less those `skip` drops), their O and their score by `sort`, in first-seen order. */
export function scoredCandidates(
  c: CollocateCounts,
  minObserved: number,
  sort: CollocMeasure | 'observed',
  skip?: (id: number) => boolean,
) {
  const floor = Math.max(1, minObserved);
  const { observed, corpusFreq } = c;
  // Names are looked up once per candidate, and only when something is to be dropped.
  const seen = skip ? c.seen.filter((id) => observed[id]! >= floor && !skip(id)) : c.seen;
  let m = 0;
  for (let i = 0; i < seen.length; i++) if (observed[seen[i]!]! >= floor) m++;
  const cand = new Uint32Array(m);
  const obs = new Uint32Array(m);
  const score = new Float64Array(m);
  for (let i = 0, j = 0; i < seen.length; i++) {
    const id = seen[i]!;
    const O = observed[id]!;
    if (O < floor) continue;
    cand[j] = id;
    obs[j] = O;
    score[j++] = measureScore(sort, O, corpusFreq[id]!, c.windowTokens, c.corpusTokens, c.hits);
  }
  return { cand, obs, score };
}

export function collocationsOfHits(index: CorpusIndex, hits: Hits, req: Omit<CollocRequest, 'caseSensitive' | 'matching'>): CollocResult {
  const span = req.span ?? DEFAULT_SPAN;
  const by = req.by ?? 'word';
  if (by !== 'word' && by !== 'lemma') throw new LoupeFailure('E_USAGE', `collocates group by word or lemma, not ${String(by)}`);
  const minObserved = checkCount('minObserved', req.minObserved ?? 2);
  const limit = checkCount('limit', req.limit ?? 50);
  const sort = checkMeasure(req.sort ?? DEFAULT_COLLOC_SORT);
  checkSpan(span[0], span[1]);
  const { ids, size, nameOf, fold } = groupColumn(index, by);
  const corpusFreq = countedFrequencies(index, by);
  const h = hits.starts.length;
  const N = index.countedTotal;
  return withScratch(index, by, size, (observed, seen) => {
    const scan = scanWindows(index, hits, span[0], span[1], { ids, observed, seen, ...(fold ? { fold } : {}) });
    try {
      const R1 = scan.size;
      const counts: CollocateCounts = {
        by,
        hits: h,
        windowTokens: R1,
        corpusTokens: N,
        observed,
        seen: seen.subarray(0, scan.seen),
        corpusFreq,
      };
      const { cand, obs, score } = scoredCandidates(counts, minObserved, sort, stopwordTest(nameOf, req.stoplist));
      const m = cand.length;
      const order = rankCandidates(cand, score, obs, nameOf, limit);
      const rows: CollocRow[] = new Array<CollocRow>(order.length);
      for (let i = 0; i < order.length; i++) rows[i] = collocRow(index, counts, order[i]!);
      return { query: req.query, hits: h, windowTokens: R1, corpusTokens: N, truncated: limit > 0 && m > limit, rows };
    } finally {
      for (let i = 0; i < scan.seen; i++) observed[seen[i]!] = 0;
    }
  });
}

export function collocations(index: CorpusIndex, req: CollocRequest): CollocResult {
  return collocationsOfHits(index, resolveHits(index, req.query, req), req);
}
