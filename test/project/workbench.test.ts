/**
 * The reader's analysis as a project file: lines coded in categories and noted, saved atomically,
 * found again on reopening, kept through a re-index (unchanged documents as they were; changed ones
 * found again or flagged, never dropped), and a damaged project file reported and left untouched.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../app/contract/errors.js';
import type { Category, ProjectState } from '../../app/contract/project.js';
import type { KwicLine } from '../../app/contract/types.js';
import { Engine } from '../../app/engine.js';
import { loadProject } from '../../app/project/project.js';
import { runCli } from '../support/cli.js';
import { brownFiles, removeDir, tempDir, writeAll } from '../living/support.js';

const CHAPTER = new URL('../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt', import.meta.url).pathname;
const CATEGORIES: Category[] = [
  { id: 'c1', name: 'ruling class', colour: '#d1495b' },
  { id: 'c2', name: 'apparatus', colour: '#2e86ab' },
];

let root: string;
let texts: string;

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

function engine(): Engine {
  return new Engine({ indexDir: join(root, 'cache'), dataDir: join(root, 'data'), inThreadBelow: Infinity });
}

async function lines(e: Engine, query: string, extra: Record<string, unknown> = {}): Promise<KwicLine[]> {
  return value(await e.kwic({ query, limit: 1000, ...extra })).lines;
}

/** A project with five lines of `bureaucracy` coded: three ruling class, two apparatus, one noted. */
async function codedProject(e: Engine): Promise<{ project: ProjectState; coded: KwicLine[] }> {
  value(await e.openCorpus({ paths: [texts] }));
  const project = value(await e.newProject({ name: 'Bureaucracy in Cliff' }));
  value(await e.updateProject({ categories: CATEGORIES }));
  const all = await lines(e, 'bureaucracy');
  const coded = [all[0]!, all[3]!, all[7]!, all[12]!, all[20]!];
  const at = (l: KwicLine) => ({ doc: l.doc, start: l.start, end: l.end });
  value(await e.codeLines({ lines: coded.slice(0, 3).map(at), add: ['c1'], query: 'bureaucracy' }));
  value(await e.codeLines({ lines: coded.slice(3).map(at), add: ['c2'], query: 'bureaucracy' }));
  value(await e.codeLines({ lines: [at(coded[0]!)], note: 'the bureaucracy as a class' }));
  return { project, coded };
}

beforeEach(() => {
  root = tempDir('workbench');
  texts = join(root, 'texts');
  mkdirSync(texts);
  copyFileSync(CHAPTER, join(texts, 'chapter.txt'));
  writeAll(texts, brownFiles(2));
});
afterEach(() => removeDir(root));

