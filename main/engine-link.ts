/**
 * The engine runs in its own process (Electron's utilityProcess), so indexing and big sorts never
 * block the window. This is the message protocol between main and that process, both ends, over
 * any pair of message functions (utilityProcess's ports here, a MessageChannel in tests).
 *
 *   main -> engine   { kind: 'call', id, method, payload }
 *   engine -> main   { kind: 'ready' } | { kind: 'result', id, result } | { kind: 'progress', progress }
 *
 * The engine says `ready` once it listens; main holds calls until then, because a message that
 * arrives while the process is still loading its modules may have no listener yet.
 */
import type { ApiMethod, LoupeApi } from '../app/contract/api.js';
import { CHANNELS } from '../app/contract/api.js';
import { fail, type Result } from '../app/contract/errors.js';
import type { IndexProgress } from '../app/contract/types.js';
import type { Handlers } from '../app/host/handlers.js';

export type ToEngine = { kind: 'call'; id: number; method: ApiMethod; payload: unknown };
export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'progress'; progress: IndexProgress };

export interface Link<In, Out> {
  send(message: Out): void;
  receive(listener: (message: In) => void): void;
}

/** The engine-process end: answer each call with the shared handlers, forward progress. */
export function serveEngine(
  link: Link<unknown, FromEngine>,
  handlers: Handlers,
  onProgress: (listener: (p: IndexProgress) => void) => () => void,
): () => void {
  const unsubscribe = onProgress((progress) => link.send({ kind: 'progress', progress }));
  link.receive((message) => {
    const m = message as Partial<ToEngine> | null;
    if (m?.kind !== 'call' || typeof m.id !== 'number') return;
    const handler = typeof m.method === 'string' && Object.hasOwn(CHANNELS, m.method) ? handlers[m.method] : undefined;
    const answer = handler ? handler(m.payload) : Promise.resolve(fail('E_NOT_FOUND', 'Unknown engine method.'));
    // Calls run concurrently: cancelIndexing must reach the engine while openCorpus is still running.
    void answer.then((result) => link.send({ kind: 'result', id: m.id!, result }));
  });
  link.send({ kind: 'ready' });
  return unsubscribe;
}

export interface EngineProcess extends Link<unknown, ToEngine> {
  /** Called once if the process ends. */
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

/**
 * The main-process end. Looks like the engine (LoupeApi's methods, onProgress), so the shared
 * handlers can wrap it in main too. If the process dies, its pending calls fail with E_INTERNAL;
 * the next call starts a new one and re-opens the corpus that was open.
 */
export class EngineClient implements Pick<LoupeApi, ApiMethod | 'onProgress'> {
  private child?: { process: EngineProcess; ready: Promise<void> };
  private nextId = 1;
  private pending = new Map<number, (r: Result<unknown>) => void>();
  private listeners = new Set<(p: IndexProgress) => void>();
  private lastOpen?: unknown;
  private closed = false;

  constructor(private readonly spawn: () => EngineProcess) {}

  onProgress(listener: (p: IndexProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private ensureChild(): { child: EngineProcess; ready: Promise<void>; fresh: boolean } {
    if (this.child) return { child: this.child.process, ready: this.child.ready, fresh: false };
    const child = this.spawn();
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const entry = { process: child, ready };
    this.child = entry;
    child.receive((message) => {
      if ((message as FromEngine | null)?.kind === 'ready') markReady();
      else this.receive(message as FromEngine);
    });
    child.onExit((code) => {
      markReady(); // calls waiting for a process that never started fail below instead of hanging
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
    } else if (message?.kind === 'result') {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message.result);
    }
  }

  private async send(
    child: EngineProcess,
    ready: Promise<void>,
    method: ApiMethod,
    payload: unknown,
  ): Promise<Result<unknown>> {
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

  close(): void {
    this.closed = true;
    this.child?.process.kill();
    this.child = undefined;
  }

  openCorpus = (req: Parameters<LoupeApi['openCorpus']>[0]) => this.call('openCorpus', req) as ReturnType<LoupeApi['openCorpus']>;
  corpusInfo = () => this.call('corpusInfo', undefined) as ReturnType<LoupeApi['corpusInfo']>;
  cancelIndexing = () => this.call('cancelIndexing', undefined) as ReturnType<LoupeApi['cancelIndexing']>;
  count = (req: Parameters<LoupeApi['count']>[0]) => this.call('count', req) as ReturnType<LoupeApi['count']>;
  kwic = (req: Parameters<LoupeApi['kwic']>[0]) => this.call('kwic', req) as ReturnType<LoupeApi['kwic']>;
  documentText = (req: Parameters<LoupeApi['documentText']>[0]) =>
    this.call('documentText', req) as ReturnType<LoupeApi['documentText']>;
  passages = (req: Parameters<LoupeApi['passages']>[0]) => this.call('passages', req) as ReturnType<LoupeApi['passages']>;
  suggest = (req: Parameters<LoupeApi['suggest']>[0]) => this.call('suggest', req) as ReturnType<LoupeApi['suggest']>;
  freq = (req: Parameters<LoupeApi['freq']>[0]) => this.call('freq', req) as ReturnType<LoupeApi['freq']>;
  ngrams = (req: Parameters<LoupeApi['ngrams']>[0]) => this.call('ngrams', req) as ReturnType<LoupeApi['ngrams']>;
  colloc = (req: Parameters<LoupeApi['colloc']>[0]) => this.call('colloc', req) as ReturnType<LoupeApi['colloc']>;
  dispersion = (req: Parameters<LoupeApi['dispersion']>[0]) =>
    this.call('dispersion', req) as ReturnType<LoupeApi['dispersion']>;
  keywords = (req: Parameters<LoupeApi['keywords']>[0]) => this.call('keywords', req) as ReturnType<LoupeApi['keywords']>;
  compare = (req: Parameters<LoupeApi['compare']>[0]) => this.call('compare', req) as ReturnType<LoupeApi['compare']>;
  trends = (req: Parameters<LoupeApi['trends']>[0]) => this.call('trends', req) as ReturnType<LoupeApi['trends']>;
  exportData = (req: Parameters<LoupeApi['exportData']>[0]) =>
    this.call('exportData', req) as ReturnType<LoupeApi['exportData']>;
  listProjects = () => this.call('listProjects', undefined) as ReturnType<LoupeApi['listProjects']>;
  newProject = (req: Parameters<LoupeApi['newProject']>[0]) => this.call('newProject', req) as ReturnType<LoupeApi['newProject']>;
  openProject = (req: Parameters<LoupeApi['openProject']>[0]) => this.call('openProject', req) as ReturnType<LoupeApi['openProject']>;
  projectState = () => this.call('projectState', undefined) as ReturnType<LoupeApi['projectState']>;
  updateProject = (req: Parameters<LoupeApi['updateProject']>[0]) =>
    this.call('updateProject', req) as ReturnType<LoupeApi['updateProject']>;
  codeLines = (req: Parameters<LoupeApi['codeLines']>[0]) => this.call('codeLines', req) as ReturnType<LoupeApi['codeLines']>;
}
