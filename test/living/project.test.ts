/**
 * Project files: saved from the CLI, run from the CLI and in-process, every result equals the same
 * request run directly; paths resolve against the project file (so a project moves with its texts);
 * a malformed file is a clear usage error (exit code 2).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../app/contract/errors.js';
import { Engine } from '../../app/engine.js';
import { loadProject, runProject, type Project } from '../../app/project/project.js';
import { runCli } from '../support/cli.js';
import { brownFiles, removeDir, tempDir, writeAll } from './support.js';

let root: string;
let texts: string;
let other: string;
let cache: string;

beforeAll(() => {
  root = tempDir('project');
  texts = join(root, 'texts');
  other = join(root, 'other');
  cache = join(root, 'cache');
  for (const d of [texts, other, join(root, 'projects')]) mkdirSync(d);
  writeAll(texts, brownFiles(6));
  writeAll(other, brownFiles(4, 10));
});
afterAll(() => removeDir(root));

/** Each saved query run straight on an engine over `paths`. */
async function direct(paths: string[], queries: Array<{ view: string; request: unknown }>): Promise<unknown[]> {
  const engine = new Engine({ indexDir: cache });
  const opened = await engine.openCorpus({ paths });
  expect(opened.ok).toBe(true);
  const out: unknown[] = [];
  for (const q of queries) {
    const r = await (engine[q.view as 'count'] as (x: unknown) => Promise<Result<unknown>>).call(engine, q.request);
    if (!r.ok) throw new Error(`${q.view}: ${r.error.message}`);
    out.push(r.value);
  }
  return out;
}

describe('project files from the CLI', () => {
  it('project save writes paths relative to the project; project run gives the direct results', async () => {
    const file = join(root, 'projects', 'study.loupe.json');
    const saved = await runCli([
      'project',
      'save',
      file,
      '--corpus',
      texts,
      '--query',
      'the government',
      '--query',
      '[lemma="be"] said',
      '--index',
      cache,
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/Saved 2 queries/);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.version).toBe(2);
    expect(json.corpus.paths).toEqual(['../texts']);
    expect(json.queries.map((q: { request: { query: string } }) => q.request.query)).toEqual(['the government', '[lemma="be"] said']);

    const ran = await runCli(['project', 'run', file, '--format', 'json', '--index', cache, '--quiet']);
    expect(ran.code, ran.stderr).toBe(0);
    const out = JSON.parse(ran.stdout);
    expect(out.corpus.documents).toBe(6);
    const want = await direct([texts], json.queries);
    expect(out.results.map((r: { value: unknown }) => r.value)).toEqual(want);
    expect((want[0] as { hits: number }).hits).toBeGreaterThan(0);

    const txt = await runCli(['project', 'run', file, '--index', cache, '--quiet']);
    expect(txt.code).toBe(0);
    expect(txt.stdout).toContain(`== the government (kwic) ==\n${(want[0] as { hits: number }).hits} hits in`);
  });

  const malformed: Record<string, [string, RegExp]> = {
    'not JSON': ['{"version": 1,', /not JSON/],
    'an unknown view': ['{"version":1,"corpus":{},"queries":[{"view":"kwik","request":{"query":"x"}}]}', /queries\.0\.view/],
    'a bad request': [
      '{"version":1,"corpus":{},"queries":[{"view":"kwic","request":{"query":"x","context":5000}}]}',
      /queries\.0 \(kwic\).*context/,
    ],
    'another version': ['{"version":7,"corpus":{},"queries":[]}', /version/],
    'an unknown field': ['{"version":1,"corpus":{},"queries":[],"colour":"red"}', /colour/],
  };
  for (const [what, [content, message]] of Object.entries(malformed)) {
    it(`a project file with ${what}: exit code 2 and a message naming the file and the fault`, async () => {
      const file = join(root, 'projects', `bad-${what.replace(/\W+/g, '-')}.loupe.json`);
      writeFileSync(file, content);
      const r = await runCli(['project', 'run', file, '--index', cache]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`E_PROJECT: Project file ${file}`);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it('a saved query that fails when run: the others are printed, exit code 2', async () => {
    const file = join(root, 'projects', 'half.loupe.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        corpus: { paths: ['../texts'] },
        queries: [
          { view: 'count', request: { query: 'jury' } },
          { view: 'count', request: { query: '[pos="NOUN"' } },
        ],
      }),
    );
    const r = await runCli(['project', 'run', file, '--format', 'json', '--index', cache, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/1 of 2 saved queries failed/);
    const out = JSON.parse(r.stdout);
    expect(out.results[0].value.hits).toBeGreaterThan(0);
    expect(out.results[1].error.code).toBe('E_QUERY');
  });
});

describe('project files in-process', () => {
  const QUERIES = [
    { name: 'sorted', view: 'kwic', request: { query: 'the', sort: ['R1', 'R2'], limit: 20, context: 4 } },
    { view: 'count', request: { query: 'jury', caseSensitive: false } },
    { view: 'freq', request: { limit: 30, by: 'lemma' } },
    { view: 'colloc', request: { query: 'the', span: [3, 3], limit: 15 } },
    { view: 'dispersion', request: { query: 'said' } },
    { view: 'compare', request: { queries: ['he', 'she'] } },
    { view: 'ngrams', request: { n: 2, limit: 10 } },
    { view: 'keywords', request: { limit: 10 } },
    { view: 'keywords', request: { limit: 10, reference: 'brown' } },
  ];

  it('every view runs and equals the direct run; relative corpus and reference paths resolve against the project file', async () => {
    const file = join(root, 'projects', 'views.loupe.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        corpus: { paths: ['../texts'] },
        reference: ['../other'],
        queries: QUERIES,
        views: ['concordance', 'keywords'],
      }),
    );
    const project: Project = await loadProject(file);
    expect(project.corpus).toEqual([texts]);
    expect(project.reference).toEqual([other]);
    expect(project.views).toEqual(['concordance', 'keywords']);
    const run = await runProject(new Engine({ indexDir: cache }), project);
    expect(run.outcomes.every((o) => o.result.ok)).toBe(true);
    // The project-wide reference went to the keyword query that named none; the other kept Brown.
    expect(run.outcomes[7]!.request.reference).toEqual([other]);
    const want = await direct(
      [texts],
      QUERIES.map((q, i) => (i === 7 ? { ...q, request: { ...q.request, reference: [other] } } : q)),
    );
    expect(run.outcomes.map((o) => (o.result.ok ? o.result.value : o.result.error))).toEqual(want);
    const kw = want[7] as { reference: string };
    const brown = want[8] as { reference: string };
    expect(kw.reference).not.toBe(brown.reference);
  });

  it('a project moved with its texts still opens them', async () => {
    const file = join(root, 'projects', 'views.loupe.json');
    const moved = join(root, 'moved');
    mkdirSync(join(moved, 'projects'), { recursive: true });
    cpSync(join(root, 'texts'), join(moved, 'texts'), { recursive: true });
    cpSync(file, join(moved, 'projects', 'views.loupe.json'));
    const project = await loadProject(join(moved, 'projects', 'views.loupe.json'));
    expect(project.corpus).toEqual([join(moved, 'texts')]);
    const run = await runProject(new Engine({ indexDir: cache }), { ...project, queries: project.queries.slice(0, 2), reference: 'brown' });
    expect(run.corpus.documents.map((d) => d.name)).toEqual(Object.keys(brownFiles(6)).sort());
    const want = await direct([texts], QUERIES.slice(0, 2));
    expect(run.outcomes.map((o) => (o.result.ok ? o.result.value : undefined))).toEqual(want);
  });
});
