/** Keyness against the reference formulas, with the Brown list read independently from its file. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keywords, referenceFromIndex } from '../../app/stats/keyness.js';
import { loadBrownReference } from '../../app/stats/reference.js';
import { brownIndex, chapterIndex, close, rowsOf, type Row } from './support.js';

const BROWN_TSV = fileURLToPath(new URL('../../reference/brown-words.tsv', import.meta.url));

function counts(rows: Row[]): { freq: Map<string, number>; total: number } {
  const freq = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    if (!r.counted) continue;
    total++;
    freq.set(r.word, (freq.get(r.word) ?? 0) + 1);
  }
  return { freq, total };
}

function referenceKeyness(a: number, b: number, c: number, d: number) {
  const E1 = (c * (a + b)) / (c + d);
  const E2 = (d * (a + b)) / (c + d);
  const g2 = 2 * ((a > 0 ? a * Math.log(a / E1) : 0) + (b > 0 ? b * Math.log(b / E2) : 0));
  const lr = Math.log2((a || 0.5) / c / ((b || 0.5) / d));
  return { ll: a / c > b / d ? g2 : -g2, logRatio: lr };
}

describe('keywords of the bundled chapter against Brown', () => {
  const index = chapterIndex();
  const target = counts(rowsOf(index));
  const lines = readFileSync(BROWN_TSV, 'utf8').trimEnd().split('\n');
  const d = Number(/tokens=(\d+)/.exec(lines[0]!)![1]);
  const brown = new Map(lines.slice(1).map((l) => [l.split('\t')[0]!, Number(l.split('\t')[1])]));
  const result = keywords(index, { limit: 0 }, loadBrownReference());

  it("the bundled list parses to the file's figures", () => {
    const ref = loadBrownReference();
    expect(ref.tokens).toBe(d);
    expect(ref.freq).toEqual(brown);
    expect(d).toBeGreaterThan(1_000_000);
  });

  it('every row matches the reference G² and Log Ratio', () => {
    expect(result.corpusTokens).toBe(target.total);
    expect(result.referenceTokens).toBe(d);
    const wrong: string[] = [];
    for (const row of [...result.positive, ...result.negative]) {
      const a = target.freq.get(row.term) ?? 0;
      const b = brown.get(row.term) ?? 0;
      const want = referenceKeyness(a, b, target.total, d);
      if (row.freq !== a || row.refFreq !== b || !close(row.ll, want.ll) || !close(row.logRatio, want.logRatio)) {
        wrong.push(`${row.term}: ${row.ll}/${row.logRatio} vs ${want.ll}/${want.logRatio}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every eligible term is on one list or the other.
    const positives = [...target.freq].filter(([w, a]) => a >= 3 && a / target.total > (brown.get(w) ?? 0) / d);
    expect(result.positive.length).toBe(positives.length);
    expect(result.positive.every((r) => r.ll > 0 && r.freq >= 3)).toBe(true);
    expect(result.negative.every((r) => r.ll < 0 && r.refFreq >= 3)).toBe(true);
    for (let i = 1; i < result.positive.length; i++) expect(result.positive[i - 1]!.ll).toBeGreaterThanOrEqual(result.positive[i]!.ll);
  });

  it('bureaucracy ranks among the top positive keywords', () => {
    const rank = result.positive.findIndex((r) => r.term === 'bureaucracy');
    expect(rank).toBeGreaterThanOrEqual(0);
    expect(rank).toBeLessThan(5);
    expect(result.negative.slice(0, 10).map((r) => r.term)).toContain('he');
  });

  it('another indexed corpus can be the reference', () => {
    const ref = referenceFromIndex(brownIndex(), 'brown40');
    const other = counts(rowsOf(brownIndex()));
    expect(ref.tokens).toBe(other.total);
    expect(ref.freq).toEqual(other.freq);
    const r = keywords(index, { limit: 10 }, ref);
    expect(r.positive).toHaveLength(10);
    expect(r.positive.slice(0, 10).map((x) => x.term)).toContain('bureaucracy');
    const top = r.positive[0]!;
    const want = referenceKeyness(top.freq, top.refFreq, target.total, other.total);
    expect(close(top.ll, want.ll) && close(top.logRatio, want.logRatio)).toBe(true);
  });
});
