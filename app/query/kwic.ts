/**
 * Keyword-in-context pages. Hits come from the positional index; a page builds only its own lines,
 * sliced from the source text, so a line reads exactly as written. Sorting works on integer keys
 * (alphabetical ranks of the case-folded words), never on strings per hit.
 */
import { isRightToLeft } from '../text/language.js';
import { LoupeFailure } from '../contract/errors.js';
import type { KwicLine, KwicPage, KwicRequest, SortKey } from '../contract/types.js';
import { firstAtLeast, lastAtOrBefore, type CorpusIndex } from '../index/store.js';
import { distinctDocuments } from '../index/postings.js';
import { endOf, fixedLengthHits, type Hits } from './hits.js';
import { runQuery, type RunOptions } from './run.js';

/**
 * What the open project says of hits, by document name and the node's first character offset:
 * the KWIC filter, sort and lines read it; the engine builds it from the project's coded lines.
 */
export interface HitCodes {
  /** Bumped whenever the coded lines change, so prepared hit lists are not reused across changes. */
  readonly version: number;
  at(docName: string, start: number): CodedHit | undefined;
  /** True when the document has any coded hit (a cheap test before reading offsets). */
  hasDoc(docName: string): boolean;
}
export interface CodedHit {
  codes: string[];
  categories: string[];
  note?: string;
  state: 'ok' | 'moved' | 'changed';
  /** Position of the first category in the project's order, for sorting; 0 for the first category. */
  rank: number;
}

const DEFAULT_CONTEXT = 8;
const DEFAULT_LIMIT = 50;

/** The `k`-th counted token left (k < 0) or right (k > 0) of a hit, inside its document, or -1. */
export function countedNeighbour(index: CorpusIndex, start: number, end: number, k: number): number {
  const d = index.docOf(start);
  const counted = index.counted;
  if (k < 0) {
    const lo = index.docStart[d]!;
    let need = -k;
    for (let p = start - 1; p >= lo; p--) if (counted[p] && --need === 0) return p;
  } else {
    const hi = index.docStart[d + 1]!;
    let need = k;
    for (let p = end; p < hi; p++) if (counted[p] && --need === 0) return p;
  }
  return -1;
}

/**
 * Token range [from, to) covering up to `n` counted tokens each side of the hit, within its document.
 * Reads single values (countedAt), so a page of a lazily opened index reads a few pages of its file.
 */
function contextRange(index: CorpusIndex, start: number, end: number, n: number): [number, number] {
  const d = index.docOf(start);
  const lo = index.docStart[d]!;
  const hi = index.docStart[d + 1]!;
  let from = start;
  for (let p = start - 1, need = n; p >= lo && need > 0; p--) {
    if (index.countedAt(p)) {
      need--;
      from = p;
    }
  }
  let to = end;
  for (let p = end, need = n; p < hi && need > 0; p++) {
    if (index.countedAt(p)) {
      need--;
      to = p + 1;
    }
  }
  return [from, to];
}

