/**
 * Sections written as they are made: bytes appended to a temporary file of their own, with their
 * length and checksum kept up to date, then copied into the index file in one pass. A merge of
 * segments writes several sections at once (each column as it reads the segments' tokens); holding
 * them in memory would make its peak grow with the corpus.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { SectionType } from './encode.js';
import { PRIVATE_FILE } from '../fs/atomic.js';

/** A section to write into an index file: bytes in memory or a spooled file. */
export interface SectionOut {
  name: string;
  type: SectionType;
  length: number;
  crc: number;
  /** Writes the section's bytes at the file's current position. */
  writeTo(fd: number): void;
}

export function sectionInMemory(name: string, type: SectionType, data: Uint8Array): SectionOut {
  return { name, type, length: data.byteLength, crc: crc32(data), writeTo: (fd) => writeAll(fd, data) };
}

function writeAll(fd: number, data: Uint8Array): void {
  let at = 0;
  while (at < data.byteLength) at += writeSync(fd, data, at, Math.min(data.byteLength - at, 1 << 30));
}

const CHUNK = 4 << 20;

/** Bytes appended to a temporary file through a buffer, with their running length and crc32. */
export class SpoolFile {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  length = 0;
  private crc = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly name: string,
    readonly type: SectionType,
  ) {
    this.fd = openSync(path, 'wx', PRIVATE_FILE);
  }

  write(bytes: Uint8Array): void {
    if (bytes.byteLength >= CHUNK) {
      this.flush();
      writeAll(this.fd, bytes);
      this.crc = crc32(bytes, this.crc);
      this.length += bytes.byteLength;
      return;
    }
    if (this.used + bytes.byteLength > CHUNK) this.flush();
    this.buf.set(bytes, this.used);
    this.used += bytes.byteLength;
    this.length += bytes.byteLength;
  }

  private flush(): void {
    if (!this.used) return;
    const part = this.buf.subarray(0, this.used);
    writeAll(this.fd, part);
    this.crc = crc32(part, this.crc);
    this.used = 0;
  }

  /** The finished section; the temporary file is read back when written and removed by `remove`. */
  finish(): SectionOut {
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    this.buf = Buffer.alloc(0);
    const { path, length } = this;
    return {
      name: this.name,
      type: this.type,
      length,
      crc: this.crc,
      writeTo: (fd) => {
        const src = openSync(path, 'r');
        try {
          const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, length)));
          for (let at = 0; at < length;) {
            const n = readSync(src, chunk, 0, Math.min(chunk.length, length - at), at);
            if (n === 0) throw new Error(`spooled section ${this.name} is shorter than written`);
            writeAll(fd, chunk.subarray(0, n));
            at += n;
          }
        } finally {
          closeSync(src);
        }
      },
    };
  }

  remove(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.path, { force: true });
  }
}

/** Where a merge puts its sections, each in a temporary file of its own in one folder. */
export interface Spools {
  /** A section to be written piece by piece. */
  open(name: string, type: SectionType): SpoolFile;
  /** A section made whole: written out now, so its bytes need not stay in memory until the index is written. */
  now(name: string, type: SectionType, data: Uint8Array): SectionOut;
  /** Removes every spool's file. */
  removeAll(): void;
}

export function spoolsIn(folder: string): Spools {
  const made: SpoolFile[] = [];
  const open = (name: string, type: SectionType) => {
    const sp = new SpoolFile(join(folder, name), name, type);
    made.push(sp);
    return sp;
  };
  return {
    open,
    now(name, type, data) {
      const sp = open(name, type);
      sp.write(data);
      return sp.finish();
    },
    removeAll() {
      for (const sp of made) sp.remove();
    },
  };
}
