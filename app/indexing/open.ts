/**
 * Opening a corpus: reuse its saved index when the files are unchanged, otherwise read, tokenise,
 * index and save. The cache folder is keyed by the corpus inputs; the saved manifest records each
 * file's size, mtime and content hash, so a changed, added or removed file is noticed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { decideLanguage } from '../corpus/languages.js';
import { decodeBytes } from '../corpus/decode.js';
import { applyLemmaList, applyStemmer, parseLemmaList, stemmerFor, type LemmaList } from '../text/lemma-list.js';
import { applySidecar, parseSidecar } from '../corpus/sidecar.js';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoupeFailure } from '../contract/errors.js';
import type { CorpusInfo, IndexProgress, SkippedFile } from '../contract/types.js';
import {
  checkCorpusPath,
  documentsOf,
  hashBytes,
  isDocument,
  lemmaListLanguage,
  listCorpus,
  readDocuments,
  type Listing,
  type ReadDocument,
  type ReadOptions,
  type SourceFile,
} from '../corpus/read.js';
import { mergeBatchesAsync, type DocumentInput } from './build.js';
import { changeCounts, describeChanges, documentsByFile, sliceBatch } from './incremental.js';
import { tokeniseAll } from '../text/pool.js';
import { tokenisedAs, type TokenBatch } from '../text/tokenise.js';
import { isRightToLeft, normaliseLanguage } from '../text/language.js';
import {
  indexFileIn,
  LAZY_ABOVE,
  loadIndex,
  LoadFailure,
  readManifest,
  saveIndex,
  type FileFingerprint,
  type SavedManifest,
} from '../index/persist.js';
import type { CorpusIndex } from '../index/store.js';
import { mergeSegments } from '../index/merge.js';
import { distinctSkipped, removeOtherSegments, segmentFile, segmentFolder, segmentGroups, totalBytes } from './segments.js';

export interface OpenOptions {
  /** Cache folder; default: the user's cache directory. */
  indexDir?: string;
  onProgress?: (p: IndexProgress) => void;
  signal?: AbortSignal;
  /** Tokenise in-thread below this many characters (tests use it to force the worker path). */
  inThreadBelow?: number;
  /** Called with a note when a saved index was found damaged or outdated and is rebuilt. */
  onNotice?: (message: string) => void;
  /** Streaming thresholds for large files (tests lower them); see ReadOptions. */
  read?: Pick<ReadOptions, 'streamAbove' | 'partChars'>;
  /** Saved indexes at least this large are opened lazily (tests lower it); see LoadOptions. */
  lazyAbove?: number;
  /**
   * The language of every document without a language of its own in metadata.csv or front matter
   * (an ISO 639 code, checked by corpusLanguageSetting); default: each document's markup or detection.
   */
  language?: string;
  /**
   * Lemmatise documents outside English by Snowball stemming (for the languages it has), where no
   * lemma list covers them; default: the case-folded form is the lemma.
   */
  stem?: boolean;
  /**
   * A corpus whose files hold more than this many bytes is indexed in segments of about this much
   * text, each saved as it is done and then merged on disk, so indexing needs memory for one segment,
   * not the corpus (tests lower it). Default SEGMENT_BYTES.
   */
  segmentBytes?: number;
}

/** Text per segment of a large corpus: its build, the largest part of an open's memory, stays well under 3 GB. */
const SEGMENT_BYTES = 128 * 1024 * 1024;

