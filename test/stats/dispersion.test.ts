/** Dispersion against a reference that walks the token rows and applies docs/statistics.md literally. */
import { describe, expect, it } from 'vitest';
import { dispersion, dispersionOfHits } from '../../app/stats/dispersion.js';
import { runQuery } from '../../app/query/run.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { brownIndex, chapterIndex, close, refHits, rowsOf, type Row } from './support.js';

function referenceDispersion(rows: Row[], docCount: number, hitStarts: number[], parts: number) {
  // k = counted tokens before each row: the counted-token axis.
  const k: number[] = [];
  let c = 0;
  const docSize = new Array<number>(docCount).fill(0);
  const docFirstK = new Array<number>(docCount).fill(-1);
  for (const r of rows) {
    k.push(c);
    if (docFirstK[r.doc] === -1) docFirstK[r.doc] = c;
    if (r.counted) {
      c++;
      docSize[r.doc]!++;
    }
  }
  const N = c;
  const segOf = (x: number) => Math.min(parts - 1, Math.floor((x * parts) / N));
  const segSize = new Array<number>(parts).fill(0);
  for (let x = 0; x < N; x++) segSize[segOf(x)]!++;
  const segHits = new Array<number>(parts).fill(0);
  const docHits = new Array<number>(docCount).fill(0);
  for (const s of hitStarts) {
    segHits[segOf(k[s]!)]!++;
    docHits[rows[s]!.doc]!++;
  }
  const h = hitStarts.length;
  const [partHits, partSize] = docCount > 1 ? [docHits, docSize] : [segHits, segSize];
  let dp = 0;
  for (let i = 0; i < partHits.length; i++) dp += Math.abs(partHits[i]! / h - partSize[i]! / N);
  dp /= 2;
  const minS = Math.min(...partSize.filter((x) => x > 0).map((x) => x / N));
  const mean = h / parts;
  const sd = Math.sqrt(segHits.reduce((a, f) => a + (f - mean) ** 2, 0) / parts);
  return {
    N,
    range: partHits.filter((x) => x > 0).length,
    dp,
    dpNorm: dp / (1 - minS),
    juillandD: 1 - sd / mean / Math.sqrt(parts - 1),
    corpusPositions: hitStarts.map((s) => k[s]! / N),
    docHits,
    docSize,
    docPositions: docHits.map((_, d) => hitStarts.filter((s) => rows[s]!.doc === d).map((s) => (k[s]! - docFirstK[d]!) / docSize[d]!)),
  };
}

function check(index: CorpusIndex, rows: Row[], query: string, seq: string[], parts: number) {
  const starts = refHits(rows, seq).map((h) => h.start);
  expect(Array.from(runQuery(index, query).starts)).toEqual(starts);
  const got = dispersion(index, { query, parts });
  const want = referenceDispersion(rows, index.docs.length, starts, parts);
  expect(got.hits).toBe(starts.length);
  expect(got.corpusTokens).toBe(want.N);
  expect(got.range).toBe(want.range);
  expect(got.parts).toBe(parts);
  for (const m of ['dp', 'dpNorm', 'juillandD'] as const) expect(close(got[m], want[m]), `${m} ${got[m]} vs ${want[m]}`).toBe(true);
  expect(close(got.perMillion, (starts.length / want.N) * 1e6)).toBe(true);
  expect(got.corpusPositions.every((p, i) => close(p, want.corpusPositions[i]!))).toBe(true);
  got.documents.forEach((d, i) => {
    expect([d.doc, d.tokens, d.hits]).toEqual([i, want.docSize[i], want.docHits[i]]);
    expect(close(d.perMillion, (want.docHits[i]! / want.docSize[i]!) * 1e6)).toBe(true);
    expect(d.positions.length).toBe(want.docPositions[i]!.length);
    expect(d.positions.every((p, j) => close(p, want.docPositions[i]![j]!))).toBe(true);
  });
  return got;
}

describe('dispersion on the bundled chapter (one document: equal parts)', () => {
  const index = chapterIndex();
  const rows = rowsOf(index);
  it('bureaucracy, 10 parts', () => {
    const r = check(index, rows, 'bureaucracy', ['bureaucracy'], 10);
    expect(r.hits).toBe(36);
  });
  it("workers' councils, 10 and 7 parts", () => {
    expect(check(index, rows, "workers' councils", ['workers', "'", 'councils'], 10).hits).toBe(6);
    check(index, rows, "workers' councils", ['workers', "'", 'councils'], 7);
  });
  it('the, 25 parts', () => {
    check(index, rows, 'the', ['the'], 25);
  });
});

describe('dispersion on 40 Brown texts (documents are the parts)', () => {
  const index = brownIndex();
  const rows = rowsOf(index);
  for (const q of ['the', 'said', 'government', 'church']) {
    it(q, () => {
      const r = check(index, rows, q, [q], 10);
      expect(r.documents.length).toBe(40);
    });
  }
  it('a word spread evenly has lower DP than a clumped one', () => {
    const the = dispersion(index, { query: 'the' });
    const church = dispersion(index, { query: 'church' });
    expect(the.dp).toBeLessThan(church.dp);
    expect(the.juillandD).toBeGreaterThan(church.juillandD);
  });
});

describe('dispersion edge cases', () => {
  const index = chapterIndex();
  it('no hits: range 0, DP and DPnorm 1, D 0', () => {
    const r = dispersionOfHits(index, { starts: new Uint32Array(0), ends: new Uint32Array(0) }, 'none');
    expect([r.hits, r.range, r.dp, r.dpNorm, r.juillandD]).toEqual([0, 0, 1, 1, 0]);
  });
  it('parts must be 2 or more', () => {
    expect(() => dispersion(index, { query: 'the', parts: 1 })).toThrow(/parts/);
  });
});
