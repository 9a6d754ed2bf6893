/**
 * Queries whose every token is tested on its part of speech alone (`[pos="DET"] [pos="ADJ"]?
 * [pos="NOUN"]`). Common tags have postings lists covering a large share of the corpus; decoding and
 * intersecting those costs more than one pass over the POS column, a byte a token, which is what this
 * does when the lists are long (see scanIsCheaper).
 */
import { POS_BITS } from '../index/encode.js';
import { unionPositions } from '../index/postings.js';
import { firstAtLeast, type CorpusIndex } from '../index/store.js';
import type { Condition, TokenPattern } from './ast.js';
import { fixedLengthHits, type Hits } from './hits.js';
import { resolveTerms } from './terms.js';

/**
 * Positions a postings plan decodes and merges, against tokens a scan reads: decoding a position and
 * merging it costs about this many times a scanned byte.
 */
const POSTING_COST = 8;
/** Tokens read from the column at a time, so a pass holds a chunk rather than the column. */
const CHUNK = 1 << 20;
/** Entries of a row of the tables below: one per value of a tag's bits. */
const ROW = 1 << POS_BITS;
const TAG = ROW - 1;

/**
 * The UPOS tags a condition accepts, as a bit mask over tag ids; undefined when it tests anything other
 * than the part of speech.
 */
export function posMask(index: CorpusIndex, c: Condition, position: number): number | undefined {
  const all = 2 ** index.posTags.length - 1;
  switch (c.type) {
    case 'any':
      return all;
    case 'test': {
      if (c.attr !== 'pos') return undefined;
      let m = 0;
      for (const id of resolveTerms(index, 'pos', c.match, !!c.caseInsensitive, position).ids) m |= 1 << id;
      return c.negate ? all & ~m : m;
    }
    case 'not': {
      const m = posMask(index, c.item, position);
      return m === undefined ? undefined : all & ~m;
    }
    case 'and':
    case 'or': {
      let m = c.type === 'and' ? all : 0;
      for (const item of c.items) {
        const x = posMask(index, item, position);
        if (x === undefined) return undefined;
        m = c.type === 'and' ? m & x : m | x;
      }
      return m;
    }
  }
}

/**
 * True when one pass over the column costs less than the postings plan: `listed` is how many positions
 * the postings of the query's required tokens hold, undefined when some required token has no list
 * (the plan would read the column anyway).
 */
export function scanIsCheaper(tokens: number, listed: number | undefined): boolean {
  return listed === undefined || listed * POSTING_COST >= tokens;
}

/** Each token pattern's mask repeated as the reading's counts say: the masks of one reading. */
export function readingMasks(pats: readonly TokenPattern[], masks: readonly number[], counts: readonly number[]): number[] {
  const out: number[] = [];
  pats.forEach((_, i) => {
    for (let k = 0; k < counts[i]!; k++) out.push(masks[i]!);
  });
  return out;
}

/**
 * The readings as lookup tables, so the pass tests a token with one array read: row `rowOf[r] + k`
 * says which tags token k of reading r accepts; `first` which tags start any reading.
 */
interface Plan {
  ok: Uint8Array;
  rowOf: Int32Array;
  lengthOf: Int32Array;
  first: Uint8Array;
  longest: number;
}

function planOf(readings: number[][]): Plan {
  const rows = readings.reduce((a, r) => a + r.length, 0);
  const ok = new Uint8Array(rows * ROW);
  const rowOf = new Int32Array(readings.length);
  const lengthOf = new Int32Array(readings.length);
  const first = new Uint8Array(ROW);
  let row = 0;
  readings.forEach((masks, r) => {
    rowOf[r] = row;
    lengthOf[r] = masks.length;
    masks.forEach((m, k) => {
      for (let t = 0; t < ROW; t++) if ((m >>> t) & 1) ok[(row + k) * ROW + t] = 1;
    });
    for (let t = 0; t < ROW; t++) first[t] = first[t]! | ok[row * ROW + t]!;
    row += masks.length;
  });
  return { ok, rowOf, lengthOf, first, longest: Math.max(...lengthOf) };
}