export interface OpenedCorpus {
  index: CorpusIndex;
  info: CorpusInfo;
  /** Why the index was rebuilt, when a saved one existed but was not used. */
  rebuiltBecause?: string;
  /** Why the new index could not be saved (read-only or full cache folder); the corpus is open anyway. */
  notSaved?: string;
  /** Documents tokenised by this open: 0 when the saved index was reused, only changed files' when re-indexed incrementally. */
  tokenised: number;
  /** The saved index file the corpus was opened from or saved to; none when it could not be saved. */
  indexFile?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled corpus folder (corpus/ at the project root; an extra resource in packaged builds). */
function bundledCorpusDir(): string {
  const candidates = [
    process.env.LOUPE_BUNDLED_CORPUS,
    resolve(here, '../../corpus'),
    (process as { resourcesPath?: string }).resourcesPath
      ? join((process as { resourcesPath?: string }).resourcesPath!, 'corpus')
      : undefined,
  ].filter((x): x is string => !!x);
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** The files of the bundled corpus, as its manifest lists them. */
function bundledCorpusFiles(): string[] {
  const dir = bundledCorpusDir();
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files?: string[] };
    if (Array.isArray(manifest.files) && manifest.files.length) return manifest.files.map((f) => join(dir, f));
  } catch {
    // No manifest: the whole folder is the corpus.
  }
  return [dir];
}

export function defaultCacheDir(): string {
  if (process.env.LOUPE_CACHE_DIR) return process.env.LOUPE_CACHE_DIR;
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Loupe', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Loupe');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'loupe');
}

function corpusKey(inputs: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([...inputs].sort()))
    .digest('hex')
    .slice(0, 24);
}

function fingerprintOf(files: FileFingerprint[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) h.update(`${f.name}\0${f.hash}\n`);
  return h.digest('hex');
}

function sameListing(saved: SavedManifest, files: SourceFile[], sidecars: SourceFile[]): boolean {
  if (saved.files.length !== files.length) return false;
  const savedSidecars = saved.sidecars ?? [];
  if (savedSidecars.length !== sidecars.length) return false;
  if (
    !sidecars.every(
      (f, i) => savedSidecars[i]!.path === f.path && savedSidecars[i]!.size === f.size && savedSidecars[i]!.mtimeMs === f.mtimeMs,
    )
  )
    return false;
  const byPath = new Map(saved.files.map((f) => [f.path, f]));
  return files.every((f) => {
    const s = byPath.get(f.path);
    return s !== undefined && s.size === f.size && s.mtimeMs === f.mtimeMs && s.name === f.name;
  });
}

function infoOf(index: CorpusIndex, manifest: SavedManifest, reused: boolean, label: string): CorpusInfo {
  const counted = index.docCounted;
  return {
    fingerprint: manifest.fingerprint,
    label,
    documents: index.docs.map((d, i) => ({
      id: i,
      name: d.name,
      tokens: index.docStart[i + 1]! - index.docStart[i]!,
      counted: counted[i]!,
      encoding: d.encoding,
      warnings: d.warnings,
      ...(d.title ? { title: d.title } : {}),
      ...(d.author ? { author: d.author } : {}),
      ...(d.date ? { date: d.date } : {}),
      ...(d.source ? { source: d.source } : {}),
      ...(d.meta ? { meta: d.meta } : {}),
      ...(d.language ? { language: d.language } : {}),
      ...(d.languageSource ? { languageSource: d.languageSource } : {}),
      ...(isRightToLeft(d.language) ? { dir: 'rtl' as const } : {}),
      ...(d.sections?.length ? { sections: d.sections.length } : {}),
      ...(d.pages?.length ? { pages: d.pages.length } : {}),
    })),
    skipped: manifest.skipped,
    tokens: index.tokenCount,
    counted: index.countedTotal,
    types: index.wordCount,
    reused,
  };
}

/**
 * A large index just built holds every column, the texts and the string tables in memory; opened again
 * from its file it holds only what queries touch. Small ones are kept as built.
 */
async function reopenedIfLarge(file: string, built: CorpusIndex, opts: { lazyAbove?: number }): Promise<CorpusIndex> {
  try {
    if ((await stat(file)).size < (opts.lazyAbove ?? LAZY_ABOVE)) return built;
    const { index } = await loadIndex(file, opts);
    return index;
  } catch {
    return built;
  }
}

