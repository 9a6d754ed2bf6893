/**
 * The engine link, both ends in this thread: what the Electron shell and the web host share to
 * speak to their engine process.
 */
import { describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../app/contract/types.js';
import { createHandlers } from '../../app/host/handlers.js';
import { EngineClient, serveEngine, type CorpusChanged, type EngineProcess } from '../../app/host/engine-link.js';
import { fakeEngine } from './fake-engine.js';

/** An engine "process" in this thread: both ends of the protocol over queued microtasks. */
function inMemoryProcess(engine = fakeEngine()) {
  let toMain: (m: unknown) => void = () => {};
  let toEngine: (m: unknown) => void = () => {};
  let onExit: (code: number) => void = () => {};
  let exited = false;
  const exit = (code: number) => {
    exited = true;
    onExit(code);
  };
  const changes = new Set<(c: CorpusChanged) => void>();
  const proc: EngineProcess = {
    send: (m) => queueMicrotask(() => toEngine(structuredClone(m))),
    receive: (l) => (toMain = l),
    onExit: (l) => (onExit = l),
    // Like a real process, it is gone a moment after it is told to go.
    kill: () => void setTimeout(() => exit(0), 5),
  };
  // The serving side starts as soon as the client listens, like a process finishing its imports.
  queueMicrotask(() =>
    serveEngine(
      { send: (m) => queueMicrotask(() => toMain(structuredClone(m))), receive: (l) => (toEngine = l) },
      createHandlers(engine),
      (l) => engine.onProgress(l),
      (l) => {
        changes.add(l);
        return () => changes.delete(l);
      },
    ),
  );
  return {
    proc,
    engine,
    crash: (code: number) => exit(code),
    change: (c: CorpusChanged) => changes.forEach((l) => l(c)),
    exited: () => exited,
  };
}

describe('EngineClient with serveEngine', () => {
  it('answers calls and forwards progress', async () => {
    const spawned: ReturnType<typeof inMemoryProcess>[] = [];
    const client = new EngineClient(() => {
      const p = inMemoryProcess();
      spawned.push(p);
      return p.proc;
    });
    const progress: IndexProgress[] = [];
    client.onProgress((p) => progress.push(p));
    const r = await client.count({ query: 'bureaucracy' });
    expect(r).toEqual({ ok: true, value: { method: 'count', request: { query: 'bureaucracy' } } });
    spawned[0]!.engine.emit({ phase: 'indexing', done: 1, total: 1 });
    await new Promise((r) => setTimeout(r, 0));
    expect(progress).toEqual([{ phase: 'indexing', done: 1, total: 1 }]);
    expect(spawned).toHaveLength(1);
  });

  it('validates in the engine process too', async () => {
    const client = new EngineClient(() => inMemoryProcess().proc);
    const r = await client.call('kwic', { query: 'a', limit: -5 });
    expect(r.ok === false && r.error.code).toBe('E_PAYLOAD');
  });

  it('fails pending calls when the process dies, then restarts it and re-opens the corpus', async () => {
    const spawned: ReturnType<typeof inMemoryProcess>[] = [];
    let holdCount = true;
    const client = new EngineClient(() => {
      const p = inMemoryProcess(
        fakeEngine({
          count: () => (holdCount ? new Promise(() => {}) : Promise.resolve({ ok: true, value: 'counted' })),
        }),
      );
      spawned.push(p);
      return p.proc;
    });
    expect((await client.openCorpus({ paths: ['/texts'] })).ok).toBe(true);
    const pending = client.count({ query: 'a' });
    await new Promise((r) => setTimeout(r, 0));
    spawned[0]!.crash(9);
    const failed = await pending;
    expect(failed.ok === false && failed.error.code).toBe('E_INTERNAL');

    holdCount = false;
    expect(await client.count({ query: 'a' })).toEqual({ ok: true, value: 'counted' });
    expect(spawned).toHaveLength(2);
    expect(spawned[1]!.engine.calls.map((c) => [c.method, c.request])).toEqual([
      ['openCorpus', { paths: ['/texts'] }],
      ['count', { query: 'a' }],
    ]);
  });

  it('refuses calls after close', async () => {
    const client = new EngineClient(() => inMemoryProcess().proc);
    await client.close();
    const r = await client.corpusInfo();
    expect(r.ok === false && r.error.code).toBe('E_INTERNAL');
  });

  it("forwards a watched corpus's changes", async () => {
    const spawned: ReturnType<typeof inMemoryProcess>[] = [];
    const client = new EngineClient(() => {
      const p = inMemoryProcess();
      spawned.push(p);
      return p.proc;
    });
    const changes: CorpusChanged[] = [];
    client.onCorpusChanged((c) => changes.push(c));
    await client.corpusInfo();
    const info = { label: 'texts' } as never;
    spawned[0]!.change({ ok: true, value: { info } });
    spawned[0]!.change({ ok: false, error: { code: 'E_CORPUS', message: 'gone' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(changes).toEqual([
      { ok: true, value: { info } },
      { ok: false, error: { code: 'E_CORPUS', message: 'gone' } },
    ]);
  });

  it('answers pending calls when closed, and settles once the process has exited', async () => {
    const p = inMemoryProcess(fakeEngine({ count: () => new Promise(() => {}) }));
    const client = new EngineClient(() => p.proc);
    const pending = client.count({ query: 'a' });
    await new Promise((r) => setTimeout(r, 0));
    const closing = client.close();
    const r = await pending;
    expect(r.ok === false && r.error.code).toBe('E_INTERNAL');
    expect(p.exited()).toBe(false);
    await closing;
    expect(p.exited()).toBe(true);
  });
});
