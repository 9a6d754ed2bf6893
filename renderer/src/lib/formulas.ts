/** The formulas of docs/statistics.md, shown next to every score so a reader can check it by hand. */
import type { CollocMeasure } from '../../../app/contract/stats';

export const MEASURES: ReadonlyArray<{ id: CollocMeasure; label: string; formula: string }> = [
  { id: 'logDice', label: 'logDice', formula: 'logDice = 14 + log2(2·O / (h + C))' },
  { id: 'mi', label: 'MI', formula: 'MI = log2(O / E)' },
  { id: 'mi3', label: 'MI3', formula: 'MI3 = log2(O³ / E)' },
  { id: 't', label: 'T-score', formula: 'T = (O − E) / √O' },
  { id: 'z', label: 'z-score', formula: 'z = (O − E) / √E' },
  {
    id: 'll',
    label: 'Log-likelihood',
    formula: 'G² = ±2 Σ Oij ln(Oij / Eij) over the 2×2 table; sign of O − E',
  },
  { id: 'dice', label: 'Dice', formula: 'Dice = 2·O / (h + C)' },
  { id: 'deltaP', label: 'ΔP', formula: 'ΔP = O / R1 − (C − O) / (N − R1)' },
];

export const measureLabel = (m: CollocMeasure): string => MEASURES.find((x) => x.id === m)?.label ?? m;
export const measureFormula = (m: CollocMeasure): string => MEASURES.find((x) => x.id === m)?.formula ?? '';

export const TERMS = {
  O: 'O: occurrences of the collocate inside the window set',
  E: 'E = R1 · C / N (R1: tokens in the window set, C: corpus frequency, N: counted tokens)',
  C: 'C: frequency of the collocate in the whole corpus',
  perMillion: 'per million counted tokens',
  range: 'range: documents with at least one occurrence',
  dp: "Gries' DP = ½ Σ |vi − si| (0 = even, towards 1 = clumped)",
  dpNorm: 'DPnorm = DP / (1 − min si)',
  juilland: "Juilland's D = 1 − (σ / μ) / √(n − 1) over equal-sized parts",
  keyLL: 'G² = 2(a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d); + when a/c > b/d',
  logRatio: 'Log Ratio = log2((a/c) / (b/d)), a zero frequency counted as 0.5',
} as const;

export interface TwoByTwo {
  o: [number, number, number, number];
  e: [number, number, number, number];
  expected: number;
}

/**
 * The 2×2 contingency table of docs/statistics.md from a collocate row:
 * O11 = O, O12 = R1 − O, O21 = C − O, O22 = N − R1 − C + O; Eij = row total · column total / N.
 */
export function twoByTwo(observed: number, windowTokens: number, termFreq: number, corpusTokens: number): TwoByTwo {
  const N = corpusTokens;
  const o11 = observed;
  const o12 = windowTokens - observed;
  const o21 = termFreq - observed;
  const o22 = N - windowTokens - termFreq + observed;
  const r1 = o11 + o12;
  const r2 = o21 + o22;
  const c1 = o11 + o21;
  const c2 = o12 + o22;
  const e = (row: number, col: number) => (N > 0 ? (row * col) / N : 0);
  return {
    o: [o11, o12, o21, o22],
    e: [e(r1, c1), e(r1, c2), e(r2, c1), e(r2, c2)],
    expected: N > 0 ? (windowTokens * termFreq) / N : 0,
  };
}