/** The absolute inputs a corpus is opened from (the bundled corpus's files when none are given). */
export function corpusInputs(paths: string[] | undefined): string[] {
  return (paths && paths.length ? paths : bundledCorpusFiles()).map((p) => resolve(p));
}

/**
 * Opens the corpus at `paths` (the bundled corpus when none are given): from its saved index when
 * that still holds it, else read and indexed anew, copying unchanged files' tokens from the saved index.
 */
export async function openCorpus(paths: string[] | undefined, opts: OpenOptions = {}): Promise<OpenedCorpus> {
  if (paths) for (const p of paths) checkCorpusPath(p);
  const inputs = corpusInputs(paths);
  const label =
    paths && paths.length ? inputs.map((p) => p.split(/[\\/]/).pop()).join(', ') : 'Bundled: Cliff, The coming Russian revolution';
  const o = await startOpening(inputs, label, opts);
  const reused = await reuseSaved(o);
  if (reused) return reused;
  if (o.rebuiltBecause && !o.old) opts.onNotice?.(`Re-indexing: ${o.rebuiltBecause}.`);
  if (inSegments(o)) return openInSegments(o);
  await readRemaining(o);
  const g = gatherDocuments(o);
  const { sidecarPrints, lemmaLists } = await readSidecars(o, g);
  // Fresh documents' languages, once metadata.csv has had its say; reused ones keep theirs.
  for (const doc of g.fresh) decideLanguage(doc, opts.language);
  if (g.docs.length === 0) {
    const why = g.skipped.length
      ? ` (${g.skipped
          .map((s) => `${s.name}: ${s.reason}`)
          .slice(0, 5)
          .join('; ')})`
      : '';
    throw new LoupeFailure('E_CORPUS', `No readable text in ${inputs.join(', ')}${why}.`);
  }
  const tokenised = await tokeniseFresh(o, g, lemmaLists);
  const index = await mergedIndex(o, g);
  const manifest = manifestOf(o, g, sidecarPrints);
  const notSaved = await saveIndexOf(o, index, manifest);
  const result: OpenedCorpus = {
    index: notSaved ? index : await reopenedIfLarge(o.indexFile, index, o.loadOptions),
    info: infoOf(index, manifest, false, label),
    tokenised,
    ...(notSaved ? {} : { indexFile: o.indexFile }),
  };
  if (o.rebuiltBecause) result.rebuiltBecause = o.rebuiltBecause;
  if (notSaved) result.notSaved = notSaved;
  return result;
}

/** A saved index opened to copy unchanged files' tokens from, with its documents by file. */
interface PreviousIndex {
  index: CorpusIndex;
  manifest: SavedManifest;
  byFile: Map<string, number[]>;
}

/** One opening of a corpus: where it is, where its index is saved, and what is known so far. */
interface Opening {
  inputs: string[];
  label: string;
  listing: Listing;
  indexFile: string;
  opts: OpenOptions;
  progress: (p: IndexProgress) => void;
  readOptions: ReadOptions;
  loadOptions: { lazyAbove?: number };
  /** The saved index's manifest, unless the index cannot serve this opening at all. */
  saved: SavedManifest | undefined;
  /** The saved manifest's fingerprints by path. */
  savedPrints: Map<string, FileFingerprint>;
  /** Why the index is rebuilt, once a saved one turned out not to be usable as it is. */
  rebuiltBecause: string | undefined;
  /** Files read this time, by path; the others are taken from the saved index. */
  read: Map<string, ReadDocument | SkippedFile>;
  old?: PreviousIndex;
}

