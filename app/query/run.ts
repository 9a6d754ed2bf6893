/**
 * Running a parsed query against the positional index. Hits are [start, end) token ranges sorted by
 * start, one per start position (the shortest match from there), never crossing a document boundary.
 * With `matching: 'standard'` a hit is also dropped when an earlier hit ends where it ends.
 *
 * Plan: every token pattern compiles to a predicate over token positions (bitmaps over the vocabulary,
 * read through the token columns) and, where it can, to a candidate list from the postings; the
 * conditions on one token are intersected and subtracted as lists (compileAnd). The rarest pattern at
 * a fixed offset anchors the search; the other patterns are checked by predicate. A lone word is its
 * postings list, returned without copying. A fixed-length sequence of plain tests (`of the`, `in order
 * to`) intersects the tokens' postings lists instead (phrase.ts), reading no column, and a query with
 * few fixed-length readings (`DET ADJ? NOUN`) runs as those readings (fixedAlternatives).
 */
import type { Matching } from '../contract/types.js';
import type { CorpusIndex } from '../index/store.js';
import { differencePositions, gallopTo, intersectPositions, unionPositions } from '../index/postings.js';
import { splitLikeCorpus } from '../text/query-split.js';
import { fixedLengthHits, type Hits } from './hits.js';
import type { Condition, ParsedQuery, TokenPattern } from './ast.js';
import { parse } from './parse.js';
import { intersectShifted, type ListedToken } from './phrase.js';
import { keepTags, posMask, readingMasks, scanIsCheaper, scanPosReadings, tagsCheaper } from './pos-scan.js';
import { resolveTerms, type TermSet } from './terms.js';

export interface RunOptions {
  caseSensitive?: boolean;
  /** Default 'shortest'. */
  matching?: Matching;
  /** The corpus has documents tokenised as English (see CorpusIndex.hasEnglish); default true. */
  english?: boolean;
}

type Predicate = (pos: number) => boolean;

interface Compiled {
  test: Predicate;
  /** Number of positions the candidate list would hold, or Infinity when it has none. */
  cost: number;
  /** Ascending positions where the condition may hold (superset), when the postings can say. */
  candidates?: () => Uint32Array;
  /** True when `candidates` is exactly the set of matching positions. */
  exact: boolean;
  /** True when every token passes (`[]`): nothing to check. */
  always?: boolean;
  /** For a negated test: the condition holds exactly where these ascending positions are not. */
  excluded?: () => Uint32Array;
  /** How many positions `excluded` holds. */
  excludedCost?: number;
  /** For a plain (not negated) token test: what it accepts, so callers can read the column directly
   * (terms.column, terms.bitmap, terms.columnIds) or intersect the ids' postings (terms.ids, read
   * through `positions`, which decodes each id's list once per query). */
  lookup?: { terms: TermSet; positions: (id: number) => Uint32Array; all: () => Uint32Array[] };
  /** For a test of the part of speech alone: the tags it accepts (pos-scan.ts posMask). */
  posMask?: number;
}

