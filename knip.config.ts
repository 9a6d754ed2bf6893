// Knip: files nothing reaches, exports nothing imports, dependencies nothing uses or that are used
// without being listed. The entries are every file something starts as a program, a thread or a
// child process, since knip follows imports but not a path handed to node, a Worker or esbuild.
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  // Besides these, what package.json's scripts run (npm run loupe, web, bench, start, test).
  entry: [
    // The desktop shell: main/build.mjs bundles these three for Electron.
    'main/main.ts',
    'main/preload.ts',
    'main/engine-process.ts',
    // The `loupe` command and the web host: scripts/build-cli.mjs compiles them into dist/cli, and
    // package.json's scripts run them from there through scripts/run-cli.mjs.
    'app/cli/main.ts',
    'app/cli/web.ts',
    // Compiled beside them as the loader they start through (dist/cli/code-cache.js).
    'app/host/code-cache.ts',
    // Global declarations: the compiler includes them, nothing imports them.
    'main/electron-globals.d.ts',
    // Threads and the engine's child process, started from `new URL(..., import.meta.url)`: the
    // .mjs boot file under tsx, the compiled .js otherwise (main/build.mjs, scripts/build-cli.mjs).
    'app/**/*worker.ts',
    'app/**/*worker-boot.mjs',
    'app/host/engine-child.ts',
    'app/host/engine-child-boot.mjs',
    'bench/floor-worker.mjs',
    // Programs run by hand or by bench/run.ts as processes of their own.
    'bench/cold-open.ts',
    'bench/spawn-launcher.mjs',
    'bench/colloc.ts',
    'bench/profile-indexing.ts',
    'bench/profile-summary.ts',
    'bench/segment-speed.ts',
    'bench/stats.ts',
    'bench/tokeniser-floor.ts',
    'scripts/derive-brown-reference.ts',
    'scripts/letter-contractions.ts',
    'scripts/screenshots.ts',
    // Run by the tests as child processes (node --import tsx FILE, --require FILE).
    'test/**/fixtures/**',
    'test/security/offline.cjs',
  ],
  // A type named in an exported signature may be exported for callers to name it too.
  ignoreExportsUsedInFile: { interface: true, type: true },
  project: ['app/**', 'main/**', 'renderer/src/**', 'bench/**', 'scripts/**', 'test/**'],
  vite: { config: ['renderer/vite.config.ts'] },
  playwright: { config: ['test/e2e/playwright.config.ts'] },
  ignoreDependencies: [
    // Loaded by path or through createRequire, which knip does not follow: eld's medium database
    // (app/text/language.ts), the Snowball stemmers (app/text/lemma-list.ts) and the
    // electronegativity command (test/security/electronegativity.test.ts).
    'eld',
    'snowball-stemmers',
    '@doyensec/electronegativity',
    // Commands, not imports: scripts/test.mjs runs svelte-check through npx, and packaging runs
    // electron-builder on electron-builder.yml.
    'svelte-check',
    'electron-builder',
    // Taken from the tools that bring them, so they are the versions those tools use: esbuild from
    // vite and tsx (main/build.mjs, scripts/build-cli.mjs), and electron-builder's own schema with
    // the YAML and JSON Schema readers that come with it (test/main/electron-builder.test.ts).
    'esbuild',
    'js-yaml',
    'ajv',
    'app-builder-lib',
  ],
};

export default config;
