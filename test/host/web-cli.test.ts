/**
 * The commands a reader runs: `npm run web` prints exactly one line on stdout once it listens,
 * and `npm start` without an Electron binary says so in one line and falls back to web mode.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { api, send } from './http-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LINE = /^Loupe is running at http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})$/;

let child: ChildProcess | undefined;
let cache: string | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
  if (cache) rmSync(cache, { recursive: true, force: true });
});

/** Start a command and collect stdout lines until one matches LINE. */
function runUntilListening(args: string[], env: Record<string, string> = {}): Promise<{ lines: string[]; port: number; token: string }> {
  cache = mkdtempSync(join(tmpdir(), 'loupe-cli-cache-'));
  child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOUPE_CACHE_DIR: cache, LOUPE_NO_BROWSER: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = LINE.exec(line);
      if (m) resolve({ lines, port: Number(m[1]), token: m[2]! });
    });
    child!.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${lines.join('\n')}\n${stderr}`)));
  });
}

describe('npm run web', () => {
  it('prints one line with the URL and token, then serves the API on that port', async () => {
    const { lines, port, token } = await runUntilListening(['--import', 'tsx', 'app/cli/web.ts']);
    expect(lines).toHaveLength(1);
    const count = await api(port, token, 'count', { query: 'bureaucracy' });
    expect(JSON.parse(count.body)).toMatchObject({ ok: true, value: { hits: 36 } });
    expect((await api(port, 'wrong', 'count', { query: 'bureaucracy' })).status).toBe(403);
  });

  it('takes --port', async () => {
    // Find a free port by letting the system pick one, then ask for it explicitly.
    const first = await runUntilListening(['--import', 'tsx', 'app/cli/web.ts']);
    child!.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    const { port } = await runUntilListening(['--import', 'tsx', 'app/cli/web.ts', '--port', String(first.port)]);
    expect(port).toBe(first.port);
    expect((await send(port, { path: '/' })).status).not.toBe(403);
  });
});

function electronInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('electron');
    return true;
  } catch {
    return false;
  }
}

describe('npm start without Electron', () => {
  it('says so in one line and opens the web mode', async () => {
    // Where Electron is installed, LOUPE_WEB stands in for its absence (the path tested is the same).
    const { lines } = await runUntilListening(['scripts/start.mjs'], electronInstalled() ? { LOUPE_WEB: '1' } : {});
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Electron is not available here \(.+\); opening Loupe in web mode\.$/);
  });
});
