/**
 * Keyness (STATISTICS.md, "Keyness"): the corpus (a in c tokens) against a reference (b in d
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
  const row = (term: string, a: number, b: number): KeywordRow => ({
    term,
    freq: a,
    refFreq: b,
    perMillion: perMillion(a, c),
    refPerMillion: perMillion(b, d),
    ll: keynessLL(a, b, c, d),
    logRatio: logRatio(a, b, c, d),
  });
  const positive: KeywordRow[] = [];
  const negative: KeywordRow[] = [];
  const here = new Set<string>();
  for (let id = 0; id < f.length; id++) {
    const a = f[id]!;
    if (a === 0) continue;
    const term = names[id]!;
    here.add(term);
    const b = reference.freq.get(term) ?? 0;
    if (a * d > b * c) {
      if (a >= minFreq) positive.push(row(term, a, b));
    } else if (a * d < b * c && b >= minFreq) negative.push(row(term, a, b));
  }
  for (const [term, b] of reference.freq) if (b >= minFreq && !here.has(term)) negative.push(row(term, 0, b));

  const order = (x: KeywordRow, y: KeywordRow) =>
    Math.abs(y.ll) - Math.abs(x.ll) || Math.abs(y.logRatio) - Math.abs(x.logRatio) || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0);
  positive.sort(order);
  negative.sort(order);
  return {
    corpusTokens: c,
    referenceTokens: d,
    reference: reference.name,
    positive: limit > 0 ? positive.slice(0, limit) : positive,
    negative: limit > 0 ? negative.slice(0, limit) : negative,
  };
}
