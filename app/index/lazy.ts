/**
 * A saved index opened without reading it: the header says where every section lies, and the parts a
 * query needs are read when it first needs them. A whole section is checksummed and range-checked as
 * it is read; before that, single values come from one decoded 4,096-token block and one word's
 * postings by range, so a 100-million-token corpus answers its first concordance page after reading
 * a few hundred KiB.
 *
 * A section found damaged on first use cannot be repaired mid-query: the index file is removed (so the
 * next open rebuilds it from the sources) and the query fails with E_INDEX saying so.
 */
import { closeSync, fstatSync, openSync, read, readFileSync, readSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { LoupeFailure } from '../contract/errors.js';
import { TOKEN_KINDS } from '../contract/types.js';
import { UPOS_TAGS } from '../text/tokenise.js';
import { decodeBytes } from '../corpus/decode.js';
import { hashBytes } from '../corpus/read.js';
import { BLOCK, decodeBlock, decodePostings, decodePostingsInto, HELD_POSITIONS, markPostings, readVarints } from './codec.js';
import { differencePositions, positionsOfBits, unionPositions, usualForms } from './postings.js';
import { POS_BITS, type SectionType, type TextSource } from './encode.js';
import { SAMPLE_EVERY, SORTED_SECTIONS, type SortedTable } from './sorted-strings.js';
import {
  firstAtLeast,
  READ_TEXT_AHEAD,
  READ_TEXT_ONCE,
  READ_TEXT_SLICE,
  type ColumnSource,
  type SortedRange,
  type StoredDocument,
  type TokenColumns,
  type U32Column,
  type U8Column,
  type WordOrder,
} from './store.js';

export interface SectionEntry {
  name: string;
  type: SectionType;
  offset: number;
  length: number;
  crc: number;
}

export class LoadFailure extends Error {}

/** Reads `length` bytes at `position` into a buffer of its own (no view into a larger one). */
export function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafeSlow(length);
  let at = 0;
  while (at < length) {
    const n = readSync(fd, buf, at, Math.min(length - at, 1 << 30), position + at);
    if (n === 0) throw new LoadFailure('truncated index');
    at += n;
  }
  return buf;
}

/** The sections of one open index file, by name. */
export class SectionFile {
  private readonly byName: Map<string, SectionEntry>;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly fd: number,
    /** File offset where section offsets start (after the header). */
    private readonly base: number,
    private readonly size: number,
    sections: SectionEntry[],
  ) {
    this.byName = new Map(sections.map((s) => [s.name, s]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  entry(name: string): SectionEntry {
    const s = this.byName.get(name);
    if (!s) throw new LoadFailure(`missing section ${name}`);
    if (this.base + s.offset + s.length > this.size) throw new LoadFailure(`truncated section ${name}`);
    return s;
  }

  /** Sections read whole (and so checksummed) at least once. */
  readonly verified = new Set<string>();

  /** The whole section, checksummed. */
  read(name: string): Buffer {
    const s = this.entry(name);
    let view: Buffer;
    try {
      view = readExactly(this.fd, s.length, this.base + s.offset);
    } catch (e) {
      throw e instanceof LoadFailure ? e : new LoadFailure(`cannot read section ${name}: ${(e as Error).message}`);
    }
    if (crc32(view) !== s.crc) throw new LoadFailure(`checksum mismatch in section ${name}`);
    this.verified.add(name);
    return view;
  }

  /** The whole section, checksummed, read in a background thread; rejects as `read` throws. */
  async readAhead(name: string): Promise<Buffer> {
    const got = await this.readRangeAhead(name, 0, this.entry(name).length);
    if (!got) throw new LoadFailure(`cannot read section ${name}`);
    const buf = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
    if (crc32(buf) !== this.entry(name).crc) throw new LoadFailure(`checksum mismatch in section ${name}`);
    this.verified.add(name);
    return buf;
  }

  /** Bytes [from, from + length) of a section, unverified (the whole-section read checks them later). */
  readRange(name: string, from: number, length: number): Buffer {
    const s = this.entry(name);
    if (from < 0 || from + length > s.length) throw new LoadFailure(`read past the end of section ${name}`);
    return readExactly(this.fd, length, this.base + s.offset + from);
  }

  /**
   * Reads byte ranges [from, from + length) of a section ahead, several at once in the background
   * threads, and drops the bytes: the synchronous reads that follow then find them in the page cache.
   * Failures are ignored here; the read that needs the bytes reports them.
   */
  async prefetch(name: string, ranges: ReadonlyArray<readonly [number, number]>): Promise<void> {
    if (ranges.length < 2 || this.closed) return;
    const s = this.entry(name);
    const position = this.base + s.offset;
    let next = 0;
    const reader = async (): Promise<void> => {
      const buf = Buffer.allocUnsafe(PREFETCH_CHUNK);
      while (next < ranges.length) {
        const [from, length] = ranges[next++]!;
        if (!(from >= 0 && from + length <= s.length)) continue;
        for (let at = 0; at < length; at += PREFETCH_CHUNK) {
          const n = Math.min(PREFETCH_CHUNK, length - at);
          await new Promise<void>((done) => read(this.fd, buf, 0, n, position + from + at, () => done()));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PREFETCH_READS, ranges.length) }, reader));
  }

  /**
   * Reads byte ranges of a section, several at once in the background threads, and hands each to
   * `use` as it lands (in whatever order they land), unverified like readRange. False when a read
   * fails or `use` refuses its bytes: the caller then reads them again synchronously, which reports it.
   */
  async readEach(
    name: string,
    ranges: ReadonlyArray<readonly [number, number]>,
    use: (bytes: Uint8Array, k: number) => boolean,
  ): Promise<boolean> {
    if (this.closed) return false;
    const s = this.entry(name);
    const position = this.base + s.offset;
    let next = 0;
    let ok = true;
    const reader = async (): Promise<void> => {
      while (ok && next < ranges.length) {
        const k = next++;
        const [from, length] = ranges[k]!;
        if (!(from >= 0 && from + length <= s.length)) {
          ok = false;
          return;
        }
        const buf = Buffer.allocUnsafeSlow(length);
        let at = 0;
        while (ok && at < length) {
          const n = await new Promise<number>((done) =>
            read(this.fd, buf, at, length - at, position + from + at, (e, got) => done(e ? 0 : got)),
          );
          if (n === 0) ok = false;
          at += n;
        }
        if (ok && !use(new Uint8Array(buf.buffer, buf.byteOffset, length), k)) ok = false;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PREFETCH_READS, ranges.length) }, reader));
    return ok;
  }

  /** Bytes [from, from + length) of a section, unverified, read in a background thread; undefined when the read fails. */
  async readRangeAhead(name: string, from: number, length: number): Promise<Uint8Array | undefined> {
    let got: Uint8Array | undefined;
    return (await this.readEach(name, [[from, length]], (bytes) => ((got = bytes), true))) ? got : undefined;
  }

  /** Closes the file when `owner` (the index reading it) is collected. */
  closeWith(owner: object): void {
    closer.register(owner, this);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // Already gone with the process's other handles; nothing to release.
    }
  }
}

export function u32Of(v: Buffer, name: string): Uint32Array {
  if (v.byteLength % 4) throw new LoadFailure(`bad length in section ${name}`);
  // allocUnsafeSlow buffers own their memory from offset 0, so the view is aligned; copy if not.
  return v.byteOffset % 4 === 0 ? new Uint32Array(v.buffer, v.byteOffset, v.byteLength / 4) : new Uint32Array(new Uint8Array(v).buffer);
}

function u8Of(v: Buffer): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** What the header of a lazily opened index must say about the columns. */
export interface LazyFacts {
  /** Tokens per block of the encoded columns (codec.ts BLOCK when written). */
  block: number;
  tokens: number;
  countedTotal: number;
  docCounted: number[];
  words: number;
  forms: number;
  lemmas: number;
  /** Whether any case-folded word holds a long s (ſ); absent in indexes saved before it was recorded. */
  longS?: boolean;
}

/** Reads a prefetch keeps in flight (libuv runs four at a time by default), and the most each reads at once. */
const PREFETCH_READS = 8;
const PREFETCH_CHUNK = 1 << 20;
/** Postings this close together in the file are read in one read (wordPositionsMany). */
const GAP_READ = 64 * 1024;
/** Ranks this close are located in one read of the per-word tables (locateWords). */
const RUN_GAP = 1024;
/** From this many separate reads on, a per-word table is read whole instead (locateWords). */
const MANY_READS = 128;
/** Stretches of a sorted table a search read, kept for the searches that follow (the other end of a range, another spelling). */
const MAX_WINDOWS = 16;
/** A union of fewer positions than one in this many tokens is sorted rather than marked in a bitset. */
const SPARSE_UNION = 64;
/** Word ranks remembered from searches of the sorted words before the list is cleared. */
const KNOWN_RANKS = 1 << 20;

/**
 * Where words' postings lie in the file (bytes [from, to)) and how many positions each holds; and the
 * positions of words whose postings need no read (HELD_POSITIONS: the tables hold them).
 */
interface PostingEntries {
  from: Float64Array;
  to: Float64Array;
  count: Uint32Array;
  held: Uint32Array;
}

const NOTHING_HELD = new Uint32Array(0);

/** The reads that cover entries sorted by place: neighbours within GAP_READ bytes share one. */
function readsOf({ from, to }: PostingEntries): Array<{ first: number; last: number; base: number; length: number }> {
  const reads = [];
  for (let i = 0; i < from.length;) {
    let j = i + 1;
    while (j < from.length && from[j]! - to[j - 1]! <= GAP_READ) j++;
    reads.push({ first: i, last: j, base: from[i]!, length: to[j - 1]! - from[i]! });
    i = j;
  }
  return reads;
}

