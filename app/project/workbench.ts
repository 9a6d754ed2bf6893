/**
 * The open project: the reader's analysis as the host keeps it. It holds the categories, the coded
 * lines (anchored in the open corpus), saved queries, the query history and the view state, saves
 * the project file after every change (atomically, one save at a time), and answers the KWIC's
 * questions about coded hits (HitCodes). Projects the reader makes without choosing a file live in
 * the data folder's `projects/`; the data folder also keeps the list of recently opened projects.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { LoupeFailure, type Result } from '../contract/errors.js';
import type {
  Category,
  CodedLine,
  CodeLinesRequest,
  ProjectPatch,
  ProjectState,
  ProjectSummary,
  ResolvedLine,
} from '../contract/project.js';
import type { CorpusInfo } from '../contract/types.js';
import type { CorpusIndex } from '../index/store.js';
import type { CodedHit, HitCodes } from '../query/kwic.js';
import { anchorFor, DocHashes, resolveLines, type AnchorSource } from './anchors.js';
import { loadProject, PROJECT_SUFFIX, saveProject, writeAtomically, type Project } from './project.js';
import { toEntry, toSavedQuery } from './saved-queries.js';

const MAX_RECENT = 20;

/** What the workbench needs of the engine. */
export interface WorkbenchHost {
  /** The open corpus's index, or undefined when none is open. */
  currentIndex(): CorpusIndex | undefined;
  /** The corpus paths as opened (undefined for the bundled corpus). */
  corpusPaths(): string[] | undefined;
  openCorpus(req: { paths?: string[] }): Promise<Result<CorpusInfo>>;
}

function defaultDataDir(): string {
  if (process.env.LOUPE_DATA_DIR) return process.env.LOUPE_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Loupe');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Loupe');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'loupe');
}

/** A file name from a project name: letters and digits of any script, dashes; never empty. */
function fileNameFor(name: string): string {
  const slug = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return (slug || 'project') + PROJECT_SUFFIX;
}

const sameCorpus = (a: string[] | undefined, b: string[] | undefined) =>
  JSON.stringify((a ?? []).map((p) => resolve(p)).sort()) === JSON.stringify((b ?? []).map((p) => resolve(p)).sort());

function sourceOf(index: CorpusIndex): AnchorSource {
  const ids = new Map<string, number>();
  index.docs.forEach((d, i) => ids.set(d.name, i));
  return { docId: (name) => ids.get(name), docName: (id) => index.docs[id]!.name, text: (id) => index.docs[id]!.text };
}

/** Coded hits by document name and start, for the KWIC. */
class CodeLookup implements HitCodes {
  private byDoc = new Map<string, Map<number, CodedHit>>();
  constructor(
    readonly version: number,
    lines: ResolvedLine[],
    categories: Category[],
    docName: (line: ResolvedLine) => string,
  ) {
    const rank = new Map(categories.map((c, i) => [c.id, i]));
    const names = new Map(categories.map((c) => [c.id, c.name]));
    for (const l of lines) {
      const codes = l.codes.filter((id) => rank.has(id)).sort((a, b) => rank.get(a)! - rank.get(b)!);
      const hit: CodedHit = {
        codes,
        categories: codes.map((id) => names.get(id)!),
        ...(l.note ? { note: l.note } : {}),
        state: l.state,
        rank: codes.length ? rank.get(codes[0]!)! : 0,
      };
      const name = docName(l);
      let m = this.byDoc.get(name);
      if (!m) this.byDoc.set(name, (m = new Map()));
      m.set(l.start, hit);
    }
  }
  hasDoc(name: string): boolean {
    return this.byDoc.has(name);
  }
  at(name: string, start: number): CodedHit | undefined {
    return this.byDoc.get(name)?.get(start);
  }
}

interface Open {
  project: Project;
  lines: ResolvedLine[];
}

export class Workbench {
  private open?: Open;
  private saving: Promise<unknown> = Promise.resolve();
  private version = 0;
  private lookup?: CodeLookup;

  constructor(
    private readonly host: WorkbenchHost,
    readonly dataDir: string = defaultDataDir(),
  ) {}

  get projectsDir(): string {
    return join(this.dataDir, 'projects');
  }
  private get recentFile(): string {
    return join(this.dataDir, 'recent-projects.json');
  }

  /** The KWIC's view of coded hits; undefined when no project is open. */
  codes(): HitCodes | undefined {
    if (!this.open) return undefined;
    if (!this.lookup || this.lookup.version !== this.version) {
      const index = this.host.currentIndex();
      this.lookup = new CodeLookup(
        this.version,
        this.open.lines.filter((l) => l.docId !== undefined),
        this.open.project.categories ?? [],
        (l) => (index && l.docId !== undefined ? index.docs[l.docId]!.name : l.anchor.doc),
      );
    }
    return this.lookup;
  }

