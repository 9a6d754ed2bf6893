/**
 * A saved index opened without reading it: the header says where every section lies, and the parts a
 * query needs are read when it first needs them. A whole section is checksummed and range-checked as
 * it is read; before that, single values come by page (64 KiB) and one word's postings by range, so a
 * 100-million-token corpus answers its first concordance page after reading a few hundred KiB.
 *
 * A section found damaged on first use cannot be repaired mid-query: the index file is removed (so the
 * next open rebuilds it from the sources) and the query fails with E_INDEX saying so.
 */
import { closeSync, readSync, rmSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { LoupeFailure } from '../contract/errors.js';
import { TOKEN_KINDS } from '../contract/types.js';
import { UPOS_TAGS } from '../text/tokenise.js';
import type { ColumnSource, StoredDocument, U32Column, U8Column } from './store.js';

export interface SectionEntry {
  name: string;
  type: 'u8' | 'u32' | 'json' | 'utf8';
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

  entry(name: string): SectionEntry {
    const s = this.byName.get(name);
    if (!s) throw new LoadFailure(`missing section ${name}`);
    if (this.base + s.offset + s.length > this.size) throw new LoadFailure(`truncated section ${name}`);
    return s;
  }

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
    return view;
  }

  /** Bytes [from, from + length) of a section, unverified (the whole-section read checks them later). */
  readRange(name: string, from: number, length: number): Buffer {
    const s = this.entry(name);
    if (from < 0 || from + length > s.length) throw new LoadFailure(`read past the end of section ${name}`);
    return readExactly(this.fd, length, this.base + s.offset + from);
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

export function u8Of(v: Buffer): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** What the header of a lazily opened index must say about the columns. */
export interface LazyFacts {
  tokens: number;
  countedTotal: number;
  docCounted: number[];
  words: number;
  forms: number;
  lemmas: number;
}

const PAGE_BYTES = 64 * 1024;
/** Pages kept per column before the oldest is dropped (a KWIC page touches a few dozen). */
const MAX_PAGES = 256;

const closer = new FinalizationRegistry<SectionFile>((f) => f.close());

export class LazySource implements ColumnSource {
  readonly countedTotal: number;
  readonly docCounted: Uint32Array;
  readonly wordCount: number;
  private readonly pages = new Map<string, Map<number, Buffer>>();
  private sortedOffsets?: Uint32Array;
  private sortedBlob?: Buffer;
  private wordOrder?: Uint32Array;

  constructor(
    private readonly sections: SectionFile,
    private readonly facts: LazyFacts,
  ) {
    this.countedTotal = facts.countedTotal;
    this.docCounted = Uint32Array.from(facts.docCounted);
    this.wordCount = facts.words;
  }

  /** Closes the file when `owner` (the index) is collected. */
  closeWith(owner: object): void {
    closer.register(owner, this.sections);
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

  u32(name: U32Column): Uint32Array {
    return this.guard(name, () => {
      const col = u32Of(this.sections.read(name), name);
      this.check(name, col);
      this.pages.delete(name);
      return col;
    });
  }

  u8(name: U8Column): Uint8Array {
    return this.guard(name, () => {
      const col = u8Of(this.sections.read(name));
      const limit = name === 'pos' ? UPOS_TAGS.length : name === 'kind' ? TOKEN_KINDS.length : 256;
      if (col.length !== this.facts.tokens) throw new LoadFailure(`column ${name} has ${col.length} values for ${this.facts.tokens} tokens`);
      for (let i = 0; i < col.length; i++) if (col[i]! >= limit) throw new LoadFailure(`token ${i} refers past the end of the ${name} table`);
      this.pages.delete(name);
      return col;
    });
  }

  /** Range checks a whole column can afford (one pass): ids inside their tables, postings in order. */
  private check(name: U32Column, col: Uint32Array): void {
    const { tokens, words, forms, lemmas } = this.facts;
    const expect = (len: number) => {
      if (col.length !== len) throw new LoadFailure(`section ${name} has ${col.length} values, expected ${len}`);
    };
    const below = (limit: number) => {
      for (let i = 0; i < col.length; i++) if (col[i]! >= limit) throw new LoadFailure(`value ${i} of ${name} is out of range`);
    };
    switch (name) {
      case 'form':
        expect(tokens);
        return below(forms);
      case 'lemma':
        expect(tokens);
        return below(lemmas);
      case 'start':
      case 'end':
        return expect(tokens);
      case 'formToWord':
        expect(forms);
        return below(words);
      case 'wordRank':
        expect(words);
        return below(words);
      case 'wordPostingsOffsets': {
        expect(words + 1);
        if (col[0] !== 0 || col[words] !== tokens) throw new LoadFailure('word postings do not cover the tokens');
        for (let i = 0; i < words; i++) if (col[i]! > col[i + 1]!) throw new LoadFailure('word postings out of order');
        return;
      }
      case 'wordPostings':
        expect(tokens);
        return below(tokens);
    }
  }

  strings(name: 'forms' | 'lemmas' | 'words'): string[] {
    return this.guard(name, () => {
      const v = JSON.parse(this.sections.read(name).toString('utf8')) as unknown;
      const want = this.facts[name];
      if (!Array.isArray(v) || v.length !== want || v.some((x) => typeof x !== 'string'))
        throw new LoadFailure(`bad string table ${name}`);
      return v as string[];
    });
  }

  private page(name: string, bytesPerValue: number, i: number): { buf: Buffer; at: number } {
    const byteAt = i * bytesPerValue;
    const p = Math.floor(byteAt / PAGE_BYTES);
    let cache = this.pages.get(name);
    if (!cache) this.pages.set(name, (cache = new Map()));
    let buf = cache.get(p);
    if (!buf) {
      const entry = this.sections.entry(name);
      const from = p * PAGE_BYTES;
      buf = this.guard(name, () => this.sections.readRange(name, from, Math.min(PAGE_BYTES, entry.length - from)));
      if (cache.size >= MAX_PAGES) cache.delete(cache.keys().next().value!);
      cache.set(p, buf);
    }
    return { buf, at: byteAt - p * PAGE_BYTES };
  }

  u32At(name: U32Column, i: number): number {
    if (i < 0 || i >= this.facts.tokens) return 0;
    const { buf, at } = this.page(name, 4, i);
    return buf.readUInt32LE(at);
  }

  u8At(name: U8Column, i: number): number {
    if (i < 0 || i >= this.facts.tokens) return 0;
    const { buf, at } = this.page(name, 1, i);
    return buf[at]!;
  }

  u32Range(name: U32Column, from: number, to: number): Uint32Array {
    if (to <= from) return new Uint32Array(0);
    return this.guard(name, () => {
      const v = u32Of(this.sections.readRange(name, from * 4, (to - from) * 4), name);
      for (let i = 0; i < v.length; i++) if (v[i]! >= this.facts.tokens) throw new LoadFailure(`position out of range in ${name}`);
      return v;
    });
  }

  /**
   * Binary search over the vocabulary saved in code-point order as one UTF-8 blob (UTF-8 byte order is
   * code-point order), so a lookup needs no table of two million strings in memory.
   */
  wordId(word: string): number | undefined {
    return this.guard('the vocabulary', () => {
      this.sortedBlob ??= this.sections.read('wordsSorted');
      this.sortedOffsets ??= u32Of(this.sections.read('wordsSortedOffsets'), 'wordsSortedOffsets');
      this.wordOrder ??= u32Of(this.sections.read('wordOrder'), 'wordOrder');
      const blob = this.sortedBlob;
      const offsets = this.sortedOffsets;
      if (offsets.length !== this.wordCount + 1 || this.wordOrder.length !== this.wordCount) throw new LoadFailure('bad vocabulary tables');
      const key = Buffer.from(word, 'utf8');
      let lo = 0;
      let hi = this.wordCount - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = Buffer.compare(blob.subarray(offsets[mid]!, offsets[mid + 1]!), key);
        if (c === 0) {
          const id = this.wordOrder[mid]!;
          return id < this.wordCount ? id : undefined;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    });
  }

  /** One document's text, decoded from the saved texts. */
  text(byteFrom: number, byteLength: number): string {
    return this.guard('a text', () => this.sections.readRange('texts', byteFrom, byteLength).toString('utf8'));
  }
}

/** Gives each document a `text` read on first use from the saved index, keeping the last few decoded. */
export function lazyTexts(docs: Array<Omit<StoredDocument, 'text'>>, textBytes: Uint32Array, source: LazySource): StoredDocument[] {
  const MAX_CHARS = 64 * 1024 * 1024;
  const recent = new Map<number, string>();
  let held = 0;
  let at = 0;
  return docs.map((meta, d) => {
    const from = at;
    const length = textBytes[d]!;
    at += length;
    const doc = { ...meta } as StoredDocument;
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
        t = source.text(from, length);
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
