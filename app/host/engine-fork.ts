/**
 * The web host's engine process: a forked Node process running app/host/engine-child, spoken to
 * over its IPC channel with the shared engine link (the same protocol as Electron's utility process).
 * The HTTP server's event loop then only parses, checks and forwards; queries and indexing run there.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EngineClient, type EngineProcess, type FromEngine } from './engine-link.js';

/** What the engine process is started with (its argv[2], as JSON). */
export interface EngineChildOptions {
  indexDir?: string;
  dataDir?: string;
  /** Watch the open corpus once one has opened, and report its changes (web host --watch). */
  watch?: boolean;
}

/** A SIGTERM that is not obeyed in this time is followed by SIGKILL. */
const KILL_GRACE_MS = 3_000;

function entry(): string {
  // From sources (tsx, vitest) the child needs the TypeScript loader: the .mjs bootstrap registers it.
  const isTs = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(isTs ? './engine-child-boot.mjs' : './engine-child.js', import.meta.url));
}

function forkEngine(opts: EngineChildOptions): EngineProcess {
  const child: ChildProcess = fork(entry(), [JSON.stringify(opts)], {
    // Not the host's own flags (its loader, a test runner's); only a heap size the reader gave
    // the host, since the engine's memory now lives in the child.
    execArgv: process.execArgv.filter((a) => /^--max-(?:old|semi)-space-size=/.test(a)),
    // The child's stdout goes to the host's stderr: the host's stdout carries only its one line.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitListeners: Array<(code: number) => void> = [];
  // If the host leaves without closing (process.exit on an error), the child goes with it; it also
  // exits by itself when the IPC channel closes, which covers a host that is killed outright.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    process.off('exit', killOnExit);
    for (const l of exitListeners) l(code);
  };
  child.once('exit', (code, signal) => exit(code ?? (signal ? 128 : -1)));
  // A child that cannot be started at all reports `error` and never `exit`.
  child.once('error', () => exit(-1));
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    receive: (listener) => child.on('message', (m) => listener(m as FromEngine)),
    onExit: (listener) => {
      exitListeners.push(listener);
    },
    kill: () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    },
  };
}

/** The engine in its own process, started at the first call and again after a crash. */
export function childEngine(opts: EngineChildOptions): EngineClient {
  return new EngineClient(() => forkEngine(opts));
}