  state(): ProjectState | null {
    if (!this.open) return null;
    const p = this.open.project;
    return {
      file: p.file,
      name: p.name ?? basename(p.file, PROJECT_SUFFIX),
      corpus: p.corpus ?? null,
      categories: p.categories ?? [],
      lines: this.open.lines,
      queries: p.queries.map(toEntry),
      history: p.history ?? [],
      historyAt: p.historyAt ?? (p.history?.length ? p.history.length - 1 : -1),
      ...(p.state ? { view: p.state } : {}),
      savedAt: p.savedAt ?? '',
    };
  }

  async list(): Promise<ProjectSummary[]> {
    const files = new Set<string>(await this.recent());
    if (existsSync(this.projectsDir)) {
      for (const f of await readdir(this.projectsDir)) if (f.endsWith(PROJECT_SUFFIX)) files.add(join(this.projectsDir, f));
    }
    const out: ProjectSummary[] = [];
    for (const file of files) {
      try {
        const p = await loadProject(file);
        out.push({
          file: p.file,
          name: p.name ?? basename(file, PROJECT_SUFFIX),
          savedAt: p.savedAt ?? '',
          corpus: p.corpus ?? null,
          codedLines: p.lines?.length ?? 0,
        });
      } catch {
        // A damaged or missing file is left as it is; opening it says what is wrong.
      }
    }
    return out.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
  }

  /** A new project on the open corpus, saved at once. */
  async create(req: { name?: string; file?: string }): Promise<ProjectState> {
    let file: string;
    if (req.file) {
      file = resolve(req.file);
      if (!file.endsWith(PROJECT_SUFFIX)) throw new LoupeFailure('E_PROJECT', `A project file's name ends in ${PROJECT_SUFFIX}: ${file}`);
      if (existsSync(file)) throw new LoupeFailure('E_PROJECT', `${file} already exists: open it instead, or choose another name.`);
    } else {
      await mkdir(this.projectsDir, { recursive: true });
      const base = fileNameFor(req.name ?? 'Untitled').slice(0, -PROJECT_SUFFIX.length);
      file = join(this.projectsDir, base + PROJECT_SUFFIX);
      for (let n = 2; existsSync(file); n++) file = join(this.projectsDir, `${base}-${n}${PROJECT_SUFFIX}`);
    }
    const paths = this.host.corpusPaths();
    const project: Project = {
      file,
      name: req.name ?? basename(file, PROJECT_SUFFIX),
      corpus: paths ? paths.map((p) => resolve(p)) : undefined,
      queries: [],
      categories: [],
      lines: [],
      history: [],
      historyAt: -1,
    };
    await this.write(project);
    this.open = { project, lines: [] };
    this.changed();
    await this.remember(file);
    return this.state()!;
  }

  /** Opens a project file and its corpus. A file that cannot be read is reported and left untouched. */
  async openFile(file: string): Promise<ProjectState> {
    const project = await loadProject(resolve(file));
    if (!sameCorpus(project.corpus, this.host.corpusPaths()) || !this.host.currentIndex()) {
      const opened = await this.host.openCorpus(project.corpus ? { paths: project.corpus } : {});
      if (!opened.ok) throw new LoupeFailure(opened.error.code, `The project's corpus could not be opened: ${opened.error.message}`);
    }
    this.open = { project, lines: this.resolve(project.lines ?? []) };
    this.changed();
    await this.remember(project.file);
    return this.state()!;
  }

  /** The engine opened another corpus or re-indexed this one: anchor the codes in it again. */
  corpusChanged(): void {
    if (!this.open) return;
    const paths = this.host.corpusPaths();
    if (!sameCorpus(this.open.project.corpus, paths)) {
      this.open.project.corpus = paths ? paths.map((p) => resolve(p)) : undefined;
      void this.save();
    }
    this.open.lines = this.resolve(this.open.project.lines ?? []);
    this.changed();
  }

  async update(patch: ProjectPatch): Promise<{ savedAt: string }> {
    const p = this.need().project;
    if (patch.name !== undefined) p.name = patch.name;
    if (patch.categories) {
      const ids = new Set<string>();
      for (const c of patch.categories) {
        if (ids.has(c.id)) throw new LoupeFailure('E_USAGE', `Two categories have the id "${c.id}".`);
        ids.add(c.id);
      }
      p.categories = patch.categories;
      // Codes of a deleted category go with it; a line left with neither codes nor note is uncoded.
      p.lines = (p.lines ?? [])
        .map((l) => ({ ...l, codes: l.codes.filter((id) => ids.has(id)) }))
        .filter((l) => l.codes.length > 0 || l.note);
      this.open!.lines = this.resolve(p.lines);
    }
    if (patch.queries) p.queries = patch.queries.map(toSavedQuery);
    if (patch.history) p.history = patch.history;
    if (patch.historyAt !== undefined) p.historyAt = patch.historyAt;
    if (patch.view) p.state = patch.view;
    this.changed();
    return { savedAt: await this.save() };
  }

