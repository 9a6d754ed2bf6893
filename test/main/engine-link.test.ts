import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../app/contract/types.js';
import { createHandlers } from '../../app/host/handlers.js';
import { EngineClient, serveEngine, type EngineProcess, type FromEngine } from '../../main/engine-link.js';
import { fakeEngine } from '../host/fake-engine.js';

/** An engine "process" in this thread: both ends of the protocol over queued microtasks. */
function inMemoryProcess(engine = fakeEngine()) {
  let toMain: (m: unknown) => void = () => {};
  let toEngine: (m: unknown) => void = () => {};
  let exit: (code: number) => void = () => {};
  const proc: EngineProcess = {
    send: (m) => queueMicrotask(() => toEngine(structuredClone(m))),
    receive: (l) => (toMain = l),
    onExit: (l) => (exit = l),
    kill: () => exit(0),
  };
  // The serving side starts as soon as the client listens, like a process finishing its imports.
  queueMicrotask(() =>
    serveEngine(
      { send: (m) => queueMicrotask(() => toMain(structuredClone(m))), receive: (l) => (toEngine = l) },
      createHandlers(engine),
      (l) => engine.onProgress(l),
    ),
  );
  return { proc, engine, crash: (code: number) => exit(code) };
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
    client.close();
    const r = await client.corpusInfo();
    expect(r.ok === false && r.error.code).toBe('E_INTERNAL');
  });
});

describe('the built engine process (main/build.mjs output) on the bundled corpus', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const outDir = join(root, 'main', 'dist', `.test-${process.pid}`);
  let cacheDir: string;
  let entry: string;
  const children: Array<ReturnType<typeof fork>> = [];

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'loupe-engine-cache-'));
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { buildMain } = (await import('../../main/build.mjs')) as {
      buildMain(o: { outDir: string }): Promise<{ engineEntry: string }>;
    };
    entry = (await buildMain({ outDir })).engineEntry;
  });
  afterAll(() => {
    for (const c of children) c.kill();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  function spawnBuilt(): EngineProcess {
    const child = fork(entry, [], {
      execArgv: ['--require', join(root, 'test', 'main', 'fixtures', 'parent-port-shim.cjs')],
      env: { ...process.env, LOUPE_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    return {
      send: (m) => child.send(m as object),
      receive: (l) => child.on('message', (m) => l(m as FromEngine)),
      onExit: (l) => child.on('exit', (code) => l(code ?? -1)),
      kill: () => void child.kill(),
    };
  }

  it('indexes in its own process, reports progress, and counts 36 hits of bureaucracy', async () => {
    const client = new EngineClient(spawnBuilt);
    const phases = new Set<string>();
    client.onProgress((p) => phases.add(p.phase));
    const opened = await client.openCorpus({});
    expect(opened.ok).toBe(true);
    expect(phases.has('tokenising')).toBe(true);
    expect(await client.count({ query: 'bureaucracy' })).toEqual({
      ok: true,
      value: { query: 'bureaucracy', hits: 36, documents: 1 },
    });
    const keywords = await client.keywords({ limit: 3 });
    expect(keywords.ok).toBe(true);
    client.close();
  });
});