function compile(index: CorpusIndex, c: Condition, position: number): Compiled {
  switch (c.type) {
    case 'any':
      return { test: () => true, cost: Infinity, exact: false, always: true };
    case 'test': {
      const terms = resolveTerms(index, c.attr, c.match, !!c.caseInsensitive, position);
      // The column and bitmap are read only when a check needs them: a lone word or a phrase of
      // words runs on postings alone, so a lazily opened index answers it without its columns.
      let column: Uint32Array | Uint8Array | undefined;
      let bitmap: Uint8Array | undefined;
      let cost = 0;
      const total = terms.total?.();
      if (total !== undefined) cost = total;
      else for (const id of terms.ids) cost += terms.frequency(id);
      const decoded = new Map<number, Uint32Array>();
      const positions = (id: number): Uint32Array => {
        let list = decoded.get(id);
        if (!list) decoded.set(id, (list = terms.positions(id)));
        return list;
      };
      const all = (): Uint32Array[] => {
        const missing = terms.ids.filter((id) => !decoded.has(id));
        if (missing.length > 1) terms.positionsOf(missing).forEach((list, k) => decoded.set(missing[k]!, list));
        return terms.ids.map(positions);
      };
      let union: Uint32Array | undefined;
      const candidates = () => (union ??= terms.union ? terms.union() : unionPositions(all()));
      const tags = c.attr === 'pos' ? { posMask: posMask(index, c, position)! } : {};
      if (c.negate)
        return {
          test: (p) => (bitmap ??= terms.bitmap)[(column ??= terms.column)[p]!] === 0,
          cost: Infinity,
          exact: false,
          excluded: candidates,
          excludedCost: cost,
          ...tags,
        };
      return {
        test: (p) => (bitmap ??= terms.bitmap)[(column ??= terms.column)[p]!] === 1,
        cost,
        exact: true,
        lookup: { terms, positions, all },
        candidates,
        ...tags,
      };
    }
    case 'not': {
      const inner = compile(index, c.item, position);
      const test: Predicate = (p) => !inner.test(p);
      const tags = inner.posMask !== undefined ? { posMask: posMask(index, c, position)! } : {};
      if (inner.excluded) return { test, cost: inner.excludedCost!, exact: true, candidates: inner.excluded, ...tags };
      if (inner.exact && inner.candidates)
        return { test, cost: Infinity, exact: false, excluded: inner.candidates, excludedCost: inner.cost, ...tags };
      return { test, cost: Infinity, exact: false, ...tags };
    }
    case 'and':
      return compileAnd(
        index,
        c.items.map((i) => compile(index, i, position)),
      );
    case 'or': {
      const items = c.items.map((i) => compile(index, i, position));
      const tests = items.map((i) => i.test);
      const test: Predicate = (p) => tests.some((t) => t(p));
      if (items.every((i) => i.candidates)) {
        return {
          test,
          cost: items.reduce((a, i) => a + i.cost, 0),
          exact: items.every((i) => i.exact),
          candidates: () => unionPositions(items.map((i) => i.candidates!())),
        };
      }
      return { test, cost: Infinity, exact: false };
    }
  }
}

/**
 * A list this many times longer than the rarest condition's is not decoded to intersect or subtract:
 * its condition is tested at the few positions left instead.
 */
const LIST_AT_MOST = 16;

/**
 * Conditions on one token, all of which must hold (`[word="a.*" & !pos="DET"]`): the rarest one's
 * positions, intersected with the other exact lists and less the negated ones' lists, all from the
 * postings, so a first query reads no column. A list far longer than the rarest is tested where it
 * stands instead; a test of the part of speech reads the tags at the positions left (a byte each)
 * where that costs less than decoding its list (tagsCheaper). The result is exact when every
 * condition was taken into the lists or the tags.
 */
function compileAnd(index: CorpusIndex, items: Compiled[]): Compiled {
  const tests = items.map((i) => i.test);
  const test: Predicate = (p) => tests.every((t) => t(p));
  const listed = items.filter((i) => i.candidates);
  if (listed.length === 0) return { test, cost: Infinity, exact: false };
  const best = listed.reduce((a, b) => (b.cost < a.cost ? b : a));
  const limit = best.cost * LIST_AT_MOST;
  const listCost = (i: Compiled) => (i.excluded ? i.excludedCost! : i.cost);
  // A test of the part of speech is read off the tags also where its list would not be merged at all.
  const byTag = items.filter(
    (i) =>
      i !== best &&
      i.posMask !== undefined &&
      (listCost(i) > limit || !(i.candidates || i.excluded) || tagsCheaper(index.tokenCount, best.cost, listCost(i))),
  );
  const both = items.filter((i) => i !== best && !byTag.includes(i) && i.exact && i.candidates && i.cost <= limit);
  const without = items.filter((i) => !byTag.includes(i) && i.excluded && i.excludedCost! <= limit);
  const exact = best.exact && items.every((i) => i === best || both.includes(i) || without.includes(i) || byTag.includes(i));
  let found: Uint32Array | undefined;
  const candidates = () => {
    if (found) return found;
    let c = best.candidates!();
    for (const i of both) c = intersectPositions(c, i.candidates!());
    for (const i of without) c = differencePositions(c, i.excluded!());
    if (byTag.length > 0)
      c = keepTags(
        index,
        c,
        byTag.reduce((m, i) => m & i.posMask!, ~0),
      );
    return (found = c);
  };
  return { test, cost: best.cost, exact, candidates };
}

