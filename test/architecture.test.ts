/**
 * The dependency arrows of docs/architecture.md ("What may import what"), checked: app/ never imports electron, main/ or renderer/ and uses
 * no DOM; renderer/ imports from app/ only the contract (types); nothing imports the renderer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => p.endsWith(e))) out.push(p);
    }
  };
  walk(join(root, dir));
  return out;
}

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of src.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return specs;
}

function resolvedFolder(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(root, resolve(dirname(file), spec)).split(/[\\/]/)[0];
}

describe('dependency arrows', () => {
  it('app/ imports no electron, no main/, no renderer/', () => {
    const bad: string[] = [];
    for (const f of filesUnder('app', ['.ts', '.mjs'])) {
      for (const spec of importsOf(f)) {
        const folder = resolvedFolder(f, spec);
        if (spec === 'electron' || spec.startsWith('electron/') || folder === 'main' || folder === 'renderer')
          bad.push(`${relative(root, f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  // tsconfig.json has no "DOM" lib, so any DOM API in app/ already fails the type check; this catches the
  // globals that would still slip through a cast. (`document` is not listed: engine code names its own
  // document variables so.)
  it('app/ uses no DOM globals', () => {
    const bad: string[] = [];
    const dom = /\b(?:window|localStorage|sessionStorage|navigator)\s*\./;
    for (const f of filesUnder('app', ['.ts'])) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (dom.test(code)) bad.push(relative(root, f));
    }
    expect(bad).toEqual([]);
  });

  it('renderer/ takes only the contract from app/, and nothing imports the renderer', () => {
    const bad: string[] = [];
    for (const f of filesUnder('renderer/src', ['.ts', '.svelte'])) {
      for (const spec of importsOf(f)) {
        const target = spec.startsWith('.') ? relative(root, resolve(dirname(f), spec)) : spec;
        if (target.startsWith('app/') && !target.startsWith('app/contract/')) bad.push(`${relative(root, f)} -> ${spec}`);
        if (spec === 'electron' || spec.startsWith('node:')) bad.push(`${relative(root, f)} -> ${spec}`);
      }
    }
    for (const dir of ['app', 'main']) {
      for (const f of filesUnder(dir, ['.ts'])) {
        for (const spec of importsOf(f)) if (resolvedFolder(f, spec) === 'renderer' && !spec.includes('dist')) bad.push(`${relative(root, f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the checker sees real imports (it would catch a violation)', () => {
    const sample = join(root, 'app', 'engine.ts');
    expect(importsOf(sample)).toContain('./query/run.js');
    expect(resolvedFolder(join(root, 'app', 'x.ts'), '../main/ipc.js')).toBe('main');
  });
});
