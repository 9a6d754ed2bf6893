/**
 * A corpus on disk: a folder (read recursively) or a list of files. Each file becomes a document
 * or a skipped entry with a reason; one bad file never stops the rest.
 */
import { createHash } from 'node:crypto';
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LoupeFailure } from '../contract/errors.js';
import type { DocumentLanguage, DocumentMetadata, SkippedFile } from '../contract/types.js';
import { decodeBytes, decodeWindows1252, fallbackFor, SNIFF, sniff, Utf8Tally } from './decode.js';
import { SUPPORTED_EXTENSIONS, type Section } from './formats/index.js';
import { budgetFor, extractInReader, htmlTextInReader, type ReaderBudgetOption } from './reader-pool.js';

const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);
const DELIMITED = new Set(['.csv', '.tsv']);

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Name shown to the reader: path relative to the corpus folder, or the file name. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface ReadDocument extends DocumentMetadata, DocumentLanguage {
  /** The language the file itself declares, as written (normalised when the corpus is opened). */
  declaredLanguage?: { value: string; source: 'front matter' | 'markup' | 'metadata' };
  name: string;
  path: string;
  text: string;
  encoding: string;
  warnings: string[];
  sections?: Section[];
  pages?: number[];
  /** sha256 of the file's bytes. */
  hash: string;
  /** Size and mtime of the file when it was opened for this read (what its fingerprint records). */
  size?: number;
  mtimeMs?: number;
  /** A file too long for one string: its further parts (this document is part 1). See documentsOf. */
  parts?: ReadDocument[];
}

export interface Listing {
  files: SourceFile[];
  skipped: SkippedFile[];
  /** `metadata.csv` at the top of a corpus folder: metadata for the documents, not a document. */
  sidecars: SourceFile[];
}

/** Name of the optional metadata file at the top of a corpus folder (file name -> fields). */
export const SIDECAR_NAME = 'metadata.csv';
/**
 * Lemma lists at the top of a corpus folder: `lemmas.txt` for every document, `lemmas.de.txt` for
 * the documents in one language (see text/lemma-list.ts for the format).
 */
const LEMMA_LIST_NAME = /^lemmas(?:\.([a-z]{2,3}))?\.txt$/i;

/** Whether a sidecar file is a lemma list, and for which language (`*`: every document). */
export function lemmaListLanguage(name: string): string | undefined {
  const m = LEMMA_LIST_NAME.exec(name);
  return m ? (m[1]?.toLowerCase() ?? '*') : undefined;
}

