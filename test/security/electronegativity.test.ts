/**
 * @doyensec/electronegativity over the Electron main process (main/) and the page it loads
 * (renderer/index.html). The tool exits 0 whatever it finds, so this test reads its SARIF output:
 * any finding not explained in electronegativity-allow.json fails, and so does an allow-list entry
 * that no longer matches anything (the list stays a list of real, reviewed findings).
 *
 * Offline and quick: offline.cjs makes the tool's network requests fail at once, the Electron
 * version comes from package.json (-e) instead of a lookup, and AvailableSecurityFixesGlobalCheck
 * (which needs Electron's release list from the network) is left out.
 * A canary file with a plainly insecure window is scanned alongside, so a scan that silently finds
 * nothing (a broken install, a changed output format) fails here instead of passing.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = dirname(fileURLToPath(import.meta.url));
const CANARY = '_canary/insecure-window.js';

interface AllowEntry {
  check: string;
  file: string;
  match: string;
  reason: string;
}
interface Finding {
  check: string;
  file: string;
  line: number;
  text: string;
  message: string;
}

const allow = (JSON.parse(readFileSync(join(HERE, 'electronegativity-allow.json'), 'utf8')) as { allow: AllowEntry[] }).allow;

function electronVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const range = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  if (!range) throw new Error('package.json names no electron version');
  return range.replace(/^[^\d]*/, '');
}

/** main/'s sources (not its build output) and the renderer's page, in one folder as the tool wants. */
function stage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-eneg-'));
  const src = join(dir, 'src');
  cpSync(join(ROOT, 'main'), join(src, 'main'), {
    recursive: true,
    filter: (p) => !relative(join(ROOT, 'main'), p).split(/[\\/]/).includes('dist'),
  });
  mkdirSync(join(src, 'renderer'));
  cpSync(join(ROOT, 'renderer', 'index.html'), join(src, 'renderer', 'index.html'));
  mkdirSync(join(src, '_canary'));
  writeFileSync(
    join(src, CANARY),
    "const { BrowserWindow } = require('electron');\n" +
      'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });\n',
  );
  return dir;
}

let work: string;
let findings: Finding[];
let stderr: string;

beforeAll(async () => {
  work = stage();
  const src = join(work, 'src');
  const out = join(work, 'out.sarif');
  const cli = join(dirname(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
  const run = await promisify(execFile)(
    process.execPath,
    [
      '--require',
      join(HERE, 'offline.cjs'),
      cli,
      '-i',
      src,
      '-o',
      out,
      '-r',
      '-e',
      electronVersion(),
      '-x',
      'AvailableSecurityFixesGlobalCheck',
    ],
    { cwd: work, timeout: 55_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LANG: 'en-US', FORCE_COLOR: '0' } },
  );
  stderr = run.stderr;
  const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: Array<{
      results: Array<{
        ruleId: string;
        message: { text: string };
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
      }>;
    }>;
  };
  findings = sarif.runs.flatMap((r) =>
    r.results.map((res) => {
      const loc = res.locations[0]?.physicalLocation;
      const file = (loc?.artifactLocation.uri ?? 'N/A').split('\\').join('/');
      const line = loc?.region.startLine ?? 0;
      let text = '';
      if (file !== 'N/A' && line > 0) text = (readFileSync(join(src, file), 'utf8').split('\n')[line - 1] ?? '').trim();
      return { check: res.ruleId, file, line, text, message: res.message.text };
    }),
  );
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const allowedBy = (f: Finding) => allow.find((a) => a.check === f.check && a.file === f.file && f.text.includes(a.match));
const show = (f: Finding) => `${f.check} ${f.file}:${f.line} ${f.text} (${f.message})`;

describe('electronegativity', () => {
  it('scans: the canary window is reported insecure on every count', () => {
    expect(stderr).not.toMatch(/misspelt|Error:/);
    const canary = new Set(findings.filter((f) => f.file === CANARY).map((f) => f.check));
    expect(canary).toEqual(
      new Set([
        'NODE_INTEGRATION_JS_CHECK',
        'CONTEXT_ISOLATION_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'AUXCLICK_JS_CHECK',
      ]),
    );
  });

  it('finds a CSP in renderer/index.html (no "no CSP" finding)', () => {
    expect(findings.filter((f) => f.check === 'CSP_GLOBAL_CHECK' && f.file === 'N/A').map(show)).toEqual([]);
  });

  it('reports nothing in main/ or renderer/index.html beyond the reviewed allow-list', () => {
    const unexplained = findings.filter((f) => f.file !== CANARY && !allowedBy(f));
    expect(unexplained.map(show)).toEqual([]);
  });

  it('every allow-list entry still matches a finding, and says why it is safe', () => {
    const real = findings.filter((f) => f.file !== CANARY);
    const stale = allow.filter((a) => !real.some((f) => allowedBy(f) === a));
    expect(stale.map((a) => `${a.check} ${a.file} "${a.match}"`)).toEqual([]);
    for (const a of allow) {
      expect(a.reason.length, `${a.check}: reason`).toBeGreaterThan(40);
      expect(readdirSync(join(ROOT, dirname(a.file))), `${a.file} exists`).toContain(a.file.split('/').pop());
    }
  });
});
