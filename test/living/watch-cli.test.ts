/**
 * `loupe watch PATH --query Q` as a reader runs it: a first line, a new line after each edit with the
 * new hits, and Ctrl-C (SIGINT) ends it with exit code 0.
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/corpus.js';
import { brownFiles, removeDir, tempDir, writeAll } from './support.js';

let dir: string;
let cache: string;
beforeAll(() => {
  dir = tempDir('watch-cli');
  cache = tempDir('watch-cli-cache');
  writeAll(dir, brownFiles(4));
});
afterAll(() => {
  removeDir(dir);
  removeDir(cache);
});

describe('loupe watch', () => {
  it('prints a line per update until Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', 'watch', dir, '--query', 'zebra', '--index', cache], {
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    /** Resolves when stdout holds `n` lines (or rejects after a timeout). */
    const lines = (n: number) =>
      new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited for ${n} lines; stdout: ${stdout}; stderr: ${stderr}`)), 30_000);
        const check = () => {
          const got = stdout.split('\n').filter(Boolean);
          if (got.length >= n) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve(got);
          }
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    try {
      const [first] = await lines(1);
      expect(first).toMatch(/^4 documents, \d+ tokens; zebra: 0 hits$/);
      // The watcher is ready once the notice is on stderr.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not watching; stderr: ${stderr}`)), 30_000);
        const check = () => {
          if (!stderr.includes('watching for changes')) return;
          clearTimeout(timer);
          child.stderr.off('data', check);
          resolve();
        };
        child.stderr.on('data', check);
        check();
      });
      appendFileSync(join(dir, 'ca02.txt'), '\nA zebra, a zebra, a zebra.\n');
      const [, second] = await lines(2);
      expect(second).toMatch(/^4 documents, \d+ tokens; zebra: 3 hits$/);
      expect(Number(/(\d+) tokens/.exec(second!)![1])).toBeGreaterThan(Number(/(\d+) tokens/.exec(first!)![1]));
      expect(stderr).toContain('Re-indexed 1 changed file; 3 reused.');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