async function startOpening(inputs: string[], label: string, opts: OpenOptions): Promise<Opening> {
  const progress = opts.onProgress ?? (() => {});
  const listing = await listCorpus(inputs);
  const indexFile = indexFileIn(join(opts.indexDir ?? defaultCacheDir(), corpusKey(inputs)));
  const { saved, rebuiltBecause } = usableManifest(indexFile, opts);
  const MiB = 1024 * 1024;
  const readOptions: ReadOptions = {
    ...opts.read,
    // A streamed file reports its own progress in MiB, so one huge file does not look stuck.
    onBytes: (f, read, total) =>
      progress({ phase: 'reading', done: Math.floor(read / MiB), total: Math.max(1, Math.ceil(total / MiB)), file: `${f.name} (MiB)` }),
  };
  return {
    inputs,
    label,
    listing,
    indexFile,
    opts,
    progress,
    readOptions,
    loadOptions: opts.lazyAbove !== undefined ? { lazyAbove: opts.lazyAbove } : {},
    saved,
    savedPrints: new Map((saved?.files ?? []).map((f) => [f.path, f])),
    rebuiltBecause,
    read: new Map(),
  };
}

/** The saved index's manifest, unless it is damaged or was made under other settings (and why not). */
function usableManifest(indexFile: string, opts: OpenOptions): { saved?: SavedManifest; rebuiltBecause?: string } {
  let rebuiltBecause: string | undefined;
  const saved = existsSync(indexFile) ? readManifest(indexFile) : undefined;
  if (existsSync(indexFile) && !saved) rebuiltBecause = 'the saved index is damaged or from another version';
  if (saved && saved.language !== opts.language) {
    // Every document may read differently under another language setting.
    return { rebuiltBecause: opts.language ? `the corpus language is now ${opts.language}` : 'the corpus language setting was removed' };
  }
  if (saved && !!saved.stem !== !!opts.stem) return { rebuiltBecause: opts.stem ? 'lemmas are now stems' : 'lemmas are no longer stems' };
  return { saved, rebuiltBecause };
}

function readSome(o: Opening, some: SourceFile[]): Promise<Array<ReadDocument | SkippedFile>> {
  return readDocuments(
    some,
    (done, f) => o.progress({ phase: 'reading', done, total: some.length, file: f.name }),
    o.opts.signal,
    undefined,
    o.readOptions,
  );
}

/**
 * The opened corpus when the saved index holds it as it is. Otherwise undefined, having read the
 * files that may have changed and, when only some did, opened the saved index to copy the others from.
 */
async function reuseSaved(o: Opening): Promise<OpenedCorpus | undefined> {
  const { saved, listing } = o;
  if (!saved) return undefined;
  if (sameListing(saved, listing.files, listing.sidecars)) return reused(o, await loadSaved(o));
  if (!sameListing({ ...saved, files: [] }, [], listing.sidecars)) {
    o.rebuiltBecause = 'files were added, removed or changed';
    return undefined;
  }
  // Touched files may not have changed: read those whose size or time differ (and new ones), and
  // compare content hashes; unchanged files keep their tokens from the saved index.
  if ((await readTouched(o)) && listing.files.length === saved.files.length) return reused(o, await loadSaved(o));
  o.rebuiltBecause = 'files were added, removed or changed';
  // A corpus in segments keeps its unchanged segments instead: its index is too large to load whole.
  if (inSegments(o)) return undefined;
  const loaded = await loadPrevious(o);
  if (loaded) o.old = { ...loaded, byFile: documentsByFile(loaded.index) };
  return undefined;
}

function reused(o: Opening, loaded: { index: CorpusIndex; manifest: SavedManifest } | undefined): OpenedCorpus | undefined {
  return (
    loaded && { index: loaded.index, info: infoOf(loaded.index, loaded.manifest, true, o.label), tokenised: 0, indexFile: o.indexFile }
  );
}

/** Reads the files listed differently from the saved manifest; whether each has the content it records. */
async function readTouched(o: Opening): Promise<boolean> {
  const files = o.listing.files;
  const touched = files.filter((f) => {
    const s = o.savedPrints.get(f.path);
    return !s || s.size !== f.size || s.mtimeMs !== f.mtimeMs || s.name !== f.name || s.hash === 'skipped';
  });
  const results = await readSome(o, touched);
  touched.forEach((f, i) => o.read.set(f.path, results[i]!));
  return files.every((f) => {
    const r = o.read.get(f.path);
    const want = o.savedPrints.get(f.path)?.hash;
    return r === undefined || (isDocument(r) ? want === r.hash : want === 'skipped');
  });
}

