/**
 * The renderer's shared state: which corpus is open, the query the reader committed, which view
 * shows it, and how many API calls are in flight (the "ready" signal tests wait for).
 */
import { untrack } from 'svelte';
import { CHANNELS, type LoupeApi } from '../../../app/contract/api';
import type { LoupeError, Result } from '../../../app/contract/errors';
import type { CorpusInfo, IndexProgress, SortKey } from '../../../app/contract/types';
import { DEFAULT_SETTINGS, type LoupeShell, type RecentCorpus, type Settings } from '../../../app/contract/shell';
import type { HistoryEntry, ProjectViewId } from '../../../app/contract/project';
import { settingsSource, type SettingsSource } from './shell';
import { int, plural } from './format';
import { ProjectStore } from './project.svelte';

export const VIEWS = [
  { id: 'concordance', label: 'Concordance', usesQuery: true },
  { id: 'wordlist', label: 'Word list', usesQuery: false },
  { id: 'collocates', label: 'Collocates', usesQuery: true },
  { id: 'ngrams', label: 'N-grams', usesQuery: false },
  { id: 'keywords', label: 'Keywords', usesQuery: false },
  { id: 'dispersion', label: 'Dispersion', usesQuery: true },
  { id: 'passages', label: 'Passages', usesQuery: true },
  { id: 'compare', label: 'Compare', usesQuery: true },
  { id: 'corpus', label: 'Corpus', usesQuery: false },
  // After Corpus so that the keys readers know (Ctrl+9 = Corpus) stay; Trends takes Ctrl+0.
  { id: 'trends', label: 'Trends', usesQuery: true },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

/** Where a watching host's re-indexed corpus comes from (web mode with --watch, see bridge.ts). */
export type CorpusChanges = (listener: (info: CorpusInfo) => void) => () => void;

export type ThemePref = 'system' | 'light' | 'dark';

export interface ConcordanceSettings {
  context: number;
  sort: SortKey[];
  filter: string;
  filterSpan: number;
  /** 0 = all lines. */
  sample: number;
  seed: number;
  /** Only hits in these token positions (a trend's segment), with the label the reader saw. */
  range: [number, number] | null;
  rangeLabel: string;
  /** Only lines coded with these category ids ('' = uncoded); empty = every line. */
  codes: string[];
}

const DEFAULT_CONC: ConcordanceSettings = {
  context: 8,
  sort: [],
  filter: '',
  filterSpan: 5,
  sample: 0,
  seed: 1,
  range: null,
  rangeLabel: '',
  codes: [],
};

/** Query-language failures are shown under the query bar, not inside a view. */
const isQueryError = (e: LoupeError): boolean => e.code === 'E_QUERY';

/**
 * Failures of the subcorpus filter (a malformed filter, or one no document matches). The engine
 * reports them with the query codes (E_QUERY, E_CORPUS), so the message is what tells them apart.
 */
export const isWhereError = (e: LoupeError): boolean =>
  (e.code === 'E_QUERY' && /^Subcorpus filter\b/i.test(e.message)) || (e.code === 'E_CORPUS' && /subcorpus filter/i.test(e.message));

/** What the engine says about the subcorpus in force: its documents and counted tokens. */
export interface SubcorpusInfo {
  where: string;
  documents: Array<{ name: string; tokens: number }>;
  counted: number;
}

/**
 * A word no text is likely to hold: asking for its dispersion is the cheapest way the API offers to
 * learn which documents a filter selects (dispersion lists every document of the subcorpus).
 */
const PROBE_QUERY = 'qxzqjv';

export class AppState {
  /** `forView`: see RendererApi in bridge.ts. */
  readonly api: LoupeApi & { forView?: (id: string) => LoupeApi };
  corpus = $state<CorpusInfo | null>(null);
  corpusError = $state<LoupeError | null>(null);
  progress = $state<IndexProgress | null>(null);
  indexing = $state(false);
  pending = $state(0);

  view = $state<ViewId>('concordance');
  draft = $state('');
  query = $state('');
  caseSensitive = $state(false);
  /** Bumped on every run, so a view re-runs even when the query text did not change. */
  runSeq = $state(0);
  /** Bumped by Esc: views drop the answers they are still waiting for. */
  cancelSeq = $state(0);
  /** The last query-language error, with the query text it belongs to (for the caret). */
  queryError = $state<{ error: LoupeError; query: string } | null>(null);
  /** The subcorpus filter being typed, and the one in force (sent as `where` with every request). */
  whereDraft = $state('');
  where = $state('');
  /** The last failure of the filter in force, with the filter text it belongs to (for the caret). */
  whereError = $state<{ error: LoupeError; where: string } | null>(null);
  /** Documents and size of the subcorpus in force; null for the whole corpus or while unknown. */
  subcorpus = $state<SubcorpusInfo | null>(null);

  conc = $state<ConcordanceSettings>({ ...DEFAULT_CONC });
  /**
   * Controls that views keep of their own (Compare's terms and measure, Trends' terms and grouping),
   * by view id: plain JSON, so the history and the project can keep and restore them.
   */
  viewSettings = $state<Record<string, Record<string, unknown>>>({});
  /** The open project: codes, notes, saved queries, history, view state. */
  readonly project: ProjectStore;
  themePref = $state<ThemePref>('system');
  /** Collocates' window, left and right of the node (a remembered setting). */
  collocSpan = $state<[number, number]>([5, 5]);
  /** Corpora opened before, most recent first (a remembered setting). */
  recent = $state<RecentCorpus[]>([]);
  /** The desktop extras (dialogs, drag-and-drop paths, menu commands); null in web mode. */
  readonly shell: LoupeShell | null;
  readonly settings: SettingsSource;
  /** True once the stored settings have been applied, so saving them back starts only then. */
  settingsLoaded = $state(false);
  notice = $state<{ text: string; kind: 'info' | 'error' } | null>(null);

  ready = $derived(this.corpus !== null && this.pending === 0 && !this.indexing);

  /** Documents written right to left, so every view that shows their text can set its direction. */
  private rtlDocs = $derived(new Set((this.corpus?.documents ?? []).filter((d) => d.dir === 'rtl').map((d) => d.id)));
  /** `rtl` for a document written right to left (Arabic, Hebrew, ...); undefined for ltr. */
  dirOf(doc: number): 'rtl' | undefined {
    return this.rtlDocs.has(doc) ? 'rtl' : undefined;
  }

  /** Re-indexes of the open corpus by a watching host (web mode with --watch); null elsewhere. */
  readonly corpusChanges: CorpusChanges | null;

  constructor(
    api: LoupeApi & { onCorpusChanged?: CorpusChanges; forView?: (id: string) => LoupeApi },
    shell: LoupeShell | null = null,
    settings: SettingsSource = settingsSource(shell),
  ) {
    this.api = this.counting(api);
    this.corpusChanges = api.onCorpusChanged ? api.onCorpusChanged.bind(api) : null;
    this.shell = shell;
    this.settings = settings;
    this.project = new ProjectStore({
      api: this.api,
      corpusLabel: () => this.corpus?.label,
      say: (text, kind) => this.say(text, kind),
    });
  }

  /** What the history and the project keep of the screen: the view, the query and its settings. */
  entry(): HistoryEntry {
    return {
      view: this.view as ProjectViewId,
      query: this.query,
      ...(this.where ? { where: this.where } : {}),
      ...(this.caseSensitive ? { caseSensitive: true } : {}),
      settings: { ...$state.snapshot(this.conc), collocSpan: [...this.collocSpan], views: $state.snapshot(this.viewSettings) },
    };
  }

  /** Shows a history entry or a saved query: view, query, filter and settings, then runs it. */
  show(entry: HistoryEntry): void {
    const s = (entry.settings ?? {}) as Partial<ConcordanceSettings> & { collocSpan?: [number, number]; views?: unknown };
    const conc: ConcordanceSettings = { ...DEFAULT_CONC, context: this.conc.context };
    for (const k of Object.keys(DEFAULT_CONC) as Array<keyof ConcordanceSettings>) {
      if (s[k] !== undefined) (conc as unknown as Record<string, unknown>)[k] = s[k];
    }
    this.conc = conc;
    if (Array.isArray(s.collocSpan) && s.collocSpan.length === 2) this.collocSpan = [Number(s.collocSpan[0]), Number(s.collocSpan[1])];
    if (s.views && typeof s.views === 'object' && !Array.isArray(s.views))
      this.viewSettings = s.views as Record<string, Record<string, unknown>>;
    this.caseSensitive = !!entry.caseSensitive;
    this.draft = entry.query;
    this.whereDraft = entry.where ?? '';
    if (VIEWS.some((v) => v.id === entry.view)) this.view = entry.view as ViewId;
    this.run(entry.query, { record: false, keepView: true });
  }

  back(): void {
    const e = this.project.step(-1);
    if (e) this.show(e);
  }
  forward(): void {
    const e = this.project.step(1);
    if (e) this.show(e);
  }

  /** Puts stored settings into the live state. */
  applySettings(s: Settings): void {
    this.themePref = s.theme;
    this.conc.context = s.contextWidth;
    this.collocSpan = [...s.collocationSpan];
    this.recent = s.recentCorpora;
  }

  async loadSettings(): Promise<Settings> {
    let s: Settings;
    try {
      s = await this.settings.load();
    } catch {
      s = structuredClone(DEFAULT_SETTINGS) as Settings;
    }
    this.applySettings(s);
    this.settingsLoaded = true;
    return s;
  }

  /**
   * Wraps every method so `pending` counts calls in flight; onProgress passes through. Walks the
   * contract's method list rather than the object's keys: a contextBridge object or a proxy need
   * not enumerate its functions.
   */
  private counting(api: LoupeApi & { forView?: (id: string) => LoupeApi }): LoupeApi & { forView?: (id: string) => LoupeApi } {
    // A view's API (forView) carries calls only: progress comes through the main one.
    const wrapped: Record<string, unknown> = api.onProgress ? { onProgress: api.onProgress.bind(api) } : {};
    const forView = api.forView;
    if (forView) {
      const views = new Map<string, LoupeApi>();
      wrapped.forView = (id: string) => {
        let v = views.get(id);
        if (!v) views.set(id, (v = this.counting(forView.call(api, id))));
        return v;
      };
    }
    for (const name of Object.keys(CHANNELS) as Array<keyof typeof CHANNELS>) {
      const fn = api[name] as unknown as (r: unknown) => Promise<Result<unknown>>;
      wrapped[name] = async (req: unknown) => {
        this.pending++;
        try {
          return await fn.call(api, req);
        } catch (e) {
          return { ok: false, error: { code: 'E_INTERNAL', message: String(e) } };
        } finally {
          this.pending--;
        }
      };
    }
    return wrapped as unknown as LoupeApi;
  }

  /** Commits the query and the subcorpus filter as typed; every view reruns with them. */
  run(query = this.draft, opts: { record?: boolean; keepView?: boolean } = {}): void {
    const q = query.trim();
    const where = this.whereDraft.trim();
    const queryChanged = q !== this.query;
    const whereChanged = where !== this.where;
    this.query = q;
    this.queryError = null;
    if (whereChanged || this.whereError) {
      this.where = where;
      this.whereError = null;
      void this.describeSubcorpus();
    }
    this.runSeq++;
    // A new query belongs in a view that shows queries; a new subcorpus alone keeps the view.
    const current = VIEWS.find((v) => v.id === this.view);
    if (!opts.keepView && current && !current.usesQuery && (queryChanged || !whereChanged)) this.view = 'concordance';
    // A new query drops a segment restriction that belonged to the old one.
    if (queryChanged && opts.record !== false) {
      this.conc.range = null;
      this.conc.rangeLabel = '';
    }
    if (opts.record !== false && q) this.project.push(this.entry());
  }

  /**
   * A row of a table (word list, n-grams, keywords) or a point of a trend as a query: typed in the
   * bar, run, shown as lines; `restrict` narrows the lines to a subcorpus clause or a token range.
   */
  showInConcordance(query: string, restrict: { where?: string; range?: [number, number]; label?: string } = {}): void {
    this.draft = query;
    this.view = 'concordance';
    if (restrict.where) this.whereDraft = this.where ? `${this.where} & ${restrict.where}` : restrict.where;
    this.run(query);
    if (restrict.range) {
      this.conc.range = restrict.range;
      this.conc.rangeLabel = restrict.label ?? `tokens ${restrict.range[0]}–${restrict.range[1]}`;
    }
  }

  /** `where` for a request: the filter in force, or nothing for the whole corpus. */
  scope(): { where?: string } {
    return this.where ? { where: this.where } : {};
  }

  /**
   * Reports a failed Result: filter errors go under the Subcorpus box, query errors under the
   * query bar; the rest is returned for the view to show.
   */
  failure(error: LoupeError, query = ''): LoupeError | null {
    if (this.where && isWhereError(error)) {
      this.whereError = { error, where: this.where };
      return null;
    }
    if (isQueryError(error) && query) {
      this.queryError = { error, query };
      return null;
    }
    return error;
  }

  /** Learns which documents the filter in force selects (for the status lines and the Corpus view). */
  async describeSubcorpus(): Promise<void> {
    const where = this.where;
    this.subcorpus = null;
    if (!where || !this.corpus) return;
    const r = await this.api.dispersion({ query: PROBE_QUERY, where, parts: 2 });
    if (where !== this.where) return;
    if (r.ok) {
      const documents = r.value.documents.map((d) => ({ name: d.name, tokens: d.tokens }));
      this.subcorpus = { where, documents, counted: r.value.corpusTokens };
    } else {
      this.failure(r.error);
    }
  }

  /**
   * Opens a corpus (no paths = the bundled one). `failureNotice` turns a failure into a notice
   * (keeping `keep` open) instead of an error in the Corpus view: used for reopening the last corpus.
   */
  async openCorpus(paths?: string[], opts: { failureNotice?: string; keep?: CorpusInfo } = {}): Promise<void> {
    this.indexing = true;
    this.corpusError = null;
    this.progress = null;
    const given = paths && paths.length > 0 ? paths : null;
    const r = await this.api.openCorpus(given ? { paths: given } : {});
    this.indexing = false;
    this.progress = null;
    if (r.ok) {
      this.corpusOpened(r.value);
      await this.recordOpened(given, r.value);
    } else if (r.error.code === 'E_CANCELLED') {
      this.say(this.corpus ? `Indexing cancelled; ${this.corpus.label} stays open.` : 'Indexing cancelled.');
    } else if (opts.failureNotice) {
      if (opts.keep) this.corpus = opts.keep;
      this.say(`${opts.failureNotice}: ${r.error.message}`, 'error');
    } else {
      this.corpusError = r.error;
    }
  }

  /** The native folder or file picker (desktop only), then opens what was chosen. */
  async openWithDialog(kind: 'folder' | 'files'): Promise<void> {
    if (!this.shell) return;
    const r = kind === 'folder' ? await this.shell.chooseFolder() : await this.shell.chooseFiles();
    if (!r.ok) this.say(r.error.message, 'error');
    else if (r.value.length > 0) await this.openCorpus(r.value);
  }

  /** A corpus is open (by the renderer, or by main from its menu): show it and rerun the query on it. */
  corpusOpened(info: CorpusInfo): void {
    this.corpus = info;
    this.corpusError = null;
    this.indexing = false;
    this.progress = null;
    if (this.where) {
      this.whereError = null;
      void this.describeSubcorpus();
    }
    if (this.query || this.where) this.runSeq++;
  }

  /** The watched corpus re-indexed: show its new figures and rerun the view so its hits refresh. */
  corpusChanged(info: CorpusInfo): void {
    this.corpusOpened(info);
    // corpusOpened reruns the query (runSeq); views of the whole corpus follow `corpus` itself.
    this.say(`Corpus updated: ${int(info.documents.length)} ${plural(info.documents.length, 'document')}`);
  }

  /** Remembers the opened corpus as the last one and in the recent list. */
  async recordOpened(paths: string[] | null, info: CorpusInfo): Promise<void> {
    try {
      this.recent = (await this.settings.opened(paths, info)).recentCorpora;
    } catch {
      /* remembering is a convenience; the corpus is open either way */
    }
  }

  async cancelIndexing(): Promise<void> {
    await this.api.cancelIndexing();
  }

  say(text: string, kind: 'info' | 'error' = 'info'): void {
    this.notice = { text, kind };
  }
}

/**
 * Runs `fn` each time the reader presses Esc after the calling component mounted (not for
 * earlier presses: a view opened later must not drop its first answer).
 */
export function onCancel(app: () => AppState, fn: () => void): void {
  let seen = untrack(() => app().cancelSeq);
  $effect(() => {
    const c = app().cancelSeq;
    if (c === seen) return;
    seen = c;
    untrack(fn);
  });
}