export function kwicLine(index: CorpusIndex, start: number, end: number, context: number): KwicLine {
  const d = index.docOf(start);
  const [from, to] = contextRange(index, start, end, context);
  const nodeStart = index.startAt(start);
  const nodeEnd = index.endAt(end - 1);
  const leftStart = from < start ? index.startAt(from) : nodeStart;
  const rightEnd = to > end ? index.endAt(to - 1) : nodeEnd;
  // The line's characters alone: a lazily opened index need not read the document whole for them.
  const chars = index.textSlice(d, leftStart, rightEnd);
  const line: KwicLine = {
    doc: index.globalDoc(d),
    docName: index.docs[d]!.name,
    position: start,
    docPosition: start - index.docStart[d]!,
    left: chars.slice(0, nodeStart - leftStart),
    node: chars.slice(nodeStart - leftStart, nodeEnd - leftStart),
    right: chars.slice(nodeEnd - leftStart),
    start: nodeStart,
    end: nodeEnd,
  };
  const { sections, pages, language } = index.docs[d]!;
  if (isRightToLeft(language)) line.dir = 'rtl';
  if (sections && sections.length) {
    let i = -1; // last section starting at or before the node (binary search, no array per line)
    for (let lo = 0, hi = sections.length - 1; lo <= hi;) {
      const mid = (lo + hi) >>> 1;
      if (sections[mid]!.start <= nodeStart) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (i >= 0) line.section = sections[i]!.title;
  }
  if (pages && pages.length) {
    const i = lastAtOrBefore(pages, nodeStart);
    if (i >= 0) line.page = i + 1;
  }
  return line;
}

/** mulberry32: small, seeded, good enough for sampling and random order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filterHits(index: CorpusIndex, hits: Hits, filter: string, span: number, opts: RunOptions): Hits {
  const f = runQuery(index, filter, opts);
  const fs = f.starts;
  if (fs.length === 0) return { starts: new Uint32Array(0), ends: new Uint32Array(0) };
  const has = (p: number) => {
    let lo = 0;
    let hi = fs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = fs[mid]!;
      if (v === p) return true;
      if (v < p) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  // One walk each side per hit over the counted tokens of its document (not a fresh walk per distance).
  const counted = index.counted;
  const within = (s: number, e: number): boolean => {
    const d = index.docOf(s);
    const lo = index.docStart[d]!;
    const hi = index.docStart[d + 1]!;
    for (let p = s - 1, left = span; p >= lo && left > 0; p--) {
      if (!counted[p]) continue;
      if (has(p)) return true;
      left--;
    }
    for (let p = e, right = span; p < hi && right > 0; p++) {
      if (!counted[p]) continue;
      if (has(p)) return true;
      right--;
    }
    return false;
  };
  const keep: number[] = [];
  for (let i = 0; i < hits.starts.length; i++) if (within(hits.starts[i]!, endOf(hits, i))) keep.push(i);
  return subsetOf(hits, keep);
}

/** The hits at the given indexes (ascending), keeping a fixed length when there is one. */
function subsetOf(hits: Hits, chosen: ArrayLike<number>): Hits {
  const starts = Uint32Array.from(chosen, (i) => hits.starts[i]!);
  if (hits.length !== undefined) return fixedLengthHits(starts, hits.length);
  return { starts, ends: Uint32Array.from(chosen, (i) => hits.ends[i]!) };
}

/** Hits whose first token lies in [from, to): one slice of the hits, which are in corpus order. */
function rangeHits(hits: Hits, from: number, to: number): Hits {
  const lo = firstAtLeast(hits.starts, from);
  const hi = Math.max(lo, firstAtLeast(hits.starts, to));
  if (lo === 0 && hi === hits.starts.length) return hits;
  const starts = hits.starts.slice(lo, hi);
  return hits.length !== undefined ? fixedLengthHits(starts, hits.length) : { starts, ends: hits.ends.slice(lo, hi) };
}

/** What the project says of the hit starting at token `start`, if anything. */
function codeAt(index: CorpusIndex, codes: HitCodes | undefined, start: number): CodedHit | undefined {
  if (!codes) return undefined;
  const name = index.docs[index.docOf(start)]!.name;
  return codes.hasDoc(name) ? codes.at(name, index.startAt(start)) : undefined;
}

/** Hits coded with one of `wanted` (category ids; '' = no category). */
function codedHits(index: CorpusIndex, hits: Hits, codes: HitCodes | undefined, wanted: string[]): Hits {
  const want = new Set(wanted);
  const uncoded = want.has('');
  const keep: number[] = [];
  const starts = hits.starts;
  for (let i = 0; i < starts.length; i++) {
    const c = codeAt(index, codes, starts[i]!);
    if (c ? c.codes.some((id) => want.has(id)) || (uncoded && c.codes.length === 0) : uncoded) keep.push(i);
  }
  return subsetOf(hits, keep);
}

function sampleHits(hits: Hits, size: number, seed: number): Hits {
  const h = hits.starts.length;
  if (size >= h) return hits;
  // Partial Fisher-Yates over indexes, then back to corpus order.
  const idx = new Uint32Array(h);
  for (let i = 0; i < h; i++) idx[i] = i;
  const rand = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rand() * (h - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return subsetOf(hits, idx.slice(0, size).sort());
}

/**
 * Integer sort keys, one per hit, all >= 0: word ranks + 1 (0 = no neighbour), uint32 random draws.
 * Neighbours are found with a document cursor that moves with the hits (in corpus order), not a
 * binary search per hit.
 */
function keyValues(index: CorpusIndex, hits: Hits, key: SortKey, seed: number, codes?: HitCodes): Uint32Array {
  const starts = hits.starts;
  const h = starts.length;
  const out = new Uint32Array(h);
  if (key === 'code') {
    // Coded lines first, in the order of their first category; uncoded lines after them.
    const none = 0xffff;
    for (let i = 0; i < h; i++) {
      const c = codeAt(index, codes, starts[i]!);
      out[i] = c && c.codes.length > 0 ? c.rank : none;
    }
    return out;
  }
  if (key === 'random') {
    // The same draws as rand() (mulberry32 / 2^32), kept as the integers they are.
    const rand = seededRandom(seed);
    for (let i = 0; i < h; i++) out[i] = rand() * 4294967296;
    return out;
  }
  if (key === 'doc') {
    out.set(starts);
    return out;
  }
  // Ranks of the case-folded words, read through the form column (no case-folded column needed).
  const rank = index.formRank;
  const word = index.form;
  if (key === 'node') {
    for (let i = 0; i < h; i++) out[i] = rank[word[starts[i]!]!]! + 1;
    return out;
  }
  const left = key[0] === 'L';
  const k = Number(key.slice(1));
  const counted = index.counted;
  const docStart = index.docStart;
  const lastDoc = docStart.length - 2;
  const fixed = hits.length;
  const ends = fixed === undefined ? hits.ends : undefined;
  let d = 0;
  for (let i = 0; i < h; i++) {
    const s = starts[i]!;
    if (s < docStart[d]!) d = index.docOf(s); // hits out of corpus order: start the cursor again
    while (d < lastDoc && docStart[d + 1]! <= s) d++;
    let found = -1;
    if (left) {
      const lo = docStart[d]!;
      for (let p = s - 1, need = k; p >= lo; p--) {
        if (counted[p] && --need === 0) {
          found = p;
          break;
        }
      }
    } else {
      const hi = docStart[d + 1]!;
      for (let p = fixed !== undefined ? s + fixed : ends![i]!, need = k; p < hi; p++) {
        if (counted[p] && --need === 0) {
          found = p;
          break;
        }
      }
    }
    out[i] = found < 0 ? 0 : rank[word[found]!]! + 1;
  }
  return out;
}

/** Widest radix digit: 2,048 buckets keep the scatter of each pass within the caches. */
const MAX_DIGIT_BITS = 11;

/**
 * Stable sort of `order` by key[order[i]]: LSD radix over as few digits of at most 11 bits as the
 * largest key needs (two passes for ranks below 4M), carrying the key values with the indexes so
 * each pass reads both sequentially. Returns the sorted order (`order` or `spare`).
 */
function radixByKey(order: Uint32Array, key: Uint32Array, spare: Uint32Array, count: Uint32Array): Uint32Array {
  const h = order.length;
  let keys = new Uint32Array(h);
  let max = 0;
  let min = 0xffffffff;
  for (let i = 0; i < h; i++) {
    const v = key[order[i]!]!;
    keys[i] = v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (min === max) return order; // one value: nothing moves
  const bits = 32 - Math.clz32(max);
  const passes = Math.ceil(bits / MAX_DIGIT_BITS);
  const digitBits = Math.ceil(bits / passes);
  const mask = (1 << digitBits) - 1;
  let keysSpare = new Uint32Array(h);
  let src = order;
  let dst = spare;
  for (let pass = 0, shift = 0; pass < passes; pass++, shift += digitBits) {
    count.fill(0, 0, mask + 2);
    for (let i = 0; i < h; i++) count[((keys[i]! >>> shift) & mask) + 1]!++;
    for (let b = 0; b <= mask; b++) count[b + 1]! += count[b]!;
    for (let i = 0; i < h; i++) {
      const v = keys[i]!;
      const at = count[(v >>> shift) & mask]!++;
      dst[at] = src[i]!;
      keysSpare[at] = v;
    }
    [src, dst] = [dst, src];
    [keys, keysSpare] = [keysSpare, keys];
  }
  return src;
}

/** Order of hits (indexes into hits) for the given sort keys; ties fall back to corpus order. */
export function sortOrder(index: CorpusIndex, hits: Hits, keys: SortKey[], seed = 1, codes?: HitCodes): Uint32Array {
  const h = hits.starts.length;
  let order: Uint32Array = identityOrder(h);
  const effective = keys.filter((k) => k !== 'doc');
  if (effective.length === 0 || h < 2) return order;
  // Least significant key first; each pass is stable, so earlier keys decide and corpus order breaks ties.
  let spare: Uint32Array = new Uint32Array(h);
  const count = new Uint32Array((1 << MAX_DIGIT_BITS) + 1);
  for (let k = effective.length - 1; k >= 0; k--) {
    const key = keyValues(index, hits, effective[k]!, seed, codes);
    const sorted = radixByKey(order, key, spare, count);
    if (sorted !== order) {
      spare = order;
      order = sorted;
    }
  }
  return order;
}

export interface PreparedHits {
  hits: Hits;
  /** Page order: indexes into hits. In corpus order it is the identity, made only if read. */
  order: Uint32Array;
  documents: number;
  /** Hits of the query alone, before filter, range, codes and sample. */
  of: number;
  /** True when the page order is corpus order (no sort keys): order[i] = i. */
  corpusOrder?: boolean;
}

function identityOrder(h: number): Uint32Array {
  const order = new Uint32Array(h);
  for (let i = 0; i < h; i++) order[i] = i;
  return order;
}

export function prepareHits(index: CorpusIndex, req: KwicRequest, codes?: HitCodes): PreparedHits {
  const opts: RunOptions = { caseSensitive: !!req.caseSensitive, matching: req.matching ?? 'shortest' };
  let hits = runQuery(index, req.query, opts);
  const of = hits.starts.length;
  if (req.filter && req.filter.trim()) hits = filterHits(index, hits, req.filter, req.filterSpan ?? 5, opts);
  if (req.range) hits = rangeHits(hits, req.range[0], req.range[1]);
  if (req.codes && req.codes.length > 0) hits = codedHits(index, hits, codes, req.codes);
  if (req.sample !== undefined && req.sample > 0) hits = sampleHits(hits, req.sample, req.seed ?? 1);
  const documents = distinctDocuments(index.docStart, hits.starts);
  const keys = (req.sort ?? []).filter((k) => k !== 'doc');
  if (keys.length > 0) return { hits, order: sortOrder(index, hits, keys, req.seed ?? 1, codes), documents, of };
  const starts = hits.starts;
  let order: Uint32Array | undefined;
  return {
    hits,
    documents,
    of,
    corpusOrder: true,
    get order(): Uint32Array {
      return (order ??= identityOrder(starts.length));
    },
  };
}

/** The starts of the hits a page of `req` shows, in page order. */
export function pageStarts(req: KwicRequest, prepared: PreparedHits): Uint32Array {
  const offset = Math.max(0, req.offset ?? 0);
  const stop = Math.min(prepared.hits.starts.length, offset + Math.max(0, req.limit ?? DEFAULT_LIMIT));
  const order = prepared.corpusOrder ? undefined : prepared.order;
  const out = new Uint32Array(Math.max(0, stop - offset));
  for (let i = offset; i < stop; i++) out[i - offset] = prepared.hits.starts[order ? order[i]! : i]!;
  return out;
}

export function pageOf(index: CorpusIndex, req: KwicRequest, prepared: PreparedHits, codes?: HitCodes): KwicPage {
  const offset = req.offset ?? 0;
  const limit = req.limit ?? DEFAULT_LIMIT;
  if (offset < 0 || limit < 0) throw new LoupeFailure('E_USAGE', 'offset and limit must be zero or more.');
  const context = req.context ?? DEFAULT_CONTEXT;
  const { hits } = prepared;
  const order = prepared.corpusOrder ? undefined : prepared.order;
  const lines: KwicLine[] = [];
  const stop = Math.min(hits.starts.length, offset + limit);
  const markKeys = (req.sort ?? []).filter((k) => k[0] === 'L' || k[0] === 'R');
  for (let i = offset; i < stop; i++) {
    const h = order ? order[i]! : i;
    const line = kwicLine(index, hits.starts[h]!, endOf(hits, h), context);
    if (markKeys.length) markSortWords(index, line, hits.starts[h]!, endOf(hits, h), markKeys);
    const c = codes?.hasDoc(line.docName) ? codes.at(line.docName, line.start) : undefined;
    if (c) {
      if (c.codes.length > 0) {
        line.codes = c.codes;
        line.categories = c.categories;
      }
      if (c.note) line.note = c.note;
      if (c.state !== 'ok') line.codeState = c.state;
    }
    lines.push(line);
  }
  return { query: req.query, hits: hits.starts.length, documents: prepared.documents, of: prepared.of, offset, lines };
}

/** Where in the line's context the words the sort keys read are (when they are inside it). */
function markSortWords(index: CorpusIndex, line: KwicLine, start: number, end: number, keys: SortKey[]): void {
  const leftStart = line.start - line.left.length;
  const marks: NonNullable<KwicLine['marks']> = [];
  for (const key of keys) {
    const k = Number(key.slice(1));
    const left = key[0] === 'L';
    const p = countedNeighbour(index, start, end, left ? -k : k);
    if (p < 0) continue;
    const s = index.startAt(p);
    const e = index.endAt(p);
    if (left && s >= leftStart) marks.push({ key, side: 'left', start: s - leftStart, end: e - leftStart });
    else if (!left && e <= line.end + line.right.length) marks.push({ key, side: 'right', start: s - line.end, end: e - line.end });
  }
  if (marks.length) line.marks = marks;
}

export function kwicPage(index: CorpusIndex, req: KwicRequest, codes?: HitCodes): KwicPage {
  return pageOf(index, req, prepareHits(index, req, codes), codes);
}
