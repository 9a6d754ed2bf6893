/**
 * The engine runs in its own process (Electron's utilityProcess under the desktop app, a forked
 * Node process under the web host), so indexing and big sorts never block the window or the HTTP
 * server. This is the message protocol between a host and that process, both ends, over any pair
 * of message functions (utilityProcess's ports, a fork's IPC channel, a MessageChannel in tests).
 *
 *   host -> engine   { kind: 'call', id, method, payload }
 *   engine -> host   { kind: 'ready' } | { kind: 'result', id, result } | { kind: 'progress', progress }
 *                    | { kind: 'corpus', change }   (a watched corpus re-indexed, or failed to)
 *
 * The engine says `ready` once it listens; the host holds calls until then, because a message that
 * arrives while the process is still loading its modules may have no listener yet.
 */
import type { ApiMethod, LoupeApi } from '../contract/api.js';
import { CHANNELS } from '../contract/api.js';
import { fail, type Result } from '../contract/errors.js';
import type { CorpusInfo, IndexProgress } from '../contract/types.js';
import type { Handlers } from './handlers.js';

export type ToEngine = { kind: 'call'; id: number; method: ApiMethod; payload: unknown };
/** What the host needs of a watched corpus's change (the engine's CorpusChange has more). */
export type CorpusChanged = Result<{ info: CorpusInfo }>;
export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'progress'; progress: IndexProgress }
  | { kind: 'corpus'; change: CorpusChanged };

export interface Link<In, Out> {
  send(message: Out): void;
  receive(listener: (message: In) => void): void;
}

/**
 * The engine-process end: answer each call with the shared handlers, forward progress and, when
 * given `onCorpusChanged`, a watched corpus's changes.
 */
export function serveEngine(
  link: Link<unknown, FromEngine>,
  handlers: Handlers,
  onProgress: (listener: (p: IndexProgress) => void) => () => void,
  onCorpusChanged?: (listener: (change: CorpusChanged) => void) => () => void,
): () => void {
  const unsubscribeProgress = onProgress((progress) => link.send({ kind: 'progress', progress }));
  const unsubscribeChanges = onCorpusChanged?.((change) =>
    link.send({ kind: 'corpus', change: change.ok ? { ok: true, value: { info: change.value.info } } : change }),
  );
  link.receive((message) => {
    const m = message as Partial<ToEngine> | null;
    if (m?.kind !== 'call' || typeof m.id !== 'number') return;
    const handler = typeof m.method === 'string' && Object.hasOwn(CHANNELS, m.method) ? handlers[m.method] : undefined;
    const answer = handler ? handler(m.payload) : Promise.resolve(fail('E_NOT_FOUND', 'Unknown engine method.'));
    // Calls run concurrently: cancelIndexing must reach the engine while openCorpus is still running.
    // (The web host sends one call at a time from its queue, and cancelIndexing past it.)
    void answer.then((result) => link.send({ kind: 'result', id: m.id!, result }));
  });
  link.send({ kind: 'ready' });
  return () => {
    unsubscribeProgress();
    unsubscribeChanges?.();
  };
}

export interface EngineProcess extends Link<unknown, ToEngine> {
  /** Called once if the process ends. */
  onExit(listener: (code: number) => void): void;
  /** Ends the process; `onExit` reports when it has. */
  kill(): void;
}

/**
 * The host end. Looks like the engine (LoupeApi's methods, onProgress), so the shared handlers can
 * wrap it in a host too. If the process dies, its pending calls fail with E_INTERNAL; the next call
 * starts a new one and re-opens the corpus that was open.
 */
export class EngineClient implements Pick<LoupeApi, ApiMethod | 'onProgress'> {
  private child?: { process: EngineProcess; ready: Promise<void>; exited: Promise<void> };
  private nextId = 1;
  private pending = new Map<number, (r: Result<unknown>) => void>();
  private listeners = new Set<(p: IndexProgress) => void>();
  private changeListeners = new Set<(change: CorpusChanged) => void>();
  private lastOpen?: unknown;
  private closed = false;

  constructor(private readonly spawn: () => EngineProcess) {}

