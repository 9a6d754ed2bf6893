/**
 * Opening a corpus: reuse its saved index when the files are unchanged, otherwise read, tokenise,
 * index and save. The cache folder is keyed by the corpus inputs; the saved manifest records each
 * file's size, mtime and content hash, so a changed, added or removed file is noticed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
  checkCorpusPath, documentsOf, hashBytes, isDocument, lemmaListLanguage, listCorpus, readDocuments, type ReadDocument, type ReadOptions, type SourceFile,
} from '../corpus/read.js';
import { mergeBatchesAsync, type DocumentInput } from './build.js';
import { changeCounts, describeChanges, documentsByFile, sliceBatch } from './incremental.js';
import { tokeniseAll } from '../text/pool.js';
import { tokenisedAs, type TokenBatch } from '../text/tokenise.js';
import { isRightToLeft, normaliseLanguage } from '../text/language.js';
import { indexFileIn, LAZY_ABOVE, loadIndex, LoadFailure, readManifest, saveIndex, type FileFingerprint, type SavedManifest } from '../index/persist.js';
import type { CorpusIndex } from '../index/store.js';

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
}

export interface OpenedCorpus {
  index: CorpusIndex;
  info: CorpusInfo;
  /** Why the index was rebuilt, when a saved one existed but was not used. */
  rebuiltBecause?: string;
  /** Why the new index could not be saved (read-only or full cache folder); the corpus is open anyway. */
  notSaved?: string;
  /** Documents tokenised by this open: 0 when the saved index was reused, only changed files' when re-indexed incrementally. */
  tokenised: number;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled corpus folder (corpus/ at the project root; an extra resource in packaged builds). */
