/**
 * Fixed-length sequences of literal tokens (`of the`, `in order to`) by intersecting postings lists
 * shifted by their offsets, instead of reading a token column at every candidate.
 *
 * Why: in a large corpus `of` has millions of positions; checking `the` after each one is a random
 * read of a column far larger than the caches (a cache miss each), while the postings lists are read
 * front to back. The rarest token's positions are the candidates; each other token cuts them down in
 * turn, rarest first, in one of two ways:
 * - a much longer list (`in order to`: `order` against `in`) is galloped (exponential then binary
 *   search from the last place), so most of it is never read;
 * - a list of comparable length (`of the`) is written into a bitset over the corpus, and each
 *   candidate reads one bit. A merge of the two lists does the same work in order, but its
 *   compare-and-advance branches are unpredictable, which makes it the slower of the two. A bitset
 *   in L1-sized blocks is no faster than one over the whole corpus: at one bit per token, the whole
 *   bitset mostly stays in the last-level cache.
 * No token column is touched, so a corpus whose case-folded column is built lazily never has to
 * build it for a phrase of words.
 */
import { gallopTo, unionPositions } from '../index/postings.js';

/** One token of the sequence: `at` tokens after the start it must be at one of these positions. */
export interface ListedToken {
  at: number;
  /** Ascending postings lists, one per accepted id (a literal has one). */
  lists: Uint32Array[];
  /** Total positions over the lists. */
  size: number;
  /** The same positions as a bitset over the corpus, when the index keeps one (very frequent words). */
  bits?: Int32Array;
}

/** Gallop through a list when it holds more than this many positions per candidate; else a bitset. */
const GALLOP_ABOVE = 16;
/** A set of more ids than this is always a bitset: a gallop per list per candidate would cost more. */
const GALLOP_LISTS = 8;
/**
 * A set of ids (`[word="of|in"]`) as the walked token needs its lists merged and sorted first
 * (unionPositions), which costs several times more per position than probing a bitset; so a set is
 * walked only when it is this much rarer than the rarest single word.
 */
const SET_WALK_PENALTY = 8;

/**
 * Keeps the cand[i] (ascending, first n) with cand[i] + delta in `list`, by galloping: writes them
 * to out[0..w) and returns w. out may be cand: entries are written at or before where they were read.
 */
function keepByGallop(cand: Uint32Array, n: number, list: Uint32Array, delta: number, out: Uint32Array): number {
  const m = list.length;
  let w = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const x = cand[i]!;
    const target = x + delta;
    j = gallopTo(list, j, target);
    if (j === m) break;
    if (list[j] === target) out[w++] = x;
  }
  return w;
}

/** Same as keepByGallop for the union of several lists. */
function keepByGallopAny(cand: Uint32Array, n: number, lists: Uint32Array[], delta: number, out: Uint32Array): number {
  const cursor = new Int32Array(lists.length);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const x = cand[i]!;
    const target = x + delta;
    for (let l = 0; l < lists.length; l++) {
      const list = lists[l]!;
      const j = gallopTo(list, cursor[l]!, target);
      cursor[l] = j;
      if (j < list.length && list[j] === target) {
        out[w++] = x;
        break;
      }
    }
  }
  return w;
}

/** Keeps the cand[i] whose cand[i] + delta has its bit set (bits cover [0, tokenCount)); as keepByGallop. */
function keepByBits(cand: Uint32Array, n: number, bits: Int32Array, tokenCount: number, delta: number, out: Uint32Array): number {
  // Candidates ascend, so those whose shifted position falls outside the corpus are at the ends: the
  // loop itself tests nothing but the bit. A branch on the bit, writing only the kept, is faster than
  // an unconditional write with the range test inside the loop.
  let lo = 0;
  while (lo < n && cand[lo]! + delta < 0) lo++;
  let hi = n;
  while (hi > lo && cand[hi - 1]! + delta >= tokenCount) hi--;
  let w = 0;
  for (let i = lo; i < hi; i++) {
    const x = cand[i]!;
    const s = x + delta;
    if ((bits[s >>> 5]! >>> (s & 31)) & 1) out[w++] = x;
  }
  return w;
}

function setBits(bits: Int32Array, list: Uint32Array): void {
  for (let j = 0; j < list.length; j++) {
    const y = list[j]!;
    bits[y >>> 5]! |= 1 << (y & 31);
  }
}