async function loadSaved(o: Opening): Promise<{ index: CorpusIndex; manifest: SavedManifest } | undefined> {
  o.progress({ phase: 'loading', done: 0, total: 1 });
  try {
    const loaded = await loadIndex(o.indexFile, o.loadOptions);
    o.progress({ phase: 'loading', done: 1, total: 1 });
    return loaded;
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    o.rebuiltBecause = `the saved index is damaged (${e.message})`;
    return undefined;
  }
}

/**
 * The saved index as a source of unchanged files' tokens. Opened lazily, so the texts of changed
 * files (which may be read back from those very files) are never asked for; its columns are read
 * whole now, so damage shows here and means a full rebuild.
 */
async function loadPrevious(o: Opening): Promise<{ index: CorpusIndex; manifest: SavedManifest } | undefined> {
  try {
    const loaded = await loadIndex(o.indexFile, { lazyAbove: 0 });
    const i = loaded.index;
    for (const column of [i.form, i.lemma, i.pos, i.kind, i.flags, i.start, i.end, i.forms, i.lemmas]) void column;
    return loaded;
  } catch (e) {
    if (!(e instanceof LoadFailure) && !(e instanceof LoupeFailure && e.code === 'E_INDEX')) throw e;
    o.rebuiltBecause = `the saved index is damaged (${e.message})`;
    return undefined;
  }
}

/** A file whose documents can be copied from the saved index: same content as when it was indexed. */
function reusable(o: Opening, f: SourceFile): boolean {
  const s = o.savedPrints.get(f.path);
  if (!o.old || !s || s.hash === 'skipped' || !o.old.byFile.has(f.path)) return false;
  const r = o.read.get(f.path);
  return r === undefined || (isDocument(r) && r.hash === s.hash);
}

/** Reads every file neither read yet nor copied from the saved index. */
async function readRemaining(o: Opening): Promise<void> {
  const unread = o.listing.files.filter((f) => !o.read.has(f.path) && !reusable(o, f));
  if (unread.length) {
    const results = await readSome(o, unread);
    unread.forEach((f, i) => o.read.set(f.path, results[i]!));
  }
}

/** The corpus's documents in file order, and what the new manifest records of each file. */
interface Gathered {
  docs: DocumentInput[];
  /** Per document: its tokens when copied from the saved index, else undefined until tokenised. */
  batches: Array<TokenBatch | undefined>;
  /** The documents read this time. */
  fresh: ReadDocument[];
  skipped: SkippedFile[];
  fingerprints: FileFingerprint[];
  outcome: Array<{ path: string; hash: string; reused: boolean }>;
}

function gatherDocuments(o: Opening): Gathered {
  const g: Gathered = { docs: [], batches: [], fresh: [], skipped: [...o.listing.skipped], fingerprints: [], outcome: [] };
  for (const f of o.listing.files) {
    if (reusable(o, f)) copyDocuments(o, f, g);
    else addRead(f, o.read.get(f.path)!, g);
  }
  return g;
}

/** Takes a reusable file's documents, with their tokens, from the saved index. */
function copyDocuments(o: Opening, f: SourceFile, g: Gathered): void {
  const old = o.old!;
  const r = o.read.get(f.path);
  const s = o.savedPrints.get(f.path)!;
  for (const d of old.byFile.get(f.path)!) {
    g.docs.push(old.index.docs[d]!);
    g.batches.push(sliceBatch(old.index, d));
  }
  g.fingerprints.push(
    r && isDocument(r) ? { path: f.path, name: f.name, size: r.size ?? f.size, mtimeMs: r.mtimeMs ?? f.mtimeMs, hash: r.hash } : s,
  );
  g.outcome.push({ path: f.path, hash: s.hash, reused: true });
}

