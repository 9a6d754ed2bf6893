/**
 * The collocation reference written from docs/statistics.md, token row by token row: windows walked one
 * position at a time, sets and maps, every measure from its formula.
 */
import type { Row } from './support.js';

export interface RefRow {
  term: string;
  O: number;
  C: number;
  E: number;
  mi: number;
  mi3: number;
  t: number;
  z: number;
  ll: number;
  logDice: number;
  dice: number;
  deltaP: number;
}

export function referenceCollocations(
  rows: Row[],
  hits: Array<{ start: number; end: number }>,
  L: number,
  R: number,
  by: 'word' | 'lemma',
): { R1: number; N: number; table: Map<string, RefRow> } {
  const key = (r: Row) => (by === 'word' ? r.word : r.lemma);
  const occupied = new Set<number>();
  for (const h of hits) for (let p = h.start; p < h.end; p++) occupied.add(p);
  const window = new Set<number>();
  for (const h of hits) {
    const doc = rows[h.start]!.doc;
    let taken = 0;
    for (let p = h.start - 1; p >= 0 && taken < L && rows[p]!.doc === doc; p--) {
      if (rows[p]!.counted) {
        taken++;
        window.add(p);
      }
    }
    taken = 0;
    for (let p = h.end; p < rows.length && taken < R && rows[p]!.doc === doc; p++) {
      if (rows[p]!.counted) {
        taken++;
        window.add(p);
      }
    }
  }
  for (const p of occupied) window.delete(p);
  const N = rows.filter((r) => r.counted).length;
  const corpus = new Map<string, number>();
  for (const r of rows) if (r.counted) corpus.set(key(r), (corpus.get(key(r)) ?? 0) + 1);
  const observed = new Map<string, number>();
  for (const p of window) observed.set(key(rows[p]!), (observed.get(key(rows[p]!)) ?? 0) + 1);
  const R1 = window.size;
  const h = hits.length;
  const table = new Map<string, RefRow>();
  for (const [term, O] of observed) {
    const C = corpus.get(term)!;
    const E = (R1 * C) / N;
    const cells = [
      [O, (R1 * C) / N],
      [R1 - O, (R1 * (N - C)) / N],
      [C - O, ((N - R1) * C) / N],
      [N - R1 - C + O, ((N - R1) * (N - C)) / N],
    ];
    let g2 = 0;
    for (const [o, e] of cells) if (o! > 0) g2 += o! * Math.log(o! / e!);
    g2 *= 2;
    table.set(term, {
      term,
      O,
      C,
      E,
      mi: Math.log2(O / E),
      mi3: Math.log2(O ** 3 / E),
      t: (O - E) / Math.sqrt(O),
      z: (O - E) / Math.sqrt(E),
      ll: O >= E ? Math.abs(g2) : -Math.abs(g2),
      logDice: 14 + Math.log2((2 * O) / (h + C)),
      dice: (2 * O) / (h + C),
      deltaP: O / R1 - (C - O) / (N - R1),
    });
  }
  return { R1, N, table };
}
