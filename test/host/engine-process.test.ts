/**
 * The web host's engine process: started by the host, spoken to with the shared engine link,
 * passing a watched corpus's changes to the event stream, and gone whenever the host is gone --
 * closed, stopped by a signal, or killed outright.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host/web-host.js';
import { api } from './http-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const linux = process.platform === 'linux';

/** Process ids of the engine processes whose parent is `ppid` (Linux `ps`). */
function engineChildren(ppid: number): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(ppid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there is no such process
  }
  return out
    .split('\n')
    .filter((l) => l.includes('engine-child'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** Running, that is: a process that has exited but not been reaped yet (a zombie) counts as gone. */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(test: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return test();
}

function tinyDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Loupe</title>');
  return dir;
}

describe("the host's engine process", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.runIf(linux)('runs the engine in a child of the host, and ends it when the host closes', async () => {
    const indexDir = mkdtempSync(join(tmpdir(), 'loupe-index-'));
    const dist = tinyDist();
    dirs.push(indexDir, dist);
    const host = await startWebHost({ indexDir, rendererDir: dist });
    expect((await host.ready).ok).toBe(true);
    const children = engineChildren(process.pid);
    expect(children).toHaveLength(1);
    const count = JSON.parse((await api(host.port, host.token, 'count', { query: 'bureaucracy' })).body);
    expect(count).toMatchObject({ ok: true, value: { hits: 36 } });
    await host.close();
    expect(alive(children[0]!)).toBe(false);
  });

  it("sends a watched corpus's changes to the event stream as `event: corpus`", async () => {
    const root = mkdtempSync(join(tmpdir(), 'loupe-watch-'));
    dirs.push(root);
    const corpus = join(root, 'texts');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'one.txt'), 'The councils met in spring.\n');
    const host = await startWebHost({ corpus: [corpus], indexDir: join(root, 'index'), rendererDir: tinyDist(), watch: true });
    try {
      expect((await host.ready).ok).toBe(true);
      const frame = new Promise<string>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: `127.0.0.1:${host.port}` } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => {
              text += d;
              const m = /event: corpus\ndata: (.*)\n\n/.exec(text);
              if (m) {
                req.destroy();
                resolve(m[1]!);
              } else if (text.includes(': connected')) {
                appendFileSync(join(corpus, 'one.txt'), 'Later the councils returned.\n');
              }
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
      const info = JSON.parse(await frame);
      expect(info.documents).toHaveLength(1);
      const count = JSON.parse((await api(host.port, host.token, 'count', { query: 'councils' })).body);
      expect(count).toMatchObject({ ok: true, value: { hits: 2 } });
    } finally {
      await host.close();
    }
  });
});

describe.runIf(linux)('`npm run web` leaves no engine process behind', () => {
  let child: ChildProcess | undefined;
  let cache: string | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    if (cache) rmSync(cache, { recursive: true, force: true });
  });

  /** Starts the web host, waits for its line, makes one call so its engine is running; its engine's pid. */
  async function startCli(): Promise<{ host: ChildProcess; engine: number }> {
    cache = mkdtempSync(join(tmpdir(), 'loupe-cli-cache-'));
    const host = spawn(process.execPath, ['--import', 'tsx', 'app/cli/web.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOUPE_CACHE_DIR: cache },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = host;
    const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      createInterface({ input: host.stdout! }).on('line', (line) => {
        const m = /127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(line);
        if (m) resolve({ port: Number(m[1]), token: m[2]! });
      });
      host.once('exit', (code) => reject(new Error(`the host exited (${code}) before listening`)));
    });
    expect(JSON.parse((await api(port, token, 'corpusInfo')).body).ok).toBe(true);
    const engines = engineChildren(host.pid!);
    expect(engines).toHaveLength(1);
    return { host, engine: engines[0]! };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s', async (signal) => {
    const { host, engine } = await startCli();
    const exited = new Promise<number | null>((r) => host.once('exit', (code) => r(code)));
    host.kill(signal);
    expect(await exited).toBe(0);
    expect(await until(() => !alive(engine), 5_000)).toBe(true);
  });

  it('when the host is killed outright (its IPC channel closes)', async () => {
    const { host, engine } = await startCli();
    const exited = new Promise((r) => host.once('exit', r));
    host.kill('SIGKILL');
    await exited;
    expect(await until(() => !alive(engine), 5_000)).toBe(true);
  });
});
