/**
 * Reading saved segments for a merge: each opened for as long as a pass needs it, its sections read
 * whole or front to back.
 */
import { crc32 } from 'node:zlib';
import { LoadFailure, type SectionFile } from './lazy.js';
import { openSavedParts } from './persist.js';

export type Segment = ReturnType<typeof openSavedParts>;

/** Bytes read from one section front to back, checksummed as they go: a segment's postings in order. */
export class SectionStream {
  private buf: Uint8Array = new Uint8Array(0);
  /** Section offset of buf[0]. */
  private from = 0;
  private crc = 0;
  private readonly length: number;

  constructor(
    private readonly sections: SectionFile,
    private readonly name: string,
  ) {
    this.length = sections.entry(name).length;
  }

  /** Bytes [at, at + n); `at` never goes back past bytes already taken. */
  take(at: number, n: number): Uint8Array {
    if (at < this.from || at + n > this.length) throw new LoadFailure(`read past the end of section ${this.name}`);
    while (at + n > this.from + this.buf.length) {
      const end = this.from + this.buf.length;
      const next = this.sections.readRange(this.name, end, Math.min(this.length - end, Math.max(STREAM_CHUNK, at + n - end)));
      this.crc = crc32(next, this.crc);
      const keep = this.buf.subarray(Math.max(0, at - this.from));
      if (keep.length) {
        const joined = new Uint8Array(keep.length + next.length);
        joined.set(keep);
        joined.set(next, keep.length);
        this.buf = joined;
      } else this.buf = next;
      this.from = end - keep.length;
    }
    return this.buf.subarray(at - this.from, at - this.from + n);
  }

  /** Checks that the whole section was read and matches its checksum. */
  finish(): void {
    if (this.from + this.buf.length < this.length) this.take(this.length, 0);
    if (this.crc !== this.sections.entry(this.name).crc) throw new LoadFailure(`checksum mismatch in section ${this.name}`);
  }
}

const STREAM_CHUNK = 1 << 20;

export function withSegment<T>(file: string, use: (s: Segment) => T): T {
  const s = openSavedParts(file);
  try {
    return use(s);
  } finally {
    s.sections.close();
  }
}

export function u32Section(sections: SectionFile, name: string): Uint32Array {
  const b = sections.read(name);
  if (b.byteLength % 4) throw new LoadFailure(`bad length in section ${name}`);
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

export function f64Section(sections: SectionFile, name: string): Float64Array {
  const b = sections.read(name);
  if (b.byteLength % 8) throw new LoadFailure(`bad length in section ${name}`);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
}

export function withSegments<T>(files: string[], use: (segments: Segment[]) => T): T {
  const open: Segment[] = [];
  try {
    for (const f of files) open.push(openSavedParts(f));
    return use(open);
  } finally {
    for (const s of open) s.sections.close();
  }
}

/** A binary min-heap under `less`: the merges take the least of their segments' next items. */
export class MinHeap<T> {
  private readonly h: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.h.length;
  }

  get top(): T {
    return this.h[0]!;
  }

  push(x: T): void {
    const h = this.h;
    h.push(x);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  pop(): T {
    const h = this.h;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.down();
    }
    return top;
  }

  /** Restores the order after the top item's key grew (a run moved on to its next item). */
  down(): void {
    const h = this.h;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