/** Adds the documents of a file read this time, or the reason it was skipped. */
function addRead(f: SourceFile, d: ReadDocument | SkippedFile, g: Gathered): void {
  if (isDocument(d)) {
    for (const doc of documentsOf(d)) {
      g.docs.push(doc);
      g.batches.push(undefined);
      g.fresh.push(doc);
    }
    // The file as it was when read (it may have changed since it was listed): the next open compares
    // against what the index really holds.
    g.fingerprints.push({ path: f.path, name: f.name, size: d.size ?? f.size, mtimeMs: d.mtimeMs ?? f.mtimeMs, hash: d.hash });
    g.outcome.push({ path: f.path, hash: d.hash, reused: false });
  } else {
    g.skipped.push(d);
    g.fingerprints.push({ path: f.path, name: f.name, size: f.size, mtimeMs: f.mtimeMs, hash: 'skipped' });
    g.outcome.push({ path: f.path, hash: 'skipped', reused: false });
  }
}

/**
 * Reads the corpus's sidecars: metadata.csv onto the fresh documents, and the lemma lists by the
 * language they apply to (`*`: every document). One that cannot be read is listed as skipped.
 */
async function readSidecars(o: Opening, g: Gathered): Promise<{ sidecarPrints: FileFingerprint[]; lemmaLists: Map<string, LemmaList> }> {
  const sidecarPrints: FileFingerprint[] = [];
  const lemmaLists = new Map<string, LemmaList>();
  for (const f of o.listing.sidecars) {
    try {
      const bytes = await readFile(f.path);
      const st = await stat(f.path);
      const listLanguage = lemmaListLanguage(f.name);
      if (listLanguage) {
        const decoded = decodeBytes(bytes);
        if (!decoded.ok) throw new Error(decoded.reason);
        const list = parseLemmaList(decoded.text, f.name);
        for (const w of list.warnings) o.opts.onNotice?.(w);
        // `lemmas.deu.txt` and `lemmas.de.txt` both name German.
        lemmaLists.set(listLanguage === '*' ? '*' : (normaliseLanguage(listLanguage) ?? listLanguage), list);
      } else {
        const sidecar = parseSidecar(bytes, f.name);
        // Reused documents carry the metadata the (unchanged) sidecar gave them when first indexed.
        applySidecar(g.fresh, sidecar);
        for (const w of sidecar.warnings) o.opts.onNotice?.(w);
      }
      sidecarPrints.push({ path: f.path, name: f.name, size: st.size, mtimeMs: st.mtimeMs, hash: hashBytes(bytes) });
    } catch (e) {
      g.skipped.push({ name: f.name, reason: `metadata file not read: ${(e as Error).message}` });
    }
  }
  return { sidecarPrints, lemmaLists };
}

/**
 * Tokenises the documents that have no tokens yet, then gives them the lemmas of their language's
 * lemma list or, when asked, its stemmer; returns how many there were.
 */
async function tokeniseFresh(o: Opening, g: Gathered, lemmaLists: Map<string, LemmaList>): Promise<number> {
  const { docs, batches } = g;
  const { opts, progress } = o;
  const todo = docs.flatMap((_, i) => (batches[i] ? [] : [i]));
  progress({ phase: 'tokenising', done: 0, total: todo.length });
  const made = await tokeniseAll(
    todo.map((i) => docs[i]!.text),
    {
      languages: todo.map((i) => tokenisedAs(docs[i]!)),
      onProgress: (done) => progress({ phase: 'tokenising', done, total: todo.length }),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.inThreadBelow !== undefined ? { inThreadBelow: opts.inThreadBelow } : {}),
    },
  );
  todo.forEach((i, k) => {
    const language = docs[i]!.language;
    const list = lemmaLists.get(language ?? '') ?? lemmaLists.get('*');
    const stem = opts.stem && language && language !== 'en' && !list ? stemmerFor(language) : undefined;
    batches[i] = list ? applyLemmaList(made[k]!, list) : stem ? applyStemmer(made[k]!, stem) : made[k];
  });
  return todo.length;
}

