/**
 * Compressed-sparse-row postings: for term id t, its token positions are
 * positions[offsets[t] .. offsets[t+1]), ascending. Built by one counting pass and one fill pass,
 * so building is O(tokens) with no per-term arrays.
 */
export interface Postings {
  readonly offsets: Uint32Array; // length terms + 1
  readonly positions: Uint32Array; // length = number of indexed tokens
}

export function buildPostings(ids: ArrayLike<number>, termCount: number, include?: (pos: number) => boolean): Postings {
  const counts = new Uint32Array(termCount + 1);
  const n = ids.length;
  for (let i = 0; i < n; i++) if (!include || include(i)) counts[ids[i]! + 1]!++;
  for (let t = 0; t < termCount; t++) counts[t + 1]! += counts[t]!;
  const offsets = counts; // counts is now the prefix sum = offsets
  const cursor = offsets.slice(0, termCount);
  const positions = new Uint32Array(offsets[termCount]!);
  for (let i = 0; i < n; i++) if (!include || include(i)) positions[cursor[ids[i]!]!++] = i;
  return { offsets, positions };
}

/**
 * Postings of `fold[ids[i]]` for every token (the case-folded word of each exact form), built from the
 * form column without materialising a word column: the same two passes, one table lookup more.
 */
export function buildFoldedPostings(ids: Uint32Array, fold: Uint32Array, termCount: number): Postings {
  const counts = new Uint32Array(termCount + 1);
  const n = ids.length;
  for (let i = 0; i < n; i++) counts[fold[ids[i]!]! + 1]!++;
  for (let t = 0; t < termCount; t++) counts[t + 1]! += counts[t]!;
  const offsets = counts;
  const cursor = offsets.slice(0, termCount);
  const positions = new Uint32Array(offsets[termCount]!);
  for (let i = 0; i < n; i++) positions[cursor[fold[ids[i]!]!]!++] = i;
  return { offsets, positions };
}

export function postingsOf(p: Postings, term: number): Uint32Array {
  return p.positions.subarray(p.offsets[term]!, p.offsets[term + 1]!);
}

/**
 * Lists holding at least one position in DENSE_SHARE of the span they cover (`/[A-Z]+/`, most words
 * of the corpus) are united by marking a bitset and reading it back: linear, where sorting their
 * concatenation is not.
 */
const DENSE_FROM = 4096;
const DENSE_SHARE = 256;

function unionByBits(lists: Uint32Array[], last: number, total: number): Uint32Array {
  const bits = new Int32Array(Math.floor(last / 32) + 1);
  for (const l of lists) for (let i = 0; i < l.length; i++) bits[l[i]! >>> 5]! |= 1 << (l[i]! & 31);
  return positionsOfBits(bits, total);
}

/** The set bits of a bitset over positions, ascending; `atMost` bounds how many there are. */
export function positionsOfBits(bits: Int32Array, atMost: number): Uint32Array {
  const out = new Uint32Array(atMost);
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    while (x !== 0) {
      const low = x & -x;
      out[n++] = w * 32 + (31 - Math.clz32(low));
      x ^= low;
    }
  }
  return n === atMost ? out : out.slice(0, n);
}

/** Union of several ascending position lists, ascending, without duplicates. */
export function unionPositions(lists: Uint32Array[]): Uint32Array {
  if (lists.length === 0) return new Uint32Array(0);
  if (lists.length === 1) return lists[0]!;
  let total = 0;
  let last = 0;
  for (const l of lists) {
    total += l.length;
    if (l.length) last = Math.max(last, l[l.length - 1]!);
  }
  if (total >= DENSE_FROM && total * DENSE_SHARE >= last) return unionByBits(lists, last, total);
  // Many small lists (a wildcard over the vocabulary): concatenating and sorting beats a k-way merge in JS.
  const out = new Uint32Array(total);
  let k = 0;
  for (const l of lists) {
    out.set(l, k);
    k += l.length;
  }
  out.sort();
  let w = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!;
  return w === out.length ? out : out.slice(0, w);
}

/**
 * First index i >= from with sorted[i] >= value (n if none), galloping from `from`; `n` bounds the
 * search when only sorted[0..n) is in use.
 */
export function gallopTo(sorted: ArrayLike<number>, from: number, value: number, n = sorted.length): number {
  if (from >= n || sorted[from]! >= value) return from;
  // sorted[lo] < value throughout; widen the step until sorted[hi] >= value or the end.
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < n && sorted[hi]! < value) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Number of distinct documents among ascending positions, given the documents' token ranges
 * (docStart, length documents + 1). One binary search per document found and one gallop past its
 * hits, so a word with millions of hits in a few hundred documents costs a few thousand steps.
 */
export function distinctDocuments(docStart: ArrayLike<number>, sorted: ArrayLike<number>): number {
  const docs = docStart.length - 1;
  let count = 0;
  let d = 0;
  for (let i = 0; i < sorted.length;) {
    const p = sorted[i]!;
    // Last document at or after d that starts at or before p (empty documents share a start).
    let lo = d;
    let hi = docs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (docStart[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    d = lo;
    count++;
    i = gallopTo(sorted, i + 1, docStart[d + 1]!);
  }
  return count;
}

/**
 * The usual spelling of each case-folded word: its most frequent exact form (the lowest id on a tie).
 * A saved index keeps postings only for the other spellings (`The`, `THE`), since a word's usual form
 * is its postings minus theirs: the case-sensitive index costs a fraction of a byte a token.
 */
export function usualForms(formCount: ArrayLike<number>, formToWord: ArrayLike<number>, words: number): Uint32Array {
  const usual = new Uint32Array(words).fill(0xffffffff);
  for (let f = 0; f < formToWord.length; f++) {
    const w = formToWord[f]!;
    const u = usual[w]!;
    if (u === 0xffffffff || formCount[f]! > formCount[u]!) usual[w] = f;
  }
  return usual;
}

/** Ascending `a` without the positions in ascending `b`. */
export function differencePositions(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    while (j < b.length && b[j]! < p) j++;
    if (j === b.length || b[j] !== p) out[n++] = p;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** The positions in both ascending lists, galloping through the longer. */
export function intersectPositions(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length > b.length) [a, b] = [b, a];
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length && j < b.length; i++) {
    j = gallopTo(b, j, a[i]!);
    if (b[j] === a[i]) out[n++] = a[i]!;
  }
  return n === out.length ? out : out.slice(0, n);
}

/**
 * Among the tokens flagged in `counted`, how many each group has and in how many documents (from
 * docStart): token i belongs to group `fold ? fold[ids[i]] : ids[i]`. One pass over the tokens. The
 * word list's figures, computed by the statistics and saved with an index.
 */
export function countedTally(
  ids: ArrayLike<number>,
  fold: ArrayLike<number> | undefined,
  size: number,
  counted: Uint8Array,
  docStart: ArrayLike<number>,
): { freq: Uint32Array; range: Uint32Array } {
  const freq = new Uint32Array(size);
  const range = new Uint32Array(size);
  const lastDoc = new Int32Array(size).fill(-1);
  for (let d = 0; d + 1 < docStart.length; d++) {
    for (let i = docStart[d]!, end = docStart[d + 1]!; i < end; i++) {
      if (counted[i] === 0) continue;
      const g = fold === undefined ? ids[i]! : fold[ids[i]!]!;
      freq[g]!++;
      if (lastDoc[g] !== d) {
        lastDoc[g] = d;
        range[g]!++;
      }
    }
  }
  return { freq, range };
}