describe('a project holds coded lines', () => {
  it('codes, notes and categories come back in a new process, on the same lines', async () => {
    const { project, coded } = await codedProject(engine());
    expect(existsSync(project.file)).toBe(true);
    expect(project.file.startsWith(join(root, 'data', 'projects'))).toBe(true);

    const again = engine();
    const reopened = value(await again.openProject({ file: project.file }));
    expect(reopened.name).toBe('Bureaucracy in Cliff');
    expect(reopened.categories).toEqual(CATEGORIES);
    expect(reopened.lines).toHaveLength(5);
    expect(reopened.lines.every((l) => l.state === 'ok')).toBe(true);

    const shown = await lines(again, 'bureaucracy');
    const byStart = new Map(shown.map((l) => [`${l.docName}:${l.start}`, l]));
    for (const [i, c] of coded.entries()) {
      const l = byStart.get(`${c.docName}:${c.start}`)!;
      expect(l.codes).toEqual([i < 3 ? 'c1' : 'c2']);
      expect(l.categories).toEqual([i < 3 ? 'ruling class' : 'apparatus']);
    }
    expect(byStart.get(`${coded[0]!.docName}:${coded[0]!.start}`)!.note).toBe('the bureaucracy as a class');
    expect(shown.filter((l) => l.codes).length).toBe(5);
  });

  it('filters and sorts the concordance by category', async () => {
    const e = engine();
    const { coded } = await codedProject(e);
    const total = (await lines(e, 'bureaucracy')).length;

    const apparatus = value(await e.kwic({ query: 'bureaucracy', codes: ['c2'], limit: 1000 }));
    expect(apparatus.hits).toBe(2);
    expect(apparatus.of).toBe(total);
    expect(apparatus.lines.map((l) => l.start).sort((a, b) => a - b)).toEqual([coded[3]!.start, coded[4]!.start]);

    const uncoded = value(await e.kwic({ query: 'bureaucracy', codes: [''], limit: 1000 }));
    expect(uncoded.hits).toBe(total - 5);

    const sorted = await lines(e, 'bureaucracy', { sort: ['code'] });
    expect(sorted.slice(0, 5).map((l) => l.codes?.[0])).toEqual(['c1', 'c1', 'c1', 'c2', 'c2']);
    expect(sorted.slice(5).every((l) => !l.codes)).toBe(true);
  });

  it('removing a category uncodes its lines; a line with neither code nor note is no longer kept', async () => {
    const e = engine();
    const { project, coded } = await codedProject(e);
    value(await e.updateProject({ categories: [CATEGORIES[0]!] }));
    const state = value(await e.projectState())!;
    // Three ruling-class lines remain; the apparatus lines had no note.
    expect(state.lines).toHaveLength(3);
    value(await e.codeLines({ lines: [{ doc: coded[1]!.doc, start: coded[1]!.start, end: coded[1]!.end }], remove: ['c1'] }));
    expect((await loadProject(project.file)).lines).toHaveLength(2);
  });
});

describe('saving', () => {
  it('writes atomically: every save leaves one complete, readable file and no temporary files', async () => {
    const e = engine();
    const { project } = await codedProject(e);
    // Many saves in flight at once: each lands whole, the last one wins.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => e.updateProject({ history: [{ view: 'concordance', query: `q${i}` }], historyAt: 0 })),
    );
    const saved = await loadProject(project.file);
    expect(saved.history).toEqual([{ view: 'concordance', query: 'q19' }]);
    expect(saved.lines).toHaveLength(5);
    expect(readdirSync(join(root, 'data', 'projects')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The project holds the reader's notes: readable by its owner only.
    if (process.platform !== 'win32') expect(statSync(project.file).mode & 0o077).toBe(0);
  });

  it('lists projects, most recently saved first', async () => {
    const e = engine();
    await codedProject(e);
    value(await e.newProject({ name: 'Workers councils' }));
    const list = value(await e.listProjects());
    expect(list.map((p) => p.name)).toEqual(['Workers councils', 'Bureaucracy in Cliff']);
    expect(list[1]!.codedLines).toBe(5);
  });

  it('never overwrites a file when creating a project', async () => {
    const e = engine();
    value(await e.openCorpus({ paths: [texts] }));
    const file = join(root, 'mine.loupe.json');
    writeFileSync(file, '{"version": 2}');
    const r = await e.newProject({ file });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('E_PROJECT');
    expect(readFileSync(file, 'utf8')).toBe('{"version": 2}');
  });
});

describe('a damaged project file', () => {
  for (const [what, text] of [
    ['cut short', '{"version": 2, "corpus": {}, "queries": ['],
    ['with a line of the wrong shape', JSON.stringify({ version: 2, corpus: {}, queries: [], lines: [{ codes: 'c1' }] })],
  ] as const) {
    it(`${what}: reported with E_PROJECT and left exactly as it was`, async () => {
      const e = engine();
      value(await e.openCorpus({ paths: [texts] }));
      const file = join(root, 'damaged.loupe.json');
      writeFileSync(file, text);
      const r = await e.openProject({ file });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('E_PROJECT');
        expect(r.error.message).toContain(file);
      }
      // Nothing is open, so nothing can be saved over it.
      const u = await e.updateProject({ historyAt: 0 });
      expect(u.ok).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe(text);
    });
  }
});