const EMPTY: Hits = { starts: new Uint32Array(0), ends: new Uint32Array(0) };

function runParsed(index: CorpusIndex, q: ParsedQuery, matching: Matching): Hits {
  const pats = q.tokens;
  const compiled = pats.map((t) => compile(index, t.condition, t.position));
  const n = index.tokenCount;
  if (n === 0) return EMPTY;
  // A pattern that is required but matches nothing anywhere: no hits, without scanning.
  if (pats.some((t, i) => t.min > 0 && compiled[i]!.cost === 0)) return EMPTY;

  const fixed = pats.every((t) => t.min === t.max);
  const scanned = scanPos(index, pats, compiled);
  // Hits of one length have one end per start, so `standard` drops none of them.
  if (fixed) return scanned ?? runFixed(index, pats, compiled);
  const alternatives = fixedAlternatives(pats, compiled);
  const hits = scanned ?? (alternatives ? runAlternatives(index, pats, compiled, alternatives) : runVariable(index, pats, compiled));
  if (matching !== 'standard') return hits;
  const longest = pats.reduce((a, t) => a + t.max, 0);
  return dropSharedEnds(hits, longest);
}

/** A query with more fixed-length readings than this runs as a search from each start (runVariable). */
const MAX_ALTERNATIVES = 16;

/**
 * The fixed-length readings of a query with optional or repeated tokens, as repetition counts per
 * token in the order the search from a start tries them (the first token's fewest first, then the
 * next's): `DET ADJ? NOUN` is `DET NOUN`, then `DET ADJ NOUN`. Each reading then runs as a fixed
 * sequence on the postings, as phrases do, instead of a search from every candidate start reading
 * columns. Undefined when there are too many readings, or a reading has no token to anchor it.
 */
function fixedAlternatives(pats: TokenPattern[], compiled: Compiled[]): number[][] | undefined {
  const readings = readingsOf(pats);
  const anchored = (r: number[]) => r.some((k, i) => k > 0 && compiled[i]!.candidates);
  return readings && readings.length > 0 && readings.every(anchored) ? readings : undefined;
}

/** Every reading of the query that holds a token, in the search's order; undefined past MAX_ALTERNATIVES. */
function readingsOf(pats: TokenPattern[]): number[][] | undefined {
  let count = 1;
  for (const t of pats) count *= t.max - t.min + 1;
  if (count > MAX_ALTERNATIVES) return undefined;
  let readings: number[][] = [[]];
  for (const t of pats) {
    const next: number[][] = [];
    for (const r of readings) for (let k = t.min; k <= t.max; k++) next.push([...r, k]);
    readings = next;
  }
  return readings.filter((r) => r.some((k) => k > 0));
}

/**
 * A query testing only parts of speech, whose tags' postings are long: one pass over the POS column
 * (pos-scan.ts). Undefined when some token tests anything else, or the postings are cheaper.
 */