  /** Adds and removes categories and notes on hits, and saves. */
  async code(req: CodeLinesRequest): Promise<ResolvedLine[]> {
    const open = this.need();
    const index = this.host.currentIndex();
    if (!index) throw new LoupeFailure('E_CORPUS', 'No corpus is open yet.');
    const known = new Set((open.project.categories ?? []).map((c) => c.id));
    for (const id of req.add ?? []) if (!known.has(id)) throw new LoupeFailure('E_USAGE', `There is no category "${id}" in this project.`);
    const source = sourceOf(index);
    const hashes = new DocHashes(source);
    const stored = open.project.lines ?? [];
    const resolved = open.lines;
    const now = new Date().toISOString();
    const at = (doc: number, start: number) => `${doc}:${start}`;
    const where = new Map<string, number>();
    resolved.forEach((l, k) => l.docId !== undefined && where.set(at(l.docId, l.start), k));
    for (const target of req.lines) {
      const d = index.docs[target.doc];
      if (!d) throw new LoupeFailure('E_NOT_FOUND', `There is no document ${target.doc} in this corpus.`);
      if (target.end > d.text.length || target.start > target.end)
        throw new LoupeFailure('E_USAGE', `Offsets ${target.start}-${target.end} are outside ${d.name}.`);
      let i = where.get(at(target.doc, target.start)) ?? -1;
      if (i < 0) {
        const line: CodedLine = {
          anchor: anchorFor(source, hashes, target.doc, target.start, target.end),
          codes: [],
          codedAt: now,
          ...(req.query ? { query: req.query } : {}),
        };
        stored.push(line);
        resolved.push({ ...line, state: 'ok', docId: target.doc, start: target.start, end: target.end });
        i = resolved.length - 1;
        where.set(at(target.doc, target.start), i);
      }
      const line = stored[i]!;
      const codes = line.codes.filter((id) => !(req.remove ?? []).includes(id));
      for (const id of req.add ?? []) if (!codes.includes(id)) codes.push(id);
      line.codes = codes;
      if (req.note !== undefined) {
        if (req.note.trim()) line.note = req.note;
        else delete line.note;
      }
      line.codedAt = now;
      resolved[i] = { ...resolved[i]!, codes, codedAt: now, ...(line.note ? { note: line.note } : {}) };
      if (!line.note) delete resolved[i]!.note;
    }
    // Lines left with no category and no note are no longer coded.
    const keep = stored.map((l) => l.codes.length > 0 || !!l.note);
    open.project.lines = stored.filter((_, k) => keep[k]);
    open.lines = resolved.filter((_, k) => keep[k]);
    this.changed();
    await this.save();
    return open.lines;
  }

  private need(): Open {
    if (!this.open) throw new LoupeFailure('E_PROJECT', 'No project is open: create or open one first.');
    return this.open;
  }

  private resolve(lines: CodedLine[]): ResolvedLine[] {
    const index = this.host.currentIndex();
    if (!index) return lines.map((l) => ({ ...l, state: 'changed', start: l.anchor.start, end: l.anchor.end }));
    return resolveLines(sourceOf(index), lines);
  }

  private changed(): void {
    this.version++;
  }

  /** Saves the open project; saves run one after another, each writing the latest state. */
  private save(): Promise<string> {
    const open = this.need();
    const run = this.saving.then(() => this.write(open.project));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(project: Project): Promise<string> {
    project.savedAt = new Date().toISOString();
    const { file, ...rest } = project;
    await saveProject(file, rest);
    return project.savedAt;
  }

  private async recent(): Promise<string[]> {
    try {
      const list = JSON.parse(await readFile(this.recentFile, 'utf8')) as unknown;
      return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      return [];
    }
  }

  private async remember(file: string): Promise<void> {
    try {
      const list = [file, ...(await this.recent()).filter((f) => f !== file)].slice(0, MAX_RECENT);
      await mkdir(this.dataDir, { recursive: true });
      await writeAtomically(this.recentFile, JSON.stringify(list, null, 1) + '\n');
    } catch {
      // The recent list is a convenience; the project itself is saved.
    }
  }
}
