/**
 * Association measures of docs/statistics.md, from the four numbers every collocation row carries:
 * O (observed in the window set), C (corpus frequency), R1 (window set size), N (counted tokens),
 * and h (hits of the node, for Dice / logDice). E = R1 * C / N.
 */
import type { CollocMeasure, CollocRow } from '../contract/stats.js';

/** E and every measure: the part of a collocation row computed from O, C, R1, N and h. */
export type Association = Pick<CollocRow, 'expected' | CollocMeasure>;

/** x ln(x / e), with the 0 ln 0 = 0 convention of G². */
const term = (o: number, e: number): number => (o > 0 ? o * Math.log(o / e) : 0);

/** Signed G² over the 2x2 table O11 = O, O12 = R1 - O, O21 = C - O, O22 = N - R1 - C + O. */
function logLikelihood(O: number, C: number, R1: number, N: number): number {
  const o11 = O;
  const o12 = R1 - O;
  const o21 = C - O;
  const o22 = N - R1 - C + O;
  const r1 = R1;
  const r2 = N - R1;
  const c1 = C;
  const c2 = N - C;
  const g2 = 2 * (term(o11, (r1 * c1) / N) + term(o12, (r1 * c2) / N) + term(o21, (r2 * c1) / N) + term(o22, (r2 * c2) / N));
  const e = (R1 * C) / N;
  // Rounding can leave a hair below zero when O = E exactly; G² is never negative.
  const mag = g2 > 0 ? g2 : 0;
  return O >= e ? mag : -mag;
}

export function associate(O: number, C: number, R1: number, N: number, h: number): Association {
  const E = (R1 * C) / N;
  const dice = (2 * O) / (h + C);
  const rest = N - R1;
  return {
    expected: E,
    mi: Math.log2(O / E),
    mi3: Math.log2((O * O * O) / E),
    t: (O - E) / Math.sqrt(O),
    z: (O - E) / Math.sqrt(E),
    ll: logLikelihood(O, C, R1, N),
    logDice: 14 + Math.log2(dice),
    dice,
    // When the windows cover the whole corpus there is no outside to compare with.
    deltaP: O / R1 - (rest > 0 ? (C - O) / rest : 0),
  };
}

/**
 * One measure alone, bit for bit the value associate() gives (the same expressions in the same
 * order), so candidates can be ranked without building whole rows. 'observed' is O itself.
 */
export function measureScore(m: CollocMeasure | 'observed', O: number, C: number, R1: number, N: number, h: number): number {
  switch (m) {
    case 'observed':
      return O;
    case 'mi':
      return Math.log2(O / ((R1 * C) / N));
    case 'mi3':
      return Math.log2((O * O * O) / ((R1 * C) / N));
    case 't':
      return (O - (R1 * C) / N) / Math.sqrt(O);
    case 'z': {
      const E = (R1 * C) / N;
      return (O - E) / Math.sqrt(E);
    }
    case 'll':
      return logLikelihood(O, C, R1, N);
    case 'logDice':
      return 14 + Math.log2((2 * O) / (h + C));
    case 'dice':
      return (2 * O) / (h + C);
    case 'deltaP': {
      const rest = N - R1;
      return O / R1 - (rest > 0 ? (C - O) / rest : 0);
    }
  }
}
