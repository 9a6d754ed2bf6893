/**
 * Zip archives (EPUB, DOCX) opened with caps. The central directory is checked first -- entry count,
 * declared sizes, and names that could climb out of the archive -- before anything is inflated.
 * fflate inflates into a buffer of the declared size and never grows it, so a lying header cannot
 * make an entry bigger than the size that passed the checks.
 */
import { unzipSync } from 'fflate';
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

export const DEFAULT_ZIP_CAPS: ZipCaps = {
  maxEntries: LIMITS.maxZipEntries,
  maxTotalBytes: LIMITS.maxZipTotalBytes,
  maxEntryBytes: LIMITS.maxZipEntryBytes,
};

export type ZipOpen = { ok: true; archive: ZipArchive } | { ok: false; reason: string };

/** A name is unsafe if it is absolute, has a drive letter, or has a `..` segment. */
export function unsafeEntryName(name: string): boolean {
  if (name.includes('\0')) return true;
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return true;
  return n.split('/').some((seg) => seg === '..');
}

class Refusal extends Error {}

export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    readonly entries: ZipEntryInfo[],
  ) {}

  /** Lists the archive and checks it against the caps; nothing is inflated yet. */
  static open(bytes: Uint8Array, caps: ZipCaps = DEFAULT_ZIP_CAPS): ZipOpen {
    const entries: ZipEntryInfo[] = [];
    let total = 0;
    try {
      unzipSync(bytes, {
        filter(f) {
          if (entries.length >= caps.maxEntries)
            throw new Refusal(`archive has more than ${caps.maxEntries} entries`);
          if (unsafeEntryName(f.name)) throw new Refusal(`archive entry with an unsafe path: ${JSON.stringify(f.name.slice(0, 200))}`);
          if (f.originalSize > caps.maxEntryBytes)
            throw new Refusal(
              `archive entry ${f.name} is ${formatBytes(f.originalSize)} uncompressed, more than the ${formatBytes(caps.maxEntryBytes)} allowed per entry`,
            );
          total += f.originalSize;
          if (total > caps.maxTotalBytes)
            throw new Refusal(`archive is more than ${formatBytes(caps.maxTotalBytes)} uncompressed`);
          if (f.compression !== 0 && f.compression !== 8)
            throw new Refusal(`archive entry ${f.name} uses an unsupported compression method (${f.compression})`);
          entries.push({ name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression });
          return false;
        },
      });
    } catch (e) {
      if (e instanceof Refusal) return { ok: false, reason: e.message };
      return { ok: false, reason: `not a readable zip archive (${errorMessage(e)})` };
    }
    return { ok: true, archive: new ZipArchive(bytes, entries) };
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  /** The bytes of the named entries that exist (names matched exactly). */
  read(names: string[]): Map<string, Uint8Array> {
    const wanted = new Set(names);
    const files = unzipSync(this.bytes, { filter: (f) => wanted.has(f.name) });
    return new Map(Object.entries(files));
  }

  readOne(name: string): Uint8Array | undefined {
    return this.read([name]).get(name);
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
