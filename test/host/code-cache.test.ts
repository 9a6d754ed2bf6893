/**
 * The compiled programs start through V8's code cache (app/host/code-cache.ts): a bundle runs with its
 * exports, `require` and the stub's `import.meta`; the first run saves a cache that later runs start
 * from without saving again; a damaged cache (whose bytes V8 does not check) or a folder that cannot be
 * written costs only the cache.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, ROOT, tempDir } from '../support/corpus.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) {
    chmodSync(d, 0o700);
    removeDir(d);
  }
});

/** A small CommonJS program as esbuild writes one: a shebang, then "use strict", then its code. */
const BUNDLE = [
  '#!/usr/bin/env node',
  '"use strict";',
  "const { join } = require('node:path');",
  'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }',
  'exports.answer = () => fib(20) + join("a", "b").length;',
  'exports.url = __loupeImportMeta.url;',
  'exports.strict = (function () { return this === undefined; })();',
  '',
].join('\n');

function bundleIn(label: string): { dir: string; file: string } {
  const dir = tempDir(label);
  dirs.push(dir);
  const file = join(dir, 'program.cjs');
  writeFileSync(file, BUNDLE);
  return { dir, file };
}

function run(file: string, id: string): Promise<{ answer: number; url: string; strict: boolean }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('test', 'host', 'fixtures', 'load-bundle.mjs'), file, id],
      { cwd: ROOT },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

const cacheFiles = (dir: string): string[] => (existsSync(join(dir, 'code-cache')) ? readdirSync(join(dir, 'code-cache')) : []);

describe('starting a compiled program through the code cache', () => {
  it('runs the bundle in strict mode with its require and the stub import.meta, and saves a cache the next run starts from', async () => {
    const { dir, file } = bundleIn('code-cache');
    const first = await run(file, 'abc123');
    expect(first.answer).toBe(6765 + 3);
    expect(first.strict).toBe(true);
    expect(first.url).toMatch(/fixtures\/load-bundle\.mjs$/);
    const [cache] = cacheFiles(dir);
    expect(cache).toMatch(new RegExp(`^program-abc123-${process.arch}-.+\\.bin$`));
    const saved = statSync(join(dir, 'code-cache', cache!));
    expect(saved.size).toBeGreaterThan(0);
    // Accepted by V8 and no larger for this run: left as it is.
    expect((await run(file, 'abc123')).answer).toBe(6768);
    const again = statSync(join(dir, 'code-cache', cache!));
    expect(again.mtimeMs).toBe(saved.mtimeMs);
    expect(cacheFiles(dir)).toEqual([cache]);
    // Another build of the bundle has another id, and so a cache of its own.
    await run(file, 'def456');
    expect(cacheFiles(dir).sort()).toEqual([cache, cache!.replace('abc123', 'def456')].sort());
  });

  it('runs with a damaged cache, which it refuses by its checksum, and saves a good one over it', async () => {
    const { dir, file } = bundleIn('code-cache-damaged');
    await run(file, 'abc123');
    const [cache] = cacheFiles(dir);
    const path = join(dir, 'code-cache', cache!);
    const good = readFileSync(path);
    const damaged = Buffer.from(good);
    // Past the header V8 checks (its origin): bytes it would take as they are.
    for (let i = 256; i < damaged.length; i += 97) damaged[i] = damaged[i]! ^ 0x5a;
    writeFileSync(path, damaged);
    expect((await run(file, 'abc123')).answer).toBe(6768);
    expect(readFileSync(path).equals(damaged)).toBe(false);
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });

  it('runs from a folder it cannot write, with no cache', async () => {
    const { dir, file } = bundleIn('code-cache-readonly');
    chmodSync(dir, 0o500);
    expect((await run(file, 'abc123')).answer).toBe(6768);
    // Root may write anyway; anyone else cannot.
    if (process.getuid?.() !== 0) expect(cacheFiles(dir)).toEqual([]);
  });
});
