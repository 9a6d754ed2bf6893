/**
 * The compiled command line (scripts/build-cli.mjs, dist/cli), which `npm run loupe` and `npm run web`
 * run: it prints what the TypeScript sources print, starts its threads and the web host's engine
 * process from the compiled files beside it, and is rebuilt when something it was built from changes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPdf } from '../corpus/formats/build-fixtures.js';
import { api } from '../host/http-client.js';
import { runCli, type CliRun } from '../support/cli.js';
import { CHAPTER_PATH, removeDir, ROOT, tempDir } from '../support/corpus.js';

interface Built {
  dist: string;
  loupe: string;
  web: string;
}
interface BuildScript {
  ensureCliBuilt(): Promise<Built>;
  buildCli(o: { outDir: string }): Promise<Built>;
  staleReason(outDir?: string): string | undefined;
}

let built: Built;
let build: BuildScript;
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  // @ts-expect-error -- a plain .mjs build script without type declarations
  build = (await import('../../scripts/build-cli.mjs')) as BuildScript;
  built = await build.ensureCliBuilt();
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  for (const d of dirs) removeDir(d);
});

function temp(label: string): string {
  const d = tempDir(label);
  dirs.push(d);
  return d;
}

/** `node [NODE_ARGS] FILE ARGS` from the project folder, as runCli runs the sources. */
function runNode(file: string, args: string[], nodeArgs: string[] = []): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, file, ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ args, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the compiled loupe command', () => {
  const COMMANDS: string[][] = [
    ['index', '--format', 'json'],
    ['count', 'bureaucracy', '--format', 'json'],
    ['count', "workers' councils"],
    ['kwic', 'bureaucracy', '--limit', '5', '--sort', 'R1'],
    ['kwic', 'bureaucracy', '--format', 'tsv', '--limit', '0', '--context', '3'],
    ['kwic', '[lemma="be"] [pos="ADJ"]', '--format', 'json', '--limit', '3'],
    ['freq', '--stoplist', '--limit', '10', '--format', 'tsv'],
    ['keywords', '--limit', '5', '--format', 'tsv'],
    ['colloc', 'bureaucracy', '--limit', '5', '--format', 'csv'],
    ['count', '[pos="NOUN"', '--format', 'json'],
  ];

  it('indexes the bundled corpus and prints what the sources print, in every command tried', async () => {
    const fromSources = temp('cli-tsx');
    const compiled = temp('cli-built');
    const [a, b] = await Promise.all([runCli(['index', '--index', fromSources]), runNode(built.loupe, ['index', '--index', compiled])]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/tokenising/);
    expect(b.stdout).toBe(a.stdout);
    for (const args of COMMANDS) {
      const [x, y] = await Promise.all([runCli([...args, '--index', fromSources]), runNode(built.loupe, [...args, '--index', compiled])]);
      expect({ code: y.code, stdout: y.stdout, stderr: y.stderr }, args.join(' ')).toEqual({
        code: x.code,
        stdout: x.stdout,
        stderr: x.stderr,
      });
    }
  }, 120_000);

  it('runs as npm run loupe does, through scripts/run-cli.mjs', async () => {
    const index = temp('cli-launcher');
    const direct = await runNode(built.loupe, ['count', 'bureaucracy', '--index', index]);
    const launched = await runNode(join(ROOT, 'scripts', 'run-cli.mjs'), ['loupe', 'count', 'bureaucracy', '--index', index]);
    expect(direct.stdout).toMatch(/^36 hits in 1 document/);
    expect({ code: launched.code, stdout: launched.stdout }, launched.stderr).toEqual({ code: 0, stdout: direct.stdout });
  });

  it('starts its threads from the compiled files beside it', async () => {
    // Enough text for the tokenising threads (2 million characters by default), an HTML page (always
    // parsed on a reader thread) and a PDF (read on that thread with pdfjs-dist).
    const corpus = temp('cli-threads-corpus');
    const copies = 76;
    for (let i = 0; i < copies; i++) copyFileSync(CHAPTER_PATH, join(corpus, `chapter-${String(i).padStart(2, '0')}.txt`));
    writeFileSync(join(corpus, 'page.html'), '<html><head><title>A page</title></head><body><p>The bureaucracy met.</p></body></html>');
    writeFileSync(join(corpus, 'paper.pdf'), buildPdf({ pages: [['The bureaucracy and the soviets.']] }));
    const index = temp('cli-threads-index');
    const hook = join(ROOT, 'test', 'cli', 'fixtures', 'log-threads.cjs');
    const r = await runNode(built.loupe, ['index', '--corpus', corpus, '--index', index, '--format', 'json'], ['--require', hook]);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { documents: unknown[]; skipped: unknown[] };
    expect(info.skipped).toEqual([]);
    expect(info.documents).toHaveLength(copies + 2);
    const threads = [...r.stderr.matchAll(/^thread: (.*)$/gm)].map((m) => m[1]!);
    const file = (name: string) => pathToFileURL(join(built.dist, `${name}.js`)).href;
    expect(threads).toContain(file('reader-worker'));
    if (availableParallelism() > 1) expect(threads).toContain(file('worker'));
    for (const t of threads) expect(t.startsWith(pathToFileURL(built.dist).href + '/'), t).toBe(true);
    const count = await runNode(built.loupe, ['count', 'bureaucracy', '--corpus', corpus, '--index', index]);
    expect(count.stdout).toMatch(new RegExp(`^${36 * copies + 2} hits in ${copies + 2} documents\n$`));
  }, 120_000);

  it('has compiled threads for joining columns and reading PDFs that load and answer', async () => {
    const reply = (name: string, messages: unknown[]) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const w = new Worker(join(built.dist, `${name}.js`));
        w.once('message', (m: Record<string, unknown>) => {
          void w.terminate();
          resolve(m);
        });
        w.once('error', reject);
        for (const m of messages) w.postMessage(m);
      });
    const joined = await reply('concat-worker', [{ total: 0 }, { finish: true }]);
    expect(joined.error).toBeUndefined();
    expect(joined.columns).toBeDefined();
    const bytes = buildPdf({ pages: [['The bureaucracy and the soviets.']] });
    const pdf = (await reply('pdf-worker', [{ id: 1, bytes }])) as {
      id: number;
      result: { ok: boolean; documents?: Array<{ text: string }> };
    };
    expect(pdf.id).toBe(1);
    expect(pdf.result.ok).toBe(true);
    expect(pdf.result.documents?.[0]?.text.trim()).toBe('The bureaucracy and the soviets.');
  });
});

