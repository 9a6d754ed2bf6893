/**
 * Starts a web-mode host (`app/cli/web.ts`) as a child process and waits for the line it prints
 * when it listens (no fixed sleeps). Used by global-setup for the shared host, and by specs that
 * need a host of their own (another corpus, --watch).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_LINE = /Loupe is running at (\S+)/;
const START_TIMEOUT_MS = 90_000;

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

export async function startHost(args: string[]): Promise<RunningHost> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/web.ts', ...args], {
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
    const timer = setTimeout(
      () => reject(new Error(`The web host did not start within ${START_TIMEOUT_MS} ms.\n${stderr}`)),
      START_TIMEOUT_MS,
    );
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

  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
