/**
 * Dispersion (docs/statistics.md, "Dispersion"). Hits are placed on the counted-token axis: a hit sits
 * at the counted index of its first counted token (countedBefore[start]).
 *
 * Parts for range and Gries' DP are the documents when the corpus has more than one, otherwise
 * `parts` equal segments of the counted-token axis; Juilland's D always uses the `parts` segments.
 * Segment i holds the counted indexes k with floor(k * parts / N) = i, so sizes differ by at most 1.
 * Parts without counted tokens cannot hold a share of the corpus and are left out of min sᵢ.
 * A query without hits has nothing to spread: range 0, DP = DPnorm = 1, D = 0.
 */
import type { CorpusIndex } from '../index/store.js';
import type { DispersionDoc, DispersionRequest, DispersionResult } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { countedBefore, perMillion } from './counts.js';
import { resolveHits, type Hits } from './hits.js';

export const DEFAULT_PARTS = 10;

/** Gries' DP and DPnorm from per-part hit counts and per-part sizes. */
function griesDP(hitsPerPart: ArrayLike<number>, sizes: ArrayLike<number>): { dp: number; dpNorm: number } {
  let h = 0;
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    h += hitsPerPart[i]!;
    total += sizes[i]!;
  }
  if (h === 0 || total === 0) return { dp: 1, dpNorm: 1 };
  let sum = 0;
  let minS = Infinity;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]! / total;
    sum += Math.abs(hitsPerPart[i]! / h - s);
    if (s > 0 && s < minS) minS = s;
  }
  const dp = clamp01(sum / 2);
  const denom = 1 - minS;
  return { dp, dpNorm: denom > 0 ? clamp01(dp / denom) : 0 };
}

/** Juilland's D = 1 - (σ/μ)/√(n-1) over per-part frequencies of equal-sized parts. */
function juillandD(freqs: ArrayLike<number>): number {
  const n = freqs.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += freqs[i]!;
  if (sum === 0) return 0;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (freqs[i]! - mean) ** 2;
  const sd = Math.sqrt(sq / n);
  return clamp01(1 - sd / mean / Math.sqrt(n - 1));
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

function segmentSizes(total: number, parts: number): Uint32Array {
  const sizes = new Uint32Array(parts);
  for (let i = 0; i < parts; i++) sizes[i] = Math.ceil(((i + 1) * total) / parts) - Math.ceil((i * total) / parts);
  return sizes;
}

function checkParts(parts: unknown): number {
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 2 || parts > 10_000) {
    throw new LoupeFailure('E_USAGE', `parts must be a whole number 2..10000, got ${String(parts)}`);
  }
  return parts;
}

export function dispersionOfHits(index: CorpusIndex, hits: Hits, query: string, partsReq = DEFAULT_PARTS): DispersionResult {
  const parts = checkParts(partsReq);
  const N = index.countedTotal;
  const cb = countedBefore(index);
  const docs = index.docs.length;
  const docCounted = index.docCounted;
  const starts = hits.starts;
  const h = starts.length;

  const segHits = new Uint32Array(parts);
  const docHits = new Uint32Array(docs);
  const corpusPositions = new Array<number>(h);
  const hitDoc = new Uint32Array(h);
  let d = 0;
  for (let j = 0; j < h; j++) {
    const s = starts[j]!;
    while (d < docs - 1 && index.docStart[d + 1]! <= s) d++;
    const k = cb[s]!;
    corpusPositions[j] = N > 0 ? k / N : 0;
    segHits[Math.min(parts - 1, Math.floor((k * parts) / Math.max(1, N)))]!++;
    docHits[d]!++;
    hitDoc[j] = d;
  }
  // Per-document positions in arrays of their final length (millions of hits: no growing by push).
  const docPositions: number[][] = Array.from({ length: docs }, (_, i) => new Array<number>(docHits[i]!));
  const filled = new Uint32Array(docs);
  for (let j = 0; j < h; j++) {
    const dj = hitDoc[j]!;
    const size = docCounted[dj]!;
    docPositions[dj]![filled[dj]!++] = size > 0 ? (cb[starts[j]!]! - cb[index.docStart[dj]!]!) / size : 0;
  }

  const segSizes = segmentSizes(N, parts);
  const byDocs = docs > 1;
  const partHits = byDocs ? docHits : segHits;
  const { dp, dpNorm } = griesDP(partHits, byDocs ? docCounted : segSizes);
  let range = 0;
  for (let i = 0; i < partHits.length; i++) if (partHits[i]! > 0) range++;

  const documents: DispersionDoc[] = [];
  for (let i = 0; i < docs; i++) {
    documents.push({
      doc: index.globalDoc(i), // the full corpus's id, also inside a subcorpus
      name: index.docs[i]!.name,
      tokens: docCounted[i]!,
      hits: docHits[i]!,
      perMillion: perMillion(docHits[i]!, docCounted[i]!),
      positions: docPositions[i]!,
    });
  }
  return {
    query,
    hits: h,
    corpusTokens: N,
    perMillion: perMillion(h, N),
    range,
    parts,
    dp,
    dpNorm,
    juillandD: juillandD(segHits),
    corpusPositions,
    documents,
  };
}

export function dispersion(index: CorpusIndex, req: DispersionRequest): DispersionResult {
  return dispersionOfHits(index, resolveHits(index, req.query, req), req.query, req.parts ?? DEFAULT_PARTS);
}
