/**
 * Builds main/ for Electron into main/dist (used by `npm start` and before electron-builder):
 *   main.cjs     the main process, bundled (CommonJS; `electron` stays external)
 *   preload.cjs  the sandboxed preload, bundled for the browser platform (it may require only `electron`)
 *   engine/      app/ and the engine-process entry compiled file by file to ES modules, keeping the
 *                source layout: the engine finds its tokeniser worker and reference/ lists by
 *                paths relative to its own files, which a single bundle would break.
 * esbuild comes with vite, so nothing extra is installed.
 */
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'main', 'dist');

function tsFilesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFilesUnder(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** outDir must stay inside the project (the compiled engine resolves its packages from node_modules). */
export async function buildMain({ quiet = true, outDir = DIST } = {}) {
  const esbuild = await import('esbuild');
  const logLevel = quiet ? 'warning' : 'info';
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const common = { bundle: true, format: 'cjs', external: ['electron'], target: 'node20', logLevel, sourcemap: 'inline' };
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'main', 'main.ts')],
    outfile: join(outDir, 'main.cjs'),
    platform: 'node',
  });
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'main', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    platform: 'browser',
  });
  const engineDir = join(outDir, 'engine');
  await esbuild.build({
    entryPoints: [...tsFilesUnder(join(ROOT, 'app')), join(ROOT, 'main', 'engine-process.ts')],
    outdir: engineDir,
    outbase: ROOT,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel,
  });
  // Relative to the compiled app/, `../../corpus` and `../../reference` must hold what they hold in
  // the source tree (the bundled corpus; the keyness reference lists and stoplist).
  cpSync(join(ROOT, 'corpus'), join(engineDir, 'corpus'), { recursive: true });
  cpSync(join(ROOT, 'reference'), join(engineDir, 'reference'), { recursive: true });
  return {
    dist: outDir,
    main: join(outDir, 'main.cjs'),
    preload: join(outDir, 'preload.cjs'),
    engineEntry: join(engineDir, 'main', 'engine-process.js'),
    root: ROOT,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildMain({ quiet: false });
  process.stdout.write(`Built ${relative(out.root, out.dist)}\n`);
}
