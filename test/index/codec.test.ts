/**
 * The saved index's encodings round-trip: every column value and every posting comes back, for
 * offsets that restart at document boundaries, long tokens, values near 2^32, and damaged bytes are
 * reported rather than decoded into something plausible.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK, decodeBlock, decodePostings, decodePostingsInto, encodeColumn, encodePostings } from '../../app/index/codec.js';

/** starts/ends of tokens laid out in documents: offsets restart at 0 at each boundary. */
function offsets(lengths: number[], gaps: number[], restartEvery: number): { start: Uint32Array; end: Uint32Array } {
  const start = new Uint32Array(lengths.length);
  const end = new Uint32Array(lengths.length);
  let at = 0;
  lengths.forEach((len, i) => {
    if (i > 0 && i % restartEvery === 0) at = 0;
    at += gaps[i % gaps.length]!;
    start[i] = at;
    at += len;
    end[i] = at;
  });
  return { start, end };
}

function decodeOffsets(start: Uint32Array, end: Uint32Array): { start: Uint32Array; end: Uint32Array } {
  const s = encodeColumn(start, 'start', end);
  const l = encodeColumn(end, 'length', start);
  const outStart = new Uint32Array(start.length);
  const outEnd = new Uint32Array(start.length);
  for (let b = 0; b * BLOCK < start.length; b++) {
    const lo = b * BLOCK;
    const hi = Math.min(start.length, lo + BLOCK);
    const len = outEnd.subarray(lo, hi);
    expect(decodeBlock(l.data, l.blockAt[b]!, len, 'length')).toBe(l.blockAt[b + 1]);
    expect(decodeBlock(s.data, s.blockAt[b]!, outStart.subarray(lo, hi), 'start', len)).toBe(s.blockAt[b + 1]);
    for (let i = lo; i < hi; i++) outEnd[i] = outStart[i]! + outEnd[i]!;
  }
  return { start: outStart, end: outEnd };
}

describe('codec', () => {
  it('offsets round-trip across blocks and document boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 3 * BLOCK }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 5000 }),
        (lengths, gaps, restart) => {
          const { start, end } = offsets(lengths, gaps, restart);
          const back = decodeOffsets(start, end);
          expect(Array.from(back.start)).toEqual(Array.from(start));
          expect(Array.from(back.end)).toEqual(Array.from(end));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('ids near 2^32 and postings round-trip; a zero gap is reported as damage', () => {
    const ids = Uint32Array.from([0, 1, 127, 128, 16383, 16384, 0xffffffff, 0x7fffffff, 5]);
    const col = encodeColumn(ids, 'plain');
    const out = new Uint32Array(ids.length);
    expect(decodeBlock(col.data, 0, out, 'plain')).toBe(col.data.length);
    expect(Array.from(out)).toEqual(Array.from(ids));

    const offsetsOf = Uint32Array.from([0, 3, 3, 6]);
    const positions = Uint32Array.from([2, 9, 4000000000, 0, 1, 70000]);
    const p = encodePostings(offsetsOf, positions);
    for (let t = 0; t < 3; t++) {
      const got = new Uint32Array(offsetsOf[t + 1]! - offsetsOf[t]!);
      const bytes = p.data.subarray(p.termAt[t]!, p.termAt[t + 1]!);
      expect(decodePostings(bytes, got)).toBe(bytes.length);
      expect(Array.from(got)).toEqual(Array.from(positions.subarray(offsetsOf[t]!, offsetsOf[t + 1]!)));
    }
    expect(decodePostings(Uint8Array.from([5, 0, 1]), new Uint32Array(3))).toBe(-1);
    // A fifth byte holds a u32's top four bits: more is not a u32.
    expect(decodeBlock(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 0, new Uint32Array(1), 'plain')).toBe(5);
    expect(decodeBlock(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x1f]), 0, new Uint32Array(1), 'plain')).toBe(-1);
    expect(decodePostings(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x10]), new Uint32Array(1))).toBe(-1);
  });

  it('values of every varint length round-trip, as column blocks and as postings', () => {
    // Values of one to five bytes: below 2^7, 2^14, 2^21, 2^28 and 2^32.
    const value = fc.integer({ min: 0, max: 4 }).chain((bytes) => fc.integer({ min: 0, max: 2 ** Math.min(32, 7 * (bytes + 1)) - 1 }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 600 }), (values) => {
        const ids = Uint32Array.from(values);
        const col = encodeColumn(ids, 'plain');
        const out = new Uint32Array(ids.length);
        expect(decodeBlock(col.data, 0, out, 'plain')).toBe(col.data.length);
        expect(Array.from(out)).toEqual(values);
        const positions = Uint32Array.from(new Set(values)).sort();
        const p = encodePostings(Uint32Array.from([0, positions.length]), positions);
        const got = new Uint32Array(positions.length);
        expect(decodePostings(p.data, got)).toBe(p.data.length);
        expect(Array.from(got)).toEqual(Array.from(positions));
      }),
      { numRuns: 200 },
    );
  });

  it('terms decode in place into one list, and bytes past their end or positions past the limit are damage', () => {
    const offsetsOf = Uint32Array.from([0, 3, 5, 9]);
    const positions = Uint32Array.from([2, 9, 700, 1, 130000, 0, 5, 16384, 99999]);
    const p = encodePostings(offsetsOf, positions);
    const all = new Uint32Array(positions.length);
    for (let t = 0; t < 3; t++) {
      const count = offsetsOf[t + 1]! - offsetsOf[t]!;
      const used = decodePostingsInto(p.data, p.termAt[t]!, p.termAt[t + 1]!, count, all, offsetsOf[t]!, 100000 + 30001);
      expect(used).toBe(p.termAt[t + 1]);
    }
    expect(Array.from(all)).toEqual(Array.from(positions));
    // The second term's last position (130,000) is at the limit; the first term claimed past its bytes.
    expect(decodePostingsInto(p.data, p.termAt[1]!, p.termAt[2]!, 2, all, 0, 130000)).toBe(-1);
    expect(decodePostingsInto(p.data, p.termAt[0]!, p.termAt[1]! - 1, 3, all, 0, 1e9)).toBe(-1);
  });

  it('a block of ids at or past a limit is damage', () => {
    const col = encodeColumn(Uint32Array.from([4, 0, 7, 2]), 'plain');
    expect(decodeBlock(col.data, 0, new Uint32Array(4), 'plain', undefined, 8)).toBe(col.data.length);
    expect(decodeBlock(col.data, 0, new Uint32Array(4), 'plain', undefined, 7)).toBe(-1);
  });

  it('a start gap that would go below 0 is reported as damage', () => {
    // zigzag 3 = -2: the first token would start at -2.
    expect(decodeBlock(Uint8Array.from([3]), 0, new Uint32Array(1), 'start', Uint32Array.from([1]))).toBe(-1);
  });
});
