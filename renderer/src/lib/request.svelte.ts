/**
 * The one way a view asks the engine for its table or figures: rerun when the request, the run
 * (Enter), or the corpus changes; keep only the newest answer; drop what is in flight on Esc; and
 * route query and subcorpus-filter failures to where the reader typed them (AppState.failure).
 */
import { untrack } from 'svelte';
import type { LoupeApi } from '../../../app/contract/api';
import type { LoupeError, Result } from '../../../app/contract/errors';
import { onCancel, type AppState } from './state.svelte';

export interface ViewRequestOptions<Req, Res> {
  /** Builds the request; the reactive state read here is what makes the view ask again. */
  build: () => Req;
  /** Asks through `api`, which marks the call as this view's (see RendererApi.forView). */
  call: (req: Req, api: LoupeApi) => Promise<Result<Res>>;
  /** False when there is nothing to ask yet (a query view before the first query). */
  wanted?: (req: Req) => boolean;
  /** The query text a failure belongs to, so a query-language error shows under the query bar. */
  queryOf?: (req: Req) => string;
  /** Runs whenever an answer (or failure) replaces the last one. */
  answered?: () => void;
}

let views = 0;

export class ViewRequest<Req, Res> {
  result = $state.raw<Res | null>(null);
  error = $state<LoupeError | null>(null);
  loading = $state(false);
  #seq = 0;
  readonly #app: () => AppState;
  readonly #opts: ViewRequestOptions<Req, Res>;
  /** Only the newest answer is kept, so an older call still waiting at the host may be dropped. */
  readonly #view = `view-${++views}`;

  constructor(app: () => AppState, opts: ViewRequestOptions<Req, Res>) {
    this.#app = app;
    this.#opts = opts;
  }

  async load(req: Req): Promise<void> {
    const app = this.#app();
    if (!app.corpus || (this.#opts.wanted && !this.#opts.wanted(req))) return;
    const mine = ++this.#seq;
    this.loading = true;
    const r = await this.#opts.call(req, app.api.forView?.(this.#view) ?? app.api);
    // A newer request (or Esc) came after this one: its answer is stale.
    if (mine !== this.#seq) return;
    this.loading = false;
    this.#opts.answered?.();
    if (r.ok) {
      this.result = r.value;
      this.error = null;
    } else {
      this.result = null;
      this.error = app.failure(r.error, this.#opts.queryOf?.(req) ?? '');
    }
  }

  cancel(): void {
    this.#seq++;
    this.loading = false;
  }
}

/** Creates a view's request during component set-up (it registers effects). */
export function viewRequest<Req, Res>(app: () => AppState, opts: ViewRequestOptions<Req, Res>): ViewRequest<Req, Res> {
  const request = new ViewRequest(app, opts);
  $effect(() => {
    const req = opts.build();
    const a = app();
    void a.runSeq;
    void a.corpus;
    untrack(() => request.load(req));
  });
  onCancel(app, () => request.cancel());
  return request;
}

/** Another subcorpus is another list: `reset` (back to the first page) whenever the filter changes. */
export function firstPageOnNewScope(app: () => AppState, reset: () => void): void {
  $effect(() => {
    void app().where;
    untrack(reset);
  });
}