describe('codes survive a re-index', () => {
  it('unchanged documents keep their codes; a changed one has its hits found again or flagged', async () => {
    const { project, coded } = await codedProject(engine());
    const chapter = join(texts, 'chapter.txt');
    const text = readFileSync(chapter, 'utf8');
    // Insert a paragraph at the top (every hit moves), and remove the sentence of the last coded hit.
    const gone = coded[4]!;
    const sentenceStart = text.lastIndexOf('.', gone.start) + 1;
    const sentenceEnd = text.indexOf('.', gone.end) + 1;
    const changed = 'A new first paragraph.\n\n' + text.slice(0, sentenceStart) + text.slice(sentenceEnd);
    writeFileSync(chapter, changed);

    const again = engine();
    const reopened = value(await again.openProject({ file: project.file }));
    expect(reopened.lines).toHaveLength(5);
    const state = new Map(reopened.lines.map((l) => [l.anchor.start, l]));
    for (const c of coded.slice(0, 4)) {
      const l = state.get(c.start)!;
      expect(l.state).toBe('moved');
      expect(changed.slice(l.start, l.end)).toBe(c.node);
      expect(l.start).toBe(c.start + 'A new first paragraph.\n\n'.length);
    }
    const lost = state.get(gone.start)!;
    expect(lost.state).toBe('changed');
    expect(lost.codes).toEqual(['c2']);

    // The moved codes are on the concordance lines, flagged.
    const shown = (await lines(again, 'bureaucracy')).filter((l) => l.codes);
    expect(shown).toHaveLength(4);
    expect(shown.every((l) => l.codeState === 'moved')).toBe(true);
    // And the file still has all five, with their original anchors.
    expect((await loadProject(project.file)).lines).toHaveLength(5);
  });
});

describe('the command line', () => {
  it('lists a project and exports its coded lines with categories, notes and context', async () => {
    const { project, coded } = await codedProject(engine());
    process.env.LOUPE_DATA_DIR = join(root, 'data');
    try {
      const listed = await runCli(['project', 'list', '--format', 'json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout).map((p: { name: string }) => p.name)).toEqual(['Bureaucracy in Cliff']);

      const out = await runCli(['project', 'lines', project.file, '--format', 'tsv', '--index', join(root, 'cache'), '--quiet']);
      expect(out.code, out.stderr).toBe(0);
      const [head, ...rows] = out.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      expect(head).toEqual(['document', 'start', 'end', 'state', 'category', 'note', 'left', 'node', 'right', 'query', 'codedAt']);
      expect(rows).toHaveLength(5);
      const at = (k: string) => head!.indexOf(k);
      expect(rows.map((r) => Number(r[at('start')])).sort((a, b) => a - b)).toEqual(coded.map((c) => c.start).sort((a, b) => a - b));
      expect(rows.filter((r) => r[at('category')] === 'ruling class')).toHaveLength(3);
      expect(rows.every((r) => r[at('node')] === 'bureaucracy' && r[at('state')] === 'ok')).toBe(true);
      expect(rows.find((r) => r[at('start')] === String(coded[0]!.start))![at('note')]).toBe('the bureaucracy as a class');

      const one = await runCli([
        'project',
        'lines',
        project.file,
        '--category',
        'apparatus',
        '--format',
        'json',
        '--index',
        join(root, 'cache'),
        '--quiet',
      ]);
      expect(JSON.parse(one.stdout).lines).toHaveLength(2);
      const unknown = await runCli(['project', 'lines', project.file, '--category', 'nonsense', '--index', join(root, 'cache'), '--quiet']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('ruling class, apparatus');
    } finally {
      delete process.env.LOUPE_DATA_DIR;
    }
  }, 60_000);
});