function scanPos(index: CorpusIndex, pats: TokenPattern[], compiled: Compiled[]): Hits | undefined {
  const masks: number[] = [];
  for (const t of pats) {
    const m = posMask(index, t.condition, t.position);
    if (m === undefined) return undefined;
    masks.push(m);
  }
  const readings = readingsOf(pats);
  if (!readings || readings.length === 0) return undefined;
  let listed: number | undefined = 0;
  for (let i = 0; i < pats.length && listed !== undefined; i++) {
    const c = compiled[i]!;
    if (pats[i]!.min === 0 || c.always) continue;
    listed = c.candidates && Number.isFinite(c.cost) ? listed + c.cost : undefined;
  }
  if (!scanIsCheaper(index.tokenCount, listed)) return undefined;
  return scanPosReadings(
    index,
    readings.map((r) => readingMasks(pats, masks, r)),
  );
}

/**
 * Hits of a query run as its fixed-length readings: at each start, the first reading (in the search's
 * order) that matches there, which is the match the search from that start finds.
 */
function runAlternatives(index: CorpusIndex, pats: TokenPattern[], compiled: Compiled[], readings: number[][]): Hits {
  const found = readings.map((r) => {
    const keep = pats.flatMap((t, i) => (r[i]! > 0 ? [i] : []));
    const fixedPats = keep.map((i) => ({ ...pats[i]!, min: r[i]!, max: r[i]! }));
    const { starts } = runFixed(
      index,
      fixedPats,
      keep.map((i) => compiled[i]!),
    );
    return { starts, length: r.reduce((a, k) => a + k, 0) };
  });
  const k = found.length;
  const lists = found.map((f) => f.starts);
  const lengths = found.map((f) => f.length);
  let total = 0;
  for (const l of lists) total += l.length;
  const starts = new Uint32Array(total);
  const ends = new Uint32Array(total);
  const at = new Uint32Array(k);
  let n = 0;
  // A merge of the readings' sorted starts; at a start several readings share, the first wins.
  for (;;) {
    let best = -1;
    let s = 0;
    for (let a = 0; a < k; a++) {
      const l = lists[a]!;
      const i = at[a]!;
      if (i < l.length && (best < 0 || l[i]! < s)) {
        best = a;
        s = l[i]!;
      }
    }
    if (best < 0) break;
    starts[n] = s;
    ends[n++] = s + lengths[best]!;
    for (let a = 0; a < k; a++) if (lists[a]![at[a]!] === s) at[a]!++;
  }
  // Readings that share many starts leave the arrays far longer than the hits: keep only the hits.
  return n * 2 >= total
    ? { starts: starts.subarray(0, n), ends: ends.subarray(0, n) }
    : { starts: starts.slice(0, n), ends: ends.slice(0, n) };
}

/**
 * Corpus Workbench's `standard` strategy over shortest-per-start hits (its RLeftMaximalMatches):
 * a hit that ends where an earlier hit ends is dropped, so of the hits sharing an end the one that
 * starts first stays. `longest` bounds a hit's length in tokens.
 */
function dropSharedEnds(hits: Hits, longest: number): Hits {
  const { starts, ends } = hits;
  // Hits come in start order and are at most `longest` long, so every end recorded since an earlier
  // hit ending at e lies within `longest` of e: a ring of longest + 1 slots, indexed by end, still
  // holds e when a later hit ends there too. Ends are never 0, the ring's empty value.
  const seen = new Uint32Array(longest + 1);
  const keptStarts = new Uint32Array(starts.length);
  const keptEnds = new Uint32Array(starts.length);
  let w = 0;
  for (let i = 0; i < starts.length; i++) {
    const e = ends[i]!;
    const slot = e % seen.length;
    if (seen[slot] === e) continue;
    seen[slot] = e;
    keptStarts[w] = starts[i]!;
    keptEnds[w++] = e;
  }
  return w === starts.length ? hits : { starts: keptStarts.subarray(0, w), ends: keptEnds.subarray(0, w) };
}

/** Positions in a growing Uint32Array, for outputs of unknown size. */
class PositionList {
  private buf: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Uint32Array(Math.max(16, capacity));
  }
  push(p: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = p;
  }
  /** The positions, copied when the buffer is much larger than what it holds. */
  done(): Uint32Array {
    if (this.length === this.buf.length) return this.buf;
    return this.length * 2 >= this.buf.length ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
  }
}

