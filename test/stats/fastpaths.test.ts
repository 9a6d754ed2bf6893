/**
 * The engine's fast paths (top-`limit` selection of collocates, reused scratch arrays, word lists
 * sorted on packed numeric keys and built only for the page asked for) against the plain way:
 * every row built from the row-by-row references, sorted by an ordinary comparator, then paged.
 * Paging boundaries are chosen inside runs of ties on purpose.
 */
import { describe, expect, it } from 'vitest';
import { collocations } from '../../app/stats/collocation.js';
import { frequencyList } from '../../app/stats/frequency.js';
import { bundledStopwords } from '../../app/stats/stoplist.js';
import { ngramList } from '../../app/stats/ngrams.js';
import { keynessLL, keywords, logRatio, referenceFromIndex, type FrequencyReference } from '../../app/stats/keyness.js';
import { loadBrownReference } from '../../app/stats/reference.js';
import { compareTerms } from '../../app/stats/compare.js';
import { windowPositions } from '../../app/stats/windows.js';
import { associate, measureScore } from '../../app/stats/measures.js';
import {
  COLLOC_MEASURES,
  type CollocMeasure,
  type CollocRow,
  type FreqBy,
  type FreqRequest,
  type FreqRow,
} from '../../app/contract/stats.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { brownIndex, chapterIndex, close, refHits, rowsOf, type Row } from './support.js';
import { referenceCollocations, type RefRow } from './reference-colloc.js';

const codePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type Sort = CollocMeasure | 'observed';
const valueOf = (r: RefRow, m: Sort) => (m === 'observed' ? r.O : r[m]);

/** All reference rows with O >= minObserved in the documented order: measure desc, O desc, term. */
function referenceOrder(table: Map<string, RefRow>, minObserved: number, sort: Sort): RefRow[] {
  return [...table.values()]
    .filter((r) => r.O >= Math.max(1, minObserved))
    .sort((x, y) => valueOf(y, sort) - valueOf(x, sort) || y.O - x.O || codePoint(x.term, y.term));
}

/** Limits that cut through a run of rows tied on the sort value (and on O when sorting by O). */
function tieCuts(order: RefRow[], sort: Sort): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < order.length && cuts.length < 3; i++) {
    if (valueOf(order[i - 1]!, sort) === valueOf(order[i]!, sort) && order[i - 1]!.O === order[i]!.O) cuts.push(i);
  }
  return cuts;
}

function expectSameRows(got: CollocRow[], want: RefRow[], label: string): void {
  expect(
    got.map((r) => r.term),
    label,
  ).toEqual(want.map((r) => r.term));
  got.forEach((r, i) => {
    const w = want[i]!;
    expect([r.observed, r.termFreq], `${label} ${r.term}`).toEqual([w.O, w.C]);
    expect(close(r.expected, w.E), `${label} ${r.term} E`).toBe(true);
    for (const m of COLLOC_MEASURES) if (!close(r[m], w[m])) throw new Error(`${label}: ${r.term} ${m} = ${r[m]}, reference ${w[m]}`);
  });
}

function checkCollocations(index: CorpusIndex, rows: Row[], query: string, span: [number, number], by: 'word' | 'lemma') {
  const ref = referenceCollocations(rows, refHits(rows, [query]), span[0], span[1], by);
  let checked = 0;
  for (const sort of [...COLLOC_MEASURES, 'observed'] as Sort[]) {
    for (const minObserved of [1, 2, 3]) {
      const order = referenceOrder(ref.table, minObserved, sort);
      const limits = new Set([0, 1, 7, 50, order.length, order.length + 1, ...tieCuts(order, sort)]);
      for (const limit of limits) {
        const got = collocations(index, { query, span, by, sort, minObserved, limit });
        const label = `${query} ${span} ${by} sort ${sort} min ${minObserved} limit ${limit}`;
        expect(got.windowTokens, label).toBe(ref.R1);
        expect(got.truncated, label).toBe(limit > 0 && order.length > limit);
        expectSameRows(got.rows, limit > 0 ? order.slice(0, limit) : order, label);
        checked++;
      }
    }
  }
  return checked;
}

