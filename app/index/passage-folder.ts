/**
 * The saved passage index: a folder beside the corpus index file, `<index file>.passages/`, holding
 *
 *   part-N.bin      one part's terms, as SHARDS pieces of JSON laid end to end
 *   passages.json   crc32 of its body, a newline, then the body: the index it belongs to, FlexSearch's
 *                   signature, and every part's paragraphs and shards (offset, length, crc32)
 *
 * The parts are written first and passages.json last, each to a temporary file renamed into place,
 * so a folder whose passages.json reads is complete. Nothing in it is trusted blindly: a passages.json
 * that belongs to another index, another FlexSearch or another layout, or fails its checksum, and a
 * shard that fails its checksum or does not parse, are reported as PassagesUnusable, and the caller
 * builds the passages again.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { makePrivateFolder, writeAtomically } from '../fs/atomic.js';
import { isTermEntries, SHARDS, type TermEntry } from './passage-terms.js';

const LAYOUT = 1;
const MANIFEST = 'passages.json';

/** Why saved passages cannot be used; the message says why, for the notice of the rebuild. */
export class PassagesUnusable extends Error {
  /** None were saved yet: nothing to tell the reader about. */
  readonly missing: boolean;
  constructor(message: string, missing = false) {
    super(message);
    this.missing = missing;
  }
}

/** What a passage index was built from: the corpus index file as it was then. */
export interface IndexFingerprint {
  /** The corpus fingerprint (CorpusInfo.fingerprint): which texts. */
  corpus: string;
  /** The index file's size and modification time: which write of the index. */
  bytes: number;
  mtimeMs: number;
  tokens: number;
  paragraphs: number;
}

/** One part: paragraphs `first` to `end` (exclusive), and where each shard of its terms lies in its file. */
export interface SavedPart {
  file: string;
  first: number;
  end: number;
  bytes: number;
  /** Per shard: [offset, length, crc32]. */
  shards: Array<[number, number, number]>;
}

export interface SavedPassages {
  layout: number;
  signature: string;
  fingerprint: IndexFingerprint;
  parts: SavedPart[];
}

export function passageFolderOf(indexFile: string): string {
  return `${indexFile}.passages`;
}

export async function fingerprintOf(indexFile: string, corpus: string, tokens: number, paragraphs: number): Promise<IndexFingerprint> {
  const st = await stat(indexFile);
  return { corpus, bytes: st.size, mtimeMs: st.mtimeMs, tokens, paragraphs };
}

function sameFingerprint(a: IndexFingerprint, b: IndexFingerprint): boolean {
  return a.corpus === b.corpus && a.bytes === b.bytes && a.mtimeMs === b.mtimeMs && a.tokens === b.tokens && a.paragraphs === b.paragraphs;
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

function isSavedPart(p: unknown): p is SavedPart {
  const part = p as SavedPart;
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof part.file === 'string' &&
    /^part-\d+\.bin$/.test(part.file) &&
    isCount(part.first) &&
    isCount(part.end) &&
    isCount(part.bytes) &&
    Array.isArray(part.shards) &&
    part.shards.length === SHARDS &&
    part.shards.every((s) => Array.isArray(s) && s.length === 3 && s.every(isCount) && s[0] + s[1] <= part.bytes)
  );
}

/** The parts cover paragraphs 0 to `paragraphs` in order, without gap or overlap. */
function coversInOrder(parts: SavedPart[], paragraphs: number): boolean {
  let next = 0;
  for (const p of parts) {
    if (p.first !== next || p.end <= p.first) return false;
    next = p.end;
  }
  return next === paragraphs;
}

/**
 * The folder's passages.json when it belongs to the index `expected` describes and was written by a
 * FlexSearch with `signature`; PassagesUnusable (saying why) otherwise.
 */
export async function readSavedPassages(folder: string, expected: IndexFingerprint, signature: string): Promise<SavedPassages> {
  let text: string;
  try {
    text = await readFile(join(folder, MANIFEST), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PassagesUnusable('no passage index is saved', true);
    throw new PassagesUnusable(`the saved passage index cannot be read (${code})`);
  }
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  if (newline < 0 || text.slice(0, newline) !== crc32(body).toString(16)) throw new PassagesUnusable('the saved passage index is damaged');
  let saved: SavedPassages;
  try {
    saved = JSON.parse(body) as SavedPassages;
  } catch {
    throw new PassagesUnusable('the saved passage index is damaged');
  }
  if (saved?.layout !== LAYOUT || typeof saved.fingerprint !== 'object' || !Array.isArray(saved.parts))
    throw new PassagesUnusable('the saved passage index is from another version');
  if (saved.signature !== signature) throw new PassagesUnusable('the saved passage index was made by another version of FlexSearch');
  if (!sameFingerprint(saved.fingerprint, expected)) throw new PassagesUnusable('the saved passage index belongs to another index');
  if (!saved.parts.every(isSavedPart) || !coversInOrder(saved.parts, expected.paragraphs))
    throw new PassagesUnusable('the saved passage index is damaged');
  return saved;
}

/**
 * The terms of one shard of a part, checked against the crc32 passages.json records for it.
 * PassagesUnusable when the file is missing, short, altered or not the shape FlexSearch exports.
 */
export async function readShard(folder: string, part: SavedPart, shard: number): Promise<TermEntry[]> {
  const [offset, length, crc] = part.shards[shard]!;
  if (length === 0) return [];
  const bytes = Buffer.allocUnsafe(length);
  try {
    const handle = await open(join(folder, part.file), 'r');
    try {
      let at = 0;
      while (at < length) {
        const { bytesRead } = await handle.read(bytes, at, length - at, offset + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      if (at < length) throw new PassagesUnusable(`${part.file} of the saved passage index is truncated`);
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof PassagesUnusable) throw e;
    throw new PassagesUnusable(
      `${part.file} of the saved passage index cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (crc32(bytes) !== crc) throw new PassagesUnusable(`${part.file} of the saved passage index is damaged`);
  let entries: unknown;
  try {
    entries = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new PassagesUnusable(`${part.file} of the saved passage index is damaged`);
  }
  if (!isTermEntries(entries)) throw new PassagesUnusable(`${part.file} of the saved passage index is damaged`);
  return entries;
}

/** Empties the folder for a new build: without passages.json nothing in it is used meanwhile. */
export async function clearPassageFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  await makePrivateFolder(folder);
}

/** Writes part number `n`'s shards (JSON texts, in shard order) to its file; what passages.json records of it. */
export async function writePart(folder: string, n: number, first: number, end: number, shards: Buffer[]): Promise<SavedPart> {
  const file = `part-${n}.bin`;
  const table: Array<[number, number, number]> = [];
  let offset = 0;
  for (const s of shards) {
    table.push([offset, s.byteLength, crc32(s)]);
    offset += s.byteLength;
  }
  await writeAtomically(join(folder, file), Buffer.concat(shards));
  return { file, first, end, bytes: offset, shards: table };
}

/** Writes passages.json, last: from then on the folder is a saved passage index. */
export async function writeSavedPassages(folder: string, saved: Omit<SavedPassages, 'layout'>): Promise<void> {
  const body = JSON.stringify({ layout: LAYOUT, ...saved });
  await writeAtomically(join(folder, MANIFEST), `${crc32(body).toString(16)}\n${body}`);
}