function runFixed(index: CorpusIndex, pats: TokenPattern[], compiled: Compiled[]): Hits {
  // Offsets of each pattern's first token from the match start.
  const offsets: number[] = [];
  let length = 0;
  for (const t of pats) {
    offsets.push(length);
    length += t.min;
  }
  if (length === 0) return EMPTY;
  // Anchor on the cheapest pattern with postings.
  let anchor = -1;
  for (let i = 0; i < pats.length; i++) {
    if (pats[i]!.min === 0 || !compiled[i]!.candidates) continue;
    if (anchor < 0 || compiled[i]!.cost < compiled[anchor]!.cost) anchor = i;
  }
  const n = index.tokenCount;
  if (anchor >= 0 && length === 1 && compiled[anchor]!.exact) {
    return fixedLengthHits(compiled[anchor]!.candidates!(), 1);
  }
  // Every token a plain test (`of the`, `in order to`, `in the*`): postings, no column reads.
  const plan = anchor >= 0 ? phrasePlan(pats, compiled, offsets) : undefined;
  if (plan) {
    const starts = intersectShifted(plan.listed, length, n, index.docStart);
    return fixedLengthHits(plan.checked.length ? keepChecked(starts, plan.checked) : starts, length);
  }
  // Otherwise (negations, conjunctions, `[]` only) every other token of the match is checked where
  // it stands, by reading the token column at that offset: one array read per check. Checks are
  // grouped by kind so the loop below has no closure call for the common cases: a literal (one id)
  // and a set of ids (a bitmap).
  const litAt: number[] = [];
  const litColumn: Array<Uint32Array | Uint8Array> = [];
  const litId: number[] = [];
  const setAt: number[] = [];
  const setColumn: Array<Uint32Array | Uint8Array> = [];
  const setBitmap: Uint8Array[] = [];
  const fnAt: number[] = [];
  const fnTest: Predicate[] = [];
  pats.forEach((t, i) => {
    const c = compiled[i]!;
    for (let k = 0; k < t.min; k++) {
      if (i === anchor && k === 0 && c.exact) continue;
      const at = offsets[i]! + k;
      if (c.lookup && c.lookup.terms.columnIds.length === 1) {
        litAt.push(at);
        litColumn.push(c.lookup.terms.column);
        litId.push(c.lookup.terms.columnIds[0]!);
      } else if (c.lookup) {
        setAt.push(at);
        setColumn.push(c.lookup.terms.column);
        setBitmap.push(c.lookup.terms.bitmap);
      } else {
        fnAt.push(at);
        fnTest.push(c.test);
      }
    }
  });
  const nLit = litAt.length;
  const nSet = setAt.length;
  const nFn = fnAt.length;
  const docStart = index.docStart;
  const lastDoc = docStart.length - 2;
  let d = 0; // document cursor: starts arrive in ascending order
  let cands: Uint32Array | undefined;
  let shift = 0;
  if (anchor >= 0) {
    cands = compiled[anchor]!.candidates!();
    shift = offsets[anchor]!;
  }
  if (cands && nLit === 1 && nSet === 0 && nFn === 0) {
    // One literal beside the anchor: one column read per candidate, in a loop of its own.
    const col = litColumn[0]!;
    const at = litAt[0]! - shift;
    const id = litId[0]!;
    const out = new Uint32Array(cands.length);
    let w = 0;
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      if (col[c + at] !== id) continue;
      const s = c - shift;
      if (s < 0 || s + length > n) continue;
      while (d < lastDoc && docStart[d + 1]! <= s) d++;
      if (s + length > docStart[d + 1]!) continue;
      out[w++] = s;
    }
    return fixedLengthHits(w * 2 >= out.length ? out.subarray(0, w) : out.slice(0, w), length);
  }
  const out = new PositionList(cands ? cands.length : 1024);
  const total = cands ? cands.length : Math.max(0, n - length + 1);
  outer: for (let i = 0; i < total; i++) {
    const s = cands ? cands[i]! - shift : i;
    if (s < 0 || s + length > n) continue;
    for (let j = 0; j < nLit; j++) if (litColumn[j]![s + litAt[j]!] !== litId[j]) continue outer;
    for (let j = 0; j < nSet; j++) if (setBitmap[j]![setColumn[j]![s + setAt[j]!]!] !== 1) continue outer;
    for (let j = 0; j < nFn; j++) if (!fnTest[j]!(s + fnAt[j]!)) continue outer;
    if (length > 1) {
      while (d < lastDoc && docStart[d + 1]! <= s) d++;
      if (s + length > docStart[d + 1]!) continue;
    }
    out.push(s);
  }
  return fixedLengthHits(out.done(), length);
}

