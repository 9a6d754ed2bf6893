/**
 * The renderer's shared state: which corpus is open, the query the reader committed, which view
 * shows it, and how many API calls are in flight (the "ready" signal tests wait for).
 */
import { untrack } from 'svelte';
import { CHANNELS, type LoupeApi } from '../../../app/contract/api';
import type { LoupeError, Result } from '../../../app/contract/errors';
import type { CorpusInfo, IndexProgress, SortKey } from '../../../app/contract/types';

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
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export type ThemePref = 'system' | 'light' | 'dark';

export interface ConcordanceSettings {
  context: number;
  sort: SortKey[];
  filter: string;
  filterSpan: number;
  /** 0 = all lines. */
  sample: number;
  seed: number;
}

/** Query-language failures are shown under the query bar, not inside a view. */
export const isQueryError = (e: LoupeError): boolean => e.code === 'E_QUERY' || e.code === 'E_REGEX';

export class AppState {
  readonly api: LoupeApi;
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

  conc = $state<ConcordanceSettings>({ context: 8, sort: [], filter: '', filterSpan: 5, sample: 0, seed: 1 });
  themePref = $state<ThemePref>('system');
  notice = $state<{ text: string; kind: 'info' | 'error' } | null>(null);

  ready = $derived(this.corpus !== null && this.pending === 0 && !this.indexing);

  constructor(api: LoupeApi) {
    this.api = this.counting(api);
  }

  /**
   * Wraps every method so `pending` counts calls in flight; onProgress passes through. Walks the
   * contract's method list rather than the object's keys: a contextBridge object or a proxy need
   * not enumerate its functions.
   */
  private counting(api: LoupeApi): LoupeApi {
    const wrapped: Record<string, unknown> = { onProgress: api.onProgress.bind(api) };
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

  run(query = this.draft): void {
    this.query = query.trim();
    this.queryError = null;
    this.runSeq++;
    const current = VIEWS.find((v) => v.id === this.view);
    if (current && !current.usesQuery) this.view = 'concordance';
  }

  /** Reports a failed Result: query errors go under the query bar, the rest is returned for the view. */
  failure(error: LoupeError, query: string): LoupeError | null {
    if (isQueryError(error)) {
      this.queryError = { error, query };
      return null;
    }
    return error;
  }

  async openCorpus(paths?: string[]): Promise<void> {
    this.indexing = true;
    this.corpusError = null;
    this.progress = null;
    const r = await this.api.openCorpus(paths && paths.length > 0 ? { paths } : {});
    this.indexing = false;
    this.progress = null;
    if (r.ok) {
      this.corpus = r.value;
      if (this.query) this.runSeq++;
    } else if (r.error.code === 'E_CANCELLED') {
      this.say(this.corpus ? `Indexing cancelled; ${this.corpus.label} stays open.` : 'Indexing cancelled.');
    } else {
      this.corpusError = r.error;
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
