/**
 * Trends: relative frequency of queries across documents, equal segments or a metadata field.
 *
 * Every bucket is a set of token positions of the (sub)corpus and a hit belongs to the bucket of its
 * first token, so the counts of a series add up to the query's hits. Buckets by document and by
 * segment are consecutive position ranges; buckets by field are sets of documents. Either way hits
 * are counted by one walk over their sorted starts.
 *
 * Segments cut the counted-token axis as dispersion does (segment i holds the counted indexes k
 * with floor(k * segments / N) = i): a position p belongs to the segment of countedBefore[p], which
 * puts punctuation with the counted token that follows it and trailing punctuation in the last
 * segment. Each segment's `range` is the positions that map to it, so a concordance restricted to
 * that range shows exactly the hits counted there.
 *
 * Buckets by field group values the way the subcorpus filter's `=` compares them (numbers as
 * numbers, text ignoring case and surrounding space), so a bucket's `where` selects exactly its
 * documents. Documents without a value are not left out (the counts would then miss hits): they
 * form a last bucket labelled "(none)", whose `where` excludes every value that occurs.
 */
import { LoupeFailure } from '../contract/errors.js';
import { LIMITS } from '../contract/schema.js';
import type { TrendsBucket, TrendsRequest, TrendsResult, TrendsSeries } from '../contract/stats.js';
import { fieldOf } from '../index/subcorpus.js';
import { firstAtLeast, type CorpusIndex } from '../index/store.js';
import { countedBefore, perMillion } from './counts.js';
import { resolveHits, type HitOptions } from './hits.js';

const DEFAULT_SEGMENTS = 10;
export const NO_VALUE = '(none)';

/** Built-in fields of the subcorpus filter, in the order a reader meets them. */
const BUILT_IN_FIELDS = ['name', 'title', 'author', 'date', 'year', 'source'] as const;

interface Bucketing {
  buckets: TrendsBucket[];
  /** Ascending token positions: bucket b (or document b, with docBucket) covers [bounds[b], bounds[b + 1]). */
  bounds: ArrayLike<number>;
  /** With buckets by field: the bucket of each document, bounds being the document starts. */
  docBucket?: Uint32Array;
}

export function trends(index: CorpusIndex, req: TrendsRequest): TrendsResult {
  if (!Array.isArray(req.queries) || req.queries.length === 0) throw new LoupeFailure('E_USAGE', 'Trends need at least one query.');
  const bucketing = bucketsOf(index, req);
  const series = req.queries.map((query) => seriesOf(index, bucketing, query, req));
  return {
    by: req.by,
    ...(req.by === 'field' ? { field: req.field } : {}),
    corpusTokens: index.countedTotal,
    buckets: bucketing.buckets,
    series,
  };
}

function bucketsOf(index: CorpusIndex, req: TrendsRequest): Bucketing {
  switch (req.by) {
    case 'document':
      return byDocument(index);
    case 'segment':
      return bySegment(index, checkSegments(req.segments ?? DEFAULT_SEGMENTS));
    case 'field':
      return byField(index, req.field);
    default:
      throw new LoupeFailure('E_USAGE', `Trends by "${String(req.by)}": expected document, segment or field.`);
  }
}

function checkSegments(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > LIMITS.trendSegments) {
    throw new LoupeFailure('E_USAGE', `segments must be a whole number 2..${LIMITS.trendSegments}, got ${String(n)}`);
  }
  return n;
}

function seriesOf(index: CorpusIndex, b: Bucketing, query: string, opts: HitOptions): TrendsSeries {
  let starts: Uint32Array;
  try {
    starts = resolveHits(index, query, opts).starts;
  } catch (e) {
    // Several terms are asked at once: say which one the query language refused.
    if (e instanceof LoupeFailure && e.code === 'E_QUERY') throw new LoupeFailure('E_QUERY', `"${query}": ${e.message}`, e.position);
    throw e;
  }
  const perBound = countBetween(starts, b.bounds);
  let counts = perBound;
  if (b.docBucket) {
    counts = new Uint32Array(b.buckets.length);
    for (let d = 0; d < perBound.length; d++) counts[b.docBucket[d]!]! += perBound[d]!;
  }
  const countList = Array.from(counts);
  return {
    query,
    hits: starts.length,
    counts: countList,
    perMillion: countList.map((c, i) => perMillion(c, b.buckets[i]!.tokens)),
  };
}

/** Hits per interval [bounds[i], bounds[i + 1]) of sorted starts: one merge walk, no search per hit. */
function countBetween(starts: Uint32Array, bounds: ArrayLike<number>): Uint32Array {
  const n = bounds.length - 1;
  const out = new Uint32Array(n);
  let i = 0;
  for (let j = 0, h = starts.length; j < h; j++) {
    const s = starts[j]!;
    while (i < n - 1 && s >= bounds[i + 1]!) i++;
    out[i]!++;
  }
  return out;
}