/**
 * Where each entry's positions start in a union's list: the counts before it; the held positions
 * come last, and the total after them.
 */
function slotsOf({ count, held }: PostingEntries): Float64Array {
  const slot = new Float64Array(count.length + 2);
  for (let k = 0; k < count.length; k++) slot[k + 1] = slot[k]! + count[k]!;
  slot[count.length + 1] = slot[count.length]! + held.length;
  return slot;
}

/** A union's list with the held positions in place, for the reads to fill the slots before them. */
function unionList(entries: PostingEntries, slot: Float64Array): Uint32Array {
  const all = new Uint32Array(slot[slot.length - 1]!);
  all.set(entries.held, slot[slot.length - 2]!);
  return all;
}

/**
 * Decodes the postings of the entries one read covers (its bytes start at `read.base`) into a union:
 * each entry's positions at its slot of the list, or marked in the bitset. False when the bytes do not
 * decode to ascending positions below `limit` that end where each entry ends.
 */
function decodeRead(
  bytes: Uint8Array,
  { from, to, count }: PostingEntries,
  read: { first: number; last: number; base: number },
  limit: number,
  into: { all: Uint32Array; slot: Float64Array } | { bits: Int32Array },
): boolean {
  for (let r = read.first; r < read.last; r++) {
    const at = from[r]! - read.base;
    const end = to[r]! - read.base;
    const used =
      'all' in into
        ? decodePostingsInto(bytes, at, end, count[r]!, into.all, into.slot[r]!, limit)
        : markPostings(bytes, at, end, count[r]!, into.bits, limit);
    if (used !== end) return false;
  }
  return true;
}

function byPlaceInFile(parts: PostingEntries[]): PostingEntries {
  const n = parts.reduce((sum, p) => sum + p.count.length, 0);
  const held = new Uint32Array(parts.reduce((sum, p) => sum + p.held.length, 0));
  for (let at = 0, k = 0; k < parts.length; at += parts[k++]!.held.length) held.set(parts[k]!.held, at);
  const from = new Float64Array(n);
  const to = new Float64Array(n);
  const count = new Uint32Array(n);
  let at = 0;
  for (const p of parts) {
    from.set(p.from, at);
    to.set(p.to, at);
    count.set(p.count, at);
    at += p.count.length;
  }
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => from[a]! - from[b]!);
  const out = { from: new Float64Array(n), to: new Float64Array(n), count: new Uint32Array(n), held };
  for (let k = 0; k < n; k++) {
    out.from[k] = from[order[k]!]!;
    out.to[k] = to[order[k]!]!;
    out.count[k] = count[order[k]!]!;
  }
  return out;
}

/** Tokens either side of a hit whose blocks a page's read-ahead reads too (a KWIC context is a few dozen). */
const CONTEXT_REACH = 64;
/** Encoded blocks read ahead and not yet decoded, at most (a few pages' worth). */
const BLOCK_BYTES_AHEAD_HELD = 1024;
/** Decoded blocks kept per column before the oldest is dropped: 4 MiB a column, a few KWIC pages' worth. */
const MAX_BLOCKS = 256;

const closer = new FinalizationRegistry<SectionFile>((f) => f.close());

const f64Of = (v: Buffer, name: string): Float64Array => {
  if (v.byteLength % 8) throw new LoadFailure(`bad length in section ${name}`);
  return v.byteOffset % 8 === 0 ? new Float64Array(v.buffer, v.byteOffset, v.byteLength / 8) : new Float64Array(new Uint8Array(v).buffer);
};

/** Sorted positions -> values: the exceptions to a per-form default (lemma, kind). */
interface Exceptions {
  at: Uint32Array;
  value: Uint32Array | Uint8Array;
}

/** Writes the exceptions at positions [from, to) over the usual values in `out` (entry k is position from + k). */
function overrideExceptions(e: Exceptions, from: number, to: number, out: Uint32Array | Uint8Array): void {
  for (let k = firstAtLeast(e.at, from); k < e.at.length && e.at[k]! < to; k++) out[e.at[k]! - from] = e.value[k]!;
}

/** A token kind read from the saved tables, checked. */
function kindOf(k: number): number {
  if (k >= TOKEN_KINDS.length) throw new LoadFailure('bad kind table');
  return k;
}

