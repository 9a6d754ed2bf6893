/**
 * Trends against references that walk the token rows: bucket sizes from the counted flags, hits per
 * bucket from literal token sequences, and each bucket's way back to the concordance (its `where`
 * through the subcorpus filter, its `range` through KWIC) checked to select exactly what was counted.
 */
import { describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { matchingDocuments, subcorpus } from '../../app/index/subcorpus.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { LoupeFailure } from '../../app/contract/errors.js';
import type { TrendsRequest, TrendsResult } from '../../app/contract/stats.js';
import { NO_VALUE, quote, trends } from '../../app/stats/trends.js';
import { brownTexts } from '../../scripts/brown.js';
import { chapterIndex, close, refHits, rowsOf } from './support.js';

/** Every bucket's concordance: through its range, or through its filter added to the request's. */
function concordanceCount(
  index: CorpusIndex,
  full: CorpusIndex,
  req: TrendsRequest,
  query: string,
  b: TrendsResult['buckets'][number],
): number {
  if (b.range) return kwicPage(index, { query, range: b.range, limit: 0, caseSensitive: req.caseSensitive }).hits;
  const where = req.where ? `${req.where} & ${b.where}` : b.where!;
  return runQuery(subcorpus(full, where), query, { caseSensitive: req.caseSensitive }).starts.length;
}

function failure(f: () => unknown): LoupeFailure {
  try {
    f();
  } catch (e) {
    if (e instanceof LoupeFailure) return e;
    throw e;
  }
  throw new Error('expected a LoupeFailure');
}

describe('trends by segment (the bundled chapter)', () => {
  const index = chapterIndex();
  const rows = rowsOf(index);
  // The counted index of each row, and the segment a reader would cut it into.
  const N = rows.filter((r) => r.counted).length;
  const kOf: number[] = [];
  for (let c = 0, i = 0; i < rows.length; i++) {
    kOf.push(c);
    if (rows[i]!.counted) c++;
  }
  const segOf = (k: number, parts: number) => Math.min(parts - 1, Math.floor((k * parts) / N));

  for (const parts of [10, 7, 2]) {
    it(`cuts ${parts} segments of the counted tokens and counts each term's hits in them`, () => {
      const terms: Array<[string, string[]]> = [
        ['bureaucracy', ['bureaucracy']],
        ['workers', ['workers']],
        ["workers' councils", ['workers', "'", 'councils']],
      ];
      const req: TrendsRequest = { queries: terms.map(([q]) => q), by: 'segment', segments: parts };
      const got = trends(index, req);
      expect(got.by).toBe('segment');
      expect(got.corpusTokens).toBe(N);
      expect(got.buckets.map((b) => b.label)).toEqual(Array.from({ length: parts }, (_, i) => `${i + 1}/${parts}`));

      const size = new Array<number>(parts).fill(0);
      for (let k = 0; k < N; k++) size[segOf(k, parts)]!++;
      expect(got.buckets.map((b) => b.tokens)).toEqual(size);
      // The ranges tile the chapter, in order, without gaps.
      expect(got.buckets[0]!.range![0]).toBe(0);
      expect(got.buckets.at(-1)!.range![1]).toBe(rows.length);
      for (let i = 1; i < parts; i++) expect(got.buckets[i]!.range![0]).toBe(got.buckets[i - 1]!.range![1]);

      terms.forEach(([query, seq], t) => {
        const starts = refHits(rows, seq).map((h) => h.start);
        expect(starts.length).toBeGreaterThan(0);
        const want = new Array<number>(parts).fill(0);
        for (const s of starts) want[segOf(kOf[s]!, parts)]!++;
        const s = got.series[t]!;
        expect(s.query).toBe(query);
        expect(s.hits).toBe(starts.length);
        expect(s.counts).toEqual(want);
        expect(s.counts.reduce((a, b) => a + b, 0)).toBe(runQuery(index, query).starts.length);
        s.perMillion.forEach((pm, i) => expect(close(pm, (want[i]! / size[i]!) * 1e6)).toBe(true));
        // A concordance restricted to a bucket's range shows exactly the hits counted there.
        got.buckets.forEach((b, i) => expect(concordanceCount(index, index, req, query, b)).toBe(s.counts[i]));
      });
    });
  }

  it('gives a segment without tokens a rate of 0, not NaN', () => {
    const got = trends(index, { queries: ['the'], by: 'segment', segments: 1000 });
    expect(got.buckets.every((b) => b.tokens > 0)).toBe(true);
    const tiny = buildIndexSync([{ name: 'short.txt', path: '/short.txt', text: 'Workers unite. Workers of the world.' }]);
    const t = trends(tiny, { queries: ['workers'], by: 'segment', segments: 20 });
    expect(t.buckets.filter((b) => b.tokens === 0).length).toBeGreaterThan(0);
    expect(t.series[0]!.perMillion.every(Number.isFinite)).toBe(true);
    expect(t.series[0]!.counts.reduce((a, b) => a + b, 0)).toBe(2);
    t.buckets.forEach((b, i) => expect(kwicPage(tiny, { query: 'workers', range: b.range, limit: 0 }).hits).toBe(t.series[0]!.counts[i]));
  });

  it('honours case sensitivity', () => {
    const folded = trends(index, { queries: ['russia'], by: 'segment' }).series[0]!;
    const exact = trends(index, { queries: ['russia'], by: 'segment', caseSensitive: true }).series[0]!;
    expect(folded.hits).toBeGreaterThan(0);
    expect(exact.hits).toBe(runQuery(index, 'russia', { caseSensitive: true }).starts.length);
    expect(exact.hits).toBeLessThan(folded.hits);
  });

  it('refuses bad segment counts and names the term a query error belongs to', () => {
    expect(failure(() => trends(index, { queries: ['the'], by: 'segment', segments: 1 })).code).toBe('E_USAGE');
    expect(failure(() => trends(index, { queries: ['the'], by: 'segment', segments: 2.5 })).code).toBe('E_USAGE');
    expect(failure(() => trends(index, { queries: [], by: 'segment' })).code).toBe('E_USAGE');
    const bad = failure(() => trends(index, { queries: ['the', '[word='], by: 'segment' }));
    expect(bad.code).toBe('E_QUERY');
    expect(bad.message).toContain('"[word="');
  });
});

describe('trends by document and by field (Brown texts with metadata)', () => {
  const brown = brownTexts(14);
  // Years for most texts, two of them shared, and two texts without a year; a text category for all.
  const years = [1961, 1958, 1961, 1950, 1972, undefined, 1958, 1966, 1950, 1949, undefined, 1972, 1961, 2001];
  const docs = brown.map((b, i) => ({
    name: `${b.id}.txt`,
    path: `/brown/${b.id}.txt`,
    text: b.text,
    ...(years[i] !== undefined ? { date: `${years[i]}-05-01` } : {}),
    meta: {
      Category: b.category,
      Shelf: i % 3 === 0 ? 'Shelf 10' : i % 3 === 1 ? 'shelf 9' : 'Shelf 2',
      // Numbers whose text order differs from their order as numbers.
      Score: ['2.5', '10', '-1', '2.25', '2.50'][i % 5]!,
    },
  }));
  const index = buildIndexSync(docs);
  const rows = rowsOf(index);
  const docCounted = docs.map((_, d) => rows.filter((r) => r.doc === d && r.counted).length);
  const hitsIn = (seq: string[]) => {
    const per = docs.map(() => 0);
    for (const h of refHits(rows, seq)) per[rows[h.start]!.doc]!++;
    return per;
  };

  it('by document: one bucket per document in corpus order, each selectable by name', () => {
    const req: TrendsRequest = { queries: ['the', 'of the'], by: 'document' };
    const got = trends(index, req);
    expect(got.buckets.map((b) => b.label)).toEqual(docs.map((d) => d.name));
    expect(got.buckets.map((b) => b.tokens)).toEqual(docCounted);
    expect(got.series[0]!.counts).toEqual(hitsIn(['the']));
    expect(got.series[1]!.counts).toEqual(hitsIn(['of', 'the']));
    got.buckets.forEach((b, d) => {
      expect(b.where).toBe(`name = "${docs[d]!.name}"`);
      expect(matchingDocuments(index, b.where!)).toEqual([d]);
    });
    for (const s of got.series) {
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(s.hits);
      got.buckets.forEach((b, i) => expect(concordanceCount(index, index, req, s.query, b)).toBe(s.counts[i]));
      s.perMillion.forEach((pm, i) => expect(close(pm, (s.counts[i]! / docCounted[i]!) * 1e6)).toBe(true));
    }
  });

  it('by document: names with quotes select their document; names the filter cannot tell apart use ranges', () => {
    const odd = buildIndexSync([
      { name: 'say "hi"\\there.txt', path: '/a', text: 'The workers said hi.' },
      { name: 'Notes.txt', path: '/b', text: 'Workers and workers.' },
      { name: 'notes.txt', path: '/c', text: 'No one here.' },
      { name: '1950', path: '/d', text: 'Workers in 1950.' },
      { name: '01950', path: '/e', text: 'Workers again, workers.' },
    ]);
    const got = trends(odd, { queries: ['workers'], by: 'document' });
    expect(got.buckets[0]!.where).toBe(`name = ${quote('say "hi"\\there.txt')}`);
    expect(matchingDocuments(odd, got.buckets[0]!.where!)).toEqual([0]);
    for (const b of got.buckets.slice(1)) {
      expect(b.where).toBeUndefined();
      expect(b.range).toBeDefined();
    }
    expect(got.series[0]!.counts).toEqual([1, 2, 0, 1, 2]);
    got.buckets.forEach((b, i) => {
      const n = b.range
        ? kwicPage(odd, { query: 'workers', range: b.range, limit: 0 }).hits
        : runQuery(subcorpus(odd, b.where!), 'workers').starts.length;
      expect(n).toBe(got.series[0]!.counts[i]);
    });
  });

  it('by year: numeric order, one bucket per value, documents without a year in "(none)"', () => {
    const req: TrendsRequest = { queries: ['the', 'said'], by: 'field', field: 'year' };
    const got = trends(index, req);
    expect(got.field).toBe('year');
    const distinct = [...new Set(years.filter((y) => y !== undefined))].sort((a, b) => a - b);
    expect(got.buckets.map((b) => b.label)).toEqual([...distinct.map(String), NO_VALUE]);
    const thes = hitsIn(['the']);
    got.buckets.forEach((b, i) => {
      const members = years.flatMap((y, d) => ((i < distinct.length ? y === distinct[i] : y === undefined) ? [d] : []));
      expect(b.tokens).toBe(members.reduce((a, d) => a + docCounted[d]!, 0));
      expect(got.series[0]!.counts[i]).toBe(members.reduce((a, d) => a + thes[d]!, 0));
      // The bucket's filter selects exactly its documents, the "(none)" bucket included.
      expect(matchingDocuments(index, b.where!)).toEqual(members);
    });
    for (const s of got.series) {
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(runQuery(index, s.query).starts.length);
      got.buckets.forEach((b, i) => expect(concordanceCount(index, index, req, s.query, b)).toBe(s.counts[i]));
    }
  });

  it('by other fields: values grouped as the filter compares them; numbers by value, text in text order', () => {
    const got = trends(index, { queries: ['the'], by: 'field', field: 'shelf' });
    // "shelf 9" and "Shelf 10" are one value each whatever their case; numbers inside text sort by value.
    expect(got.buckets.map((b) => b.label)).toEqual(['Shelf 2', 'shelf 9', 'Shelf 10']);
    expect(got.buckets.every((b) => b.where?.startsWith('shelf = '))).toBe(true);
    got.buckets.forEach((b) => expect(matchingDocuments(index, b.where!).length).toBeGreaterThan(0));
    const scores = trends(index, { queries: ['the'], by: 'field', field: 'score' });
    expect(scores.buckets.map((b) => b.label)).toEqual(['-1', '2.25', '2.5', '10']);
    expect(matchingDocuments(index, scores.buckets[2]!.where!)).toEqual(docs.flatMap((_, d) => (d % 5 === 0 || d % 5 === 4 ? [d] : [])));
    const cats = trends(index, { queries: ['the'], by: 'field', field: 'Category' });
    expect(cats.buckets.map((b) => b.label)).toEqual([...new Set(brown.map((b) => b.category))].sort());
    expect(cats.series[0]!.counts.reduce((a, b) => a + b, 0)).toBe(cats.series[0]!.hits);
  });

  it('inside a subcorpus: buckets of the subcorpus, and their way back adds to its filter', () => {
    const where = 'year >= 1958';
    const sub = subcorpus(index, where);
    for (const by of ['document', 'segment', 'field'] as const) {
      const req: TrendsRequest = { where, queries: ['the'], by, field: by === 'field' ? 'category' : undefined, segments: 5 };
      const got = trends(sub, req);
      expect(got.corpusTokens).toBe(sub.countedTotal);
      const s = got.series[0]!;
      expect(s.hits).toBe(runQuery(sub, 'the').starts.length);
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(s.hits);
      got.buckets.forEach((b, i) => expect(concordanceCount(sub, index, req, 'the', b)).toBe(s.counts[i]));
    }
  });

  it('refuses an unknown field with E_QUERY, naming it and the fields there are', () => {
    const e = failure(() => trends(index, { queries: ['the'], by: 'field', field: 'decade' }));
    expect(e.code).toBe('E_QUERY');
    expect(e.message).toContain('"decade"');
    for (const f of ['name', 'date', 'year', 'Category', 'Shelf', 'Score']) expect(e.message).toContain(f);
    expect(e.message).not.toContain('author');
    expect(failure(() => trends(index, { queries: ['the'], by: 'field' })).code).toBe('E_USAGE');
  });
});
