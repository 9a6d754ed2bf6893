/**
 * A corpus on disk: a folder (read recursively) or a list of files. Each file becomes a document
 * or a skipped entry with a reason; one bad file never stops the rest.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { LoupeFailure } from '../contract/errors.js';
import type { SkippedFile } from '../contract/types.js';
import { decodeBytes } from './decode.js';
import { htmlToText } from './html.js';

export const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.md', '.markdown']);
export const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Name shown to the reader: path relative to the corpus folder, or the file name. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface ReadDocument {
  name: string;
  path: string;
  text: string;
  encoding: string;
  warnings: string[];
  title?: string;
  /** sha256 of the file's bytes. */
  hash: string;
}

export interface Listing {
  files: SourceFile[];
  skipped: SkippedFile[];
}

function supported(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return TEXT_EXTENSIONS.has(ext) || HTML_EXTENSIONS.has(ext);
}

/** Lists the files of a corpus given as folders and/or files; folders recurse, hidden entries are ignored. */
export async function listCorpus(inputs: string[]): Promise<Listing> {
  if (inputs.length === 0) throw new LoupeFailure('E_CORPUS', 'No corpus given: name a folder or some files.');
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    if (input.includes('\0')) throw new LoupeFailure('E_PATH', 'A corpus path contains a NUL byte.');
    const abs = resolve(input);
    let st;
    try {
      st = await fs.stat(abs);
    } catch {
      throw new LoupeFailure('E_CORPUS', `Cannot open ${input}: no such file or folder.`);
    }
    if (st.isDirectory()) {
      const root = await fs.realpath(abs);
      await walk(root, root, files, skipped, seen);
    } else if (st.isFile()) {
      if (!seen.has(abs)) {
        seen.add(abs);
        // A file named explicitly is read whatever its extension: the reader chose it.
        files.push({ path: abs, name: basename(abs), size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  }
  dedupeNames(files);
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, skipped };
}

async function walk(root: string, dir: string, files: SourceFile[], skipped: SkippedFile[], seen: Set<string>) {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    skipped.push({ name: relative(root, dir) || '.', reason: `cannot read folder: ${(e as Error).message}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    const name = relative(root, full).split(sep).join('/');
    let target = full;
    if (entry.isSymbolicLink()) {
      // A link may only lead to somewhere inside the corpus folder.
      try {
        target = await fs.realpath(full);
      } catch {
        skipped.push({ name, reason: 'broken symbolic link' });
        continue;
      }
      if (target !== root && !target.startsWith(root + sep)) {
        skipped.push({ name, reason: 'symbolic link leads outside the corpus folder' });
        continue;
      }
    }
    let st;
    try {
      st = await fs.stat(target);
    } catch (e) {
      skipped.push({ name, reason: `cannot read: ${(e as Error).message}` });
      continue;
    }
    if (st.isDirectory()) {
      if (!entry.isSymbolicLink()) await walk(root, full, files, skipped, seen);
      continue;
    }
    if (!st.isFile()) continue;
    if (!supported(full)) {
      skipped.push({ name, reason: `unsupported format (${extname(full) || 'no extension'})` });
      continue;
    }
    if (seen.has(target)) continue;
    seen.add(target);
    files.push({ path: target, name, size: st.size, mtimeMs: st.mtimeMs });
  }
}

function dedupeNames(files: SourceFile[]) {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  for (const f of files) if ((counts.get(f.name) ?? 0) > 1) f.name = f.path;
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads and decodes one file; returns a skipped entry instead of throwing. */
export async function readDocument(file: SourceFile): Promise<ReadDocument | SkippedFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file.path);
  } catch (e) {
    return { name: file.name, reason: `cannot read: ${(e as Error).message}` };
  }
  const hash = hashBytes(bytes);
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { name: file.name, reason: decoded.reason };
  const warnings = decoded.warning ? [`${file.name}: ${decoded.warning}`] : [];
  let text = decoded.text;
  let title: string | undefined;
  if (HTML_EXTENSIONS.has(extname(file.path).toLowerCase())) {
    const html = htmlToText(text);
    text = html.text;
    title = html.title;
  }
  const doc: ReadDocument = { name: file.name, path: file.path, text, encoding: decoded.encoding, warnings, hash };
  if (title) doc.title = title;
  return doc;
}

/** Reads documents with bounded concurrency (so 100,000 small files never exhaust file handles). */
export async function readDocuments(
  files: SourceFile[],
  onEach?: (done: number, file: SourceFile) => void,
  signal?: AbortSignal,
  concurrency = 16,
): Promise<Array<ReadDocument | SkippedFile>> {
  const out: Array<ReadDocument | SkippedFile> = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      if (signal?.aborted) throw new LoupeFailure('E_CANCELLED', 'Indexing was cancelled.');
      const i = next++;
      out[i] = await readDocument(files[i]!);
      onEach?.(++done, files[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return out;
}

export function isDocument(x: ReadDocument | SkippedFile): x is ReadDocument {
  return (x as ReadDocument).text !== undefined;
}