function exceptionAt(e: Exceptions, i: number): number {
  let lo = 0;
  let hi = e.at.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = e.at[mid]!;
    if (v === i) return mid;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class LazySource implements ColumnSource {
  readonly countedTotal: number;
  readonly docCounted: Uint32Array;
  readonly wordCount: number;
  readonly formCount: number;
  readonly lemmaCount: number;
  private readonly blocks = new Map<string, Map<number, Uint32Array>>();
  private readonly small = new Map<string, unknown>();

  constructor(
    private readonly sections: SectionFile,
    private readonly facts: LazyFacts,
  ) {
    this.countedTotal = facts.countedTotal;
    this.docCounted = Uint32Array.from(facts.docCounted);
    this.wordCount = facts.words;
    this.formCount = facts.forms;
    this.lemmaCount = facts.lemmas;
  }

  private guard<T>(what: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof LoadFailure)) throw e;
      // The index cannot be trusted any more: make sure the next open rebuilds it.
      rmSync(this.sections.file, { force: true });
      throw new LoupeFailure(
        'E_INDEX',
        `The saved index of this corpus is damaged (${e.message}, reading ${what}). It has been removed; open the corpus again to rebuild it.`,
      );
    }
  }

  /** A small section read whole once and kept (tables per form or word, block offsets, exceptions). */
  private kept<T>(name: string, make: (b: Buffer) => T): T {
    if (!this.small.has(name)) {
      const ahead = this.readAhead.get(name);
      this.readAhead.delete(name);
      this.small.set(name, make(ahead ?? this.sections.read(name)));
    }
    return this.small.get(name) as T;
  }
  /** Small sections read ahead (readPageSectionsAhead), waiting to be made into what `kept` keeps. */
  private readonly readAhead = new Map<string, Buffer>();

  /**
   * Reads the small sections every concordance page uses (where each block of the columns lies, each
   * form's kind and the exceptions) at once in the background threads, before a first query needs
   * them one after another. A section that fails here is read again, and reported, where it is used.
   */
  async readPageSectionsAhead(): Promise<void> {
    const names = ['form.blocks', 'start.blocks', 'len.blocks', 'kindOfForm', 'kindExcept', 'kindExceptAt'].filter(
      (name) => !this.small.has(name) && !this.readAhead.has(name) && this.sections.has(name),
    );
    await Promise.all(
      names.map((name) =>
        this.sections.readAhead(name).then(
          (b) => {
            if (!this.small.has(name)) this.readAhead.set(name, b);
          },
          () => undefined,
        ),
      ),
    );
  }
  private keptU32(name: string, length?: number): Uint32Array {
    return this.kept(name, (b) => {
      const v = u32Of(b, name);
      if (length !== undefined && v.length !== length) throw new LoadFailure(`section ${name} has ${v.length} values, expected ${length}`);
      return v;
    });
  }
  private blockTable(column: string): Float64Array {
    const blocks = Math.ceil(this.facts.tokens / BLOCK);
    // Its ends are checked here, each block's pair of entries where the block is decoded (which must
    // use exactly the bytes between them): a first page decodes a few of many thousand.
    return this.kept(`${column}.blocks`, (b) => {
      const v = f64Of(b, `${column}.blocks`);
      if (v.length !== blocks + 1 || v[0] !== 0 || v[blocks] !== this.sections.entry(`${column}.data`).length)
        throw new LoadFailure(`bad block table for ${column}`);
      return v;
    });
  }
  private exceptions(name: 'lemma' | 'kind'): Exceptions {
    return this.kept(`${name}Except`, (b) => {
      const at = this.keptU32(`${name}ExceptAt`);
      const value = name === 'lemma' ? u32Of(b, 'lemmaExcept') : u8Of(b);
      if (value.length !== at.length) throw new LoadFailure(`${name} exceptions do not match their positions`);
      const limit = name === 'lemma' ? this.facts.lemmas : TOKEN_KINDS.length;
      for (let k = 0; k < at.length; k++) {
        if (at[k]! >= this.facts.tokens || (k > 0 && at[k]! <= at[k - 1]!)) throw new LoadFailure(`${name} exceptions out of order`);
        if (value[k]! >= limit) throw new LoadFailure(`${name} exception ${k} is out of range`);
      }
      return { at, value };
    });
  }
  // The checks over whole tables use indexed loops: a first query runs them before the optimiser has,
  // where for-of over a typed array costs several times more.
  private lemmaOfForm(): Uint32Array {
    return this.kept('lemmaOfForm', (b) => {
      const v = u32Of(b, 'lemmaOfForm');
      if (v.length !== this.facts.forms) throw new LoadFailure(`section lemmaOfForm has ${v.length} values, expected ${this.facts.forms}`);
      const lemmas = this.facts.lemmas;
      for (let i = 0; i < v.length; i++) if (v[i]! >= lemmas) throw new LoadFailure('lemma table refers past the lemmas');
      return v;
    });
  }
  /** Each form's usual kind. Its values are checked where they are read (kindOf): a first KWIC page reads a few of millions. */
  private kindOfForm(): Uint8Array {
    return this.kept('kindOfForm', (b) => {
      const v = u8Of(b);
      if (v.length !== this.facts.forms) throw new LoadFailure('bad kind table');
      return v;
    });
  }

  private blockLength(b: number): number {
    return Math.min(BLOCK, this.facts.tokens - b * BLOCK);
  }

  /** Decodes block b of an encoded column into `out`; checks it used exactly its bytes. */
  private decodeInto(
    column: 'form' | 'len' | 'start',
    b: number,
    data: Uint8Array,
    dataAt: number,
    out: Uint32Array,
    lengths?: Uint32Array,
  ): void {
    const table = this.blockTable(column);
    const transform = column === 'start' ? 'start' : column === 'len' ? 'length' : 'plain';
    // A form past the forms is damage like a block of the wrong length (as are a table's entries out
    // of order: the block cannot then use exactly the bytes between them).
    const used = decodeBlock(data, table[b]! - dataAt, out, transform, lengths, column === 'form' ? this.facts.forms : undefined);
    if (used !== table[b + 1]! - dataAt)
      throw new LoadFailure(`block ${b} of ${column} does not decode to its length or refers past the forms`);
  }

  /** One decoded block, cached: for single values before (or instead of) the whole column. */
  private block(column: 'form' | 'len' | 'start', b: number): Uint32Array {
    let cache = this.blocks.get(column);
    if (!cache) this.blocks.set(column, (cache = new Map()));
    let out = cache.get(b);
    if (!out) {
      const table = this.blockTable(column);
      if (!(table[b]! <= table[b + 1]!)) throw new LoadFailure(`bad block table for ${column}`);
      const key = `${column}:${b}`;
      const bytes = this.blockBytesAhead.get(key) ?? this.sections.readRange(`${column}.data`, table[b]!, table[b + 1]! - table[b]!);
      this.blockBytesAhead.delete(key);
      out = new Uint32Array(this.blockLength(b));
      this.decodeInto(column, b, bytes, table[b]!, out, column === 'start' ? this.block('len', b) : undefined);
      if (cache.size >= MAX_BLOCKS) cache.delete(cache.keys().next().value!);
      cache.set(b, out);
    }
    return out;
  }

  /** Encoded blocks read ahead (readBlocksAhead), by `column:block`, waiting for their first decode. */
  private readonly blockBytesAhead = new Map<string, Uint8Array>();

  /**
   * Reads the encoded blocks of the form, start and length columns around these positions (a KWIC
   * line's context may reach the next block or the one before), several at once in the background
   * threads, for the page about to be made. A read that fails is left for the block's own read.
   */
  async readBlocksAhead(positions: ArrayLike<number>): Promise<void> {
    const wanted = new Set<number>();
    const last = Math.ceil(this.facts.tokens / BLOCK) - 1;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      for (const q of [p - CONTEXT_REACH, p, p + CONTEXT_REACH]) wanted.add(Math.max(0, Math.min(last, Math.floor(q / BLOCK))));
    }
    const blocks = [...wanted].sort((x, y) => x - y);
    await Promise.all(
      (['form', 'start', 'len'] as const).map((column) => {
        let table: Float64Array;
        try {
          table = this.blockTable(column);
        } catch {
          return undefined;
        }
        const cached = this.blocks.get(column);
        const todo = blocks.filter((b) => !cached?.has(b) && !this.blockBytesAhead.has(`${column}:${b}`) && table[b]! <= table[b + 1]!);
        if (todo.length === 0 || this.blockBytesAhead.size + todo.length > BLOCK_BYTES_AHEAD_HELD) return undefined;
        // Neighbouring blocks (a page of a frequent word's hits) are one read.
        const runs: number[][] = [];
        for (const b of todo) {
          const run = runs[runs.length - 1];
          if (run && run[run.length - 1] === b - 1) run.push(b);
          else runs.push([b]);
        }
        return this.sections.readEach(
          `${column}.data`,
          runs.map((run): [number, number] => [table[run[0]!]!, table[run[run.length - 1]! + 1]! - table[run[0]!]!]),
          (bytes, k) => {
            const run = runs[k]!;
            const base = table[run[0]!]!;
            for (const b of run) this.blockBytesAhead.set(`${column}:${b}`, bytes.subarray(table[b]! - base, table[b + 1]! - base));
            return true;
          },
        );
      }),
    );
  }

  /** A whole encoded column, checksummed and decoded. */
  private decodeAll(column: 'form' | 'len' | 'start', lengths?: Uint32Array): Uint32Array {
    const data = this.sections.read(`${column}.data`);
    const out = new Uint32Array(this.facts.tokens);
    const blocks = Math.ceil(this.facts.tokens / BLOCK);
    for (let b = 0; b < blocks; b++) {
      const lo = b * BLOCK;
      const hi = lo + this.blockLength(b);
      this.decodeInto(column, b, data, 0, out.subarray(lo, hi), lengths?.subarray(lo, hi));
    }
    return out;
  }

  u32(name: U32Column): Uint32Array {
    return this.guard(name, () => {
      const { tokens, forms, words } = this.facts;
      switch (name) {
        case 'form':
          return this.decodeAll('form');
        case 'start':
        case 'end': {
          const len = this.decodeAll('len');
          const start = this.decodeAll('start', len);
          if (name === 'start') return start;
          for (let i = 0; i < tokens; i++) len[i] = start[i]! + len[i]!;
          return len;
        }
        case 'lemma': {
          const form = this.decodeAll('form');
          const usual = this.lemmaOfForm();
          for (let i = 0; i < tokens; i++) form[i] = usual[form[i]!]!;
          const e = this.exceptions('lemma');
          for (let k = 0; k < e.at.length; k++) form[e.at[k]!] = e.value[k]!;
          return form;
        }
        case 'formToWord': {
          const v = this.keptU32('formToWord', forms);
          for (let i = 0; i < v.length; i++) if (v[i]! >= words) throw new LoadFailure('formToWord refers past the words');
          return v;
        }
        case 'wordRank':
          return this.wordRanks();
        case 'wordCounted':
        case 'wordRange': {
          const v = this.keptU32(name, words);
          for (let w = 0; w < words; w++) if (v[w]! > tokens) throw new LoadFailure(`${name} counts past the tokens`);
          return v;
        }
        case 'wordPostingsOffsets':
          return this.offsetsById();
        case 'wordPostings': {
          // Saved in rank order; the column is in id order, as an index built in memory has it.
          const byId = this.offsetsById();
          const rank = this.wordRanks();
          const { terms } = this.checkedPostingTables();
          const data = this.sections.read('wordPostings.data');
          const out = new Uint32Array(tokens);
          for (let id = 0; id < words; id++) {
            const r = rank[id]!;
            const part = out.subarray(byId[id]!, byId[id + 1]!);
            this.decodePositions(data.subarray(terms[r]!, terms[r + 1]!), part.length, part, id);
          }
          return out;
        }
      }
    });
  }

  /** Each word id's rank in code-point order, checked to be a permutation (for whole columns built from it). */
  private wordRanks(): Uint32Array {
    const rank = this.rankTable();
    if (!this.checked.has('wordRank')) {
      const words = this.facts.words;
      const seen = new Uint8Array(words);
      for (let id = 0; id < words; id++) {
        const r = rank[id]!;
        if (r >= words || seen[r]) throw new LoadFailure('wordRank is not a permutation');
        seen[r] = 1;
      }
      this.checked.add('wordRank');
    }
    return rank;
  }
  /** The rank table as read: its entries are checked where they are used (rankOf). */
  private rankTable(): Uint32Array {
    return this.keptU32('wordRank', this.facts.words);
  }
  /** Kept tables whose every entry has been checked, for what reads them whole. */
  private readonly checked = new Set<string>();

  /**
   * The rank of word `id`, under which its postings and their tables are saved: from the kept table,
   * from a search of the sorted words that found it, or else read alone.
   */
  private rankOf(id: number): number {
    const words = this.facts.words;
    if (!(id >= 0 && id < words)) throw new LoadFailure(`word ${id} is out of range`);
    const kept = this.small.get('wordRank') as Uint32Array | undefined;
    const r = kept ? kept[id]! : (this.knownRanks.get(id) ?? this.u32At('wordRank', id, words));
    if (r >= words) throw new LoadFailure('wordRank refers past the words');
    return r;
  }

  /** Word id -> rank, as searches of the sorted words find them (bounded; the table whole replaces it). */
  private readonly knownRanks = new Map<number, number>();
  private noteRank(id: number, rank: number): void {
    if (this.knownRanks.size >= KNOWN_RANKS) this.knownRanks.clear();
    this.knownRanks.set(id, rank);
  }

  /** The word postings' cumulative counts by id, from the saved ones by rank. */
  private offsetsById(): Uint32Array {
    const words = this.facts.words;
    const byRank = this.checkedPostingTables().offsets;
    const rank = this.wordRanks();
    const out = new Uint32Array(words + 1);
    for (let id = 0; id < words; id++) {
      const r = rank[id]!;
      out[id + 1] = out[id]! + byRank[r + 1]! - byRank[r]!;
    }
    return out;
  }

  /** The per-word tables as read; postingsAt and entriesAt check the entries they use. */
  private postingOffsets(): Uint32Array {
    return this.keptU32('wordPostingsOffsets', this.facts.words + 1);
  }
  private postingTerms(): Float64Array {
    return this.kept('wordPostings.terms', (b) => {
      const v = f64Of(b, 'wordPostings.terms');
      if (v.length !== this.facts.words + 1) throw new LoadFailure('bad postings table');
      return v;
    });
  }
  /** The per-word tables, every entry checked: for what reads every word's postings. */
  private checkedPostingTables(): { offsets: Uint32Array; terms: Float64Array } {
    const offsets = this.postingOffsets();
    const terms = this.postingTerms();
    if (!this.checked.has('wordPostings')) {
      const { words, tokens } = this.facts;
      if (offsets[0] !== 0 || offsets[words] !== tokens) throw new LoadFailure('word postings do not cover the tokens');
      for (let i = 0; i < words; i++) if (offsets[i]! > offsets[i + 1]!) throw new LoadFailure('word postings out of order');
      if (terms[0] !== 0 || terms[words] !== this.sections.entry('wordPostings.data').length) throw new LoadFailure('bad postings table');
      for (let t = 0; t < words; t++) if (!(terms[t]! <= terms[t + 1]!)) throw new LoadFailure('bad postings table');
      this.checked.add('wordPostings');
    }
    return { offsets, terms };
  }

  private decodePositions(bytes: Uint8Array, count: number, out: Uint32Array, term: number): void {
    if (decodePostings(bytes, out) !== bytes.length || (count > 0 && out[count - 1]! >= this.facts.tokens))
      throw new LoadFailure(`postings of word ${term} do not decode to ascending positions inside the corpus`);
  }

  /**
   * Entries r and r + 1 of a per-word table (by rank), from the kept table or slice, or else read
   * alone: a first query does not read tables as long as the vocabulary (2.2M words at 100M tokens)
   * for one word.
   */
  private pair(name: 'wordPostingsOffsets' | 'wordPostings.terms', r: number): [number, number] {
    const kept = this.small.get(name) as Uint32Array | Float64Array | undefined;
    if (kept) return [kept[r]!, kept[r + 1]!];
    const slice = this.sliceWith(r);
    if (slice) {
      const v = name === 'wordPostingsOffsets' ? slice.offsets : slice.terms;
      return [v[r - slice.from]!, v[r + 1 - slice.from]!];
    }
    if (name === 'wordPostingsOffsets') {
      const b = this.sections.readRange(name, r * 4, 8);
      return [b.readUInt32LE(0), b.readUInt32LE(4)];
    }
    const b = this.sections.readRange(name, r * 8, 16);
    return [b.readDoubleLE(0), b.readDoubleLE(8)];
  }

  /** Runs of the per-word tables read for the words of the last pattern (locateWords), by rank. */
  private tableSlices: Array<{ from: number; to: number; offsets: Uint32Array; terms: Float64Array }> = [];
  private sliceWith(r: number): (typeof this.tableSlices)[number] | undefined {
    const slices = this.tableSlices;
    let lo = 0;
    let hi = slices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (slices[mid]!.to <= r) lo = mid + 1;
      else hi = mid;
    }
    const s = slices[lo];
    return s && s.from <= r ? s : undefined;
  }

  /** Byte range and count of the postings of the word of rank r, checked against the section (a damaged table must not read astray). */
  private postingsAt(r: number): { from: number; to: number; count: number } {
    const [from, to] = this.pair('wordPostings.terms', r);
    if (!(from >= 0 && to >= from && to <= this.sections.entry('wordPostings.data').length))
      throw new LoadFailure(`bad postings table entry ${r}`);
    const [a, b] = this.pair('wordPostingsOffsets', r);
    if (b < a || b > this.facts.tokens) throw new LoadFailure(`bad postings offsets for word rank ${r}`);
    return { from, to, count: b - a };
  }

  /**
   * Before the postings of many words are read or counted (the words of a pattern): their ranks, and
   * the entries of the per-word tables in runs of neighbouring ranks (the words of a prefix are one
   * run), or the tables whole when the ranks are scattered (a pattern's ending or middle).
   */
  locateWords(ids: readonly number[]): void {
    this.guard('the postings', () => {
      if (this.small.has('wordPostings.terms') && this.small.has('wordPostingsOffsets')) return;
      const unknown = ids.reduce((n, id) => n + (this.knownRanks.has(id) ? 0 : 1), 0);
      if (unknown >= MANY_READS) this.rankTable();
      const ranks = Uint32Array.from(ids, (id) => this.rankOf(id)).sort();
      const runs: Array<[number, number]> = [];
      for (let i = 0; i < ranks.length;) {
        let j = i + 1;
        while (j < ranks.length && ranks[j]! - ranks[j - 1]! <= RUN_GAP) j++;
        runs.push([ranks[i]!, ranks[j - 1]! + 1]);
        i = j;
      }
      if (runs.length >= MANY_READS) {
        this.postingOffsets();
        this.postingTerms();
        return;
      }
      this.tableSlices = runs.map(([from, to]) => ({
        from,
        to,
        offsets: this.u32Slice('wordPostingsOffsets', from, to + 1),
        terms: f64Of(this.sections.readRange('wordPostings.terms', from * 8, (to + 1 - from) * 8), 'wordPostings.terms'),
      }));
    });
  }

  wordFrequency(id: number): number {
    return this.guard('the postings', () => this.postingsAt(this.rankOf(id)).count);
  }

  wordPositions(id: number): Uint32Array {
    return this.guard('the postings', () => {
      const { from, to, count } = this.postingsAt(this.rankOf(id));
      const out = new Uint32Array(count);
      if (count === 0) return out;
      this.decodePositions(this.sections.readRange('wordPostings.data', from, to - from), count, out, id);
      return out;
    });
  }

  /**
   * The positions of any of many words, ascending: their postings read as wordPositionsMany reads
   * them, and marked in a bitset as they are decoded, with no list per word.
   */
  wordsUnion(ids: readonly number[]): Uint32Array {
    return this.guard('the postings', () => {
      if (ids.length >= MANY_READS) this.locateWords(ids);
      const ranks = new Uint32Array(ids.length);
      for (let k = 0; k < ids.length; k++) ranks[k] = this.rankOf(ids[k]!);
      // The postings are saved in rank order: ascending ranks are ascending places in the file.
      ranks.sort();
      return this.unionOf(this.entriesAt(ranks));
    });
  }

  /**
   * The positions of the words whose postings are at `from` (ascending) to `to`, `count` each: read
   * in as few reads as neighbours allow and decoded into one list.
   */
  private unionOf(entries: PostingEntries): Uint32Array {
    const tokens = this.facts.tokens;
    const slot = slotsOf(entries);
    const total = slot[slot.length - 1]!;
    // Few positions: decoded one after another and sorted, rather than marked in a bitset as long as
    // the corpus, whose every page a scattered few would touch.
    const sparse = total * SPARSE_UNION < tokens;
    const bits = sparse ? undefined : new Int32Array((tokens >>> 5) + 1);
    const all = sparse ? unionList(entries, slot) : undefined;
    if (bits) for (const p of entries.held) bits[p >>> 5]! |= 1 << (p & 31);
    for (const read of readsOf(entries)) {
      // A plain view: a Buffer's subarray costs several times a typed array's, once per word here.
      const bytes = u8Of(this.sections.readRange('wordPostings.data', read.base, read.length));
      if (!decodeRead(bytes, entries, read, tokens, all ? { all, slot } : { bits: bits! }))
        throw new LoadFailure('word postings do not decode to ascending positions inside the corpus');
    }
    if (all) return all.sort();
    // Each token has one word, so the words' positions are distinct: every one was a new bit.
    const out = positionsOfBits(bits!, total);
    if (out.length !== total) throw new LoadFailure('two words claim one position');
    return out;
  }

  /**
   * Where the postings of the words of ranks [first, last) spelled backwards (the words of a literal
   * end) are, from the tables saved in that order, in rank order; the positions of the words of one or
   * two tokens are in the tables themselves.
   */
  private reversedEntries(first: number, last: number): PostingEntries {
    const n = last - first;
    const at = f64Of(this.sections.readRange('wordsReversedPostingsAt', first * 8, n * 8), 'wordsReversedPostingsAt');
    const length = this.u32Slice('wordsReversedPostingsLength', first, last);
    const counts = this.u32Slice('wordsReversedCounts', first, last + 1);
    let stored = 0;
    for (let k = 0; k < n; k++) if (counts[k + 1]! - counts[k]! > HELD_POSITIONS) stored++;
    const from = new Float64Array(stored);
    const to = new Float64Array(stored);
    const count = new Uint32Array(stored);
    const size = this.sections.entry('wordPostings.data').length;
    const tokens = this.facts.tokens;
    const heldAt: number[] = [];
    for (let k = 0, s = 0; k < n; k++) {
      const c = counts[k + 1]! - counts[k]!;
      const a = at[k]!;
      const b = length[k]!;
      if (c > HELD_POSITIONS) {
        if (!(a >= 0 && a + b <= size)) throw new LoadFailure(`bad postings table entry ${first + k} (backwards)`);
        from[s] = a;
        to[s] = a + b;
        count[s++] = c;
      } else if (c >= 1) {
        // The word's positions, ascending and inside the corpus.
        if (!(a >>> 0 === a && a < tokens && (c === 1 || (b > a && b < tokens))))
          throw new LoadFailure(`bad positions in table entry ${first + k} (backwards)`);
        heldAt.push(a);
        if (c === 2) heldAt.push(b);
      } else if (c < 0) throw new LoadFailure(`bad counts in table entry ${first + k} (backwards)`);
    }
    return { from, to, count, held: Uint32Array.from(heldAt) };
  }

  /** The same for ranks [first, last) in code-point order: one run of the file, in order. */
  private rankEntries(first: number, last: number): PostingEntries {
    const n = last - first;
    const counts = this.u32Slice('wordPostingsOffsets', first, last + 1);
    const at = f64Of(this.sections.readRange('wordPostings.terms', first * 8, (n + 1) * 8), 'wordPostings.terms');
    const size = this.sections.entry('wordPostings.data').length;
    const count = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const c = counts[k + 1]! - counts[k]!;
      if (!(c >= 0 && at[k]! >= 0 && at[k + 1]! >= at[k]! && at[k + 1]! <= size))
        throw new LoadFailure(`bad postings table entry ${first + k}`);
      count[k] = c;
    }
    return { from: at.subarray(0, n), to: at.subarray(1), count, held: NOTHING_HELD };
  }

  /**
   * The postings entries of the words of the rank ranges, sorted by place in the file. The last set is
   * kept: a query reads them ahead (wordsUnionOfRanksAhead) and then makes its union from them.
   */
  private entriesOfRanks(table: WordOrder, ranges: ReadonlyArray<readonly [number, number]>): PostingEntries {
    const key = `${table} ${ranges.join(' ')}`;
    if (this.lastEntries?.key === key) return this.lastEntries.entries;
    for (const [from, to] of ranges)
      if (!(from >= 0 && from <= to && to <= this.facts.words)) throw new LoadFailure(`ranks ${from} to ${to} are out of range`);
    const parts = ranges.map(([from, to]) => (table === 'words' ? this.rankEntries(from, to) : this.reversedEntries(from, to)));
    const entries = parts.length === 1 && table === 'words' ? parts[0]! : byPlaceInFile(parts);
    this.lastEntries = { key, entries };
    return entries;
  }
  private lastEntries?: { key: string; entries: PostingEntries };

  /**
   * How many tokens the words of ranks [from, to) have, in code-point order (`words`) or spelled
   * backwards (`wordsReversed`): two entries of a cumulative counts table.
   */
  wordCountOfRanks(table: WordOrder, from: number, to: number): number {
    return this.guard('the postings', () => {
      const words = this.facts.words;
      const name = table === 'words' ? 'wordPostingsOffsets' : 'wordsReversedCounts';
      const a = this.u32At(name, from, words + 1);
      const b = this.u32At(name, to, words + 1);
      if (!(b >= a && b <= this.facts.tokens)) throw new LoadFailure(`bad postings offsets for word ranks ${from} to ${to}`);
      return b - a;
    });
  }

  /**
   * The positions of the words of the rank ranges: in code-point order (the words of a prefix) their
   * postings are one run of the file; spelled backwards (of a suffix), they are located by one range
   * of the tables in that order. Several ranges (the spellings of a long s) make one union.
   */
  wordsUnionOfRanks(table: WordOrder, ranges: ReadonlyArray<readonly [number, number]>): Uint32Array {
    return this.guard('the postings', () => this.unionOf(this.entriesOfRanks(table, ranges)));
  }

  /**
   * What wordsUnionOfRanks gives, with the postings read several at once in the background threads
   * and decoded as each read lands: a suffix's words lie in hundreds of places in the file, and one
   * read after another would wait on each in turn. Each word's positions have their own place in the
   * list (the counts before it), so reads may land in any order. A union too dense for a list (marked
   * in a bitset) is only read ahead into the page cache: undefined, as on any failure here (the
   * synchronous union then reports it).
   */
  async wordsUnionOfRanksAhead(table: WordOrder, ranges: ReadonlyArray<readonly [number, number]>): Promise<Uint32Array | undefined> {
    let entries: PostingEntries;
    try {
      entries = this.entriesOfRanks(table, ranges);
    } catch {
      return undefined;
    }
    const tokens = this.facts.tokens;
    const slot = slotsOf(entries);
    const total = slot[slot.length - 1]!;
    const reads = readsOf(entries);
    const byteRanges = reads.map((r): [number, number] => [r.base, r.length]);
    if (total * SPARSE_UNION >= tokens) {
      await this.sections.prefetch('wordPostings.data', byteRanges);
      return undefined;
    }
    const all = unionList(entries, slot);
    const ok = await this.sections.readEach('wordPostings.data', byteRanges, (bytes, k) =>
      decodeRead(bytes, entries, reads[k]!, tokens, { all, slot }),
    );
    return ok ? all.sort() : undefined;
  }

  /** The byte ranges and counts of the postings of the words of `ranks`, as postingsAt gives them, in arrays. */
  private entriesAt(ranks: Uint32Array): PostingEntries {
    const n = ranks.length;
    const from = new Float64Array(n);
    const to = new Float64Array(n);
    const count = new Uint32Array(n);
    const offsets = this.small.get('wordPostingsOffsets') as Uint32Array | undefined;
    const terms = this.small.get('wordPostings.terms') as Float64Array | undefined;
    if (!offsets || !terms) {
      for (let k = 0; k < n; k++) {
        const e = this.postingsAt(ranks[k]!);
        from[k] = e.from;
        to[k] = e.to;
        count[k] = e.count;
      }
      return { from, to, count, held: NOTHING_HELD };
    }
    const length = this.sections.entry('wordPostings.data').length;
    const tokens = this.facts.tokens;
    for (let k = 0; k < n; k++) {
      const r = ranks[k]!;
      const a = terms[r]!;
      const b = terms[r + 1]!;
      const c = offsets[r + 1]! - offsets[r]!;
      if (!(a >= 0 && b >= a && b <= length && c >= 0 && c <= tokens)) throw new LoadFailure(`bad postings table entry ${r}`);
      from[k] = a;
      to[k] = b;
      count[k] = c;
    }
    return { from, to, count, held: NOTHING_HELD };
  }

  /**
   * Many words' positions, in the order of `ids`: their postings are read in as few reads as the
   * file allows, neighbours within GAP_READ bytes of each other in one read, rather than one read a
   * word (a pattern matching most of the vocabulary reads the section nearly in one go).
   */
  wordPositionsMany(ids: readonly number[]): Uint32Array[] {
    return this.guard('the postings', () => {
      const out = new Array<Uint32Array>(ids.length);
      const ranges = ids.map((id, k) => ({ k, id, ...this.postingsAt(this.rankOf(id)) }));
      ranges.sort((a, b) => a.from - b.from);
      for (let i = 0; i < ranges.length;) {
        let j = i + 1;
        let end = ranges[i]!.to;
        while (j < ranges.length && ranges[j]!.from - end <= GAP_READ) end = Math.max(end, ranges[j++]!.to);
        const base = ranges[i]!.from;
        const bytes = this.sections.readRange('wordPostings.data', base, end - base);
        for (let r = i; r < j; r++) {
          const { k, id, from, to, count } = ranges[r]!;
          const positions = new Uint32Array(count);
          if (count > 0) this.decodePositions(bytes.subarray(from - base, to - base), count, positions, id);
          out[k] = positions;
        }
        i = j;
      }
      return out;
    });
  }

  u8(name: U8Column): Uint8Array {
    return this.guard(name, () => {
      const tokens = this.facts.tokens;
      if (name === 'kind') {
        const form = this.decodeAll('form');
        const usual = this.kindOfForm();
        const out = new Uint8Array(tokens);
        for (let i = 0; i < tokens; i++) out[i] = kindOf(usual[form[i]!]!);
        const e = this.exceptions('kind');
        for (let k = 0; k < e.at.length; k++) out[e.at[k]!] = e.value[k]!;
        return out;
      }
      const packed = u8Of(this.sections.read('posFlags'));
      if (packed.length !== tokens) throw new LoadFailure(`posFlags has ${packed.length} values for ${tokens} tokens`);
      const out = new Uint8Array(tokens);
      if (name === 'pos') {
        const tags = UPOS_TAGS.length;
        for (let i = 0; i < tokens; i++) {
          const v = packed[i]! & ((1 << POS_BITS) - 1);
          if (v >= tags) throw new LoadFailure(`token ${i} refers past the end of the pos table`);
          out[i] = v;
        }
      } else for (let i = 0; i < tokens; i++) out[i] = packed[i]! >> POS_BITS;
      return out;
    });
  }

  strings(name: SortedTable): string[] {
    return this.guard(name, () => {
      const { blob, order: orderName } = SORTED_SECTIONS[name];
      const count = this.sizeOf(name);
      const bytes = this.sections.read(blob);
      const order = this.keptU32(orderName, count);
      // The blob splits at its NULs into the strings in rank order, unless a string holds a NUL: then
      // the offsets delimit them.
      let sorted = bytes.toString('utf8').split('\u0000');
      sorted.pop();
      if (sorted.length !== count) {
        const offsets = this.sortedOffsets(name);
        sorted = Array.from({ length: count }, (_, r) => bytes.toString('utf8', offsets[r]!, offsets[r + 1]! - 1));
      }
      const out = new Array<string>(count);
      const seen = new Uint8Array(count);
      for (let r = 0; r < count; r++) {
        const id = order[r]!;
        if (id >= count || seen[id]) throw new LoadFailure(`${orderName} is not a permutation`);
        seen[id] = 1;
        out[id] = sorted[r]!;
      }
      return out;
    });
  }

  // Single values for KWIC lines, from one decoded block each: never a whole column.
  startAt(i: number): number {
    if (i < 0 || i >= this.facts.tokens) return 0;
    return this.guard('start', () => this.block('start', Math.floor(i / BLOCK))[i % BLOCK]!);
  }

  endAt(i: number): number {
    if (i < 0 || i >= this.facts.tokens) return 0;
    return this.guard('end', () => {
      const b = Math.floor(i / BLOCK);
      return this.block('start', b)[i % BLOCK]! + this.block('len', b)[i % BLOCK]!;
    });
  }

  kindAt(i: number): number {
    if (i < 0 || i >= this.facts.tokens) return 0;
    return this.guard('kind', () => {
      const e = this.exceptions('kind');
      const x = exceptionAt(e, i);
      if (x >= 0) return e.value[x]!;
      return kindOf(this.kindOfForm()[this.block('form', Math.floor(i / BLOCK))[i % BLOCK]!]!);
    });
  }

  /**
   * Positions [from, to) of the columns asked for, block by block through the same bounded cache as
   * single values: lemma and kind from each form's usual one with the exceptions inside the range
   * (found by binary search), POS from its section by range.
   */
  readTokens(from: number, to: number, out: TokenColumns): void {
    // A wrong range is the caller's mistake, not damage: checked before the guard, which removes the file.
    if (!(from >= 0 && from <= to && to <= this.facts.tokens)) throw new RangeError(`tokens ${from} to ${to} are outside the corpus`);
    this.guard('the token columns', () => {
      const lemmaOf = out.lemma && this.lemmaOfForm();
      const usualKind = out.kind && this.kindOfForm();
      const needForm = out.form || out.lemma || out.kind;
      const tags = UPOS_TAGS.length;
      const posMask = (1 << POS_BITS) - 1;
      if ((out.pos || out.posPacked) && this.sections.entry('posFlags').length !== this.facts.tokens)
        throw new LoadFailure(`posFlags does not have a value for each of the ${this.facts.tokens} tokens`);
      for (let b = Math.floor(from / BLOCK); b * BLOCK < to; b++) {
        const base = b * BLOCK;
        const lo = Math.max(from, base);
        const hi = Math.min(to, base + BLOCK);
        // Tokens lo..hi are entries lo - base.. of the block and lo - from.. of `out`.
        const shift = base - from;
        if (needForm) {
          const form = this.block('form', b);
          if (out.form) out.form.set(form.subarray(lo - base, hi - base), lo - from);
          if (out.lemma) for (let i = lo - base; i < hi - base; i++) out.lemma[i + shift] = lemmaOf![form[i]!]!;
          if (out.kind) for (let i = lo - base; i < hi - base; i++) out.kind[i + shift] = kindOf(usualKind![form[i]!]!);
        }
        if (out.start || out.end) {
          const start = this.block('start', b);
          if (out.start) out.start.set(start.subarray(lo - base, hi - base), lo - from);
          if (out.end) {
            const len = this.block('len', b);
            for (let i = lo - base; i < hi - base; i++) out.end[i + shift] = start[i]! + len[i]!;
          }
        }
      }
      if (out.posPacked && to > from) out.posPacked.set(u8Of(this.sections.readRange('posFlags', from, to - from)));
      if (out.pos && to > from) {
        // A byte a token, read in one go: a pass over the column (a POS sequence) asks for long ranges.
        const packed = u8Of(this.sections.readRange('posFlags', from, to - from));
        const pos = out.pos;
        for (let k = 0; k < packed.length; k++) {
          const v = packed[k]! & posMask;
          if (v >= tags) throw new LoadFailure(`token ${from + k} refers past the end of the pos table`);
          pos[k] = v;
        }
      }
      if (out.lemma) overrideExceptions(this.exceptions('lemma'), from, to, out.lemma);
      if (out.kind) overrideExceptions(this.exceptions('kind'), from, to, out.kind);
    });
  }

  wordFirstPosition(id: number): number {
    return this.guard('the postings', () => {
      const { from, to } = this.postingsAt(this.rankOf(id));
      const bytes = this.sections.readRange('wordPostings.data', from, Math.min(5, to - from));
      const out = new Uint32Array(1);
      readVarints(bytes, 0, 1, out, 0);
      return out[0]!;
    });
  }

  // ---- Postings of the other attributes: a first `lemma:`, `pos:` or case-sensitive query reads
  // these, not a column of every token.

  /**
   * Entry `i` of a u32 section: from the section if it is kept whole, else read alone, so a first query
   * reads a few bytes of a table as long as the vocabulary rather than all of it.
   */
  private u32At(name: string, i: number, count: number): number {
    if (!(i >= 0 && i < count)) throw new LoadFailure(`entry ${i} of ${name} is out of range`);
    const kept = this.small.get(name) as Uint32Array | undefined;
    return kept ? kept[i]! : this.sections.readRange(name, i * 4, 4).readUInt32LE(0);
  }
  /** Entries [from, to) of a u32 section, the same way. */
  private u32Slice(name: string, from: number, to: number): Uint32Array {
    const kept = this.small.get(name) as Uint32Array | undefined;
    if (kept) return kept.subarray(from, to);
    if (!(from >= 0 && to >= from && to * 4 <= this.sections.entry(name).length)) throw new LoadFailure(`bad range of ${name}`);
    return u32Of(this.sections.readRange(name, from * 4, (to - from) * 4), name).slice();
  }
  /** Group `g` of a grouping saved as offsets and members (the forms of a word or of a lemma). */
  private group(name: 'wordForms' | 'lemmaForms', groups: number, g: number): Uint32Array {
    const from = this.u32At(`${name}Offsets`, g, groups + 1);
    const to = this.u32At(`${name}Offsets`, g + 1, groups + 1);
    if (!(to >= from)) throw new LoadFailure(`bad offsets of ${name}`);
    const members = this.u32Slice(name, from, to);
    for (let i = 0; i < members.length; i++) if (members[i]! >= this.facts.forms) throw new LoadFailure(`${name} refers past the forms`);
    return members;
  }

  /** Each exact form's frequency. */
  private formCountOf(f: number): number {
    return this.u32At('formCount', f, this.facts.forms);
  }
  private wordOfForm(f: number): number {
    const w = this.u32At('formToWord', f, this.facts.forms);
    if (w >= this.facts.words) throw new LoadFailure('formToWord refers past the words');
    return w;
  }
  /** The forms of a word (its spellings, such as `the`, `The`, `THE`), ascending. */
  private formsOfWord(word: number): Uint32Array {
    return this.group('wordForms', this.facts.words, word);
  }
  /** A word's usual spelling: usualForms (postings.ts) over the word's own forms. */
  private usualFormOf(word: number): number {
    const forms = this.formsOfWord(word);
    if (forms.length === 0) throw new LoadFailure(`word ${word} has no forms`);
    const counts = Uint32Array.from(forms, (f) => this.formCountOf(f));
    return forms[usualForms(counts, new Uint32Array(forms.length), 1)[0]!]!;
  }
  /** Byte offsets per term of a postings section, checked whole when first kept. */
  private termTable(section: 'formPostings' | 'posPostings', terms: number): Float64Array {
    return this.kept(`${section}.terms`, (b) => {
      const v = f64Of(b, `${section}.terms`);
      if (v.length !== terms + 1 || v[0] !== 0 || v[terms] !== this.sections.entry(`${section}.data`).length)
        throw new LoadFailure(`bad ${section} table`);
      for (let t = 0; t < terms; t++) if (!(v[t]! <= v[t + 1]!)) throw new LoadFailure(`bad ${section} table`);
      return v;
    });
  }
  private savedPositions(section: 'formPostings' | 'posPostings', terms: number, t: number, count: number): Uint32Array {
    const table = this.termTable(section, terms);
    const out = new Uint32Array(count);
    const bytes = this.sections.readRange(`${section}.data`, table[t]!, table[t + 1]! - table[t]!);
    if (decodePostings(bytes, out) !== bytes.length || (count > 0 && out[count - 1]! >= this.facts.tokens))
      throw new LoadFailure(`${section} of term ${t} do not decode to ascending positions inside the corpus`);
    return out;
  }

  formFrequency(id: number): number {
    return this.guard('the form postings', () => this.formCountOf(id));
  }

  /** A form's positions: saved, or for a word's usual spelling, the word's postings without its other spellings'. */
  formPositions(id: number): Uint32Array {
    return this.guard('the form postings', () => {
      const { forms } = this.facts;
      if (!(id >= 0 && id < forms)) throw new LoadFailure(`form ${id} is out of range`);
      const word = this.wordOfForm(id);
      if (this.usualFormOf(word) !== id) return this.savedPositions('formPostings', forms, id, this.formCountOf(id));
      const others: Uint32Array[] = [];
      for (const f of this.formsOfWord(word)) if (f !== id) others.push(this.formPositions(f));
      const all = this.wordPositions(word);
      return others.length ? differencePositions(all, unionPositions(others)) : all;
    });
  }

  /** The forms whose usual lemma is `id`, ascending. */
  private formsOfLemma(id: number): Uint32Array {
    return this.group('lemmaForms', this.facts.lemmas, id);
  }

  /** An estimate for planning: the tokens of the forms whose usual lemma this is (exceptions aside). */
  lemmaFrequency(id: number): number {
    return this.guard('the lemma table', () => {
      let n = 0;
      for (const f of this.formsOfLemma(id)) n += this.formCountOf(f);
      return n;
    });
  }

  /**
   * A lemma's positions: those of the forms that usually have it (a word all of whose spellings do
   * gives its postings whole), less the tokens where the tagger chose another lemma, plus those where
   * it chose this one for a form that usually has another.
   */
  lemmaPositions(id: number): Uint32Array {
    return this.guard('the lemma table', () => {
      if (!(id >= 0 && id < this.facts.lemmas)) throw new LoadFailure(`lemma ${id} is out of range`);
      const forms = this.formsOfLemma(id);
      const inLemma = new Set(forms);
      const lists: Uint32Array[] = [];
      const wholeWords = new Set<number>();
      for (const f of forms) {
        const w = this.wordOfForm(f);
        if (wholeWords.has(w)) continue;
        if (this.formsOfWord(w).every((g) => inLemma.has(g))) {
          wholeWords.add(w);
          lists.push(this.wordPositions(w));
        } else lists.push(this.formPositions(f));
      }
      return withExceptions(unionPositions(lists), this.exceptions('lemma'), id);
    });
  }

  posFrequency(id: number): number {
    return this.guard('the POS postings', () => {
      const offsets = this.posOffsets();
      return offsets[id + 1]! - offsets[id]!;
    });
  }
  posPositions(id: number): Uint32Array {
    return this.guard('the POS postings', () => {
      if (!(id >= 0 && id < UPOS_TAGS.length)) throw new LoadFailure(`POS ${id} is out of range`);
      return this.savedPositions('posPostings', UPOS_TAGS.length, id, this.posFrequency(id));
    });
  }
  private posOffsets(): Uint32Array {
    return this.kept('posPostingsOffsets', (b) => {
      const v = u32Of(b, 'posPostingsOffsets');
      const tags = UPOS_TAGS.length;
      if (v.length !== tags + 1 || v[0] !== 0 || v[tags] !== this.facts.tokens)
        throw new LoadFailure('POS postings do not cover the tokens');
      for (let t = 0; t < tags; t++) if (v[t]! > v[t + 1]!) throw new LoadFailure('POS postings out of order');
      return v;
    });
  }

  /** How many strings a sorted table holds: the words spelled backwards are the words. */
  private sizeOf(table: SortedTable): number {
    return this.facts[table === 'wordsReversed' ? 'words' : table];
  }

  /** Reads the sorted vocabulary tables whole and keeps them: for callers about to look up many words. */
  keepVocabulary(): void {
    this.guard('the vocabulary', () => this.keepSorted('words'));
  }

  private keepSorted(table: SortedTable): void {
    const names = SORTED_SECTIONS[table];
    this.kept(names.blob, (b) => b);
    this.sortedOffsets(table);
    this.keptU32(names.order, this.sizeOf(table));
  }

  /** Ids of a sorted table by rank (code-point order of their strings), checked to be a permutation. */
  sortedOrder(table: 'forms' | 'lemmas'): Uint32Array {
    return this.guard(`the ${table}`, () => {
      const name = SORTED_SECTIONS[table].order;
      const order = this.keptU32(name, this.sizeOf(table));
      if (!this.checked.has(name)) {
        const seen = new Uint8Array(order.length);
        for (let r = 0; r < order.length; r++) {
          const id = order[r]!;
          if (id >= order.length || seen[id]) throw new LoadFailure(`${name} is not a permutation`);
          seen[id] = 1;
        }
        this.checked.add(name);
      }
      return order;
    });
  }

  private sortedOffsets(table: SortedTable): Uint32Array {
    const names = SORTED_SECTIONS[table];
    return this.kept(names.offsets, (b) => {
      const v = u32Of(b, names.offsets);
      const count = this.sizeOf(table);
      if (v.length !== count + 1 || v[0] !== 0 || v[count] !== this.sections.entry(names.blob).length)
        throw new LoadFailure(`bad offsets of ${table}`);
      for (let r = 0; r < count; r++) if (!(v[r]! < v[r + 1]!)) throw new LoadFailure(`bad offsets of ${table}`);
      return v;
    });
  }

  /**
   * The UTF-8 bytes of the string of rank `rank` in a sorted table, from the kept tables, or else by
   * reading the few bytes it needs from the file (two small reads, rather than tens of megabytes of
   * tables for one string).
   */
  private sortedEntry(table: SortedTable, rank: number): Buffer {
    const names = SORTED_SECTIONS[table];
    const blob = this.small.get(names.blob) as Buffer | undefined;
    const offsets = this.small.get(names.offsets) as Uint32Array | undefined;
    if (!(rank >= 0 && rank < this.sizeOf(table))) throw new LoadFailure(`rank ${rank} of ${table} is out of range`);
    let from: number;
    let to: number;
    if (offsets) [from, to] = [offsets[rank]!, offsets[rank + 1]!];
    else {
      const b = this.sections.readRange(names.offsets, rank * 4, 8);
      [from, to] = [b.readUInt32LE(0), b.readUInt32LE(4)];
    }
    // Each string is followed by a NUL in the blob.
    if (!(to > from && to <= this.sections.entry(names.blob).length)) throw new LoadFailure(`bad offsets of ${table}`);
    return blob ? blob.subarray(from, to - 1) : this.sections.readRange(names.blob, from, to - 1 - from);
  }

  /**
   * The first rank whose string is not below `key` in byte order (the table's size when there is none).
   * The table's sample (every SAMPLE_EVERY-th string, read once) places it between two sampled ranks;
   * the ranks between are read in two reads (their offsets, then their strings) and searched in memory,
   * instead of a dozen probes of the file of two reads each.
   */
  private lowerRank(table: SortedTable, key: Buffer): number {
    const size = this.sizeOf(table);
    if (this.small.has(SORTED_SECTIONS[table].blob) && this.small.has(SORTED_SECTIONS[table].offsets)) {
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (Buffer.compare(this.sortedEntry(table, mid), key) < 0) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    const sample = this.sample(table);
    let s = 0;
    let t = sample.offsets.length - 1;
    while (s < t) {
      const mid = (s + t) >>> 1;
      if (Buffer.compare(sample.blob.subarray(sample.offsets[mid]!, sample.offsets[mid + 1]! - 1), key) < 0) s = mid + 1;
      else t = mid;
    }
    // Sampled string s is the first not below the key: the rank is after sampled string s - 1 and at most s's.
    const lo = s === 0 ? 0 : (s - 1) * SAMPLE_EVERY + 1;
    const hi = Math.min(s * SAMPLE_EVERY, size);
    if (lo >= hi) return hi;
    const { offsets, blob } = this.window(table, lo, hi);
    const base = offsets[0]!;
    let a = 0;
    let b = hi - lo;
    while (a < b) {
      const mid = (a + b) >>> 1;
      // Each string is followed by a NUL in the blob.
      if (Buffer.compare(blob.subarray(offsets[mid]! - base, offsets[mid + 1]! - base - 1), key) < 0) a = mid + 1;
      else b = mid;
    }
    return lo + a;
  }

  /** Ranks [lo, hi) of a sorted table: their offsets and strings, read in two reads and kept for the next search nearby. */
  private window(table: SortedTable, lo: number, hi: number): { offsets: Uint32Array; blob: Buffer } {
    const key = `${table}:${lo}:${hi}`;
    let w = this.windows.get(key);
    if (!w) {
      const names = SORTED_SECTIONS[table];
      const offsets = this.u32Slice(names.offsets, lo, hi + 1);
      const size = this.sections.entry(names.blob).length;
      for (let k = 0; k < hi - lo; k++)
        if (!(offsets[k + 1]! > offsets[k]! && offsets[k + 1]! <= size)) throw new LoadFailure(`bad offsets of ${table}`);
      const blob = this.sections.readRange(names.blob, offsets[0]!, offsets[hi - lo]! - offsets[0]!);
      if (this.windows.size >= MAX_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, (w = { offsets, blob }));
    }
    return w;
  }
  private readonly windows = new Map<string, { offsets: Uint32Array; blob: Buffer }>();

  /** A sorted table's sample: the strings of every SAMPLE_EVERY-th rank. */
  private sample(table: SortedTable): { offsets: Uint32Array; blob: Buffer } {
    const names = SORTED_SECTIONS[table];
    return this.kept(names.sample, (blob) => {
      const offsets = u32Of(this.sections.read(names.sampleOffsets), names.sampleOffsets);
      const count = Math.ceil(this.sizeOf(table) / SAMPLE_EVERY);
      if (offsets.length !== count + 1 || offsets[0] !== 0 || offsets[count] !== blob.length)
        throw new LoadFailure(`bad sample of ${table}`);
      for (let k = 0; k < count; k++) if (!(offsets[k + 1]! > offsets[k]!)) throw new LoadFailure(`bad sample of ${table}`);
      return { offsets, blob };
    });
  }

  private idOfRank(table: SortedTable, rank: number): number {
    const name = SORTED_SECTIONS[table].order;
    const kept = this.small.get(name) as Uint32Array | undefined;
    const id = kept ? kept[rank]! : this.sections.readRange(name, rank * 4, 4).readUInt32LE(0);
    if (id >= this.sizeOf(table)) throw new LoadFailure(`${name} refers past the ${table}`);
    return id;
  }

  /**
   * Binary search over a table saved in code-point order as one UTF-8 blob (UTF-8 byte order is
   * code-point order), so a lookup needs no table of millions of strings in memory. It reads the table's
   * sample and one stretch of it unless the tables have been kept (keepVocabulary, or a wildcard over
   * the table).
   */
  private sortedId(table: SortedTable, s: string): number | undefined {
    const key = Buffer.from(s, 'utf8');
    const r = this.lowerRank(table, key);
    if (!(r < this.sizeOf(table) && this.sortedEntry(table, r).equals(key))) return undefined;
    const id = this.idOfRank(table, r);
    if (table === 'words') this.noteRank(id, r);
    return id;
  }

  /** The id of case-folded word `word`. */
  wordId(word: string): number | undefined {
    return this.guard('the vocabulary', () => this.sortedId('words', word));
  }
  /** The id of exact form `form`. */
  formId(form: string): number | undefined {
    return this.guard('the forms', () => this.sortedId('forms', form));
  }
  /** The id of lemma `lemma`. */
  lemmaId(lemma: string): number | undefined {
    return this.guard('the lemmas', () => this.sortedId('lemmas', lemma));
  }

  /**
   * The entries of a sorted table whose UTF-8 starts with that of `prefix`, with their ids: one range of
   * ranks (byte order keeps a prefix's strings together, and no UTF-8 holds a 0xFF byte to sort past
   * them), read in three reads of the file rather than the table whole.
   */
  stringsWithPrefix(table: 'words' | 'forms' | 'wordsReversed', prefix: string): SortedRange {
    return this.guard(`the ${table}`, () => {
      const key = Buffer.from(prefix, 'utf8');
      const from = this.lowerRank(table, key);
      const to = this.lowerRank(table, Buffer.concat([key, Buffer.from([0xff])]));
      const names = SORTED_SECTIONS[table];
      let ids: Uint32Array | undefined;
      let strings: string[] | undefined;
      // Read when asked for: a pattern that takes the whole range needs only its two ends.
      const readIds = (): Uint32Array =>
        this.guard(`the ${table}`, () => {
          const out = this.u32Slice(names.order, from, to);
          for (let k = 0; k < out.length; k++) {
            if (out[k]! >= this.sizeOf(table)) throw new LoadFailure(`${names.order} refers past the ${table}`);
            if (table === 'words') this.noteRank(out[k]!, from + k);
          }
          return out;
        });
      const readStrings = (): string[] =>
        this.guard(`the ${table}`, () => {
          const offsets = this.u32Slice(names.offsets, from, to + 1);
          const base = offsets[0] ?? 0;
          const length = (offsets[offsets.length - 1] ?? 0) - base;
          if (!(length >= 0 && base + length <= this.sections.entry(names.blob).length)) throw new LoadFailure(`bad offsets of ${table}`);
          const kept = this.small.get(names.blob) as Buffer | undefined;
          const bytes = kept ? kept.subarray(base, base + length) : this.sections.readRange(names.blob, base, length);
          return Array.from({ length: to - from }, (_, k) => bytes.toString('utf8', offsets[k]! - base, offsets[k + 1]! - base - 1));
        });
      return {
        firstRank: from,
        count: to - from,
        get ids() {
          return (ids ??= readIds());
        },
        get strings() {
          return (strings ??= readStrings());
        },
      };
    });
  }

  /** Ids (ascending) of the words starting with `prefix`: one range of the sorted vocabulary (byte order keeps prefixes together). */
  wordIdsWithPrefix(prefix: string): number[] {
    return this.guard('the vocabulary', () => {
      this.keepSorted('words');
      const key = Buffer.from(prefix, 'utf8');
      const ids: number[] = [];
      for (let r = this.lowerRank('words', key); r < this.wordCount; r++) {
        const w = this.sortedEntry('words', r);
        if (w.length < key.length || !w.subarray(0, key.length).equals(key)) break;
        ids.push(this.idOfRank('words', r));
      }
      // In id order, as a scan of the words gives them: ids follow first occurrences, so callers reading
      // each word's first position read the token blocks in order.
      return ids.sort((a, b) => a - b);
    });
  }

  wordByRank(rank: number): string {
    return this.guard('the vocabulary', () => {
      this.keepSorted('words');
      return this.sortedEntry('words', rank).toString('utf8');
    });
  }

  /** The bytes of one document's saved text, read in a background thread; undefined when that fails. */
  textAhead(byteFrom: number, byteLength: number): Promise<Uint8Array | undefined> {
    return this.sections.readRangeAhead('texts', byteFrom, byteLength);
  }

  /**
   * Each exact form's, lemma's or tag's counted tokens and documents, as saved with the index (see
   * encode.ts); undefined for an index saved without them, whose columns then give them.
   */
  groupCounts(group: 'form' | 'lemma' | 'pos'): { counted: Uint32Array; range: Uint32Array } | undefined {
    const name = `${group}Counts`;
    if (!this.sections.has(name)) return undefined;
    return this.guard(name, () => {
      const size = group === 'form' ? this.facts.forms : group === 'lemma' ? this.facts.lemmas : UPOS_TAGS.length;
      const bytes = u8Of(this.sections.read(name));
      const both = new Uint32Array(2 * size);
      if (readVarints(bytes, 0, both.length, both, 0, this.facts.tokens + 1) !== bytes.length)
        throw new LoadFailure(`${name} does not hold two counts for each of the ${size}`);
      return { counted: both.subarray(0, size), range: both.subarray(size) };
    });
  }

  /** Whether a case-folded word may hold a long s: as recorded when saved, or true where it was not. */
  get mayHoldLongS(): boolean {
    return this.facts.longS !== false;
  }

  /** One document's text, decoded from the saved texts. */
  text(byteFrom: number, byteLength: number): string {
    return this.guard('a text', () => this.sections.readRange('texts', byteFrom, byteLength).toString('utf8'));
  }
}