/** The index of every document's tokens, its main positional index built. */
async function mergedIndex(o: Opening, g: Gathered): Promise<CorpusIndex> {
  const index = await mergeBatchesAsync(g.docs, g.batches as TokenBatch[]);
  if (o.old) o.opts.onNotice?.(describeChanges(changeCounts(o.old.manifest.files, g.outcome)));
  o.progress({ phase: 'indexing', done: 0, total: 1 });
  void index.byWord; // build the main positional index now rather than on the first query
  o.progress({ phase: 'indexing', done: 1, total: 1 });
  return index;
}

function manifestOf(o: Opening, g: Gathered, sidecarPrints: FileFingerprint[]): SavedManifest {
  const { opts } = o;
  return {
    inputs: o.inputs,
    files: g.fingerprints,
    skipped: g.skipped,
    fingerprint: fingerprintOf([...g.fingerprints, ...sidecarPrints]),
    ...(sidecarPrints.length ? { sidecars: sidecarPrints } : {}),
    ...(opts.language ? { language: opts.language } : {}),
    ...(opts.stem ? { stem: true } : {}),
  };
}

/** Saves the index; returns why it could not be, if so. */
async function saveIndexOf(o: Opening, index: CorpusIndex, manifest: SavedManifest): Promise<string | undefined> {
  o.progress({ phase: 'saving', done: 0, total: 1 });
  let notSaved: string | undefined;
  try {
    await saveIndex(o.indexFile, index, manifest);
  } catch (e) {
    // An unwritable cache costs speed next time, not the reader's work now; any old index stays as it was.
    notSaved = `${e instanceof Error ? e.message : String(e)} The corpus is open; it will be indexed again next time.`;
    o.opts.onNotice?.(notSaved);
  }
  o.progress({ phase: 'saving', done: 1, total: 1 });
  return notSaved;
}

/** Whether the corpus is indexed in segments: more text than one segment holds. */
function inSegments(o: Opening): boolean {
  return totalBytes(o.listing.files) > (o.opts.segmentBytes ?? SEGMENT_BYTES);
}

/**
 * Indexes a large corpus segment by segment, each built, saved and let go before the next, reusing
 * the segments whose files are unchanged; then merges them into the corpus's index on disk and opens
 * that lazily. A segment found damaged while merging means every segment is built again, once.
 */
