/** Word lists against a row-by-row reference: Maps of counts and Sets of documents. */
import { describe, expect, it } from 'vitest';
import { frequencyList } from '../../app/stats/frequency.js';
import { bundledStopwords } from '../../app/stats/stoplist.js';
import type { FreqBy } from '../../app/contract/stats.js';
import { brownIndex, chapterIndex, close, refHits, rowsOf, type Row } from './support.js';

function referenceList(rows: Row[], by: FreqBy, keep: (r: Row) => boolean = () => true) {
  const key = (r: Row) => (by === 'word' ? r.word : by === 'form' ? r.form : by === 'lemma' ? r.lemma : r.tag);
  const freq = new Map<string, number>();
  const docs = new Map<string, Set<number>>();
  let total = 0;
  for (const r of rows) {
    if (!r.counted || !keep(r)) continue;
    total++;
    const k = key(r);
    freq.set(k, (freq.get(k) ?? 0) + 1);
    if (!docs.has(k)) docs.set(k, new Set());
    docs.get(k)!.add(r.doc);
  }
  return { freq, docs, total };
}

const corpora = [
  ['the bundled chapter', chapterIndex],
  ['40 Brown texts', brownIndex],
] as const;

for (const [name, make] of corpora) {
  describe(`word lists on ${name}`, () => {
    const index = make();
    const rows = rowsOf(index);
    for (const by of ['word', 'form', 'lemma', 'pos'] as const) {
      it(`by ${by}: every row's freq, range and per million match`, () => {
        const got = frequencyList(index, { by, limit: 0 });
        const want = referenceList(rows, by);
        expect(got.corpusTokens).toBe(want.total);
        expect(got.types).toBe(want.freq.size);
        expect(got.total).toBe(want.freq.size);
        let sum = 0;
        const wrong: string[] = [];
        got.rows.forEach((r, i) => {
          const f = want.freq.get(r.term);
          const ok =
            r.rank === i + 1 &&
            r.freq === f &&
            r.range === want.docs.get(r.term)?.size &&
            close(r.perMillion, (f / want.total) * 1e6) &&
            (i === 0 || got.rows[i - 1]!.freq >= r.freq);
          if (!ok) wrong.push(`${r.rank} ${r.term}: ${r.freq}/${r.range} vs ${f}/${want.docs.get(r.term)?.size}`);
          sum += r.freq;
        });
        expect(wrong).toEqual([]);
        expect(sum).toBe(want.total);
      });
    }
  });
}

describe('word list options', () => {
  const index = chapterIndex();
  const rows = rowsOf(index);
  it('the stoplist removes the bundled stop words and nothing else', () => {
    const stop = bundledStopwords();
    expect(stop.has('the') && stop.has('of') && !stop.has('bureaucracy')).toBe(true);
    const all = frequencyList(index, {});
    const kept = frequencyList(index, { stoplist: true });
    expect(kept.rows.map((r) => r.term)).toEqual(all.rows.map((r) => r.term).filter((t) => !stop.has(t)));
    expect(kept.rows[0]!.rank).toBe(1);
    expect(kept.rows.slice(0, 5).map((r) => r.term)).toContain('bureaucracy');
  });
  it('a user stop list replaces the bundled one', () => {
    const r = frequencyList(index, { stopwords: ['The', 'bureaucracy'] });
    const terms = r.rows.map((x) => x.term);
    expect(terms).not.toContain('the');
    expect(terms).not.toContain('bureaucracy');
    expect(terms).toContain('of');
  });
  it('minFreq, sorting by term and by range, paging', () => {
    const r = frequencyList(index, { minFreq: 5, sort: 'term' });
    expect(r.rows.every((x) => x.freq >= 5)).toBe(true);
    const terms = r.rows.map((x) => x.term);
    expect(terms).toEqual([...terms].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const desc = frequencyList(index, { minFreq: 5, sort: 'term', descending: true });
    expect(desc.rows.map((x) => x.term)).toEqual([...terms].reverse());
    const page = frequencyList(index, { offset: 10, limit: 5 });
    expect(page.rows.map((x) => x.rank)).toEqual([11, 12, 13, 14, 15]);
    const asc = frequencyList(index, { sort: 'freq', descending: false });
    expect(asc.rows[0]!.freq).toBe(1);
    expect(asc.rows.at(-1)!.rank).toBe(1);
  });
  it("restricted to a query's context windows, it counts exactly the window set", () => {
    const hits = refHits(rows, ['bureaucracy']);
    const occupied = new Set<number>();
    for (const h of hits) occupied.add(h.start);
    const window = new Set<number>();
    for (const h of hits) {
      for (const dir of [-1, 1]) {
        let taken = 0;
        for (let p = h.start + dir; p >= 0 && p < rows.length && taken < 3; p += dir) {
          if (!rows[p]!.counted) continue;
          taken++;
          if (!occupied.has(p)) window.add(p);
        }
      }
    }
    const want = referenceList(rows, 'word', (r) => window.has(r.pos));
    const got = frequencyList(index, { query: 'bureaucracy', span: [3, 3] });
    expect(got.corpusTokens).toBe(window.size);
    expect(new Map(got.rows.map((r) => [r.term, r.freq]))).toEqual(want.freq);
  });
});