/** A document saved without its text: where to read it, and what it must hash to. */
export interface SourcedDocument {
  textSource?: TextSource;
}

function textFromSource(doc: Omit<StoredDocument, 'text'>, source: TextSource, ahead?: Uint8Array): string {
  let bytes: Uint8Array;
  try {
    bytes = ahead ?? readFileSync(doc.path);
  } catch (e) {
    throw new LoupeFailure(
      'E_INDEX',
      `${doc.name} cannot be read any more (${(e as Error).message}); open the corpus again to re-index it.`,
    );
  }
  const decoded = hashBytes(bytes) === source.hash ? decodeBytes(bytes) : undefined;
  if (!decoded || !decoded.ok || decoded.text.length !== source.chars)
    throw new LoupeFailure('E_INDEX', `${doc.name} has changed since it was indexed; open the corpus again to re-index it.`);
  return decoded.text;
}

/**
 * Characters [from, to) of ASCII source files, read by position while a file has the size and
 * modification time it had when indexed; undefined otherwise (or when it cannot be read), for the
 * caller to read the text whole, which checks it against its hash and reports a change. The file
 * stays open until the current task ends: a page reads its lines one after another, often from one
 * file, and nothing holds a reader's file open beyond that (a held file cannot be replaced on some
 * systems).
 */
