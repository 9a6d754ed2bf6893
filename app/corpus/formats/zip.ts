/**
 * Zip archives (EPUB, DOCX) opened with caps. The central directory is checked first -- entry count,
 * declared sizes, and names that could climb out of the archive -- before anything is inflated.
 * Headers can lie, so every entry is then inflated through one path, `inflateCapped`, that counts
 * the bytes it really produces and stops at the size the header declared (which passed the caps):
 * no library ever inflates an entry from this archive on its own.
 */
import { Inflate } from 'fflate';
import { LIMITS, errorMessage, formatBytes } from './limits.js';

export interface ZipEntryInfo {
  name: string;
  size: number;
  originalSize: number;
  compression: number;
}

export interface ZipCaps {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
}

const DEFAULT_ZIP_CAPS: ZipCaps = {
  maxEntries: LIMITS.maxZipEntries,
  maxTotalBytes: LIMITS.maxZipTotalBytes,
  maxEntryBytes: LIMITS.maxZipEntryBytes,
};

export type ZipOpen = { ok: true; archive: ZipArchive } | { ok: false; reason: string };
export type ZipRead = { ok: true; files: Map<string, Uint8Array> } | { ok: false; reason: string };

/** A name is unsafe if it is absolute, has a drive letter, or has a `..` segment. */
export function unsafeEntryName(name: string): boolean {
  if (name.includes('\0')) return true;
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return true;
  return n.split('/').some((seg) => seg === '..');
}

class Refusal extends Error {}

interface Entry extends ZipEntryInfo {
  /** Offset of the entry's local header. */
  local: number;
}

/**
 * Compressed input is fed to the inflater in slices this small because deflate expands at most about
 * 1032:1: one slice can then produce a few MB at most before the count is checked again.
 */
const INFLATE_SLICE = 4096;

export interface CappedInflate {
  /** The inflated bytes, never longer than `limit`. */
  bytes: Uint8Array;
  /** True if the data holds more than `limit` bytes (inflation stopped there). */
  overflow: boolean;
  /** Bytes the inflater really produced, including the piece beyond the limit that stopped it. */
  produced: number;
}

/**
 * Inflates raw deflate data, counting the bytes it really produces and stopping as soon as they pass
 * `limit`, whatever any header claimed. Memory stays within `limit` plus what one slice can expand to.
 */
export function inflateCapped(data: Uint8Array, limit: number): CappedInflate {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let produced = 0;
  let overflow = false;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.length;
    const room = limit - kept;
    if (chunk.length > room) {
      overflow = true;
      if (room > 0) chunks.push(chunk.slice(0, room));
      kept = limit;
      return;
    }
    if (chunk.length) chunks.push(chunk);
    kept += chunk.length;
    if (final) ended = true;
  });
  for (let at = 0; at < data.length && !overflow; at += INFLATE_SLICE) {
    const end = Math.min(at + INFLATE_SLICE, data.length);
    inflater.push(data.subarray(at, end), end === data.length);
  }
  if (data.length === 0) inflater.push(data, true);
  if (!overflow && !ended) throw new Error('the compressed data ends early');
  const bytes = chunks.length === 1 ? chunks[0]! : new Uint8Array(kept);
  if (chunks.length !== 1) {
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
  }
  return { bytes, overflow, produced };
}

const u16 = (d: Uint8Array, i: number) => d[i]! | (d[i + 1]! << 8);
const u32 = (d: Uint8Array, i: number) => (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;
const u64 = (d: Uint8Array, i: number) => u32(d, i) + u32(d, i + 4) * 2 ** 32;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** The central directory: every entry with its sizes and where its local header is. */
function centralDirectory(d: Uint8Array, onEntry: (e: Entry) => void): void {
  const bad = (what: string) => {
    throw new Error(`invalid zip data: ${what}`);
  };
  let e = d.length - 22;
  for (; ; --e) {
    if (e < 0 || d.length - e > 65558) bad('no end of central directory');
    if (u32(d, e) === 0x06054b50) break;
  }
  let count = u16(d, e + 10);
  let at = u32(d, e + 16);
  let zip64 = false;
  if (e >= 20 && u32(d, e - 20) === 0x07064b50) {
    const z = u64(d, e - 12);
    if (z + 56 <= d.length && u32(d, z) === 0x06064b50) {
      zip64 = true;
      count = u64(d, z + 32);
      at = u64(d, z + 48);
    }
  }
  for (let i = 0; i < count; i++) {
    if (at + 46 > d.length || u32(d, at) !== 0x02014b50) bad('damaged central directory');
    const flags = u16(d, at + 8);
    const nameLength = u16(d, at + 28);
    const extraLength = u16(d, at + 30);
    const commentLength = u16(d, at + 32);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength + commentLength > d.length) bad('damaged central directory');
    const name = (flags & 0x800 ? utf8 : latin1).decode(d.subarray(nameStart, nameStart + nameLength));
    let size = u32(d, at + 20);
    let originalSize = u32(d, at + 24);
    let local = u32(d, at + 42);
    if (zip64 || size === 0xffffffff || originalSize === 0xffffffff || local === 0xffffffff) {
      // The zip64 extra field holds, in this order, whichever of the three are 0xffffffff above.
      const extraEnd = nameStart + nameLength + extraLength;
      for (let x = nameStart + nameLength; x + 4 <= extraEnd; x += 4 + u16(d, x + 2)) {
        if (u16(d, x) !== 1) continue;
        let f = x + 4;
        if (originalSize === 0xffffffff) {
          originalSize = u64(d, f);
          f += 8;
        }
        if (size === 0xffffffff) {
          size = u64(d, f);
          f += 8;
        }
        if (local === 0xffffffff) local = u64(d, f);
        break;
      }
    }
    if (flags & 1) throw new Refusal(`archive entry ${name} is encrypted`);
    onEntry({ name, size, originalSize, compression: u16(d, at + 10), local });
    at = nameStart + nameLength + extraLength + commentLength;
  }
}