async function openInSegments(o: Opening, retried = false): Promise<OpenedCorpus> {
  const groups = segmentGroups(o.listing.files, o.opts.segmentBytes ?? SEGMENT_BYTES, o.saved);
  const folder = segmentFolder(o.indexFile);
  const segments: Array<{ file?: string; manifest: SavedManifest }> = [];
  let tokenised = 0;
  // Each segment reads the corpus's sidecars again: their warnings are told once.
  const told = new Set<string>();
  const onNotice = (m: string) => {
    if (told.has(m)) return;
    told.add(m);
    o.opts.onNotice?.(m);
  };
  for (const [k, files] of groups.entries()) {
    if (o.opts.signal?.aborted) throw new LoupeFailure('E_CANCELLED', 'Indexing was cancelled.');
    const file = segmentFile(folder, files);
    const saved = existsSync(file) ? readManifest(file) : undefined;
    if (saved && sameListing(saved, files, o.listing.sidecars) && saved.language === o.opts.language && !!saved.stem === !!o.opts.stem) {
      segments.push({ file, manifest: saved });
      continue;
    }
    const segment = { at: k + 1, of: groups.length };
    const made = await buildSegment({ ...o, opts: { ...o.opts, onNotice }, progress: (p) => o.progress({ ...p, segment }) }, files, file);
    tokenised += made.tokenised;
    segments.push(made);
  }
  const manifests = segments.map((s) => s.manifest);
  const sidecars = manifests.find((m) => m.sidecars)?.sidecars ?? [];
  const files = manifests.flatMap((m) => m.files);
  const manifest: SavedManifest = {
    inputs: o.inputs,
    files,
    skipped: distinctSkipped([...o.listing.skipped, ...manifests.flatMap((m) => m.skipped)]),
    fingerprint: fingerprintOf([...files, ...sidecars]),
    ...(sidecars.length ? { sidecars } : {}),
    ...(o.opts.language ? { language: o.opts.language } : {}),
    ...(o.opts.stem ? { stem: true } : {}),
    segments: groups.map((g) => g.length),
  };
  const saved = segments.flatMap((s) => (s.file ? [s.file] : []));
  if (!saved.length) throw new LoupeFailure('E_CORPUS', `No readable text in ${o.inputs.join(', ')}.`);
  const STEPS = ['vocabulary', 'columns', 'postings', 'writing'];
  o.progress({ phase: 'merging', done: 0, total: STEPS.length });
  try {
    await mergeSegments(saved, o.indexFile, manifest, (step) =>
      o.progress({ phase: 'merging', done: STEPS.indexOf(step), total: STEPS.length, file: step }),
    );
  } catch (e) {
    if (retried || !(e instanceof LoadFailure || (e instanceof LoupeFailure && e.code === 'E_INDEX' && /damaged/.test(e.message)))) throw e;
    o.opts.onNotice?.(`Re-indexing every segment: a saved segment is damaged (${(e as Error).message}).`);
    rmSync(folder, { recursive: true, force: true });
    return openInSegments(o, true);
  }
  o.progress({ phase: 'merging', done: STEPS.length, total: STEPS.length });
  removeOtherSegments(folder, saved);
  const { index } = await loadIndex(o.indexFile, o.loadOptions);
  const result: OpenedCorpus = { index, info: infoOf(index, manifest, false, o.label), tokenised, indexFile: o.indexFile };
  if (o.rebuiltBecause) result.rebuiltBecause = o.rebuiltBecause;
  return result;
}

/**
 * Reads, tokenises, indexes and saves one segment's files as an index of their own (with the corpus's
 * sidecars and settings); its manifest, and no file when none of them holds readable text.
 */
async function buildSegment(
  o: Opening,
  files: SourceFile[],
  file: string,
): Promise<{ file?: string; manifest: SavedManifest; tokenised: number }> {
  const read = new Map<string, ReadDocument | SkippedFile>();
  for (const f of files) {
    const r = o.read.get(f.path);
    if (r) read.set(f.path, r);
  }
  const listing = { files, sidecars: o.listing.sidecars, skipped: [] };
  // The segment's previous version, when its settings still hold, lends its unchanged files' tokens.
  const { saved } = existsSync(file) ? usableManifest(file, o.opts) : {};
  const sub: Opening = {
    ...o,
    listing,
    indexFile: file,
    saved,
    savedPrints: new Map((saved?.files ?? []).map((f) => [f.path, f])),
    rebuiltBecause: undefined,
    read,
    old: undefined,
  };
  const same = await reuseSaved(sub);
  if (same) return { file, manifest: saved!, tokenised: 0 };
  await readRemaining(sub);
  const g = gatherDocuments(sub);
  const { sidecarPrints, lemmaLists } = await readSidecars(sub, g);
  for (const doc of g.fresh) decideLanguage(doc, o.opts.language);
  const manifest = manifestOf(sub, g, sidecarPrints);
  // The texts read are the segment's now: the corpus's opening need not keep them.
  for (const f of files) o.read.delete(f.path);
  if (!g.docs.length) return { manifest, tokenised: 0 };
  const tokenised = await tokeniseFresh(sub, g, lemmaLists);
  const index = await mergedIndex(sub, g);
  o.progress({ phase: 'saving', done: 0, total: 1 });
  await saveIndex(file, index, manifest);
  o.progress({ phase: 'saving', done: 1, total: 1 });
  return { file, manifest, tokenised };
}
