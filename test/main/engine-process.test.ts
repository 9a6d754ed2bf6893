/**
 * The engine process as Electron starts it, built by main/build.mjs and run here as a plain Node
 * child (a shim stands in for Electron's parentPort), spoken to with the shared engine link.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, type EngineProcess, type FromEngine } from '../../app/host/engine-link.js';

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