/**
 * Ascending starts s of [s, s + length) where, for every token, position s + at is in one of its
 * lists; the range lies inside [0, tokenCount) and inside one document (docStart: the documents'
 * first positions, then tokenCount). Needs at least one token.
 */
export function intersectShifted(tokens: ListedToken[], length: number, tokenCount: number, docStart: Uint32Array): Uint32Array {
  const weight = (t: ListedToken) => (t.lists.length === 1 ? t.size : t.size * SET_WALK_PENALTY);
  let walker = tokens[0]!;
  for (const t of tokens) if (weight(t) < weight(walker)) walker = t;
  const walkAt = walker.at;
  const walk = walker.lists.length === 1 ? walker.lists[0]! : unionPositions(walker.lists);
  // Rarest first: each pass leaves fewer candidates for the next.
  const rest = tokens.filter((t) => t !== walker).sort((a, b) => a.size - b.size);
  // Candidates stay in walk coordinates (positions of the walked token). `walk` may be a view into
  // the postings, never to be written, so the first pass copies into a buffer the later ones reuse.
  const buf = scratch.candidates(walk.length);
  let cand: Uint32Array = walk;
  let n = walk.length;
  let bits: Int32Array | undefined;
  for (const t of rest) {
    if (n === 0) break;
    const delta = t.at - walkAt;
    if (t.bits) {
      // A kept bitset: one read per candidate, nothing to build.
      n = keepByBits(cand, n, t.bits, tokenCount, delta, buf);
    } else if (t.size > GALLOP_ABOVE * n && t.lists.length <= GALLOP_LISTS) {
      n = t.lists.length === 1 ? keepByGallop(cand, n, t.lists[0]!, delta, buf) : keepByGallopAny(cand, n, t.lists, delta, buf);
    } else {
      if (bits) bits.fill(0);
      else bits = scratch.bitset((tokenCount >>> 5) + 1);
      for (const list of t.lists) setBits(bits, list);
      n = keepByBits(cand, n, bits, tokenCount, delta, buf);
    }
    cand = buf;
  }
  // Back to the sequence's first token, keeping the starts whose sequence fits in the corpus.
  let lo = 0;
  while (lo < n && cand[lo]! < walkAt) lo++;
  let hi = n;
  while (hi > lo && cand[hi - 1]! - walkAt + length > tokenCount) hi--;
  let w = 0;
  for (let i = lo; i < hi; i++) buf[w++] = cand[i]! - walkAt;
  if (length > 1) w = dropCrossing(buf, w, length, docStart);
  return buf.slice(0, w);
}

/**
 * Working arrays kept from one query to the next. In a large corpus a frequent phrase's candidates
 * (`of the`) and a bitset over the corpus take megabytes each; made fresh per query they would be
 * zeroed page by page and, given back as garbage, set off full collections under external memory
 * pressure, which makes the slowest queries several times slower than the typical one. The bitset is
 * cleared before use; candidates are written before they are read.
 */
const scratch = {
  cand: new Uint32Array(0),
  bits: new Int32Array(0),
  candidates(n: number): Uint32Array {
    if (this.cand.length < n) this.cand = new Uint32Array(n);
    return this.cand;
  },
  bitset(n: number): Int32Array {
    if (this.bits.length < n) this.bits = new Int32Array(n);
    else this.bits.fill(0, 0, n);
    return this.bits.subarray(0, n);
  },
};

/**
 * Removes (in place) the starts (first n, ascending) whose sequence of `length` tokens would run
 * into the next document, and returns how many remain. Works boundary by boundary, a gallop each,
 * rather than a document test per start: boundaries are far fewer than the hits of a frequent
 * phrase, and most have no start just before them.
 */
function dropCrossing(starts: Uint32Array, n: number, length: number, docStart: Uint32Array): number {
  let r = 0; // starts[r..] not yet moved
  let w = 0; // starts[..w) kept
  for (let d = 1; d < docStart.length - 1; d++) {
    const b = docStart[d]!;
    // Starts in [b - length + 1, b) cross the boundary at b.
    const from = gallopTo(starts, r, b - length + 1, n);
    if (from >= n) break;
    if (starts[from]! >= b) continue;
    const to = gallopTo(starts, from, b, n);
    if (w !== r) starts.copyWithin(w, r, from);
    w += from - r;
    r = to;
  }
  if (w !== r) starts.copyWithin(w, r, n);
  return w + (n - r);
}
