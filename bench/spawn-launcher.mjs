/**
 * Starts processes for bench/run.ts and times each from its spawn to its first line of output. The
 * benchmark's own process holds the index it built, and a process that large takes far longer to
 * spawn a child than a shell or the app does; started from here, small since it began, a cold
 * process's figure is what a reader waits for.
 *
 * One JSON request a line on stdin, { id, args, cwd }: runs `node ...args`; one JSON reply a line on
 * stdout, { id, code, out, err, firstLineMs } (firstLineMs null when it printed none).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, args, cwd, timeoutMs } = JSON.parse(line);
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let firstLineMs = null;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  child.stdout.on('data', (d) => {
    out += d.toString();
    if (firstLineMs === null && out.includes('\n')) firstLineMs = performance.now() - t0;
  });
  child.stderr.on('data', (d) => (err += d.toString()));
  child.on('close', (code) => {
    clearTimeout(timer);
    process.stdout.write(JSON.stringify({ id, code, out, err, firstLineMs }) + '\n');
  });
});