describe('collocations: selected top rows equal the fully sorted reference', () => {
  it('on the bundled chapter, every measure, by word and lemma, limits inside ties', () => {
    const index = chapterIndex();
    const rows = rowsOf(index);
    let checked = 0;
    checked += checkCollocations(index, rows, 'bureaucracy', [5, 5], 'word');
    checked += checkCollocations(index, rows, 'the', [4, 2], 'word');
    checked += checkCollocations(index, rows, 'revolution', [5, 5], 'lemma');
    expect(checked).toBeGreaterThan(100);
  });
  it('on 40 Brown texts', () => {
    const index = brownIndex();
    const rows = rowsOf(index);
    expect(checkCollocations(index, rows, 'said', [5, 5], 'word')).toBeGreaterThan(50);
  });
});

describe('reused scratch arrays', () => {
  it('hundreds of calls on one index (past the mark generations wrapping) give the same answers', () => {
    const index = chapterIndex();
    const queries = ['bureaucracy', 'the', 'revolution', 'of'];
    const first = queries.map((q) => collocations(index, { query: q, minObserved: 1, limit: 0 }));
    expect(first.every((r) => r.rows.length > 0)).toBe(true);
    for (let i = 0; i < 300; i++) {
      const k = i % queries.length;
      const again = collocations(index, { query: queries[k]!, minObserved: 1, limit: 0 });
      if (JSON.stringify(again) !== JSON.stringify(first[k])) throw new Error(`call ${i} (${queries[k]}) differs from the first`);
    }
  });
});