function byDocument(index: CorpusIndex): Bucketing {
  const docs = index.docs;
  const counted = index.docCounted;
  // A name the filter cannot tell from another's (case, or the same number written twice) would
  // select both documents: such documents are shown by their token range instead.
  const seen = new Map<string, number>();
  for (const d of docs) seen.set(filterKey(d.name), (seen.get(filterKey(d.name)) ?? 0) + 1);
  const buckets = docs.map((doc, d): TrendsBucket => {
    const bucket: TrendsBucket = { label: doc.name, tokens: counted[d]! };
    if (seen.get(filterKey(doc.name)) === 1 && doc.name.trim() !== '') bucket.where = `name = ${quote(doc.name)}`;
    else bucket.range = [index.docStart[d]!, index.docStart[d + 1]!];
    return bucket;
  });
  return { buckets, bounds: index.docStart };
}

function bySegment(index: CorpusIndex, segments: number): Bucketing {
  const N = index.countedTotal;
  const cb = countedBefore(index);
  const tokens = index.tokenCount;
  const bounds = new Uint32Array(segments + 1);
  // Segment i starts at the first position whose counted index reaches ceil(i * N / segments).
  for (let i = 1; i < segments; i++) bounds[i] = firstAtLeast(cb, Math.ceil((i * N) / segments));
  bounds[segments] = tokens;
  const buckets: TrendsBucket[] = [];
  for (let i = 0; i < segments; i++) {
    const from = bounds[i]!;
    const to = bounds[i + 1]!;
    buckets.push({ label: `${i + 1}/${segments}`, tokens: cb[to]! - cb[from]!, range: [from, to] });
  }
  return { buckets, bounds };
}

function byField(index: CorpusIndex, fieldReq: string | undefined): Bucketing {
  if (typeof fieldReq !== 'string' || fieldReq.trim() === '') throw new LoupeFailure('E_USAGE', 'Trends by field need the field.');
  const field = fieldReq.trim().toLowerCase();
  const docs = index.docs;
  const values = docs.map((doc) => {
    const v = fieldOf(doc, field)?.trim();
    return v === undefined || v === '' ? undefined : v;
  });
  if (values.every((v) => v === undefined)) {
    throw new LoupeFailure(
      'E_QUERY',
      `Trends by field: no document has a field "${fieldReq.trim()}". Fields in this corpus: ${fieldsOf(index).join(', ')}.`,
    );
  }
  // Group values as the filter's `=` compares them; the first spelling met labels the group.
  const groups = new Map<string, { label: string; tokens: number }>();
  values.forEach((v, d) => {
    if (v === undefined) return;
    const key = filterKey(v);
    const g = groups.get(key);
    if (g) g.tokens += index.docCounted[d]!;
    else groups.set(key, { label: v, tokens: index.docCounted[d]! });
  });
  const keys = [...groups.keys()];
  const numeric = keys.every((k) => k.startsWith('n:'));
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  keys.sort((a, b) =>
    numeric
      ? Number(a.slice(2)) - Number(b.slice(2))
      : collator.compare(groups.get(a)!.label, groups.get(b)!.label) || (a < b ? -1 : a > b ? 1 : 0),
  );
  // A field name the filter cannot spell (a CSV column with spaces) gets no `where`.
  const spellable = /^[\p{L}\p{N}_.-]+$/u.test(field);
  const buckets: TrendsBucket[] = keys.map((k) => {
    const g = groups.get(k)!;
    return spellable ? { label: g.label, tokens: g.tokens, where: `${field} = ${quote(g.label)}` } : { label: g.label, tokens: g.tokens };
  });
  const bucketOfKey = new Map(keys.map((k, i) => [k, i]));
  const docBucket = new Uint32Array(docs.length);
  let none = -1;
  values.forEach((v, d) => {
    if (v !== undefined) {
      docBucket[d] = bucketOfKey.get(filterKey(v))!;
      return;
    }
    if (none < 0) {
      none = buckets.length;
      buckets.push({ label: NO_VALUE, tokens: 0 });
    }
    docBucket[d] = none;
    buckets[none]!.tokens += index.docCounted[d]!;
  });
  if (none >= 0 && spellable) {
    // A document without the field passes every `!=`: excluding each value leaves exactly these.
    const where = buckets
      .slice(0, none)
      .map((b) => `${field} != ${quote(b.label)}`)
      .join(' & ');
    if (where.length <= LIMITS.queryChars) buckets[none]!.where = where;
  }
  return { buckets, bounds: index.docStart, docBucket };
}

/** The fields some document of the index has a value for: the built-in ones, then metadata columns. */
function fieldsOf(index: CorpusIndex): string[] {
  const out: string[] = [];
  const has = (f: string) => index.docs.some((d) => (fieldOf(d, f)?.trim() ?? '') !== '');
  for (const f of BUILT_IN_FIELDS) if (has(f)) out.push(f);
  const seen = new Set<string>(BUILT_IN_FIELDS);
  for (const d of index.docs) {
    for (const k of Object.keys(d.meta ?? {})) {
      const lower = k.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      if (has(lower)) out.push(k);
    }
  }
  return out;
}

/** What the filter's `=` sees of a value: numbers by value, other text ignoring case and outer space. */
function filterKey(value: string): string {
  const v = value.trim();
  return /^-?\d+(\.\d+)?$/.test(v) ? `n:${Number(v)}` : `t:${v.toLowerCase()}`;
}

/** A filter value in quotes, with the parser's escapes for quotes and backslashes. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