  onProgress(listener: (p: IndexProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A watched corpus's changes, as the engine process reports them. */
  onCorpusChanged(listener: (change: CorpusChanged) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private ensureChild(): { child: EngineProcess; ready: Promise<void>; fresh: boolean } {
    if (this.child) return { child: this.child.process, ready: this.child.ready, fresh: false };
    const child = this.spawn();
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const entry = { process: child, ready, exited };
    this.child = entry;
    child.receive((message) => {
      if ((message as FromEngine | null)?.kind === 'ready') markReady();
      else this.receive(message as FromEngine);
    });
    child.onExit((code) => {
      markReady(); // calls waiting for a process that never started fail below instead of hanging
      markExited();
      if (this.child !== entry) return;
      this.child = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const settle of pending) settle(fail('E_INTERNAL', `The engine process stopped (exit code ${code}).`));
    });
    return { child, ready, fresh: true };
  }

  private receive(message: FromEngine): void {
    if (message?.kind === 'progress') {
      for (const l of this.listeners) l(message.progress);
    } else if (message?.kind === 'corpus') {
      for (const l of this.changeListeners) l(message.change);
    } else if (message?.kind === 'result') {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message.result);
    }
  }

  private async send(child: EngineProcess, ready: Promise<void>, method: ApiMethod, payload: unknown): Promise<Result<unknown>> {
    await ready;
    if (this.child?.process !== child) return fail('E_INTERNAL', 'The engine process stopped.');
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.send({ kind: 'call', id, method, payload });
    });
  }

  async call(method: ApiMethod, payload: unknown): Promise<Result<unknown>> {
    if (this.closed) return fail('E_INTERNAL', 'The engine has been shut down.');
    const { child, ready, fresh } = this.ensureChild();
    if (fresh && this.lastOpen !== undefined && method !== 'openCorpus') {
      await this.send(child, ready, 'openCorpus', this.lastOpen);
    }
    const result = await this.send(child, ready, method, payload);
    if (method === 'openCorpus' && result.ok) this.lastOpen = payload;
    return result;
  }

  /** Ends the engine process; settles once it has exited. Calls after this fail with E_INTERNAL. */
  close(): Promise<void> {
    this.closed = true;
    const entry = this.child;
    this.child = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const settle of pending) settle(fail('E_INTERNAL', 'The engine has been shut down.'));
    if (!entry) return Promise.resolve();
    entry.process.kill();
    return entry.exited;
  }

  openCorpus = (req: Parameters<LoupeApi['openCorpus']>[0]) => this.call('openCorpus', req) as ReturnType<LoupeApi['openCorpus']>;
  corpusInfo = () => this.call('corpusInfo', undefined) as ReturnType<LoupeApi['corpusInfo']>;
  cancelIndexing = () => this.call('cancelIndexing', undefined) as ReturnType<LoupeApi['cancelIndexing']>;
  count = (req: Parameters<LoupeApi['count']>[0]) => this.call('count', req) as ReturnType<LoupeApi['count']>;
  kwic = (req: Parameters<LoupeApi['kwic']>[0]) => this.call('kwic', req) as ReturnType<LoupeApi['kwic']>;
  documentText = (req: Parameters<LoupeApi['documentText']>[0]) => this.call('documentText', req) as ReturnType<LoupeApi['documentText']>;
  passages = (req: Parameters<LoupeApi['passages']>[0]) => this.call('passages', req) as ReturnType<LoupeApi['passages']>;
  suggest = (req: Parameters<LoupeApi['suggest']>[0]) => this.call('suggest', req) as ReturnType<LoupeApi['suggest']>;
  freq = (req: Parameters<LoupeApi['freq']>[0]) => this.call('freq', req) as ReturnType<LoupeApi['freq']>;
  ngrams = (req: Parameters<LoupeApi['ngrams']>[0]) => this.call('ngrams', req) as ReturnType<LoupeApi['ngrams']>;
  colloc = (req: Parameters<LoupeApi['colloc']>[0]) => this.call('colloc', req) as ReturnType<LoupeApi['colloc']>;
  dispersion = (req: Parameters<LoupeApi['dispersion']>[0]) => this.call('dispersion', req) as ReturnType<LoupeApi['dispersion']>;
  keywords = (req: Parameters<LoupeApi['keywords']>[0]) => this.call('keywords', req) as ReturnType<LoupeApi['keywords']>;
  compare = (req: Parameters<LoupeApi['compare']>[0]) => this.call('compare', req) as ReturnType<LoupeApi['compare']>;
  trends = (req: Parameters<LoupeApi['trends']>[0]) => this.call('trends', req) as ReturnType<LoupeApi['trends']>;
  exportData = (req: Parameters<LoupeApi['exportData']>[0]) => this.call('exportData', req) as ReturnType<LoupeApi['exportData']>;
  listProjects = () => this.call('listProjects', undefined) as ReturnType<LoupeApi['listProjects']>;
  newProject = (req: Parameters<LoupeApi['newProject']>[0]) => this.call('newProject', req) as ReturnType<LoupeApi['newProject']>;
  openProject = (req: Parameters<LoupeApi['openProject']>[0]) => this.call('openProject', req) as ReturnType<LoupeApi['openProject']>;
  projectState = () => this.call('projectState', undefined) as ReturnType<LoupeApi['projectState']>;
  updateProject = (req: Parameters<LoupeApi['updateProject']>[0]) =>
    this.call('updateProject', req) as ReturnType<LoupeApi['updateProject']>;
  codeLines = (req: Parameters<LoupeApi['codeLines']>[0]) => this.call('codeLines', req) as ReturnType<LoupeApi['codeLines']>;
}
