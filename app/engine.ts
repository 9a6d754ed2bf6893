/**
 * The engine as one object: what the CLI, the Electron main process and the web host all call.
 * Every method returns a Result; nothing throws across this boundary.
 */
import type { ExportFile, ExportRequest } from './contract/api.js';
import { LoupeFailure, ok, toLoupeError, type Result } from './contract/errors.js';
import type {
  CollocRequest,
  CollocResult,
  CompareRequest,
  CompareResult,
  DispersionRequest,
  DispersionResult,
  FreqRequest,
  FreqResult,
  KeywordRequest,
  KeywordResult,
  NgramRequest,
  NgramResult,
  TrendsRequest,
  TrendsResult,
} from './contract/stats.js';
import type { CodeLinesRequest, ProjectPatch, ProjectState, ProjectSummary, ResolvedLine } from './contract/project.js';
import type {
  CorpusInfo,
  CountResult,
  DocumentText,
  IndexProgress,
  KwicPage,
  KwicRequest,
  Matching,
  PassageHit,
} from './contract/types.js';
import { toExportFile } from './export/formats.js';
import { exportTableFor } from './export/from-requests.js';
import { corpusInputs, defaultCacheDir, openCorpus, type OpenedCorpus, type OpenOptions } from './indexing/open.js';
import { watchCorpus, type CorpusWatcher } from './corpus/watch.js';
import { PassageSearch, suggestWords, type Passages } from './index/passages.js';
import { SavedPassageSearch } from './index/saved-passages.js';
import { subcorpus } from './index/subcorpus.js';
import { corpusLanguageSetting } from './corpus/languages.js';
import { englishScope, languageMismatch } from './stats/reference-language.js';
import type { CorpusIndex } from './index/store.js';
import { pageOf, pageStarts, prepareHits, type PreparedHits } from './query/kwic.js';
import { nearMisses } from './query/near-misses.js';
import { Workbench } from './project/workbench.js';
import { prefetchQuery } from './query/prefetch.js';
import { runQuery, type RunOptions } from './query/run.js';
import {
  collocations,
  compareTerms,
  dispersion,
  frequencyList,
  keywords,
  loadBrownReference,
  ngramList,
  referenceFromIndex,
  trends,
} from './stats/index.js';

export interface EngineOptions {
  indexDir?: string;
  /** Where projects made without a chosen file, and the recent-projects list, are kept. */
  dataDir?: string;
  inThreadBelow?: number;
  onNotice?: (message: string) => void;
  /**
   * Build the passage index (saved beside the corpus index) in the background as soon as a corpus
   * opens, rather than at the first passage search: for hosts that keep running, not for a command
   * that answers and exits.
   */
  passagesOnOpen?: boolean;
}

type Listener = (p: IndexProgress) => void;

/** What a watched corpus became after its files changed. */
export interface CorpusChange {
  info: CorpusInfo;
  /** Documents tokenised for this update (the others were reused from the saved index). */
  tokenised: number;
  /** The notices of the re-index, e.g. "Re-indexed 1 changed file; 41 reused." */
  notices: string[];
}
type ChangeListener = (change: Result<CorpusChange>) => void;

interface Watching {
  paths: string[] | undefined;
  watcher: CorpusWatcher;
  running?: Promise<void>;
  again: boolean;
}

/** A request's query options as the query engine takes them. */
function runOptions(req: { caseSensitive?: boolean; matching?: Matching }): RunOptions {
  return { caseSensitive: !!req.caseSensitive, matching: req.matching ?? 'shortest' };
}

function guard<T>(fn: () => T | Promise<T>): Promise<Result<T>> {
  return (async () => {
    try {
      return ok(await fn());
    } catch (e) {
      return { ok: false as const, error: toLoupeError(e) };
    }
  })();
}

export class Engine {
  private opened?: OpenedCorpus;
  private paths?: string[];
  private passagesIndex?: Passages;
  /** Stops the open corpus's passage build when another corpus opens or the engine closes. */
  private passagesAbort?: AbortController;
  private listeners = new Set<Listener>();
  private abort?: AbortController;
  /** The last prepared hit list, so scrolling a concordance does not re-run and re-sort the query. */
  private lastHits?: { key: string; prepared: PreparedHits };
  private references = new Map<string, CorpusIndex>();
  /** Recently used subcorpora, by filter; cleared when another corpus opens. */
  private subcorpora = new Map<string, CorpusIndex>();

  /** The open project (the reader's analysis); KWIC lines carry its codes. */
  readonly workbench: Workbench;

  constructor(private readonly options: EngineOptions = {}) {
    this.workbench = new Workbench(
      {
        currentIndex: () => this.opened?.index,
        corpusPaths: () => this.paths,
        openCorpus: (req) => this.openCorpus(req),
      },
      options.dataDir,
    );
  }

