/**
 * No module of the app, the shell or the page imports itself through others (type-only imports
 * included): a cycle hides which layer depends on which, and ESLint's layer rules cannot see one
 * inside a folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...sourcesUnder(p));
    } else if (/\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports, static and dynamic, resolved to the files they name. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(f), m[1]!);
      const found = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`].find((c) => known.has(c));
      if (found) deps.push(found);
    }
    graph.set(f, deps);
  }
  return graph;
}

function cyclesOf(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(ROOT, x)).join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('imports', () => {
  const files = ['app', 'main', 'renderer/src'].flatMap((d) => sourcesUnder(join(ROOT, d)));

  it('reads the imports it checks', () => {
    const graph = importGraph(files);
    // The engine opens corpora through the pipeline: without that edge the reader above is broken.
    expect(graph.get(join(ROOT, 'app/engine.ts'))).toContain(join(ROOT, 'app/indexing/open.ts'));
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
    ).toHaveLength(1);
  });

  it('form no cycle', () => {
    expect(cyclesOf(importGraph(files))).toEqual([]);
  });
});