/**
 * A set of more ids than this (`in*`: thousands of words) that occurs this many times more often
 * than the rarest token is checked in the token column at the few surviving starts instead: putting
 * all its positions into a bitset would cost more than the phrase has hits.
 */
const FEW_IDS = 8;
const CHECK_ABOVE = 16;

interface ColumnCheck {
  at: number;
  column: Uint32Array | Uint8Array;
  bitmap: Uint8Array;
}

/**
 * How a fixed-length query whose tokens are all plain tests (or `[]`, which needs no check) runs on
 * postings: the tokens as lists at their offsets from the start, and the large sets to check in the
 * column afterwards. Undefined when some token is not a plain test.
 */
function phrasePlan(
  pats: TokenPattern[],
  compiled: Compiled[],
  offsets: number[],
): { listed: ListedToken[]; checked: ColumnCheck[] } | undefined {
  let rarest = Infinity;
  for (let i = 0; i < pats.length; i++) {
    const c = compiled[i]!;
    if (pats[i]!.min === 0 || c.always) continue;
    if (!c.lookup) return undefined;
    rarest = Math.min(rarest, c.cost);
  }
  const listed: ListedToken[] = [];
  const checked: ColumnCheck[] = [];
  for (let i = 0; i < pats.length; i++) {
    const c = compiled[i]!;
    const t = pats[i]!;
    if (t.min === 0 || c.always) continue;
    const { terms } = c.lookup!;
    const ids = terms.ids;
    if (ids.length > FEW_IDS && c.cost > CHECK_ABOVE * rarest) {
      for (let k = 0; k < t.min; k++) checked.push({ at: offsets[i]! + k, column: terms.column, bitmap: terms.bitmap });
      continue;
    }
    const lists = c.lookup!.all();
    const bits = ids.length === 1 ? terms.bits?.(ids[0]!) : undefined;
    for (let k = 0; k < t.min; k++) listed.push({ at: offsets[i]! + k, lists, size: c.cost, ...(bits ? { bits } : {}) });
  }
  return { listed, checked };
}

/** The starts (owned, ascending) whose tokens pass every column check, in place. */
function keepChecked(starts: Uint32Array, checks: ColumnCheck[]): Uint32Array {
  let w = 0;
  outer: for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    for (const c of checks) if (c.bitmap[c.column[s + c.at]!] !== 1) continue outer;
    starts[w++] = s;
  }
  return starts.subarray(0, w);
}

