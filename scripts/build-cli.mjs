/**
 * Compiles the command line, the web host and the engine's threads and child process into dist/cli/,
 * so that they start as plain JavaScript instead of compiling TypeScript through tsx in every new
 * process. `npm run loupe` and `npm run web` go through scripts/run-cli.mjs, which calls
 * ensureCliBuilt(): it builds only when something the last build read has changed since.
 *
 *   loupe.js          app/cli/main.ts (the `loupe` command)
 *   web.js            app/cli/web.ts (the web host)
 *   engine-child.js   app/host/engine-child.ts (the web host's engine process)
 *   *worker.js        every app/**\/*worker.ts (tokeniser, reader, PDF and column-joining threads)
 *   cold-open.js      bench/cold-open.ts, the benchmark's cold open (bench/run.ts spawns it)
 *   engine.js         app/engine.ts alone, which cold-open.js imports to time loading the engine apart
 *
 * The programs that load the engine (loupe, web, engine-child, engine) start through V8's code cache
 * (app/host/code-cache.ts, compiled to code-cache.js): each is bundled as CommonJS into NAME.cjs, and
 * NAME.js is a small ES module that runs it through the cache, so a new process does not compile
 * again what an earlier one compiled. Inside such a bundle `import.meta` is NAME.js's, so its paths
 * and its check that it is the program started hold as in the ES module bundles.
 *
 * Each entry is one bundle, with no shared chunks: a new process or thread then loads one file. They all
 * sit side by side in one folder because the engine starts its threads and child process from
 * `new URL('./worker.js', import.meta.url)` and the like, which in a bundle is the bundle's own URL.
 * That folder is two levels below the project root, as the sources in app/ are, so the paths the
 * engine takes relative to its files (`../../reference`, `../../corpus`, `../../renderer/dist`) hold.
 *
 * Packages stay external where a bundled copy would differ from what Node loads: wink-nlp, whose
 * internals app/text/wink.ts also requires by path and must be the same module instances, and its
 * model (data, read as Node reads it); those loaded lazily (mammoth, pdfjs-dist, vite), which need
 * not be parsed at start-up; and those required by path or through createRequire (eld,
 * snowball-stemmers), which esbuild cannot see anyway. They resolve from the project's node_modules,
 * as they do from the sources.
 *
 * esbuild comes with vite and with tsx (as for main/build.mjs), so nothing extra is installed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_DIST = join(ROOT, 'dist', 'cli');
/** What the last build read (each input's modification time and size) and wrote. */
const STAMP = 'build.json';

const EXTERNAL = ['wink-nlp', 'wink-eng-lite-web-model', 'mammoth', 'pdfjs-dist', 'vite', 'eld', 'snowball-stemmers'];

function workerEntries(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...workerEntries(path));
    else if (entry.name.endsWith('worker.ts')) out.push(path);
  }
  return out;
}

/**
 * The entries started through the code cache, with what each one's NAME.js exports: cold-open.js
 * imports the engine's Engine; the others are programs, run for what they do.
 */
const CACHED = { loupe: [], web: [], 'engine-child': [], engine: ['Engine'] };

/** Output name (without .js) -> source file. */
function entryPoints() {
  const entries = {
    loupe: join(ROOT, 'app', 'cli', 'main.ts'),
    web: join(ROOT, 'app', 'cli', 'web.ts'),
    'engine-child': join(ROOT, 'app', 'host', 'engine-child.ts'),
    engine: join(ROOT, 'app', 'engine.ts'),
    'cold-open': join(ROOT, 'bench', 'cold-open.ts'),
    'code-cache': join(ROOT, 'app', 'host', 'code-cache.ts'),
  };
  for (const file of workerEntries(join(ROOT, 'app'))) {
    const name = basename(file, '.ts');
    // The sources name each compiled thread by its file name alone ('./worker.js'), so two workers
    // with one name in different folders would land on one file here.
    if (entries[name]) throw new Error(`build-cli: two entry points would both be dist/cli/${name}.js`);
    entries[name] = file;
  }
  return entries;
}

/**
 * bench/cold-open.ts imports the engine with `import('../app/engine.js')` to time loading it apart:
 * compiled, that is the engine bundle beside it, loaded at the same moment.
 */
const engineApart = {
  name: 'engine-apart',
  setup(build) {
    build.onResolve({ filter: /\/app\/engine\.js$/ }, (args) =>
      args.importer.endsWith(join('bench', 'cold-open.ts')) ? { path: './engine.js', external: true } : undefined,
    );
  },
};