/** Hits as they are found, in start order. */
class HitBuffer {
  starts = new Uint32Array(1 << 16);
  ends = new Uint32Array(1 << 16);
  count = 0;
  push(s: number, e: number): void {
    if (this.count === this.starts.length) {
      const starts = new Uint32Array(this.count * 2);
      const ends = new Uint32Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = s;
    this.ends[this.count++] = e;
  }
}

/**
 * Hits of fixed-length readings over the POS column. `readings[r]` is the mask each token of reading
 * r must match, in the order a search from a start tries them: at each start the first reading that
 * matches there, inside one document, gives the hit. When the tags that can start a reading are rare
 * enough, only their positions (from the postings) are looked at; otherwise every token is.
 */
export function scanPosReadings(index: CorpusIndex, readings: number[][]): Hits {
  const n = index.tokenCount;
  const rs = readings.filter((r) => r.length > 0);
  if (rs.length === 0 || n === 0) return fixedLengthHits(new Uint32Array(0), 1);
  const plan = planOf(rs);
  const firstTags: number[] = [];
  let firstCount = 0;
  for (let t = 0; t < index.posTags.length; t++)
    if (plan.first[t]) {
      firstTags.push(t);
      firstCount += index.posFrequency(t);
    }
  const anchors = firstCount * POSTING_COST < n ? unionPositions(firstTags.map((t) => index.posPositions(t))) : undefined;
  const buf = new Uint8Array(CHUNK + plan.longest);
  const out = new HitBuffer();
  let doc = 0;
  let a = 0;
  for (let from = 0; from < n;) {
    if (anchors) {
      if (a === anchors.length) break;
      from = anchors[a]!;
    }
    const to = Math.min(n, from + CHUNK);
    // Past the chunk's end, the tokens a match starting inside it may reach.
    index.readTokens(from, Math.min(n, to + plan.longest - 1), { posPacked: buf });
    if (anchors) {
      const next = firstAtLeast(anchors, to);
      doc = scanAnchors(plan, buf, from, anchors, a, next, index.docStart, doc, out);
      a = next;
    } else doc = scanChunk(plan, buf, from, to, index.docStart, doc, out);
    from = to;
  }
  const count = out.count;
  const fit = (x: Uint32Array) => (count * 2 >= x.length ? x.subarray(0, count) : x.slice(0, count));
  if (rs.every((r) => r.length === rs[0]!.length)) return fixedLengthHits(fit(out.starts), rs[0]!.length);
  return { starts: fit(out.starts), ends: fit(out.ends) };
}

/**
 * The first reading matching at start s, whose tags are buf[i..]; `room` tokens are left in its
 * document. Its length, or 0.
 */
function matchAt(plan: Plan, buf: Uint8Array, i: number, room: number): number {
  const { ok, rowOf, lengthOf } = plan;
  for (let r = 0; r < rowOf.length; r++) {
    const len = lengthOf[r]!;
    if (len > room) continue;
    const row = rowOf[r]!;
    let k = 0;
    while (k < len && ok[(row + k) * ROW + (buf[i + k]! & TAG)] === 1) k++;
    if (k === len) return len;
  }
  return 0;
}

/** Every start from..to, whose tags are buf[0..]; returns the document cursor for the next chunk. */
function scanChunk(plan: Plan, buf: Uint8Array, from: number, to: number, docStart: Uint32Array, doc: number, out: HitBuffer): number {
  const first = plan.first;
  const lastDoc = docStart.length - 2;
  let d = doc;
  const end = to - from;
  for (let i = 0; i < end; i++) {
    if (first[buf[i]! & TAG] === 0) continue;
    const s = from + i;
    while (d < lastDoc && docStart[d + 1]! <= s) d++;
    const len = matchAt(plan, buf, i, docStart[d + 1]! - s);
    if (len > 0) out.push(s, s + len);
  }
  return d;
}

/** The starts anchors[a..b], all inside the chunk whose first token is `from`. */
function scanAnchors(
  plan: Plan,
  buf: Uint8Array,
  from: number,
  anchors: Uint32Array,
  a: number,
  b: number,
  docStart: Uint32Array,
  doc: number,
  out: HitBuffer,
): number {
  const lastDoc = docStart.length - 2;
  let d = doc;
  for (let j = a; j < b; j++) {
    const s = anchors[j]!;
    while (d < lastDoc && docStart[d + 1]! <= s) d++;
    const len = matchAt(plan, buf, s - from, docStart[d + 1]! - s);
    if (len > 0) out.push(s, s + len);
  }
  return d;
}

/** Positions this close are read in one read of the tags between them (keepTags). */
const READ_GAP = 64 * 1024;
/** What one read of the column costs, in scanned bytes (a system call). */
const READ_COST = 4096;

/**
 * True when reading the tags at `candidates` positions costs less than decoding a tag's postings of
 * `listed` positions and merging the two: sparse positions cost a read each, dense ones a pass over
 * the column.
 */
export function tagsCheaper(tokens: number, candidates: number, listed: number): boolean {
  const reads = Math.min(candidates * READ_COST, tokens);
  return reads + candidates < (listed + candidates) * POSTING_COST;
}

/**
 * The positions (ascending) whose tag is in `mask`, read from the POS column around them: a byte a
 * position, in place of decoding and merging a tag's postings, which for a common tag are far longer.
 */
export function keepTags(index: CorpusIndex, positions: Uint32Array, mask: number): Uint32Array {
  const ok = new Uint8Array(ROW);
  for (let t = 0; t < ROW; t++) ok[t] = (mask >>> t) & 1;
  const n = index.tokenCount;
  // Dense positions: the column a chunk at a time. Sparse ones: a read for each group of neighbours.
  const dense = positions.length * READ_COST >= n;
  const out = new Uint32Array(positions.length);
  const buf = new Uint8Array(CHUNK);
  let w = 0;
  let from = 0;
  let to = 0;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]!;
    if (p >= to) {
      from = p;
      to = dense ? Math.min(n, p + CHUNK) : groupEnd(positions, k);
      index.readTokens(from, to, { posPacked: buf });
    }
    if (ok[buf[p - from]! & TAG] === 1) out[w++] = p;
  }
  return w * 2 >= out.length ? out.subarray(0, w) : out.slice(0, w);
}

/** One past the last of the positions from k on that follow each other within READ_GAP and one chunk. */
function groupEnd(positions: Uint32Array, k: number): number {
  const first = positions[k]!;
  let j = k + 1;
  while (j < positions.length && positions[j]! < first + CHUNK && positions[j]! - positions[j - 1]! <= READ_GAP) j++;
  return positions[j - 1]! + 1;
}
