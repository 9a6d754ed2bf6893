/**
 * Keyness (docs/statistics.md, "Keywords"): the corpus (a in c tokens) against a reference (b in d
 * tokens). Signed log-likelihood G² and Log Ratio (a zero frequency counts as 0.5 for Log Ratio
 * only). Positive keywords are terms relatively more frequent here with a >= minFreq; negative
 * keywords are terms relatively more frequent in the reference with b >= minFreq (they may be
 * absent here: a = 0).
 */
import type { CorpusIndex } from '../index/store.js';
import type { KeywordRequest, KeywordResult, KeywordRow } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { countedFrequencies, groupColumn, perMillion } from './counts.js';
import { checkCount } from './collocation.js';

export interface FrequencyReference {
  name: string;
  tokens: number;
  freq: Map<string, number>;
}

const xlnx = (x: number, e: number): number => (x > 0 ? x * Math.log(x / e) : 0);

export function keynessLL(a: number, b: number, c: number, d: number): number {
  const e1 = (c * (a + b)) / (c + d);
  const e2 = (d * (a + b)) / (c + d);
  const g2 = Math.max(0, 2 * (xlnx(a, e1) + xlnx(b, e2)));
  return a / c >= b / d ? g2 : -g2;
}

export function logRatio(a: number, b: number, c: number, d: number): number {
  return Math.log2((a === 0 ? 0.5 : a) / c / ((b === 0 ? 0.5 : b) / d));
}

/** A reference frequency list from another indexed corpus (counted tokens, case-folded words or lemmas). */
export function referenceFromIndex(ref: CorpusIndex, name: string, by: 'word' | 'lemma' = 'word'): FrequencyReference {
  const f = countedFrequencies(ref, by);
  const { names } = groupColumn(ref, by);
  const freq = new Map<string, number>();
  for (let id = 0; id < f.length; id++) if (f[id]! > 0) freq.set(names[id]!, f[id]!);
  return { name, tokens: ref.countedTotal, freq };
}

/**
 * The reference's frequency of every term id of this corpus, and the reference's terms that do not
 * occur here (counted) at all: one pass of string lookups per index, grouping and reference,
 * instead of one per call.
 */
interface Matched {
  refFreq: Uint32Array;
  absentTerms: string[];
  absentFreq: Uint32Array;
}
const matched = new WeakMap<FrequencyReference, WeakMap<CorpusIndex, Partial<Record<'word' | 'lemma', Matched>>>>();

function matchReference(index: CorpusIndex, by: 'word' | 'lemma', reference: FrequencyReference, f: Uint32Array): Matched {
  let perRef = matched.get(reference);
  if (!perRef) matched.set(reference, (perRef = new WeakMap()));
  let perIndex = perRef.get(index);
  if (!perIndex) perRef.set(index, (perIndex = {}));
  const hit = perIndex[by];
  if (hit) return hit;
  if (by === 'word') index.prepareWordLookups();
  const idOf = by === 'lemma' ? (t: string) => index.lemmaIds.get(t) : (t: string) => index.wordId(t);
  const refFreq = new Uint32Array(f.length);
  const absentTerms: string[] = [];
  const absent: number[] = [];
  for (const [term, b] of reference.freq) {
    const id = idOf(term);
    if (id !== undefined && f[id]! > 0) refFreq[id] = b;
    else {
      absentTerms.push(term);
      absent.push(b);
    }
  }
  return (perIndex[by] = { refFreq, absentTerms, absentFreq: Uint32Array.from(absent) });
}

/**
 * The first `limit` candidates (all when 0) in keyword order: |G²| desc, |Log Ratio| desc, term.
 * A bounded heap keeps the best `limit` so only the rows returned are ever built.
 */