class SliceReader {
  private open?: { path: string; fd: number };

  read(path: string, slices: { size: number; mtimeMs: number }, from: number, to: number): string | undefined {
    try {
      const fd = this.fdOf(path);
      const { size, mtimeMs } = fstatSync(fd);
      // Within a millisecond: what every file system and copy tool keeps.
      if (size !== slices.size || !(Math.abs(mtimeMs - slices.mtimeMs) < 1)) return undefined;
      const buf = Buffer.allocUnsafe(to - from);
      for (let at = 0; at < buf.length;) {
        const n = readSync(fd, buf, at, buf.length - at, from + at);
        if (n === 0) return undefined;
        at += n;
      }
      // ASCII: one byte a character, the same in every encoding the file could have been read as.
      return buf.toString('latin1');
    } catch {
      this.close();
      return undefined;
    }
  }

  private fdOf(path: string): number {
    if (this.open?.path === path) return this.open.fd;
    this.close();
    const fd = openSync(path, 'r');
    this.open = { path, fd };
    setImmediate(() => this.close());
    return fd;
  }

  private close(): void {
    if (!this.open) return;
    const { fd } = this.open;
    this.open = undefined;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing is lost.
    }
  }
}

/**
 * Gives each document a `text` read on first use (from the saved index, or from its own file when the
 * index does not hold it), keeping the last few decoded; and a READ_TEXT_ONCE reader that keeps
 * nothing, for a pass over every document that would otherwise fill the kept texts.
 */