export class ZipArchive {
  /** Bytes the capped inflater has really produced for this archive so far. */
  inflatedBytes = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly all: Entry[],
  ) {}

  get entries(): ZipEntryInfo[] {
    return this.all.map(({ name, size, originalSize, compression }) => ({ name, size, originalSize, compression }));
  }

  /** Lists the archive and checks it against the caps; nothing is inflated yet. */
  static open(bytes: Uint8Array, caps: ZipCaps = DEFAULT_ZIP_CAPS): ZipOpen {
    const entries: Entry[] = [];
    let total = 0;
    try {
      centralDirectory(bytes, (f) => {
        if (entries.length >= caps.maxEntries) throw new Refusal(`archive has more than ${caps.maxEntries} entries`);
        if (unsafeEntryName(f.name)) throw new Refusal(`archive entry with an unsafe path: ${JSON.stringify(f.name.slice(0, 200))}`);
        if (f.originalSize > caps.maxEntryBytes)
          throw new Refusal(
            `archive entry ${f.name} is ${formatBytes(f.originalSize)} uncompressed, more than the ${formatBytes(caps.maxEntryBytes)} allowed per entry`,
          );
        total += f.originalSize;
        if (total > caps.maxTotalBytes) throw new Refusal(`archive is more than ${formatBytes(caps.maxTotalBytes)} uncompressed`);
        if (f.compression !== 0 && f.compression !== 8)
          throw new Refusal(`archive entry ${f.name} uses an unsupported compression method (${f.compression})`);
        entries.push(f);
      });
    } catch (e) {
      if (e instanceof Refusal) return { ok: false, reason: e.message };
      return { ok: false, reason: `not a readable zip archive (${errorMessage(e)})` };
    }
    return { ok: true, archive: new ZipArchive(bytes, entries) };
  }

  has(name: string): boolean {
    return this.all.some((e) => e.name === name);
  }

  /**
   * The named entries that exist, each inflated through the capped inflater. An entry whose data
   * holds more than its header declares is refused: the archive is lying about its sizes.
   */
  readChecked(names: string[]): ZipRead {
    const files = new Map<string, Uint8Array>();
    try {
      for (const e of this.wanted(names)) {
        const out = this.inflate(e);
        if (out.overflow)
          return {
            ok: false,
            reason: `archive entry ${e.name} holds more than the ${formatBytes(e.originalSize)} its header declares (inflating stopped there)`,
          };
        files.set(e.name, out.bytes);
      }
    } catch (e) {
      return { ok: false, reason: `archive entry cannot be inflated (${errorMessage(e)})` };
    }
    return { ok: true, files };
  }

  private wanted(names: string[]): Entry[] {
    const wanted = new Set(names);
    return this.all.filter((e) => wanted.has(e.name));
  }

  private inflate(e: Entry): CappedInflate {
    const d = this.bytes;
    if (e.local + 30 > d.length || u32(d, e.local) !== 0x04034b50) throw new Error(`no local header for ${e.name}`);
    const start = e.local + 30 + u16(d, e.local + 26) + u16(d, e.local + 28);
    if (start + e.size > d.length) throw new Error(`${e.name} runs past the end of the archive`);
    const data = d.subarray(start, start + e.size);
    if (e.compression === 0) {
      const overflow = data.length > e.originalSize;
      this.inflatedBytes += data.length;
      return { bytes: overflow ? data.subarray(0, e.originalSize) : data, overflow, produced: data.length };
    }
    const out = inflateCapped(data, e.originalSize);
    this.inflatedBytes += out.produced;
    return out;
  }
}

/** Resolves `href` relative to the folder of `base` inside an archive ("OEBPS/content.opf" + "../x"). */
export function resolveInArchive(base: string, href: string): string | undefined {
  let path = href.split('#')[0]!.split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    /* keep as written */
  }
  if (!path || /^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined; // a URL, not an archive path
  const parts = path.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}
