/**
 * `npm start`: the desktop app when Electron can run here; otherwise one line saying why, and the
 * same UI in web mode (app/cli/web.ts), opened in the default browser when there is a display.
 * Arguments after `--` go to the web host (`--port N`, `--corpus PATH`, `--index DIR`); Electron takes
 * the `--corpus` paths and opens them instead of the last corpus.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

/** The Electron binary, or the reason there is none. */
function findElectron() {
  let binary;
  try {
    // The electron package's main export is the path of its downloaded binary; it throws when the
    // package is missing or its binary download failed.
    binary = createRequire(import.meta.url)('electron');
  } catch (e) {
    const missing = e && e.code === 'MODULE_NOT_FOUND';
    return { reason: missing ? 'the electron package is not installed' : `electron failed to load: ${firstLine(e)}` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { reason: 'the Electron binary was never downloaded' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { binary };
}

/** The values of every `--corpus PATH` / `--corpus=PATH` in the arguments. */
function corpusArgs(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--corpus' && i + 1 < argv.length) out.push(argv[++i]);
    else if (argv[i].startsWith('--corpus=')) out.push(argv[i].slice('--corpus='.length));
  }
  return out;
}

function firstLine(e) {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}

async function ensureRenderer() {
  if (existsSync(join(ROOT, 'renderer', 'dist', 'index.html'))) return;
  process.stderr.write('Building the renderer first (renderer/dist is missing).\n');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

async function runElectron(binary) {
  const { buildMain } = await import('../main/build.mjs');
  await buildMain();
  await ensureRenderer();
  // `--corpus PATH` (the web host's option) becomes a path on Electron's command line, which
  // main/argv.ts reads the same way it reads a second instance's. npm runs scripts from the package
  // folder; INIT_CWD is where the reader typed the command.
  const corpus = corpusArgs(args).map((p) => resolve(process.env.INIT_CWD ?? process.cwd(), p));
  const child = spawn(binary, [ROOT, ...(corpus.length > 0 ? ['--', ...corpus] : [])], { cwd: ROOT, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('error', (e) => resolve({ failed: `Electron did not start: ${firstLine(e)}` }));
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0) }));
  });
}

/** Best effort: a missing opener or a failing one never stops web mode. */
function openInBrowser(url) {
  if (process.env.LOUPE_NO_BROWSER) return;
  let command;
  let commandArgs = [url];
  if (process.platform === 'darwin') command = 'open';
  else if (process.platform === 'win32') {
    command = 'cmd';
    commandArgs = ['/c', 'start', '""', url];
  } else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) command = 'xdg-open';
  // Without a display xdg-open would start a text browser in this terminal: leave the URL to the reader.
  if (!command) return;
  try {
    const opener = spawn(command, commandArgs, { stdio: 'ignore', detached: true });
    opener.on('error', () => {});
    opener.unref();
  } catch {
    /* ignore: the URL is printed above */
  }
}

function runWeb() {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-cli.mjs'), 'web', ...args], {
    cwd: ROOT,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const match = /^Loupe is running at (http:\/\/\S+)$/.exec(line);
    if (match) openInBrowser(match[1]);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const found = process.env.LOUPE_WEB ? { reason: 'LOUPE_WEB is set' } : findElectron();
if (found.binary) {
  const outcome = await runElectron(found.binary);
  if (outcome.failed) {
    process.stdout.write(`${outcome.failed}; opening Loupe in web mode.\n`);
    runWeb();
  } else {
    process.exit(outcome.code);
  }
} else {
  process.stdout.write(`Electron is not available here (${found.reason}); opening Loupe in web mode.\n`);
  runWeb();
}