export function lazyTexts(
  docs: Array<Omit<StoredDocument, 'text'> & SourcedDocument>,
  textBytes: Uint32Array,
  source: LazySource,
): StoredDocument[] {
  // A KWIC page may cite fifty documents; keep more than that of typical sizes (1 MB files here).
  const MAX_CHARS = 128 * 1024 * 1024;
  const slicer = new SliceReader();
  const recent = new Map<number, string>();
  let held = 0;
  let at = 0;
  return docs.map((stored, d) => {
    const from = at;
    const length = textBytes[d]!;
    at += length;
    const { textSource, ...meta } = stored;
    const doc = { ...meta } as StoredDocument;
    let ahead: Uint8Array | undefined;
    const read = (): string => {
      const bytes = ahead;
      ahead = undefined;
      if (textSource) return textFromSource(meta, textSource, bytes);
      return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : source.text(from, length);
    };
    // Not enumerable, so copies of the document (a subcorpus's, a whole load's) leave it behind.
    Object.defineProperty(doc, READ_TEXT_ONCE, { value: () => recent.get(d) ?? read() });
    Object.defineProperty(doc, READ_TEXT_SLICE, {
      value: (sliceFrom: number, sliceTo: number): string | undefined => {
        const kept = recent.get(d);
        if (kept !== undefined) return kept.slice(sliceFrom, sliceTo);
        const slices = textSource?.slices;
        if (!slices || !(sliceFrom >= 0 && sliceFrom <= sliceTo && sliceTo <= textSource.chars)) return undefined;
        return slicer.read(meta.path, slices, sliceFrom, sliceTo);
      },
    });
    Object.defineProperty(doc, READ_TEXT_AHEAD, {
      value: async (): Promise<void> => {
        // A file read in slices is not read whole ahead of a page.
        if (recent.has(d) || ahead || textSource?.slices) return;
        // A file that cannot be read now is reported by the read that needs it.
        ahead = textSource ? await readFile(meta.path).catch(() => undefined) : await source.textAhead(from, length);
      },
    });
    Object.defineProperty(doc, 'text', {
      enumerable: true,
      configurable: true,
      get(): string {
        let t = recent.get(d);
        if (t !== undefined) {
          recent.delete(d);
          recent.set(d, t);
          return t;
        }
        t = read();
        recent.set(d, t);
        held += t.length;
        while (held > MAX_CHARS && recent.size > 1) {
          const [oldest, s] = recent.entries().next().value!;
          recent.delete(oldest);
          held -= s.length;
        }
        return t;
      },
    });
    return doc;
  });
}

/**
 * `positions` (ascending, where a value usually holds) corrected by the exceptions: without the
 * tokens whose value is another, with those whose value is `value` although their form's usual one is not.
 */
function withExceptions(positions: Uint32Array, e: Exceptions, value: number): Uint32Array {
  const extra: number[] = [];
  let dropped = 0;
  const keep = new Uint8Array(positions.length).fill(1);
  let k = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    while (k < e.at.length && e.at[k]! < p) k++;
    if (k < e.at.length && e.at[k] === p && e.value[k] !== value) {
      keep[i] = 0;
      dropped++;
    }
  }
  for (let x = 0; x < e.at.length; x++) if (e.value[x] === value) extra.push(e.at[x]!);
  if (dropped === 0 && extra.length === 0) return positions;
  const kept = new Uint32Array(positions.length - dropped);
  let n = 0;
  for (let i = 0; i < positions.length; i++) if (keep[i]) kept[n++] = positions[i]!;
  return extra.length ? unionPositions([kept, Uint32Array.from(extra)]) : kept;
}
