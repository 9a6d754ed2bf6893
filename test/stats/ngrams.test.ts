/** N-grams against a reference that cuts the token rows into sentences and slides a window. */
import { describe, expect, it } from 'vitest';
import { ngramList } from '../../app/stats/ngrams.js';
import { brownIndex, chapterIndex, close, rowsOf, type Row } from './support.js';

function referenceNgrams(rows: Row[], n: number, keep: (words: string[]) => boolean = () => true) {
  const sentences: Array<{ doc: number; words: string[] }> = [];
  let current: { doc: number; words: string[] } | undefined;
  for (const r of rows) {
    if (!current || r.sentenceStart || r.doc !== current.doc) {
      current = { doc: r.doc, words: [] };
      sentences.push(current);
    }
    if (r.counted) current.words.push(r.word);
  }
  const freq = new Map<string, number>();
  const docs = new Map<string, Set<number>>();
  for (const s of sentences) {
    for (let i = 0; i + n <= s.words.length; i++) {
      const gram = s.words.slice(i, i + n);
      if (!keep(gram)) continue;
      const k = gram.join(' ');
      freq.set(k, (freq.get(k) ?? 0) + 1);
      if (!docs.has(k)) docs.set(k, new Set());
      docs.get(k)!.add(s.doc);
    }
  }
  return { freq, docs };
}

for (const [name, make] of [
  ['the bundled chapter', chapterIndex],
  ['40 Brown texts', brownIndex],
] as const) {
  describe(`n-grams on ${name}`, () => {
    const index = make();
    const rows = rowsOf(index);
    const N = rows.filter((r) => r.counted).length;
    for (const n of [2, 3, 6]) {
      it(`n = ${n}: every n-gram's freq, range and per million`, () => {
        const got = ngramList(index, { n, minFreq: 1, limit: 0 });
        const want = referenceNgrams(rows, n);
        expect(got.total).toBe(want.freq.size);
        // Collect mismatches and assert once: tens of thousands of expect() calls would dominate the run.
        const wrong: string[] = [];
        for (const r of got.rows) {
          const f = want.freq.get(r.ngram);
          if (r.freq !== f || r.range !== want.docs.get(r.ngram)?.size || !close(r.perMillion, (f! / N) * 1e6)) {
            wrong.push(`${r.ngram}: ${r.freq}/${r.range} vs ${f}/${want.docs.get(r.ngram)?.size}`);
          }
        }
        expect(wrong).toEqual([]);
      });
    }
    it('minFreq and minRange filter', () => {
      const got = ngramList(index, { n: 2, minFreq: 3, minRange: 2, limit: 0 });
      const want = referenceNgrams(rows, 2);
      const expected = [...want.freq].filter(([k, f]) => f >= 3 && want.docs.get(k)!.size >= 2);
      expect(got.total).toBe(expected.length);
    });
  });
}

describe('n-grams holding a query', () => {
  const index = chapterIndex();
  const rows = rowsOf(index);
  it('at a given slot, and anywhere', () => {
    for (const position of [1, 2, 3]) {
      const got = ngramList(index, { n: 3, query: 'bureaucracy', position, minFreq: 1, limit: 0 });
      const want = referenceNgrams(rows, 3, (g) => g[position - 1] === 'bureaucracy');
      expect(new Map(got.rows.map((r) => [r.ngram, r.freq]))).toEqual(want.freq);
    }
    const any = ngramList(index, { n: 2, query: 'bureaucracy', minFreq: 1, limit: 0 });
    const want = referenceNgrams(rows, 2, (g) => g.includes('bureaucracy'));
    expect(new Map(any.rows.map((r) => [r.ngram, r.freq]))).toEqual(want.freq);
    expect(any.rows[0]!.ngram).toBe('the bureaucracy');
  });
  it('rejects n outside 2..6, a bad position and multi-word queries', () => {
    expect(() => ngramList(index, { n: 1 })).toThrow(/n must be/);
    expect(() => ngramList(index, { n: 7 })).toThrow(/n must be/);
    expect(() => ngramList(index, { n: 3, query: 'the', position: 4 })).toThrow(/position/);
    expect(() => ngramList(index, { n: 3, query: "workers' councils" })).toThrow(/single word/);
  });
});