function runVariable(index: CorpusIndex, pats: TokenPattern[], compiled: Compiled[]): Hits {
  const n = index.tokenCount;
  const docStart = index.docStart;
  // Shortest match from `s`: depth-first over the patterns, fewest repetitions first. step(pi, p)
  // depends only on (pi, p) inside one document, so it is memoised: without that, a few open gaps
  // (`[]{0,50} []{0,50} ...`) make the search exponential. A ring of sum(max)+1 slots per pattern
  // holds every position one start can reach.
  const span = pats.reduce((a, t) => a + t.max, 0) + 1;
  const memoAt = pats.map(() => new Int32Array(span).fill(-1));
  const memoEnd = pats.map(() => new Int32Array(span));
  const matchFrom = (s: number, docEnd: number): number => {
    const step = (pi: number, p: number): number => {
      if (pi === pats.length) return p;
      if (p >= docEnd) return search(pi, p);
      const slot = p % span;
      if (memoAt[pi]![slot] === p) return memoEnd[pi]![slot]!;
      const end = search(pi, p);
      memoAt[pi]![slot] = p;
      memoEnd[pi]![slot] = end;
      return end;
    };
    const search = (pi: number, p: number): number => {
      const t = pats[pi]!;
      const test = compiled[pi]!.test;
      let q = p;
      for (let k = 0; k < t.min; k++, q++) if (q >= docEnd || !test(q)) return -1;
      for (let k = t.min; ; k++) {
        const end = step(pi + 1, q);
        if (end >= 0) return end;
        if (k >= t.max || q >= docEnd || !test(q)) return -1;
        q++;
      }
    };
    return step(0, s);
  };
  const first = pats.findIndex((t) => t.min > 0);
  const startsFromFirst = first === 0 && compiled[0]!.candidates;
  const starts = new PositionList(1024);
  const ends = new PositionList(1024);
  const lastDoc = docStart.length - 2;
  let d = 0; // document cursor: starts are considered in ascending order
  const consider = (s: number) => {
    while (d < lastDoc && docStart[d + 1]! <= s) d++;
    const e = matchFrom(s, docStart[d + 1]!);
    if (e > s) {
      starts.push(s);
      ends.push(e);
    }
  };
  // The cheapest required pattern with postings guides the search: in any match from s its first
  // token lies in [s + gLo, s + gHi] (the sums of min and max before it) and is one of its
  // candidates. So only starts with a candidate in that window can match: a necessary condition,
  // checked with a gallop, or used to list the only starts worth trying.
  let guide = -1;
  for (let j = 0; j < pats.length; j++) {
    if (pats[j]!.min === 0 || !compiled[j]!.candidates) continue;
    if (guide < 0 || compiled[j]!.cost < compiled[guide]!.cost) guide = j;
  }
  let gLo = 0;
  let gHi = 0;
  for (let j = 0; j < guide; j++) {
    gLo += pats[j]!.min;
    gHi += pats[j]!.max;
  }
  const guideCands = guide > 0 ? compiled[guide]!.candidates!() : undefined;
  if (startsFromFirst) {
    const cands = compiled[0]!.candidates!();
    if (!guideCands) {
      for (let i = 0; i < cands.length; i++) consider(cands[i]!);
    } else {
      let c = 0;
      for (let i = 0; i < cands.length; i++) {
        const s = cands[i]!;
        c = gallopTo(guideCands, c, s + gLo);
        if (c === guideCands.length) break;
        if (guideCands[c]! <= s + gHi) consider(s);
      }
    }
  } else if (guideCands) {
    let next = 0; // first start not yet tried
    for (let i = 0; i < guideCands.length; i++) {
      const q = guideCands[i]!;
      const to = q - gLo;
      for (let s = Math.max(next, q - gHi); s <= to; s++) consider(s);
      if (to + 1 > next) next = to + 1;
    }
  } else {
    for (let s = 0; s < n; s++) consider(s);
  }
  return { starts: starts.done(), ends: ends.done() };
}

export function parseQuery(query: string, opts: RunOptions = {}): ParsedQuery {
  const english = opts.english ?? true;
  return parse(query, { splitPlain: (text) => splitLikeCorpus(text, english), caseSensitive: !!opts.caseSensitive });
}

export function runQuery(index: CorpusIndex, query: string, opts: RunOptions = {}): Hits {
  return runParsed(index, parseQuery(query, { english: index.hasEnglish, ...opts }), opts.matching ?? 'shortest');
}