  /** The open corpus's index (for the CLI and statistics); throws when none is open. */
  get index(): CorpusIndex {
    if (!this.opened) throw new LoupeFailure('E_CORPUS', 'No corpus is open yet.');
    return this.opened.index;
  }

  /** The whole corpus, or the subcorpus of documents whose metadata match `where`. */
  indexFor(where?: string): CorpusIndex {
    const full = this.index;
    if (!where || !where.trim()) return full;
    let sub = this.subcorpora.get(where);
    if (!sub) {
      sub = subcorpus(full, where);
      if (this.subcorpora.size >= 4) this.subcorpora.delete(this.subcorpora.keys().next().value!);
      this.subcorpora.set(where, sub);
    }
    return sub;
  }

  onProgress(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Where indexes are kept and how tokenising runs: the same for every corpus this engine opens. */
  private cacheOptions(): OpenOptions {
    return {
      ...(this.options.indexDir ? { indexDir: this.options.indexDir } : {}),
      ...(this.options.inThreadBelow !== undefined ? { inThreadBelow: this.options.inThreadBelow } : {}),
      ...(this.language ? { language: this.language } : {}),
      ...(this.stem ? { stem: true } : {}),
    };
  }
  private stem = false;
  /** The open corpus's language setting (`--language`), checked. */
  private language: string | undefined;

  private emit(p: IndexProgress) {
    for (const l of this.listeners) l(p);
  }

  openCorpus(req: { paths?: string[]; language?: string; stem?: boolean } = {}): Promise<Result<CorpusInfo>> {
    return guard(async () => {
      let language: string | undefined;
      if (req.language) {
        const setting = corpusLanguageSetting(req.language);
        if (!setting.ok) throw new LoupeFailure('E_USAGE', setting.message);
        language = setting.code;
      }
      this.language = language;
      this.stem = req.stem === true;
      this.abort?.abort();
      const abort = new AbortController();
      this.abort = abort;
      const opened = await openCorpus(req.paths, {
        ...this.cacheOptions(),
        ...(this.options.onNotice ? { onNotice: this.options.onNotice } : {}),
        onProgress: (p) => this.emit(p),
        signal: abort.signal,
      });
      if (this.abort === abort) this.abort = undefined;
      this.opened = opened;
      this.paths = req.paths;
      this.resetPassages();
      this.lastHits = undefined;
      this.subcorpora.clear();
      this.workbench.corpusChanged();
      if (this.watching) await this.watchOpenCorpus();
      return opened.info;
    });
  }

  private watching?: Watching;
  private changeListeners = new Set<ChangeListener>();

  /** Updates of a watched corpus: the new CorpusInfo after a re-index, or why re-indexing failed. */
  onCorpusChanged(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Watch the open corpus's files: added, changed and removed files are re-indexed incrementally
   * (with progress) and onCorpusChanged listeners hear of it. Opening another corpus moves the watch.
   */
  watch(): Promise<Result<null>> {
    return guard(async () => {
      if (!this.opened) throw new LoupeFailure('E_CORPUS', 'No corpus is open yet.');
      await this.watchOpenCorpus();
      return null;
    });
  }

  unwatch(): Promise<Result<null>> {
    return guard(async () => {
      const w = this.watching;
      this.watching = undefined;
      await w?.watcher.close();
      return null;
    });
  }

  /** Stops watching and any passage build; the hosts call it when they shut down. */
  async close(): Promise<void> {
    this.passagesAbort?.abort();
    await this.unwatch();
  }

  /**
   * The open corpus's passage search: kept on disk beside a saved index, in memory otherwise. Started
   * now when the host asked for passages on open; its failures are told then, and again on searching.
   */
  private resetPassages(): void {
    this.passagesAbort?.abort();
    this.passagesAbort = undefined;
    this.passagesIndex = undefined;
    const opened = this.opened;
    if (!opened?.indexFile) return;
    const abort = new AbortController();
    this.passagesAbort = abort;
    this.passagesIndex = new SavedPassageSearch(opened.index, opened.indexFile, {
      corpus: opened.info.fingerprint,
      signal: abort.signal,
      ...(this.options.onNotice ? { onNotice: this.options.onNotice } : {}),
    });
    if (this.options.passagesOnOpen) {
      this.passagesIndex.ready().catch((e: unknown) => {
        if (!abort.signal.aborted) this.options.onNotice?.(`Building the passage index: ${toLoupeError(e).message}`);
      });
    }
  }

  private async watchOpenCorpus(): Promise<void> {
    const old = this.watching;
    this.watching = undefined;
    await old?.watcher.close();
    const w: Watching = { paths: this.paths, again: false, watcher: undefined as unknown as CorpusWatcher };
    w.watcher = watchCorpus(corpusInputs(this.paths), () => this.reopenWatched(w), {
      ignore: [this.options.indexDir ?? defaultCacheDir()],
      onError: (e) => this.options.onNotice?.(`Watching the corpus: ${e.message}`),
    });
    this.watching = w;
    await w.watcher.ready;
  }

  /** One re-index at a time; changes that arrive meanwhile cause one more pass after it. */
  private reopenWatched(w: Watching): void {
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = (async () => {
      do {
        w.again = false;
        if (this.watching !== w) return;
        const paths = this.paths;
        const notices: string[] = [];
        let change: Result<CorpusChange>;
        try {
          const opened = await openCorpus(paths, {
            ...this.cacheOptions(),
            onNotice: (m) => {
              notices.push(m);
              this.options.onNotice?.(m);
            },
            onProgress: (p) => this.emit(p),
          });
          // Another corpus was opened meanwhile: this result is stale.
          if (this.watching !== w || this.paths !== paths) return;
          if (opened.info.fingerprint === this.opened?.info.fingerprint) continue;
          this.opened = opened;
          this.resetPassages();
          this.lastHits = undefined;
          this.subcorpora.clear();
          this.workbench.corpusChanged();
          change = ok({ info: opened.info, tokenised: opened.tokenised, notices });
        } catch (e) {
          if (this.watching !== w) return;
          change = { ok: false, error: toLoupeError(e) };
        }
        for (const l of this.changeListeners) l(change);
      } while (w.again);
    })().finally(() => {
      w.running = undefined;
    });
  }

  corpusInfo(): Promise<Result<CorpusInfo>> {
    return guard(() => {
      if (!this.opened) throw new LoupeFailure('E_CORPUS', 'No corpus is open yet.');
      return this.opened.info;
    });
  }

  cancelIndexing(): Promise<Result<null>> {
    return guard(() => {
      this.abort?.abort();
      return null;
    });
  }

  count(req: { query: string; caseSensitive?: boolean; matching?: Matching; where?: string }): Promise<Result<CountResult>> {
    return guard(() => {
      const index = this.indexFor(req.where);
      const hits = runQuery(index, req.query, runOptions(req));
      return { query: req.query, hits: hits.starts.length, documents: index.documentCount(hits.starts) };
    });
  }

  /** What the last prepared hits are kept under: a request with the same key reuses them. */
  private hitsKey(req: KwicRequest): string {
    const codes = this.workbench.codes();
    const usesCodes = !!req.codes?.length || !!req.sort?.includes('code');
    return JSON.stringify([
      req.where ?? '',
      req.query,
      !!req.caseSensitive,
      req.matching ?? 'shortest',
      req.filter ?? '',
      req.filterSpan ?? 5,
      req.sample ?? 0,
      req.sort ?? [],
      req.seed ?? 1,
      req.range ?? null,
      req.codes ?? [],
      usesCodes ? (codes?.version ?? -1) : 0,
    ]);
  }

  private prepared(req: KwicRequest, key = this.hitsKey(req)): PreparedHits {
    if (this.lastHits?.key === key) return this.lastHits.prepared;
    const prepared = prepareHits(this.indexFor(req.where), req, this.workbench.codes());
    this.lastHits = { key, prepared };
    return prepared;
  }

  kwic(req: KwicRequest): Promise<Result<KwicPage>> {
    return guard(async () => {
      const key = this.hitsKey(req);
      // A new query: what it reads scattered over a saved index is read ahead, several reads at once;
      // the page's sections first, their reads running while the query's terms are looked up.
      if (this.lastHits?.key !== key) {
        const ahead = this.indexFor(req.where);
        await Promise.all([ahead.readPageSectionsAhead(), prefetchQuery(ahead, req.query, runOptions(req))]);
      }
      // Taken after the wait: a corpus opened meanwhile is the one to answer from.
      const index = this.indexFor(req.where);
      const prepared = this.prepared(req, key);
      await index.readPageAhead(pageStarts(req, prepared));
      const page = pageOf(index, req, prepared, this.workbench.codes());
      // A query with no hits at all (not one whose hits a filter removed) gets close queries that have some.
      if (page.of === 0 && (req.offset ?? 0) === 0) {
        const near = nearMisses(index, req.query, !!req.caseSensitive);
        if (near.length) page.suggestions = near;
      }
      return page;
    });
  }

  documentText(req: { doc: number; query?: string; caseSensitive?: boolean; matching?: Matching }): Promise<Result<DocumentText>> {
    return guard(() => {
      const index = this.index;
      const d = index.docs[req.doc];
      if (!d) throw new LoupeFailure('E_NOT_FOUND', `There is no document ${req.doc} in this corpus.`);
      const hits: Array<[number, number]> = [];
      if (req.query && req.query.trim()) {
        const h = runQuery(index, req.query, runOptions(req));
        const lo = index.docStart[req.doc]!;
        const hi = index.docStart[req.doc + 1]!;
        for (let i = 0; i < h.starts.length; i++) {
          const s = h.starts[i]!;
          if (s >= lo && s < hi) hits.push([index.startAt(s), index.endAt(h.ends[i]! - 1)]);
        }
      }
      return { doc: req.doc, name: d.name, text: d.text, hits };
    });
  }

  passages(req: { text: string; limit?: number; where?: string }): Promise<Result<PassageHit[]>> {
    return guard(async () => {
      const search =
        req.where && req.where.trim()
          ? new PassageSearch(this.indexFor(req.where))
          : (this.passagesIndex ??= new PassageSearch(this.index));
      // Built in slices: other requests are answered while a large corpus's paragraphs are indexed.
      await search.ready();
      return await search.search(req.text, req.limit ?? 20);
    });
  }

  suggest(req: { prefix: string; limit?: number }): Promise<Result<string[]>> {
    return guard(() => suggestWords(this.index, req.prefix, req.limit ?? 10));
  }

  freq(req: FreqRequest): Promise<Result<FreqResult>> {
    return guard(() => frequencyList(this.indexFor(req.where), req));
  }

  ngrams(req: NgramRequest): Promise<Result<NgramResult>> {
    return guard(() => ngramList(this.indexFor(req.where), req));
  }

  colloc(req: CollocRequest): Promise<Result<CollocResult>> {
    return guard(() => collocations(this.indexFor(req.where), req));
  }

  dispersion(req: DispersionRequest): Promise<Result<DispersionResult>> {
    return guard(() => dispersion(this.indexFor(req.where), req));
  }

  /** Another corpus used as a keyness reference; indexed (or reused) like any corpus. */
  async referenceIndex(paths: string[]): Promise<CorpusIndex> {
    const key = JSON.stringify(paths);
    let ref = this.references.get(key);
    if (!ref) {
      ref = (await openCorpus(paths, this.cacheOptions())).index;
      this.references.set(key, ref);
    }
    return ref;
  }

  keywords(req: KeywordRequest): Promise<Result<KeywordResult>> {
    return guard(async () => {
      const by = req.by ?? 'word';
      if (!req.reference || req.reference === 'brown') {
        const scope = englishScope(this.indexFor(req.where), req.where);
        const result = keywords(this.indexFor(scope.where), req, loadBrownReference(by));
        return scope.notes ? { ...result, notes: scope.notes } : result;
      }
      const refIndex = await this.referenceIndex(req.reference);
      const target = this.indexFor(req.where);
      const result = keywords(target, req, referenceFromIndex(refIndex, req.reference.join(', '), by));
      const notes = languageMismatch(target, refIndex);
      return notes.length ? { ...result, notes } : result;
    });
  }

  compare(req: CompareRequest): Promise<Result<CompareResult>> {
    return guard(() => compareTerms(this.indexFor(req.where), req));
  }

  trends(req: TrendsRequest): Promise<Result<TrendsResult>> {
    return guard(() => trends(this.indexFor(req.where), req));
  }

  listProjects(): Promise<Result<ProjectSummary[]>> {
    return guard(() => this.workbench.list());
  }

  newProject(req: { name?: string; file?: string }): Promise<Result<ProjectState>> {
    return guard(() => {
      if (!this.opened) throw new LoupeFailure('E_CORPUS', 'Open a corpus before making a project of it.');
      return this.workbench.create(req);
    });
  }

  openProject(req: { file: string }): Promise<Result<ProjectState>> {
    return guard(() => this.workbench.openFile(req.file));
  }

  projectState(): Promise<Result<ProjectState | null>> {
    return guard(() => this.workbench.state());
  }

  updateProject(req: ProjectPatch): Promise<Result<{ savedAt: string }>> {
    return guard(() => this.workbench.update(req));
  }

  codeLines(req: CodeLinesRequest): Promise<Result<ResolvedLine[]>> {
    return guard(() => this.workbench.code(req));
  }

  exportData(req: ExportRequest): Promise<Result<ExportFile>> {
    return guard(async () => {
      const corpus = this.opened!.info;
      const table = await exportTableFor(this, req, corpus);
      return toExportFile(table, req.format);
    });
  }

  /** The corpus paths as given (undefined for the bundled corpus). */
  get corpusPaths(): string[] | undefined {
    return this.paths;
  }
}
