/**
 * Compact encodings for the saved index: LEB128 varints, in blocks of BLOCK tokens so one block can be
 * decoded alone (a KWIC line needs a few values, not a column). Offsets are stored as differences from
 * the previous token (start) or from the token's own start (end), which are small; postings as gaps
 * between positions. Plain JS loops over Uint8Arrays: a general compressor (zlib) was measured at
 * 10 MB/s to compress and 50 MB/s to expand on these machines, far too slow for 100M tokens.
 */

/**
 * Tokens per block of an encoded column. Small, because a KWIC page decodes a block or two per line
 * and its lines may lie in fifty places; the table of block offsets is 2 bytes a token / BLOCK.
 */
export const BLOCK = 4096;

/**
 * A word with at most this many tokens has its positions in its entries of the tables of words spelled
 * backwards (an f64 and a u32, where a more frequent word has its postings' place and byte length).
 */
export const HELD_POSITIONS = 2;

/** Bytes for `values` as varints, growing the buffer as needed. */
class VarintWriter {
  private buf: Uint8Array;
  length = 0;
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length + 5 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    let x = v >>> 0;
    while (x >= 0x80) {
      this.buf[this.length++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    this.buf[this.length++] = x;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Decodes `count` varints from `bytes` starting at `at` into `out[from..]`; returns the next byte index,
 * or -1 when a value is `limit` or more (ids past their table: damaged bytes) or is not a u32.
 *
 * Unrolled by byte rather than a loop over shifts: a first query runs this before the optimiser has,
 * where it costs by the operation, and most values take one or two bytes.
 */
export function readVarints(bytes: Uint8Array, at: number, count: number, out: Uint32Array, from: number, limit = 0x100000000): number {
  let p = at;
  const stop = from + count;
  for (let k = from; k < stop; k++) {
    let b = bytes[p++]!;
    let v = b;
    if (b >= 0x80) {
      b = bytes[p++]!;
      v = (v & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        b = bytes[p++]!;
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = bytes[p++]!;
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            // The fifth byte holds a u32's top four bits.
            b = bytes[p++]!;
            if (b > 0x0f) return -1;
            v += b * 0x10000000;
          }
        }
      }
    }
    if (v >= limit) return -1;
    out[k] = v;
  }
  return p;
}

/** Values as varints one after another (no blocks): a table read whole, whose values are mostly small. */
export function encodeVarints(values: Uint32Array): Uint8Array {
  const w = new VarintWriter(values.length + 16);
  for (let i = 0; i < values.length; i++) w.push(values[i]!);
  return w.bytes();
}

const zig = (d: number): number => (d >= 0 ? d * 2 : -d * 2 - 1);

/** How a u32 column is turned into small numbers before the varints, per block. */
export type Transform = 'plain' | 'start' | 'length';

/**
 * An encoded column: `data` holds the blocks back to back, `blockAt[b]` is where block b starts
 * (blocks + 1 entries, the last = data length).
 * - plain:  the values themselves
 * - start:  zigzag(start[i] - end[i-1]) (end of the previous token; 0 at a block's first token)
 * - length: end[i] - start[i]
 */
export interface EncodedColumn {
  data: Uint8Array;
  blockAt: Float64Array;
}

export function encodeColumn(values: Uint32Array, transform: Transform, base?: Uint32Array): EncodedColumn {
  const n = values.length;
  const blocks = Math.ceil(n / BLOCK);
  const w = new VarintWriter(n + 16);
  const blockAt = new Float64Array(blocks + 1);
  for (let b = 0; b < blocks; b++) {
    blockAt[b] = w.length;
    const lo = b * BLOCK;
    const hi = Math.min(n, lo + BLOCK);
    if (transform === 'plain') for (let i = lo; i < hi; i++) w.push(values[i]!);
    else if (transform === 'length') for (let i = lo; i < hi; i++) w.push(values[i]! - base![i]!);
    else {
      // values = start, base = end
      let prevEnd = 0;
      for (let i = lo; i < hi; i++) {
        w.push(zig(values[i]! - prevEnd));
        prevEnd = base![i]!;
      }
    }
  }
  blockAt[blocks] = w.length;
  return { data: w.bytes(), blockAt };
}

/**
 * Decodes one block, whose bytes start at `at`, into `out` (length = the block's token count), and
 * returns the index of the byte after it, or -1 when a start decodes outside 0..2^32-1 (damaged). A
 * `length` block decodes to the lengths (end = start + length is the caller's); a `start` block needs
 * `lengths`, the decoded lengths of the same block, to know where each previous token ended. With
 * `limit`, a value of `limit` or more is damage too (-1).
 */
export function decodeBlock(
  data: Uint8Array,
  at: number,
  out: Uint32Array,
  transform: Transform,
  lengths?: Uint32Array,
  limit?: number,
): number {
  const next = readVarints(data, at, out.length, out, 0, limit);
  if (next < 0) return -1;
  if (transform === 'start') {
    const base = lengths!;
    let prevEnd = 0;
    for (let i = 0; i < out.length; i++) {
      // The zigzag undone in place: a call per token costs more than the rest of the loop in a first
      // query, before the optimiser has run.
      const z = out[i]!;
      const s = prevEnd + (z & 1 ? -(z + 1) / 2 : z / 2);
      if (s < 0 || s > 0xffffffff) return -1;
      out[i] = s;
      prevEnd = s + base[i]!;
    }
  }
  return next;
}

/**
 * Postings as gaps: per term, varints of (first position, then differences); `termAt` in bytes. With
 * `order`, slot k holds term order[k] and termAt is by slot.
 */
export function encodePostings(
  offsets: Uint32Array,
  positions: Uint32Array,
  order?: Uint32Array,
): { data: Uint8Array; termAt: Float64Array } {
  const terms = offsets.length - 1;
  const w = new VarintWriter(positions.length + 16);
  const termAt = new Float64Array(terms + 1);
  for (let slot = 0; slot < terms; slot++) {
    const t = order ? order[slot]! : slot;
    termAt[slot] = w.length;
    let prev = 0;
    for (let k = offsets[t]!; k < offsets[t + 1]!; k++) {
      const p = positions[k]!;
      w.push(p - prev);
      prev = p;
    }
  }
  termAt[terms] = w.length;
  return { data: w.bytes(), termAt };
}

/** Gaps of one term decoded for markPostings, reused for all but the longest lists. */
const GAPS = new Uint32Array(1 << 16);

/**
 * Marks the positions of one term, from its gap bytes [at, end), in a bitset over the corpus (bit p of
 * word p >>> 5): for a union of many terms without a list per term. Returns where its bytes end, or
 * -1 when they do not decode to `count` ascending positions below `limit` (damaged bytes).
 */
export function markPostings(bytes: Uint8Array, at: number, end: number, count: number, bits: Int32Array, limit: number): number {
  const gaps = count <= GAPS.length ? GAPS : new Uint32Array(count);
  const p = readVarints(bytes, at, count, gaps, 0);
  if (p > end) return -1;
  let prev = 0;
  for (let k = 0; k < count; k++) {
    const gap = gaps[k]!;
    if (gap === 0 && k > 0) return -1;
    prev += gap;
    if (prev >= limit) return -1;
    bits[prev >>> 5]! |= 1 << (prev & 31);
  }
  return p;
}

/**
 * Positions of one term from its gap bytes into `out` (length = the count); returns the number of
 * bytes used, or -1 when a gap after the first is 0 (positions must rise: damaged bytes).
 */
export function decodePostings(bytes: Uint8Array, out: Uint32Array): number {
  return decodePostingsInto(bytes, 0, bytes.length, out.length, out, 0, 0x100000000);
}

/**
 * Positions of one term from its gap bytes [at, end) into out[into, into + count), without a view
 * per term (a union of thousands of terms calls it once each). Returns where its bytes end, or -1
 * when they run past `end` or do not decode to ascending positions below `limit`.
 */
export function decodePostingsInto(
  bytes: Uint8Array,
  at: number,
  end: number,
  count: number,
  out: Uint32Array,
  into: number,
  limit: number,
): number {
  // readVarints's loop again, summing as it goes: one pass over the positions, where reading the gaps
  // and then summing them costs half as much again in a first query, before the optimiser has run.
  let p = at;
  let prev = 0;
  const stop = into + count;
  for (let k = into; k < stop; k++) {
    let b = bytes[p++]!;
    let gap = b;
    if (b >= 0x80) {
      b = bytes[p++]!;
      gap = (gap & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        b = bytes[p++]!;
        gap |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = bytes[p++]!;
          gap |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = bytes[p++]!;
            if (b > 0x0f) return -1;
            gap += b * 0x10000000;
          }
        }
      }
    }
    if (gap === 0 && k > into) return -1;
    prev += gap;
    out[k] = prev;
  }
  return p > end || (count > 0 && prev >= limit) ? -1 : p;
}
