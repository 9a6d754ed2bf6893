/**
 * Starts a compiled program of dist/cli (scripts/build-cli.mjs) through V8's code cache: the bytecode
 * of the functions an earlier run of the same bundle compiled, saved beside it in `code-cache/`. A
 * new process then neither parses the bundle whole nor compiles each function on its first call,
 * and a first query calls hundreds of them. The cache is V8's own format: V8 refuses one made by
 * another V8 or under other flags, and the bundle's hash is in its name, so a rebuilt bundle starts
 * a cache of its own. V8 checks a cache's origin but not its bytes, so each file starts with the
 * CRC-32 of the rest: a damaged one is no cache. A cache that cannot be read or written is no cache
 * either: the bundle runs as it is.
 *
 * The bundle is CommonJS (a function of exports, require, module), since V8 caches scripts and
 * Node 20 has no cache for ES modules.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/** By then a process has usually opened a corpus and answered a query: what a cache should hold. */
const SAVE_AFTER_MS = 5_000;
/** A process that compiled this much more than the cache it started from saves a new one. */
const GROWTH = 1.05;

/**
 * Runs the CommonJS bundle at `url` (built with content hash `id`) and returns its exports. Its
 * `import.meta` is `meta`, the stub's: the bundle's paths are taken relative to the stub, which is
 * also the program Node was started with.
 */
export function loadBundle(url: URL, id: string, meta: ImportMeta): Record<string, unknown> {
  const file = fileURLToPath(url);
  const cacheFile = join(dirname(file), 'code-cache', `${basename(file, '.cjs')}-${id}-${process.arch}-${process.versions.v8}.bin`);
  let cachedData: Buffer | undefined;
  try {
    const saved = readFileSync(cacheFile);
    if (saved.length > 4 && saved.readUInt32LE(0) === crc32(saved.subarray(4))) cachedData = saved.subarray(4);
  } catch {
    // No cache yet: this run makes one.
  }
  // A program's first line may be `#!/usr/bin/env node`, which is no JavaScript inside a function.
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __loupeImportMeta) {${source}\n})`, {
    filename: file,
    cachedData,
    // The bundle's import() of packages left outside it (loaded when first needed) goes to Node's loader.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  let held = cachedData && !script.cachedDataRejected ? cachedData.length : 0;
  const save = (): void => {
    try {
      const data = script.createCachedData();
      if (data.length <= held * GROWTH) return;
      mkdirSync(dirname(cacheFile), { recursive: true });
      // Renamed into place: a process starting meanwhile reads the old cache or the new one, never half.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      const crc = Buffer.alloc(4);
      crc.writeUInt32LE(crc32(data));
      writeFileSync(tmp, Buffer.concat([crc, data]));
      renameSync(tmp, cacheFile);
      held = data.length;
    } catch {
      // A folder that cannot be written (an installed copy): the next process compiles as this one did.
    }
  };
  setTimeout(save, SAVE_AFTER_MS).unref();
  process.once('exit', save);
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file), meta);
  return module.exports;
}