/** Writes a file under a temporary name, then renames it over the old one: a build or a run going on at the same time never sees half a file. */
function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** Each input's modification time and size, as the stamp records them. */
function fingerprint(path) {
  const s = statSync(path);
  return [s.mtimeMs, s.size];
}

const paths = (outDir) => ({
  dist: outDir,
  loupe: join(outDir, 'loupe.js'),
  web: join(outDir, 'web.js'),
  coldOpen: join(outDir, 'cold-open.js'),
});

/** The stub NAME.js of a cached entry: runs NAME.cjs through the code cache and passes on its exports. */
function stubOf(name, id, exports) {
  return [
    `// Runs ${name}.cjs through V8's code cache (app/host/code-cache.ts); written by scripts/build-cli.mjs.`,
    "import { loadBundle } from './code-cache.js';",
    `const bundle = loadBundle(new URL('./${name}.cjs', import.meta.url), '${id}', import.meta);`,
    ...exports.map((e) => `export const ${e} = bundle.${e};`),
    '',
  ].join('\n');
}

/** Builds every entry into outDir (which must be two levels below the project root, see above). */
export async function buildCli({ quiet = true, outDir = CLI_DIST } = {}) {
  const esbuild = await import('esbuild');
  const startedAt = Date.now();
  mkdirSync(outDir, { recursive: true });
  const all = entryPoints();
  const common = {
    absWorkingDir: ROOT,
    outdir: outDir,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // Not minified: it would not start measurably sooner. The maps serve `node --enable-source-maps`.
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: quiet ? 'warning' : 'info',
  };
  const [modules, scripts] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: Object.fromEntries(Object.entries(all).filter(([name]) => !Object.hasOwn(CACHED, name))),
      format: 'esm',
      plugins: [engineApart],
      // Bundled CommonJS packages require Node's own modules, and an ES module has no `require`.
      banner: {
        js: "import { createRequire as __loupeCreateRequire } from 'node:module';\nconst require = __loupeCreateRequire(import.meta.url);",
      },
    }),
    esbuild.build({
      ...common,
      entryPoints: Object.fromEntries(Object.keys(CACHED).map((name) => [name, all[name]])),
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      // The stub hands the bundle its own import.meta (see code-cache.ts).
      define: { 'import.meta': '__loupeImportMeta' },
    }),
  ]);
  const outputs = [...modules.outputFiles, ...scripts.outputFiles].map((f) => ({ path: f.path, contents: f.contents }));
  for (const [name, exports] of Object.entries(CACHED)) {
    const bundle = outputs.find((f) => f.path === join(outDir, `${name}.cjs`));
    const id = createHash('sha256').update(bundle.contents).digest('hex').slice(0, 16);
    outputs.push({ path: join(outDir, `${name}.js`), contents: stubOf(name, id, exports) });
  }
  for (const file of outputs) writeAtomic(file.path, file.contents);
  const inputs = {};
  const read = new Set([...Object.keys(modules.metafile.inputs), ...Object.keys(scripts.metafile.inputs)]);
  for (const input of [...[...read].map((p) => join(ROOT, p)), fileURLToPath(import.meta.url), join(ROOT, 'package.json')]) {
    const [mtime, size] = fingerprint(input);
    // Changed while esbuild was reading it: recorded as never seen, so the next run builds again.
    inputs[relative(ROOT, input)] = mtime >= startedAt ? [-1, size] : [mtime, size];
  }
  const stamp = { inputs, outputs: outputs.map((f) => relative(outDir, f.path)) };
  writeAtomic(join(outDir, STAMP), JSON.stringify(stamp));
  return paths(outDir);
}

/** Why outDir needs building (missing, an output gone, an input changed), or undefined when it is up to date. */
export function staleReason(outDir = CLI_DIST) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
  } catch {
    return 'not built yet';
  }
  for (const out of stamp.outputs) if (!existsSync(join(outDir, out))) return `${out} is missing`;
  for (const [input, [mtime, size]] of Object.entries(stamp.inputs)) {
    let now;
    try {
      now = fingerprint(join(ROOT, input));
    } catch {
      return `${input} is gone`;
    }
    if (now[0] !== mtime || now[1] !== size) return `${input} changed`;
  }
  return undefined;
}

/** Builds dist/cli when it is missing or any of its inputs changed since; returns the entries' paths. */
export async function ensureCliBuilt({ quiet = true } = {}) {
  const reason = staleReason();
  if (reason === undefined) return paths(CLI_DIST);
  if (!quiet) process.stderr.write(`Compiling the command line into dist/cli (${reason}).\n`);
  return buildCli();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildCli({ quiet: false });
  process.stdout.write(`Built ${relative(ROOT, out.dist).split(sep).join('/')}\n`);
}