export function bundledCorpusDir(): string {
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
export function bundledCorpusFiles(): string[] {
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
  return createHash('sha256').update(JSON.stringify([...inputs].sort())).digest('hex').slice(0, 24);
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
  if (!sidecars.every((f, i) => savedSidecars[i]!.path === f.path && savedSidecars[i]!.size === f.size && savedSidecars[i]!.mtimeMs === f.mtimeMs))
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

export async function openCorpus(paths: string[] | undefined, opts: OpenOptions = {}): Promise<OpenedCorpus> {
  if (paths) for (const p of paths) checkCorpusPath(p);
  const inputs = corpusInputs(paths);
  const label = paths && paths.length ? inputs.map((p) => p.split(/[\\/]/).pop()).join(', ') : 'Bundled: Cliff, The coming Russian revolution';
  const progress = opts.onProgress ?? (() => {});
  const listing = await listCorpus(inputs);
  const indexFile = indexFileIn(join(opts.indexDir ?? defaultCacheDir(), corpusKey(inputs)));

  let rebuiltBecause: string | undefined;
  let saved = existsSync(indexFile) ? readManifest(indexFile) : undefined;
  if (existsSync(indexFile) && !saved) rebuiltBecause = 'the saved index is damaged or from another version';
  if (saved && saved.language !== opts.language) {
    // Every document may read differently under another language setting.
    rebuiltBecause = opts.language ? `the corpus language is now ${opts.language}` : 'the corpus language setting was removed';
    saved = undefined;
  } else if (saved && !!saved.stem !== !!opts.stem) {
    rebuiltBecause = opts.stem ? 'lemmas are now stems' : 'lemmas are no longer stems';
    saved = undefined;
  }
  const MiB = 1024 * 1024;
  const readOptions: ReadOptions = {
    ...opts.read,
    // A streamed file reports its own progress in MiB, so one huge file does not look stuck.
    onBytes: (f, read, total) =>
      progress({ phase: 'reading', done: Math.floor(read / MiB), total: Math.max(1, Math.ceil(total / MiB)), file: `${f.name} (MiB)` }),
  };
  const loadOptions = opts.lazyAbove !== undefined ? { lazyAbove: opts.lazyAbove } : {};
  const readSome = (some: SourceFile[]) =>
    readDocuments(some, (done, f) => progress({ phase: 'reading', done, total: some.length, file: f.name }), opts.signal, undefined, readOptions);
  const loadSaved = async (): Promise<{ index: CorpusIndex; manifest: SavedManifest } | undefined> => {
    progress({ phase: 'loading', done: 0, total: 1 });
    try {
      const loaded = await loadIndex(indexFile, loadOptions);
      progress({ phase: 'loading', done: 1, total: 1 });
      return loaded;
    } catch (e) {
      if (!(e instanceof LoadFailure)) throw e;
      rebuiltBecause = `the saved index is damaged (${e.message})`;
      return undefined;
    }
  };

  /**
   * The saved index as a source of unchanged files' tokens. Opened lazily, so the texts of changed
   * files (which may be read back from those very files) are never asked for; its columns are read
   * whole now, so damage shows here and means a full rebuild.
   */
  const loadPrevious = async (): Promise<{ index: CorpusIndex; manifest: SavedManifest } | undefined> => {
    try {
      const loaded = await loadIndex(indexFile, { lazyAbove: 0 });
      const i = loaded.index;
      for (const column of [i.form, i.lemma, i.pos, i.kind, i.flags, i.start, i.end, i.forms, i.lemmas]) void column;
      return loaded;
    } catch (e) {
      if (!(e instanceof LoadFailure) && !(e instanceof LoupeFailure && e.code === 'E_INDEX')) throw e;
      rebuiltBecause = `the saved index is damaged (${e.message})`;
      return undefined;
    }
  };

  const files = listing.files;
  /** Files read this time, by path; the others are taken from the saved index. */
  const read = new Map<string, ReadDocument | SkippedFile>();
  let old: { index: CorpusIndex; manifest: SavedManifest; byFile: Map<string, number[]> } | undefined;
  const savedPrints = new Map((saved?.files ?? []).map((f) => [f.path, f]));
  if (saved) {
    const sidecarsSame = sameListing({ ...saved, files: [] }, [], listing.sidecars);
    if (sameListing(saved, files, listing.sidecars)) {
      const loaded = await loadSaved();
      if (loaded) return { index: loaded.index, info: infoOf(loaded.index, loaded.manifest, true, label), tokenised: 0 };
    } else if (sidecarsSame) {
      // Touched files may not have changed: read those whose size or time differ (and new ones), and
      // compare content hashes; unchanged files keep their tokens from the saved index.
      const touched = files.filter((f) => {
        const s = savedPrints.get(f.path);
        return !s || s.size !== f.size || s.mtimeMs !== f.mtimeMs || s.name !== f.name || s.hash === 'skipped';
      });
      const results = await readSome(touched);
      touched.forEach((f, i) => read.set(f.path, results[i]!));
      const unchanged = files.every((f) => {
        const r = read.get(f.path);
        const want = savedPrints.get(f.path)?.hash;
        return r === undefined || (isDocument(r) ? want === r.hash : want === 'skipped');
      });
      if (unchanged && files.length === saved.files.length) {
        const loaded = await loadSaved();
        if (loaded) return { index: loaded.index, info: infoOf(loaded.index, loaded.manifest, true, label), tokenised: 0 };
      } else {
        rebuiltBecause = 'files were added, removed or changed';
        const loaded = await loadPrevious();
        if (loaded) old = { ...loaded, byFile: documentsByFile(loaded.index) };
      }
    } else {
      rebuiltBecause = 'files were added, removed or changed';
    }
  }
  /** A file whose documents can be copied from the saved index: same content as when it was indexed. */
  const reusable = (f: SourceFile): boolean => {
    const s = savedPrints.get(f.path);
    if (!old || !s || s.hash === 'skipped' || !old.byFile.has(f.path)) return false;
    const r = read.get(f.path);
    return r === undefined || (isDocument(r) && r.hash === s.hash);
  };
  if (rebuiltBecause && !old) opts.onNotice?.(`Re-indexing: ${rebuiltBecause}.`);

  const unread = files.filter((f) => !read.has(f.path) && !reusable(f));
  if (unread.length) {
    const results = await readSome(unread);
    unread.forEach((f, i) => read.set(f.path, results[i]!));
  }

  // Documents in file order; those of reused files come with their tokens already.
  const docs: DocumentInput[] = [];
  const batches: Array<TokenBatch | undefined> = [];
  const fresh: ReadDocument[] = [];
  const skipped: SkippedFile[] = [...listing.skipped];
  const fingerprints: FileFingerprint[] = [];
  const outcome: Array<{ path: string; hash: string; reused: boolean }> = [];
  for (const f of files) {
    if (reusable(f)) {
      const r = read.get(f.path);
      const s = savedPrints.get(f.path)!;
      for (const d of old!.byFile.get(f.path)!) {
        docs.push(old!.index.docs[d]!);
        batches.push(sliceBatch(old!.index, d));
      }
      fingerprints.push(r && isDocument(r) ? { path: f.path, name: f.name, size: r.size ?? f.size, mtimeMs: r.mtimeMs ?? f.mtimeMs, hash: r.hash } : s);
      outcome.push({ path: f.path, hash: s.hash, reused: true });
      continue;
    }
    const d = read.get(f.path)!;
    if (isDocument(d)) {
      for (const doc of documentsOf(d)) {
        docs.push(doc);
        batches.push(undefined);
        fresh.push(doc);
      }
      // The file as it was when read (it may have changed since it was listed): the next open compares
      // against what the index really holds.
      fingerprints.push({ path: f.path, name: f.name, size: d.size ?? f.size, mtimeMs: d.mtimeMs ?? f.mtimeMs, hash: d.hash });
      outcome.push({ path: f.path, hash: d.hash, reused: false });
    } else {
      skipped.push(d);
      fingerprints.push({ path: f.path, name: f.name, size: f.size, mtimeMs: f.mtimeMs, hash: 'skipped' });
      outcome.push({ path: f.path, hash: 'skipped', reused: false });
    }
  }
  const sidecarPrints: FileFingerprint[] = [];
  /** Lemma lists by the language they apply to (`*`: every document). */
  const lemmaLists = new Map<string, LemmaList>();
  for (const f of listing.sidecars) {
    try {
      const bytes = await readFile(f.path);
      const st = await stat(f.path);
      const listLanguage = lemmaListLanguage(f.name);
      if (listLanguage) {
        const decoded = decodeBytes(bytes);
        if (!decoded.ok) throw new Error(decoded.reason);
        const list = parseLemmaList(decoded.text, f.name);
        for (const w of list.warnings) opts.onNotice?.(w);
        // `lemmas.deu.txt` and `lemmas.de.txt` both name German.
        lemmaLists.set(listLanguage === '*' ? '*' : (normaliseLanguage(listLanguage) ?? listLanguage), list);
        sidecarPrints.push({ path: f.path, name: f.name, size: st.size, mtimeMs: st.mtimeMs, hash: hashBytes(bytes) });
        continue;
      }
      const sidecar = parseSidecar(bytes, f.name);
      // Reused documents carry the metadata the (unchanged) sidecar gave them when first indexed.
      applySidecar(fresh, sidecar);
      for (const w of sidecar.warnings) opts.onNotice?.(w);
      sidecarPrints.push({ path: f.path, name: f.name, size: st.size, mtimeMs: st.mtimeMs, hash: hashBytes(bytes) });
    } catch (e) {
      skipped.push({ name: f.name, reason: `metadata file not read: ${(e as Error).message}` });
    }
  }
  // Fresh documents' languages, once metadata.csv has had its say; reused ones keep theirs.
  for (const doc of fresh) decideLanguage(doc, opts.language);
  if (docs.length === 0) {
    const why = skipped.length ? ` (${skipped.map((s) => `${s.name}: ${s.reason}`).slice(0, 5).join('; ')})` : '';
    throw new LoupeFailure('E_CORPUS', `No readable text in ${inputs.join(', ')}${why}.`);
  }
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
  const index = await mergeBatchesAsync(docs, batches as TokenBatch[]);
  if (old) opts.onNotice?.(describeChanges(changeCounts(old.manifest.files, outcome)));
  progress({ phase: 'indexing', done: 0, total: 1 });
  void index.byWord; // build the main positional index now rather than on the first query
  progress({ phase: 'indexing', done: 1, total: 1 });
  const manifest: SavedManifest = {
    inputs,
    files: fingerprints,
    skipped,
    fingerprint: fingerprintOf([...fingerprints, ...sidecarPrints]),
    ...(sidecarPrints.length ? { sidecars: sidecarPrints } : {}),
    ...(opts.language ? { language: opts.language } : {}),
    ...(opts.stem ? { stem: true } : {}),
  };
  progress({ phase: 'saving', done: 0, total: 1 });
  let notSaved: string | undefined;
  try {
    await saveIndex(indexFile, index, manifest);
  } catch (e) {
    // An unwritable cache costs speed next time, not the reader's work now; any old index stays as it was.
    notSaved = `${e instanceof Error ? e.message : String(e)} The corpus is open; it will be indexed again next time.`;
    opts.onNotice?.(notSaved);
  }
  progress({ phase: 'saving', done: 1, total: 1 });
  const result: OpenedCorpus = { index: notSaved ? index : await reopenedIfLarge(indexFile, index, loadOptions), info: infoOf(index, manifest, false, label), tokenised: todo.length };
  if (rebuiltBecause) result.rebuiltBecause = rebuiltBecause;
  if (notSaved) result.notSaved = notSaved;
  return result;
}