describe('measureScore', () => {
  it('is bit for bit the value in associate() for every measure', () => {
    let n = 0;
    for (const N of [1000, 123_457, 98_765_432]) {
      for (const R1 of [1, 10, 999, Math.floor(N / 3), N]) {
        for (const C of [1, 2, 17, 500, Math.floor(N / 2)]) {
          for (const O of [1, 2, 3, 11, 499]) {
            if (O > C || O > R1 || C > N || R1 > N) continue;
            const a = associate(O, C, R1, N, 37);
            for (const m of COLLOC_MEASURES)
              expect(Object.is(measureScore(m, O, C, R1, N, 37), a[m]), `${m} ${O} ${C} ${R1} ${N}`).toBe(true);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});

/** The word list the plain way: every row from Maps, sorted by comparators, ranked, re-sorted, then paged. */
function referenceFreq(
  rows: Row[],
  req: FreqRequest,
  window?: Set<number>,
): { types: number; total: number; base: number; rows: FreqRow[] } {
  const by: FreqBy = req.by ?? 'word';
  const key = (r: Row) => (by === 'word' ? r.word : by === 'form' ? r.form : by === 'lemma' ? r.lemma : r.tag);
  const freq = new Map<string, number>();
  const docs = new Map<string, Set<number>>();
  let base = 0;
  for (const r of rows) {
    if (!r.counted || (window && !window.has(r.pos))) continue;
    base++;
    freq.set(key(r), (freq.get(key(r)) ?? 0) + 1);
    if (!docs.has(key(r))) docs.set(key(r), new Set());
    docs.get(key(r))!.add(r.doc);
  }
  const stop =
    by !== 'pos' && (req.stoplist ?? req.stopwords !== undefined)
      ? new Set((req.stopwords ?? [...bundledStopwords()]).map((w) => w.toLowerCase()))
      : undefined;
  const all: FreqRow[] = [];
  for (const [term, f] of freq) {
    if (f < (req.minFreq ?? 1) || stop?.has(term.toLowerCase())) continue;
    all.push({ rank: 0, term, freq: f, perMillion: (f / base) * 1e6, range: docs.get(term)!.size });
  }
  all.sort((a, b) => b.freq - a.freq || codePoint(a.term, b.term));
  all.forEach((r, i) => (r.rank = i + 1));
  const sort = req.sort ?? 'freq';
  const desc = req.descending ?? (sort === 'freq' || sort === 'range' || sort === 'perMillion');
  all.sort((a, b) => (desc ? -1 : 1) * (sort === 'term' ? codePoint(a.term, b.term) : a[sort] - b[sort]) || a.rank - b.rank);
  return { types: freq.size, total: all.length, base, rows: all };
}

/** Compares one page of the engine's list with the same page of the reference's full list. */
function expectSameList(index: CorpusIndex, req: FreqRequest, full: ReturnType<typeof referenceFreq>): void {
  const got = frequencyList(index, req);
  const offset = req.offset ?? 0;
  const limit = req.limit ?? 0;
  const want = { ...full, rows: full.rows.slice(offset, limit > 0 ? offset + limit : undefined) };
  const label = JSON.stringify(req);
  expect([got.types, got.total, got.corpusTokens], label).toEqual([want.types, want.total, want.base]);
  expect(got.rows.length, label).toBe(want.rows.length);
  got.rows.forEach((r, i) => {
    const w = want.rows[i]!;
    if (r.term !== w.term || r.rank !== w.rank || r.freq !== w.freq || r.range !== w.range || !close(r.perMillion, w.perMillion)) {
      throw new Error(`${label} row ${i}: ${JSON.stringify(r)} vs reference ${JSON.stringify(w)}`);
    }
  });
}

/** Offsets where a page starts inside a run of terms tied on freq (the tie broken by term). */
function freqTieOffsets(index: CorpusIndex, by: FreqBy): number[] {
  const all = frequencyList(index, { by, limit: 0 }).rows;
  const out: number[] = [];
  for (let i = 1; i < all.length && out.length < 2; i++) if (all[i - 1]!.freq === all[i]!.freq && all[i]!.freq > 1) out.push(i);
  for (let i = all.length - 1; i > 0 && out.length < 3; i--) if (all[i - 1]!.freq === all[i]!.freq) out.push(i);
  return out;
}

describe('word lists: paged numeric-key orders equal the plain sorted list', () => {
  const SORTS = ['freq', 'term', 'range', 'perMillion', 'rank'] as const;
  const FILTERS: FreqRequest[] = [
    {},
    { minFreq: 3 },
    { stoplist: true },
    { stopwords: ['the', 'Of', 'and', 'bureaucracy'] },
    { stoplist: true, minFreq: 2 },
  ];
  for (const [name, make, bys] of [
    ['the bundled chapter', chapterIndex, ['word', 'form', 'lemma', 'pos']],
    ['40 Brown texts', brownIndex, ['word', 'lemma']],
  ] as const) {
    it(`on ${name}: every grouping, sort, direction, filter and page (pages cut through ties)`, () => {
      const index = make();
      const rows = rowsOf(index);
      let checked = 0;
      for (const by of bys) {
        const ties = freqTieOffsets(index, by);
        // POS tags are few; words always have ties.
        if (by !== 'pos') expect(ties.length).toBeGreaterThan(0);
        const pages: Array<[number, number]> = [
          [0, 0],
          [0, 10],
          [7, 5],
          [3, 0],
          [1e6, 10],
          ...ties.map((t): [number, number] => [t - 2, 5]),
        ];
        for (const sort of SORTS) {
          for (const descending of [undefined, true, false]) {
            for (const filter of FILTERS) {
              const full = referenceFreq(rows, { by, sort, descending, ...filter });
              for (const [offset, limit] of pages) {
                expectSameList(index, { by, sort, descending, offset, limit, ...filter }, full);
                checked++;
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(500);
    });
  }
  it("restricted to a query's windows, sorted and paged", () => {
    const index = chapterIndex();
    const rows = rowsOf(index);
    const window = new Set<number>();
    const hits = refHits(rows, ['the']);
    const occupied = new Set(hits.map((h) => h.start));
    for (const h of hits) {
      for (const dir of [-1, 1]) {
        let taken = 0;
        for (let p = h.start + dir; p >= 0 && p < rows.length && taken < 2 && rows[p]!.doc === rows[h.start]!.doc; p += dir) {
          if (!rows[p]!.counted) continue;
          taken++;
          if (!occupied.has(p)) window.add(p);
        }
      }
    }
    for (const sort of SORTS) {
      for (const descending of [undefined, false]) {
        const filtered = referenceFreq(rows, { sort, descending, minFreq: 2, stoplist: true }, window);
        const plain = referenceFreq(rows, { sort, descending }, window);
        for (const [offset, limit] of [
          [0, 0],
          [5, 20],
        ] as const) {
          expectSameList(index, { query: 'the', span: [2, 2], sort, descending, offset, limit, minFreq: 2, stoplist: true }, filtered);
          expectSameList(index, { query: 'the', span: [2, 2], sort, descending, offset, limit }, plain);
        }
      }
    }
  });
});

/** N-grams the plain way: sentences of counted words, a Map of joined strings, one comparator sort. */
function referenceNgramOrder(rows: Row[], n: number, minFreq: number, minRange: number, keep: (gram: string[]) => boolean = () => true) {
  const freq = new Map<string, number>();
  const docs = new Map<string, Set<number>>();
  let sentence: string[] = [];
  let doc = -1;
  const flush = () => {
    for (let i = 0; i + n <= sentence.length; i++) {
      const gram = sentence.slice(i, i + n);
      if (!keep(gram)) continue;
      const k = gram.join(' ');
      freq.set(k, (freq.get(k) ?? 0) + 1);
      if (!docs.has(k)) docs.set(k, new Set());
      docs.get(k)!.add(doc);
    }
  };
  for (const r of rows) {
    if (r.sentenceStart || r.doc !== doc) {
      flush();
      sentence = [];
      doc = r.doc;
    }
    if (r.counted) sentence.push(r.word);
  }
  flush();
  return [...freq]
    .filter(([k, f]) => f >= minFreq && docs.get(k)!.size >= minRange)
    .map(([ngram, f]) => ({ ngram, freq: f, range: docs.get(ngram)!.size }))
    .sort((a, b) => b.freq - a.freq || codePoint(a.ngram, b.ngram));
}

describe('n-grams: hashed id tuples, ordered only as far as the page, equal the plain sorted list', () => {
  for (const [name, make] of [
    ['the bundled chapter', chapterIndex],
    ['40 Brown texts', brownIndex],
  ] as const) {
    it(`on ${name}: n 2 and 5, filters, pages cut through ties`, () => {
      const index = make();
      const rows = rowsOf(index);
      for (const n of [2, 5]) {
        for (const [minFreq, minRange] of [
          [1, 1],
          [2, 2],
        ] as const) {
          const want = referenceNgramOrder(rows, n, minFreq, minRange);
          const cuts = [0, 1];
          for (let i = 1; i < want.length && cuts.length < 5; i++) if (want[i - 1]!.freq === want[i]!.freq && i % 7 === 3) cuts.push(i - 1);
          for (const offset of cuts) {
            for (const limit of [0, 3, 25]) {
              const got = ngramList(index, { n, minFreq, minRange, offset, limit });
              const label = `n ${n} min ${minFreq}/${minRange} offset ${offset} limit ${limit}`;
              expect(got.total, label).toBe(want.length);
              const page = want.slice(offset, limit > 0 ? offset + limit : undefined);
              expect(
                got.rows.map((r) => [r.ngram, r.freq, r.range]),
                label,
              ).toEqual(page.map((r) => [r.ngram, r.freq, r.range]));
            }
          }
        }
      }
    });
  }
  it('with a query at a position', () => {
    const index = chapterIndex();
    const rows = rowsOf(index);
    for (const position of [undefined, 1, 2]) {
      const want = referenceNgramOrder(rows, 3, 1, 1, (g) => (position ? g[position - 1] === 'the' : g.includes('the')));
      const got = ngramList(index, { n: 3, query: 'the', position, minFreq: 1, offset: 2, limit: 40 });
      expect(got.total).toBe(want.length);
      expect(got.rows.map((r) => r.ngram)).toEqual(want.slice(2, 42).map((r) => r.ngram));
    }
  });
});

/** Keywords the plain way: every row from Maps of counts, sorted by comparator, then cut. */
function referenceKeywords(rows: Row[], ref: FrequencyReference, minFreq: number, by: 'word' | 'lemma') {
  const here = new Map<string, number>();
  let c = 0;
  for (const r of rows) {
    if (!r.counted) continue;
    c++;
    const k = by === 'word' ? r.word : r.lemma;
    here.set(k, (here.get(k) ?? 0) + 1);
  }
  const d = ref.tokens;
  const pos: Array<{ term: string; a: number; b: number; ll: number; lr: number }> = [];
  const neg: typeof pos = [];
  const entry = (term: string, a: number, b: number) => ({
    term,
    a,
    b,
    ll: Math.abs(keynessLL(a, b, c, d)),
    lr: Math.abs(logRatio(a, b, c, d)),
  });
  for (const [term, a] of here) {
    const b = ref.freq.get(term) ?? 0;
    if (a / c > b / d && a >= minFreq) pos.push(entry(term, a, b));
    if (a / c < b / d && b >= minFreq) neg.push(entry(term, a, b));
  }
  for (const [term, b] of ref.freq) if (!here.has(term) && b >= minFreq) neg.push(entry(term, 0, b));
  const order = (x: (typeof pos)[number], y: (typeof pos)[number]) => y.ll - x.ll || y.lr - x.lr || codePoint(x.term, y.term);
  return { positive: pos.sort(order), negative: neg.sort(order) };
}

describe('keywords: top rows selected by heap equal the plain sorted lists', () => {
  it('chapter against Brown (words and lemmas) and against 40 Brown texts, limits inside ties', () => {
    const index = chapterIndex();
    const rows = rowsOf(index);
    const cases: Array<[FrequencyReference, 'word' | 'lemma']> = [
      [loadBrownReference('word'), 'word'],
      [loadBrownReference('lemma'), 'lemma'],
      [referenceFromIndex(brownIndex(), 'brown40'), 'word'],
    ];
    let ties = 0;
    for (const [ref, by] of cases) {
      for (const minFreq of [1, 3]) {
        const want = referenceKeywords(rows, ref, minFreq, by);
        const cuts = new Set([0, 1, 5, 50]);
        for (const list of [want.positive, want.negative]) {
          for (let i = 1; i < list.length && cuts.size < 10; i++) {
            if (list[i - 1]!.ll === list[i]!.ll && list[i - 1]!.lr === list[i]!.lr) {
              cuts.add(i);
              ties++;
            }
          }
        }
        for (const limit of cuts) {
          const got = keywords(index, { by, minFreq, limit }, ref);
          const cut = <T>(xs: T[]) => (limit > 0 ? xs.slice(0, limit) : xs);
          const label = `${ref.name} ${by} min ${minFreq} limit ${limit}`;
          expect(
            got.positive.map((r) => [r.term, r.freq, r.refFreq]),
            label,
          ).toEqual(cut(want.positive).map((r) => [r.term, r.a, r.b]));
          expect(
            got.negative.map((r) => [r.term, r.freq, r.refFreq]),
            label,
          ).toEqual(cut(want.negative).map((r) => [r.term, r.a, r.b]));
        }
      }
    }
    expect(ties).toBeGreaterThan(0);
  });
});

describe('compare: top lists and distinctive collocates equal the plain computation', () => {
  it('on 40 Brown texts, three queries, every measure, several limits', () => {
    const index = brownIndex();
    const queries = ['said', 'would', 'time'];
    const span: [number, number] = [4, 4];
    for (const measure of COLLOC_MEASURES) {
      // Everything from the single-query statistics, which are checked against the reference above.
      const full = queries.map((query) => collocations(index, { query, span, sort: measure, minObserved: 2, limit: 0 }));
      const every = queries.map((query) => collocations(index, { query, span, sort: measure, minObserved: 1, limit: 0 }));
      for (const limit of [0, 1, 5, 20]) {
        const got = compareTerms(index, { queries, span, measure, limit });
        const tops = full.map((r) => (limit > 0 ? r.rows.slice(0, limit) : r.rows));
        const listed = new Map<string, number>();
        for (const t of tops) for (const r of t) listed.set(r.term, (listed.get(r.term) ?? 0) + 1);
        const shared = [...listed].filter(([, n]) => n >= 2).map(([t]) => t);
        expect(got.shared, `${measure} ${limit}`).toEqual(shared);
        got.terms.forEach((t, qi) => {
          expect(t.collocates).toEqual(tops[qi]!.map((r) => ({ ...r, shared: shared.includes(r.term) })));
          const distinctive = full[qi]!.rows.map((r) => {
            let otherScore = -Infinity;
            every.forEach((o, oi) => {
              if (oi === qi) return;
              const there = o.rows.find((x) => x.term === r.term);
              const C = r.termFreq;
              otherScore = Math.max(otherScore, there ? there[measure] : associate(1, C, o.windowTokens, o.corpusTokens, o.hits)[measure]);
            });
            return { term: r.term, score: r[measure], otherScore, difference: r[measure] - otherScore };
          })
            // A collocate shared by two or more top lists is never distinctive of one query.
            .filter((d) => d.difference > 0 && !shared.includes(d.term))
            .sort((a, b) => b.difference - a.difference || codePoint(a.term, b.term));
          expect(t.distinctive, `${measure} ${limit} ${t.query}`).toEqual(limit > 0 ? distinctive.slice(0, limit) : distinctive);
        });
      }
    }
  });
});

describe('window sweep', () => {
  it('overlapping hits of mixed lengths, nested and repeated starts: the same set as stepping out from every hit', () => {
    const index = chapterIndex();
    const rows = rowsOf(index);
    // Hits at every `the`, `of` and `,` with lengths 1..4 (a pseudo-random but fixed pattern), some
    // starting at the same position, many overlapping their neighbours.
    const hits: Array<[number, number]> = [];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    rows.forEach((r, i) => {
      if (r.word !== 'the' && r.word !== 'of' && r.word !== ',') return;
      hits.push([i, Math.min(rows.length, i + 1 + (next() % 4))]);
      if (next() % 5 === 0) hits.push([i, Math.min(rows.length, i + 1 + (next() % 6))]);
    });
    hits.sort((a, b) => a[0] - b[0]);
    const starts = Uint32Array.from(hits, (h) => h[0]);
    const ends = Uint32Array.from(hits, (h) => h[1]);
    for (const [L, R] of [
      [5, 5],
      [0, 3],
      [4, 0],
      [1, 1],
      [12, 9],
    ] as Array<[number, number]>) {
      const occupied = new Set<number>();
      for (const [a, b] of hits) for (let p = a; p < b; p++) occupied.add(p);
      const want = new Set<number>();
      for (const [a, b] of hits) {
        const doc = rows[a]!.doc;
        let need = L;
        for (let p = a - 1; p >= 0 && need > 0 && rows[p]!.doc === doc; p--)
          if (rows[p]!.counted) {
            need--;
            want.add(p);
          }
        need = R;
        for (let p = b; p < rows.length && need > 0 && rows[p]!.doc === doc; p++)
          if (rows[p]!.counted) {
            need--;
            want.add(p);
          }
      }
      for (const p of occupied) want.delete(p);
      const got = Array.from(windowPositions(index, { starts, ends }, L, R));
      expect(new Set(got).size, `${L},${R}`).toBe(got.length);
      expect(
        got.sort((a, b) => a - b),
        `${L},${R}`,
      ).toEqual([...want].sort((a, b) => a - b));
    }
  });
});