function supported(path: string): boolean {
  return SUPPORTED_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * Formats read whole through the format extractors (Markdown too, for its headings and front matter),
 * each on a reader thread under a time and memory budget (reader-pool.ts); plain text, and any text
 * file too large to read whole, goes through the streaming reader on this thread.
 */
function needsExtractor(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return SUPPORTED_EXTENSIONS.has(ext) && ext !== '.txt' && ext !== '.text';
}

/**
 * Refuses a corpus path that is malformed or built to escape: NUL bytes (which truncate paths in C
 * APIs), and `..` segments in an absolute path. An absolute path never needs `..`; a relative `../texts`
 * typed in a shell is the reader's own choice, resolved against their working folder, and is allowed.
 */
export function checkCorpusPath(input: string): void {
  if (typeof input !== 'string' || input.length === 0) throw new LoupeFailure('E_PATH', 'A corpus path is empty.');
  if (input.includes('\0')) throw new LoupeFailure('E_PATH', 'A corpus path contains a NUL byte.');
  if (isAbsolute(input) && input.split(/[\\/]/).includes('..'))
    throw new LoupeFailure('E_PATH', `A corpus path may not contain '..': ${input}`);
}

/** Lists the files of a corpus given as folders and/or files; folders recurse, hidden entries are ignored. */
export async function listCorpus(inputs: string[]): Promise<Listing> {
  if (inputs.length === 0) throw new LoupeFailure('E_CORPUS', 'No corpus given: name a folder or some files.');
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  const sidecars: SourceFile[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    checkCorpusPath(input);
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
      for (let at = files.length - 1; at >= 0; at--) {
        const name = files[at]!.name;
        if (name === SIDECAR_NAME || lemmaListLanguage(name)) sidecars.unshift(...files.splice(at, 1));
      }
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
  return { files, skipped, sidecars };
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
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  // Each entry's link target and status, asked for a batch at a time: one after another, a folder of
  // hundreds of files waits on hundreds of round trips before its saved index can be reused.
  const looked: Array<Looked> = [];
  for (let i = 0; i < visible.length; i += STAT_BATCH)
    looked.push(...(await Promise.all(visible.slice(i, i + STAT_BATCH).map((entry) => lookAt(root, dir, entry)))));
  for (const { entry, full, name, target, st, skip } of looked) {
    if (skip) {
      skipped.push({ name, reason: skip });
      continue;
    }
    if (st!.isDirectory()) {
      if (!entry.isSymbolicLink()) await walk(root, full, files, skipped, seen);
      continue;
    }
    if (!st!.isFile()) continue;
    if (!supported(full)) {
      skipped.push({ name, reason: `unsupported format (${extname(full) || 'no extension'})` });
      continue;
    }
    if (seen.has(target)) continue;
    seen.add(target);
    files.push({ path: target, name, size: st!.size, mtimeMs: st!.mtimeMs });
  }
}

/** Folder entries whose status is asked for at once (walk). */
const STAT_BATCH = 256;

interface Looked {
  entry: Dirent;
  full: string;
  name: string;
  target: string;
  st?: Stats;
  /** Why the entry is skipped, if it is. */
  skip?: string;
}

/** A folder entry's path, its target if it is a link (which must stay inside the corpus folder), and its status. */
async function lookAt(root: string, dir: string, entry: Dirent): Promise<Looked> {
  const full = join(dir, entry.name);
  const name = relative(root, full).split(sep).join('/');
  let target = full;
  if (entry.isSymbolicLink()) {
    // A link may only lead to somewhere inside the corpus folder.
    try {
      target = await fs.realpath(full);
    } catch {
      return { entry, full, name, target, skip: 'broken symbolic link' };
    }
    if (target !== root && !target.startsWith(root + sep))
      return { entry, full, name, target, skip: 'symbolic link leads outside the corpus folder' };
  }
  try {
    return { entry, full, name, target, st: await fs.stat(target) };
  } catch (e) {
    return { entry, full, name, target, skip: `cannot read: ${(e as Error).message}` };
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

export interface ReadOptions {
  /** Files larger than this many bytes are decoded as a stream. Default 64 MiB (env LOUPE_STREAM_ABOVE). */
  streamAbove?: number;
  /** Most characters in one document; a longer text becomes `name#part1`, `#part2`, ... Default 500 M. */
  partChars?: number;
  /** Progress through a streamed file, in bytes (all passes; a re-read starts again from 0). */
  onBytes?: (file: SourceFile, read: number, total: number) => void;
  signal?: AbortSignal;
  /** Bytes per read of a streamed file (1 MiB; tests make it small so chunk edges split characters). */
  chunkBytes?: number;
  /** CSV/TSV corpora: the column that holds the text (default: `text`, else the longest column). */
  textColumn?: string;
  /**
   * Time and memory allowed to read one file on a reader thread, in place of the defaults by format
   * and size (see reader-pool.ts); for every file, or per file name and size. Tests make them tiny.
   */
  readerBudget?: ReaderBudgetOption;
}

const MiB = 1024 * 1024;
/** A V8 string holds at most 2^29 - 24 characters; stay clear of it. */
const MAX_PART_CHARS = 500_000_000;
const STREAM_CHUNK = MiB;

function envNumber(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

function readOptionsWithDefaults(opts: ReadOptions) {
  return {
    streamAbove: opts.streamAbove ?? envNumber('LOUPE_STREAM_ABOVE') ?? 64 * MiB,
    partChars: Math.min(MAX_PART_CHARS, opts.partChars ?? envNumber('LOUPE_PART_CHARS') ?? MAX_PART_CHARS),
    onBytes: opts.onBytes,
    signal: opts.signal,
    chunkBytes: Math.max(1, Math.floor(opts.chunkBytes ?? STREAM_CHUNK)),
    textColumn: opts.textColumn,
    readerBudget: opts.readerBudget,
  };
}

type Options = ReturnType<typeof readOptionsWithDefaults>;

function cancelled(): LoupeFailure {
  return new LoupeFailure('E_CANCELLED', 'Indexing was cancelled.');
}

function cannotRead(file: SourceFile, e: unknown): SkippedFile {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { name: file.name, reason: 'the file disappeared while the corpus was being read' };
  return { name: file.name, reason: `cannot read: ${(e as Error).message}` };
}

/** All documents a read produced: one, or the parts of a file too long for one string. */
export function documentsOf(d: ReadDocument): ReadDocument[] {
  return d.parts && d.parts.length ? [d, ...d.parts] : [d];
}

/**
 * Reads and decodes one file; returns a skipped entry instead of throwing (except for cancellation).
 * The size and mtime recorded are those of the file as it was opened, before its bytes were read: if
 * it changes during or after the read, the next open sees a newer mtime and re-checks its content.
 */
export async function readDocument(file: SourceFile, options: ReadOptions = {}): Promise<ReadDocument | SkippedFile> {
  const opts = readOptionsWithDefaults(options);
  if (opts.signal?.aborted) throw cancelled();
  let handle: FileHandle;
  try {
    handle = await fs.open(file.path, 'r');
  } catch (e) {
    return cannotRead(file, e);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { name: file.name, reason: 'no longer a regular file' };
    if (st.size > opts.streamAbove) return await readStreamed(handle, file, st.size, st.mtimeMs, opts);
    const bytes = await handle.readFile();
    if (needsExtractor(file.path)) {
      const doc = await extracted(file, bytes, opts);
      if (isDocument(doc)) {
        for (const d of documentsOf(doc)) {
          d.size = st.size;
          d.mtimeMs = st.mtimeMs;
        }
      }
      return doc;
    }
    const decoded = decodeBytes(bytes);
    if (!decoded.ok) return { name: file.name, reason: decoded.reason };
    const doc = await finish(file, decoded.text, decoded.encoding, decoded.warning ? [`${file.name}: ${decoded.warning}`] : [], hashBytes(bytes), st.size, opts);
    if (isDocument(doc)) {
      doc.size = st.size;
      doc.mtimeMs = st.mtimeMs;
    }
    return doc;
  } catch (e) {
    if (e instanceof LoupeFailure) throw e;
    return cannotRead(file, e);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * A rich format through its extractor on a reader thread: one document, or several (CSV rows, TEI
 * texts) as parts. The bytes are hashed first: they are moved to the thread.
 */
async function extracted(file: SourceFile, bytes: Uint8Array, opts: Options): Promise<ReadDocument | SkippedFile> {
  const hash = hashBytes(bytes);
  const budget = budgetFor(file.name, bytes.length, opts.readerBudget);
  const extractOptions = opts.textColumn ? { textColumn: opts.textColumn } : {};
  const result = await extractInReader(file.name, bytes, extractOptions, { budget, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!result.ok) return { name: file.name, reason: result.reason };
  if (result.documents.length === 0) return { name: file.name, reason: 'no text found' };
  const docs = result.documents.map((x): ReadDocument => {
    const d: ReadDocument = {
      name: x.part ? `${file.name} ${x.part}` : file.name,
      path: file.path,
      text: x.text,
      encoding: x.encoding ?? extname(file.path).slice(1).toLowerCase(),
      warnings: x.warnings.map((w) => `${file.name}: ${w}`),
      hash,
    };
    for (const k of ['title', 'author', 'date', 'source'] as const) if (x[k]) d[k] = x[k];
    if (Object.keys(x.meta).length) d.meta = { ...x.meta };
    // EPUB and TEI name the language in their metadata, a CSV in a column.
    const declared = x.language ?? (x.meta.language ? { value: x.meta.language, source: DELIMITED.has(extname(file.path).toLowerCase()) ? 'metadata' : 'markup' } as const : undefined);
    if (declared) d.declaredLanguage = declared;
    if (x.sections.length) d.sections = x.sections;
    if (x.pages.length) d.pages = x.pages;
    return d;
  });
  const [first, ...rest] = docs;
  if (rest.length) first!.parts = rest;
  return first!;
}

async function finish(
  file: SourceFile,
  decodedText: string,
  encoding: string,
  warnings: string[],
  hash: string,
  size: number,
  opts: Options,
): Promise<ReadDocument | SkippedFile> {
  let text = decodedText;
  let title: string | undefined;
  if (HTML_EXTENSIONS.has(extname(file.path).toLowerCase())) {
    // A page too large to read whole is still parsed as HTML: on a reader thread, like every parser.
    const budget = budgetFor(file.name, size, opts.readerBudget);
    const r = await htmlTextInReader(text, { budget, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (!r.ok) return { name: file.name, reason: r.reason };
    text = r.html.text;
    title = r.html.title;
  }
  const doc: ReadDocument = { name: file.name, path: file.path, text, encoding, warnings, hash };
  if (title) doc.title = title;
  return doc;
}

type ChunkDecoder = (chunk: Uint8Array | undefined) => string;

function chunkDecoder(label: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252', fatal: boolean): ChunkDecoder {
  if (label === 'windows-1252') return (c) => (c ? decodeWindows1252(c) : '');
  const d = new TextDecoder(label, { fatal, ignoreBOM: true });
  // undefined = end of input: flush what a multi-byte sequence left pending.
  return (c) => (c ? d.decode(c, { stream: true }) : d.decode());
}

/**
 * Collects decoded text into documents of at most `max` characters, cutting at a paragraph break, else
 * a line end, else a space near the limit, so no word is split; the parts concatenate to the text.
 */
class PartCollector {
  readonly parts: string[] = [];
  private pieces: string[] = [];
  private len = 0;
  constructor(private readonly max: number) {}

  add(s: string): void {
    while (this.len + s.length > this.max) {
      const room = this.max - this.len;
      let k = cutPoint(s, room);
      if (k <= 0 && this.len === 0) k = hardCut(s, room);
      if (k > 0) this.pieces.push(s.slice(0, k));
      this.flush();
      s = s.slice(Math.max(0, k));
    }
    if (s) {
      this.pieces.push(s);
      this.len += s.length;
    }
  }

  flush(): void {
    if (this.len === 0 && this.pieces.length === 0) return;
    this.parts.push(this.pieces.join(''));
    this.pieces = [];
    this.len = 0;
  }

  end(): string[] {
    if (this.pieces.length) this.flush();
    // An empty text (a file that is only a byte-order mark) is still one document.
    if (this.parts.length === 0) this.parts.push('');
    return this.parts;
  }
}

function cutPoint(s: string, room: number): number {
  if (room <= 0) return 0;
  // (lastIndexOf clamps a negative start to 0, so a room of 1 must not look for two characters.)
  const para = room >= 2 ? s.lastIndexOf('\n\n', room - 2) : -1;
  // Prefer a paragraph break unless it throws away most of the room.
  if (para >= 0 && para + 2 >= room / 2) return para + 2;
  const line = s.lastIndexOf('\n', room - 1);
  if (line >= 0) return line + 1;
  const space = s.lastIndexOf(' ', room - 1);
  if (space >= 0) return space + 1;
  return 0;
}

function hardCut(s: string, room: number): number {
  let k = Math.min(room, s.length);
  const c = s.charCodeAt(k - 1);
  // Never split a surrogate pair: cut before it, or (room for one unit only) take the whole pair.
  if (c >= 0xd800 && c <= 0xdbff) k = k > 1 ? k - 1 : Math.min(2, s.length);
  return k;
}

interface PassResult {
  ok: boolean;
  parts: string[];
  hash: string;
}

/** One pass over a file: decode chunk by chunk (and collect, unless only counting). */
async function decodePass(
  handle: FileHandle,
  file: SourceFile,
  size: number,
  skip: number,
  decode: ChunkDecoder,
  sink: (text: string) => void,
  opts: Options,
): Promise<string> {
  const chunkSize = opts.chunkBytes;
  const buf = Buffer.allocUnsafe(chunkSize);
  const hash = createHash('sha256');
  let at = 0;
  for (;;) {
    if (opts.signal?.aborted) throw cancelled();
    const { bytesRead } = await handle.read(buf, 0, chunkSize, at);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    hash.update(chunk);
    const from = at < skip ? Math.min(skip - at, bytesRead) : 0;
    at += bytesRead;
    sink(decode(chunk.subarray(from)));
    opts.onBytes?.(file, at, size);
  }
  sink(decode(undefined));
  return hash.digest('hex');
}

/** A file too large to hold as bytes and text at once: decoded as a stream, split into parts if need be. */
async function readStreamed(
  handle: FileHandle,
  file: SourceFile,
  size: number,
  mtimeMs: number,
  opts: Options,
): Promise<ReadDocument | SkippedFile> {
  const head = Buffer.alloc(Math.min(SNIFF, size));
  await handle.read(head, 0, head.length, 0);
  const s = sniff(head);
  if (!s.ok) return { name: file.name, reason: s.reason };
  let label: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' = s.label;
  let encoding = s.encoding;
  let warning = s.warning;
  const collect = async (fatal: boolean): Promise<PassResult> => {
    const parts = new PartCollector(opts.partChars);
    try {
      const hash = await decodePass(handle, file, size, s.skip, chunkDecoder(label, fatal), (t) => parts.add(t), opts);
      return { ok: true, parts: parts.end(), hash };
    } catch (e) {
      if (fatal && (e as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return { ok: false, parts: [], hash: '' };
      throw e;
    }
  };
  let result = await collect(s.checkUtf8);
  if (!result.ok) {
    // Not valid UTF-8: count what a lenient decode makes of it (keeping no text), then decode for real.
    const tally = new Utf8Tally();
    let literal = 0;
    await decodePass(handle, file, size, s.skip, chunkDecoder('utf-8', false), (t) => tally.add(t), opts);
    // U+FFFD genuinely in the file: counted on a second, byte-level look only if any replacement showed.
    if (tally.invalid > 0) literal = await countLiteralReplacement(handle, size, opts);
    const f = fallbackFor(tally, literal);
    label = f.label;
    encoding = f.encoding;
    warning = f.warning;
    result = await collect(false);
  }
  const warnings = warning ? [`${file.name}: ${warning}`] : [];
  const texts = result.parts;
  const isHtml = HTML_EXTENSIONS.has(extname(file.path).toLowerCase());
  if (texts.length > 1 && isHtml)
    return { name: file.name, reason: `HTML page too large to read as one document (${Math.round(size / MiB)} MiB)` };
  if (texts.length === 1) {
    const doc = await finish(file, texts[0]!, encoding, warnings, result.hash, size, opts);
    if (isDocument(doc)) Object.assign(doc, { size, mtimeMs });
    return doc;
  }
  const total = texts.reduce((a, t) => a + t.length, 0);
  const note = `${file.name}: too long for one document (${total} characters); split into ${texts.length} parts, ${file.name}#part1 to #part${texts.length}`;
  const docs: ReadDocument[] = texts.map((text, i) => ({
    name: `${file.name}#part${i + 1}`,
    path: file.path,
    text,
    encoding,
    warnings: i === 0 ? [...warnings, note] : [note],
    hash: result.hash,
    size,
    mtimeMs,
  }));
  const first = docs[0]!;
  first.parts = docs.slice(1);
  return first;
}

async function countLiteralReplacement(handle: FileHandle, size: number, opts: Options): Promise<number> {
  const step = opts.chunkBytes;
  const buf = Buffer.allocUnsafe(step + 2);
  let n = 0;
  // Overlap two bytes between chunks so a sequence across a boundary is seen once.
  for (let at = 0; at < size; at += step) {
    if (opts.signal?.aborted) throw cancelled();
    const { bytesRead } = await handle.read(buf, 0, step + 2, at);
    if (bytesRead === 0) break;
    const view = buf.subarray(0, bytesRead);
    for (let i = view.indexOf(0xef); i >= 0 && i < step && i + 2 < bytesRead; i = view.indexOf(0xef, i + 1))
      if (view[i + 1] === 0xbf && view[i + 2] === 0xbd) n++;
  }
  return n;
}

/** Reads documents with bounded concurrency (so 100,000 small files never exhaust file handles). */
export async function readDocuments(
  files: SourceFile[],
  onEach?: (done: number, file: SourceFile) => void,
  signal?: AbortSignal,
  concurrency = 16,
  options: ReadOptions = {},
): Promise<Array<ReadDocument | SkippedFile>> {
  const out: Array<ReadDocument | SkippedFile> = new Array(files.length);
  const opts: ReadOptions = signal ? { ...options, signal } : options;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      if (opts.signal?.aborted) throw cancelled();
      const i = next++;
      out[i] = await readDocument(files[i]!, opts);
      onEach?.(++done, files[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return out;
}

export function isDocument(x: ReadDocument | SkippedFile): x is ReadDocument {
  return (x as ReadDocument).text !== undefined;
}
