/**
 * The window set of docs/statistics.md: for every hit, L counted tokens before its first token and R
 * counted tokens after its last, inside the hit's document; the union of those windows minus every
 * position a hit occupies.
 *
 * One sweep over the hits in start order, with no per-token mark array (which would be a byte per
 * corpus token, 100 MB at 100M tokens, allocated per call or kept resident). Each hit's walk spans
 * one contiguous stretch of positions, and the stretches' starts never decrease, so everything
 * below `covered` (the furthest position any earlier walk or hit reached) is already decided: a
 * later walk only emits positions at or past it. Nodes of earlier hits lie below `covered`; nodes
 * of later hits that fall inside a right-hand window are skipped by looking ahead along the sorted
 * starts. Window tokens still count toward L and R when they are nodes or already emitted.
 */
import type { CorpusIndex } from '../index/store.js';
import { LoupeFailure } from '../contract/errors.js';
import type { Hits } from './hits.js';

/**
 * Where the window tokens go: either recorded as positions (`out`), or counted straight into
 * `observed` by group id (`ids[p]`), with each id's first appearance appended to `seen`.
 */
export interface WindowSink {
  out?: Uint32Array;
  ids?: ArrayLike<number>;
  /** Maps ids[p] to the group id counted (exact form -> case-folded word); identity when absent. */
  fold?: Uint32Array;
  observed?: Uint32Array;
  seen?: Uint32Array;
}

/** Walks the window set once, each position once, ascending; returns R1 and the number of ids appended to sink.seen. */
export function scanWindows(index: CorpusIndex, hits: Hits, left: number, right: number, sink: WindowSink): { size: number; seen: number } {
  checkSpan(left, right);
  const { starts, ends } = hits;
  const h = starts.length;
  const counted = index.counted;
  const docStart = index.docStart;
  const out = sink.out;
  const ids = sink.ids;
  const fold = sink.fold;
  const observed = sink.observed;
  const seen = sink.seen;
  const counting = ids !== undefined && observed !== undefined && seen !== undefined;
  let n = 0;
  let s = 0;
  let d = 0;
  let covered = 0;
  const lastDoc = index.docs.length - 1;
  for (let k = 0; k < h; k++) {
    const st = starts[k]!;
    const en = ends[k]!;
    while (d < lastDoc && docStart[d + 1]! <= st) d++;
    const lo = docStart[d]!;
    const hi = docStart[d + 1]!;
    // Left window, walked down to the nearest decided position.
    let need = left;
    let p = st - 1;
    for (; need > 0 && p >= lo && p >= covered; p--) {
      if (counted[p] === 0) continue;
      need--;
    }
    // p + 1 .. st - 1 is the undecided part of the left window: emit it ascending.
    for (let q = p + 1; q < st; q++) {
      if (counted[q] === 0) continue;
      if (counting) {
        const id = fold === undefined ? ids[q]! : fold[ids[q]!]!;
        const o = observed[id]!;
        observed[id] = o + 1;
        if (o === 0) seen[s++] = id;
      } else if (out) out[n] = q;
      n++;
    }
    if (en > covered) covered = en;
    // Right window; later hits that start inside it occupy their positions as nodes.
    need = right;
    let j = k + 1;
    let nodeEnd = 0;
    for (p = en; need > 0 && p < hi; p++) {
      if (counted[p] === 0) continue;
      need--;
      while (j < h && starts[j]! <= p) {
        if (ends[j]! > nodeEnd) nodeEnd = ends[j]!;
        j++;
      }
      if (p < nodeEnd || p < covered) continue;
      if (counting) {
        const id = fold === undefined ? ids[p]! : fold[ids[p]!]!;
        const o = observed[id]!;
        observed[id] = o + 1;
        if (o === 0) seen[s++] = id;
      } else if (out) out[n] = p;
      n++;
    }
    if (p > covered) covered = p;
  }
  return { size: n, seen: s };
}

/** Positions of the window set (each once, in no particular order); its length is R1. */
export function windowPositions(index: CorpusIndex, hits: Hits, left: number, right: number): Uint32Array {
  checkSpan(left, right);
  const cap = Math.min(hits.starts.length * (left + right), index.countedTotal);
  const out = new Uint32Array(cap);
  const { size } = scanWindows(index, hits, left, right, { out });
  return out.subarray(0, size);
}

export function checkSpan(left: number, right: number): void {
  const okSide = (x: number) => Number.isInteger(x) && x >= 0 && x <= 100;
  if (!okSide(left) || !okSide(right)) throw new LoupeFailure('E_USAGE', `span must be two whole numbers 0..100, got ${left},${right}`);
}