describe('the compiled web host', () => {
  it('starts its engine process from dist/cli and answers', async () => {
    const cache = temp('web-built-cache');
    const child = spawn(process.execPath, [built.web], {
      cwd: ROOT,
      env: { ...process.env, LOUPE_CACHE_DIR: cache, LOUPE_NO_BROWSER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^Loupe is running at http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)$/.exec(line);
        if (m) resolve({ port: Number(m[1]), token: m[2]! });
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
    });
    const count = await api(port, token, 'count', { query: 'bureaucracy' });
    expect(JSON.parse(count.body), stderr).toMatchObject({ ok: true, value: { hits: 36 } });
  }, 120_000);
});

describe('scripts/build-cli.mjs', () => {
  it('says the build is stale when an output is missing or an input changed, and not otherwise', async () => {
    // Two levels below the project root, as dist/cli is.
    const outDir = join(ROOT, 'dist', `.test-${process.pid}`);
    dirs.push(outDir);
    mkdirSync(outDir, { recursive: true });
    expect(build.staleReason(outDir)).toBe('not built yet');
    await build.buildCli({ outDir });
    expect(build.staleReason(outDir)).toBeUndefined();
    const stampPath = join(outDir, 'build.json');
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { inputs: Record<string, [number, number]> };
    expect(Object.keys(stamp.inputs)).toEqual(expect.arrayContaining(['app/cli/main.ts', 'app/text/worker.ts', 'bench/cold-open.ts']));
    stamp.inputs['app/cli/main.ts']![0] -= 1000;
    writeFileSync(stampPath, JSON.stringify(stamp));
    expect(build.staleReason(outDir)).toBe('app/cli/main.ts changed');
    rmSync(join(outDir, 'worker.js'));
    expect(build.staleReason(outDir)).toBe('worker.js is missing');
  }, 120_000);

  it('starts its programs through a code cache that the first run saves beside them', async () => {
    const outDir = join(ROOT, 'dist', `.test-cache-${process.pid}`);
    dirs.push(outDir);
    const { loupe } = await build.buildCli({ outDir });
    // loupe.js runs loupe.cjs, and names the cache by the bundle's hash.
    const id = /'([0-9a-f]{16})'/.exec(readFileSync(loupe, 'utf8'))?.[1];
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const first = await runNode(loupe, ['--help']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('loupe: a concordancer');
    const caches = readdirSync(join(outDir, 'code-cache'));
    expect(caches).toEqual([expect.stringMatching(new RegExp(`^loupe-${id}-`))]);
    const saved = statSync(join(outDir, 'code-cache', caches[0]!)).mtimeMs;
    const second = await runNode(loupe, ['--help']);
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(join(outDir, 'code-cache', caches[0]!)).mtimeMs).toBe(saved);
  }, 120_000);
});