function topKeywords(ll: Float64Array, lr: Float64Array, term: (i: number) => string, count: number, limit: number): number[] {
  const before = (x: number, y: number): boolean => {
    if (ll[x] !== ll[y]) return ll[x]! > ll[y]!;
    if (lr[x] !== lr[y]) return lr[x]! > lr[y]!;
    return term(x) < term(y);
  };
  let keep: number[];
  if (limit === 0 || count <= limit) keep = Array.from({ length: count }, (_, i) => i);
  else {
    const heap: number[] = [];
    const swap = (i: number, j: number) => {
      const t = heap[i]!;
      heap[i] = heap[j]!;
      heap[j] = t;
    };
    for (let c = 0; c < count; c++) {
      if (heap.length < limit) {
        heap.push(c);
        for (let i = heap.length - 1; i > 0 && before(heap[(i - 1) >> 1]!, heap[i]!); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      } else if (before(c, heap[0]!)) {
        heap[0] = c;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          if (l >= limit) break;
          const w = l + 1 < limit && before(heap[l]!, heap[l + 1]!) ? l + 1 : l;
          if (!before(heap[i]!, heap[w]!)) break;
          swap(i, w);
          i = w;
        }
      }
    }
    keep = heap;
  }
  return keep.sort((x, y) => (x === y ? 0 : before(x, y) ? -1 : 1));
}

export function keywords(index: CorpusIndex, req: KeywordRequest, reference: FrequencyReference): KeywordResult {
  const by = req.by ?? 'word';
  if (by !== 'word' && by !== 'lemma') throw new LoupeFailure('E_USAGE', `keywords group by word or lemma, not ${String(by)}`);
  const minFreq = Math.max(1, checkCount('minFreq', req.minFreq ?? 3));
  const limit = checkCount('limit', req.limit ?? 50);
  const c = index.countedTotal;
  const d = reference.tokens;
  if (c === 0 || d === 0) throw new LoupeFailure('E_CORPUS', 'keyness needs counted tokens in both corpora');

  const f = countedFrequencies(index, by);
  const { names } = groupColumn(index, by);
  const { refFreq, absentTerms, absentFreq } = matchReference(index, by, reference, f);
  const row = (term: string, a: number, b: number): KeywordRow => ({
    term,
    freq: a,
    refFreq: b,
    perMillion: perMillion(a, c),
    refPerMillion: perMillion(b, d),
    ll: keynessLL(a, b, c, d),
    logRatio: logRatio(a, b, c, d),
  });

  // Candidates as (id) for terms here and (-1 - k) for reference terms absent here; only the
  // sort keys are worked out for all of them.
  const side = (positive: boolean): KeywordRow[] => {
    const cand: number[] = [];
    if (positive) {
      for (let id = 0; id < f.length; id++) {
        const a = f[id]!;
        if (a >= minFreq && a * d > refFreq[id]! * c) cand.push(id);
      }
    } else {
      for (let id = 0; id < f.length; id++) {
        const a = f[id]!;
        const b = refFreq[id]!;
        if (a > 0 && a * d < b * c && b >= minFreq) cand.push(id);
      }
      for (let k = 0; k < absentTerms.length; k++) if (absentFreq[k]! >= minFreq) cand.push(-1 - k);
    }
    const aOf = (x: number) => (x >= 0 ? f[x]! : 0);
    const bOf = (x: number) => (x >= 0 ? refFreq[x]! : absentFreq[-1 - x]!);
    const termOf = (x: number) => (x >= 0 ? names[x]! : absentTerms[-1 - x]!);
    const ll = new Float64Array(cand.length);
    const lr = new Float64Array(cand.length);
    for (let i = 0; i < cand.length; i++) {
      const a = aOf(cand[i]!);
      const b = bOf(cand[i]!);
      ll[i] = Math.abs(keynessLL(a, b, c, d));
      lr[i] = Math.abs(logRatio(a, b, c, d));
    }
    return topKeywords(ll, lr, (i) => termOf(cand[i]!), cand.length, limit).map((i) => {
      const x = cand[i]!;
      return row(termOf(x), aOf(x), bOf(x));
    });
  };
  return { corpusTokens: c, referenceTokens: d, reference: reference.name, positive: side(true), negative: side(false) };
}
