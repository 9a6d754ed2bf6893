/**
 * The window set of STATISTICS.md: for every hit, L counted tokens before its first token and R
 * counted tokens after its last, inside the hit's document; the union of those windows minus every
 * position a hit occupies. Built on a byte mark per token, so 200,000 hits cost a few million
 * array steps and no objects.
 */
import type { CorpusIndex } from '../index/store.js';
import { LoupeFailure } from '../contract/errors.js';
import type { Hits } from './hits.js';

const NODE = 2;
const WINDOW = 1;

/** Positions of the window set (each once, in no particular order); its length is R1. */
export function windowPositions(index: CorpusIndex, hits: Hits, left: number, right: number): Uint32Array {
  checkSpan(left, right);
  const { starts, ends } = hits;
  const h = starts.length;
  const mark = new Uint8Array(index.tokenCount);
  for (let k = 0; k < h; k++) mark.fill(NODE, starts[k]!, ends[k]!);
  const counted = index.counted;
  const docStart = index.docStart;
  const cap = Math.min(h * (left + right), index.countedTotal);
  const out = new Uint32Array(cap);
  let n = 0;
  let d = 0;
  const lastDoc = index.docs.length - 1;
  for (let k = 0; k < h; k++) {
    const s = starts[k]!;
    while (d < lastDoc && docStart[d + 1]! <= s) d++;
    const lo = docStart[d]!;
    const hi = docStart[d + 1]!;
    let need = left;
    for (let p = s - 1; need > 0 && p >= lo; p--) {
      if (counted[p] === 0) continue;
      need--;
      if (mark[p] === 0) {
        mark[p] = WINDOW;
        out[n++] = p;
      }
    }
    need = right;
    for (let p = ends[k]!; need > 0 && p < hi; p++) {
      if (counted[p] === 0) continue;
      need--;
      if (mark[p] === 0) {
        mark[p] = WINDOW;
        out[n++] = p;
      }
    }
  }
  return out.subarray(0, n);
}

export function checkSpan(left: number, right: number): void {
  const okSide = (x: number) => Number.isInteger(x) && x >= 0 && x <= 100;
  if (!okSide(left) || !okSide(right)) throw new LoupeFailure('E_USAGE', `span must be two whole numbers 0..100, got ${left},${right}`);
}
