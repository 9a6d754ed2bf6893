#!/usr/bin/env node
// `npm test`: lint and format check, type checks, unit tests (vitest) and end-to-end tests (Playwright + Debian Chromium),
// then one closing line "N passed, N failed" over all of them, so CI can read the outcome.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const results = 'test-results';
mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;

function step(name, cmd, args, env = {}) {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    ok = false;
    process.stdout.write(`== ${name} failed (exit ${r.status ?? r.signal})\n`);
  }
  return r.status === 0;
}

const only = process.argv[2];
const want = (s) => !only || only === s;

if (want('lint') && existsSync('eslint.config.js')) {
  // The layers of docs/architecture.md as lint rules (eslint.config.js); a warning fails too. Then
  // knip (knip.config.ts): no file, export or dependency that nothing uses. Then Prettier. Lint passes
  // when all three do.
  const eslint = step('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
  const knip = step('knip', 'npx', ['knip', '--no-progress']);
  // The format check (.prettierrc.json, .prettierignore); `npx prettier --write .` fixes what it finds.
  const format = step('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
  if (eslint && knip && format) passed++;
  else failed++;
}

if (want('types')) {
  for (const project of ['tsconfig.json', 'main/tsconfig.json', 'bench/tsconfig.json', 'test/e2e/tsconfig.json']) {
    if (!existsSync(project)) continue;
    if (step(`types ${project}`, 'npx', ['tsc', '-p', project, '--noEmit'])) passed++;
    else failed++;
  }
  if (existsSync('renderer/tsconfig.json')) {
    if (
      step('types renderer', 'npx', ['svelte-check', '--tsconfig', 'renderer/tsconfig.json', '--threshold', 'error', '--output', 'human'])
    )
      passed++;
    else failed++;
  }
}

if (want('unit')) {
  step('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${results}/vitest.json`]);
  try {
    const j = JSON.parse(readFileSync(`${results}/vitest.json`, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    skipped += j.numPendingTests + (j.numTodoTests ?? 0);
    if (j.numFailedTestSuites > 0 && j.numFailedTests === 0) failed += j.numFailedTestSuites;
  } catch {
    failed++;
  }
}

if (want('e2e') && existsSync('test/e2e/playwright.config.ts')) {
  if (step('build renderer', 'npx', ['vite', 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'])) {
    step('e2e', 'npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'], {
      // Playwright resolves a relative name against the config's folder.
      PLAYWRIGHT_JSON_OUTPUT_NAME: resolve(results, 'e2e.json'),
    });
    try {
      const j = JSON.parse(readFileSync(`${results}/e2e.json`, 'utf8'));
      passed += j.stats.expected;
      failed += j.stats.unexpected + j.stats.flaky;
      skipped += j.stats.skipped;
    } catch {
      failed++;
    }
  } else failed++;
}

if (failed > 0) ok = false;
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(ok ? 0 : 1);
