/**
 * The window set of STATISTICS.md: for every hit, L counted tokens before its first token and R
 * counted tokens after its last, inside the hit's document; the union of those windows minus every
 * position a hit occupies.
 *
 * Built on a byte mark per token. The mark array is as long as the corpus (100 MB at 100M tokens),
 * so it is allocated once per index and reused: each call stamps with its own generation (node =
 * 2g, window = 2g + 1) and every other value reads as unmarked, so no call has to clear what the
 * previous one marked. After 127 generations the array is zeroed once and the count restarts.
 */
import type { CorpusIndex } from '../index/store.js';
import { LoupeFailure } from '../contract/errors.js';
import type { Hits } from './hits.js';

interface MarkState {
  mark: Uint8Array;
  generation: number; // 1..127
}

const marks = new WeakMap<CorpusIndex, MarkState>();

/** A mark array for index with two fresh stamps: nothing in it equals either until they are written. */
function freshStamps(index: CorpusIndex): { mark: Uint8Array; node: number; window: number } {
  let s = marks.get(index);
  if (!s || s.mark.length !== index.tokenCount) {
    s = { mark: new Uint8Array(index.tokenCount), generation: 0 };
    marks.set(index, s);
  }
  if (s.generation >= 127) {
    s.mark.fill(0);
    s.generation = 0;
  }
  s.generation++;
  return { mark: s.mark, node: 2 * s.generation, window: 2 * s.generation + 1 };
}

/**
 * Where the window tokens go: either recorded as positions (`out`), or counted straight into
 * `observed` by group id (`ids[p]`), with each id's first appearance appended to `seen`.
 */
export interface WindowSink {
  out?: Uint32Array;
  ids?: ArrayLike<number>;
  observed?: Uint32Array;
  seen?: Uint32Array;
}

/** Walks the window set once; returns R1 and the number of ids appended to sink.seen. */
export function scanWindows(index: CorpusIndex, hits: Hits, left: number, right: number, sink: WindowSink): { size: number; seen: number } {
  checkSpan(left, right);
  const { starts, ends } = hits;
  const h = starts.length;
  if (h === 0) return { size: 0, seen: 0 };
  const { mark, node, window } = freshStamps(index);
  for (let k = 0; k < h; k++) mark.fill(node, starts[k]!, ends[k]!);
  const counted = index.counted;
  const docStart = index.docStart;
  const out = sink.out;
  const ids = sink.ids;
  const observed = sink.observed;
  const seen = sink.seen;
  const counting = ids !== undefined && observed !== undefined && seen !== undefined;
  let n = 0;
  let s = 0;
  let d = 0;
  const lastDoc = index.docs.length - 1;
  for (let k = 0; k < h; k++) {
    const st = starts[k]!;
    while (d < lastDoc && docStart[d + 1]! <= st) d++;
    const lo = docStart[d]!;
    const hi = docStart[d + 1]!;
    let need = left;
    for (let p = st - 1; need > 0 && p >= lo; p--) {
      if (counted[p] === 0) continue;
      need--;
      const m = mark[p]!;
      if (m === node || m === window) continue;
      mark[p] = window;
      if (counting) {
        const id = ids[p]!;
        const o = observed[id]!;
        observed[id] = o + 1;
        if (o === 0) seen[s++] = id;
      } else if (out) out[n] = p;
      n++;
    }
    need = right;
    for (let p = ends[k]!; need > 0 && p < hi; p++) {
      if (counted[p] === 0) continue;
      need--;
      const m = mark[p]!;
      if (m === node || m === window) continue;
      mark[p] = window;
      if (counting) {
        const id = ids[p]!;
        const o = observed[id]!;
        observed[id] = o + 1;
        if (o === 0) seen[s++] = id;
      } else if (out) out[n] = p;
      n++;
    }
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
