/**
 * Starts the web-mode host once for the whole run, on a fresh index directory, and hands its URL
 * to the tests (LOUPE_URL). No fixed sleeps: we wait for the line the host prints when it listens.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_LINE = /Loupe is running at (\S+)/;
const START_TIMEOUT_MS = 90_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const indexDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/host/serve.ts', '--index', indexDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr += d;
    if (process.env.LOUPE_E2E_VERBOSE) process.stderr.write(d);
  });

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`The web host did not start within ${START_TIMEOUT_MS} ms.\n${stderr}`)), START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      const m = READY_LINE.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited (${code ?? signal}) before it was ready.\n${stderr}`));
    });
  });
  process.env.LOUPE_URL = url;

  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(indexDir, { recursive: true, force: true });
  };
}
