/**
 * The web host's queue in front of the engine. The engine answers one call at a time (its work is
 * single-threaded, and a second call would only slow the first), so calls from every connection
 * wait here, and the order they are served in is the host's to decide:
 *
 * - Fair: each lane (one per API method) has its own first-in-first-out line, and the lanes take
 *   turns, one call each. Lanes are per method because the methods are what the reader's views are
 *   made of: the concordance asks `kwic`, its status line `count`, the word list `freq`, a project
 *   `updateProject`. A flood of KWIC sorts then delays a count or a project save by at most one
 *   call of each other waiting lane, however many sorts are queued. (All clients of the web host
 *   share its one token, so there is no reader to be fair to beyond the views.)
 * - Superseding: a call that carries a supersede key (the host makes one from the requesting view
 *   and the method, for SUPERSEDABLE methods only) replaces the same key's call that is still
 *   waiting; the replaced call is answered at once with E_CANCELLED and never reaches the engine.
 *   A call the engine has started runs to its end: the engine cannot stop a query midway.
 * - A waiting call whose client has gone (its signal aborts) leaves the queue unanswered by the engine.
 */
import type { ApiMethod } from '../contract/api.js';
import { fail, type Result } from '../contract/errors.js';

/**
 * Reads whose answer a view only wants for its newest request: a newer one from the same view
 * makes the older one's answer stale before it is computed.
 */
export const SUPERSEDABLE: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'count',
  'kwic',
  'documentText',
  'passages',
  'suggest',
  'freq',
  'ngrams',
  'colloc',
  'dispersion',
  'keywords',
  'compare',
  'trends',
]);

/**
 * Never superseded: each of these calls matters on its own. openCorpus, openProject, newProject,
 * updateProject and codeLines change state (the corpus, the project file); exportData makes a file
 * the reader asked for; corpusInfo, projectState and listProjects are cheap reads a caller relies on.
 * cancelIndexing does not queue at all (UNQUEUED).
 */
export const NEVER_SUPERSEDED: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'openCorpus',
  'corpusInfo',
  'cancelIndexing',
  'exportData',
  'listProjects',
  'newProject',
  'openProject',
  'projectState',
  'updateProject',
  'codeLines',
]);

/** Calls that go straight to the engine: cancelling an indexing run must reach it while openCorpus runs. */
export const UNQUEUED: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['cancelIndexing']);

export const SUPERSEDED = (): Result<never> => fail('E_CANCELLED', 'Superseded by a newer request.');

interface Waiting<T> {
  lane: string;
  key: string | undefined;
  task: () => Promise<T>;
  resolve(value: T): void;
  reject(e: unknown): void;
  dropAbort?: () => void;
}

export interface RunOptions {
  /** Calls with the same key replace each other while they wait. */
  supersede?: string | undefined;
  /** The caller has gone: drop the call if it is still waiting. */
  signal?: AbortSignal | undefined;
}

export class FairQueue<T> {
  private readonly lanes = new Map<string, Array<Waiting<T>>>();
  /** Lanes with waiting calls, in the order they get their next turn. */
  private readonly turns: string[] = [];
  private readonly byKey = new Map<string, Waiting<T>>();
  private active = 0;

  /**
   * `cancelled` answers a superseded or abandoned call; `concurrency` is how many calls run at
   * once (1 for the engine process).
   */
  constructor(
    private readonly cancelled: () => T,
    private readonly concurrency = 1,
  ) {}

  /** Calls waiting for their turn. */
  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.length;
    return n;
  }

  /** Calls started and not yet settled. */
  get running(): number {
    return this.active;
  }

  run(lane: string, task: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
    if (opts.signal?.aborted) return Promise.resolve(this.cancelled());
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting<T> = { lane, key: opts.supersede, task, resolve, reject };
      if (entry.key !== undefined) {
        const older = this.byKey.get(entry.key);
        if (older) this.drop(older);
        this.byKey.set(entry.key, entry);
      }
      if (opts.signal) {
        const signal = opts.signal;
        const onAbort = () => this.drop(entry);
        signal.addEventListener('abort', onAbort, { once: true });
        entry.dropAbort = () => signal.removeEventListener('abort', onAbort);
      }
      let line = this.lanes.get(lane);
      if (!line) {
        line = [];
        this.lanes.set(lane, line);
        this.turns.push(lane);
      }
      line.push(entry);
      this.pump();
    });
  }

  /** Takes a waiting call out of the queue and answers it as cancelled. */
  private drop(entry: Waiting<T>): void {
    const line = this.lanes.get(entry.lane);
    const at = line?.indexOf(entry) ?? -1;
    if (!line || at < 0) return; // already started
    line.splice(at, 1);
    if (line.length === 0) this.removeLane(entry.lane);
    this.forget(entry);
    entry.resolve(this.cancelled());
  }

  private removeLane(lane: string): void {
    this.lanes.delete(lane);
    const at = this.turns.indexOf(lane);
    if (at >= 0) this.turns.splice(at, 1);
  }

  private forget(entry: Waiting<T>): void {
    if (entry.key !== undefined && this.byKey.get(entry.key) === entry) this.byKey.delete(entry.key);
    entry.dropAbort?.();
  }

  /** The next lane in turn gives up its oldest call; that lane goes to the back of the turns. */
  private next(): Waiting<T> | undefined {
    const lane = this.turns.shift();
    if (lane === undefined) return undefined;
    const line = this.lanes.get(lane)!;
    const entry = line.shift()!;
    if (line.length > 0) this.turns.push(lane);
    else this.lanes.delete(lane);
    return entry;
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const entry = this.next();
      if (!entry) return;
      this.forget(entry);
      this.active++;
      let settled: Promise<T>;
      try {
        settled = entry.task();
      } catch (e) {
        settled = Promise.reject(e);
      }
      settled.then(entry.resolve, entry.reject).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }
}
