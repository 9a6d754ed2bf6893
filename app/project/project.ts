/**
 * Project files (`*.loupe.json`): the reader's analysis. A corpus, an optional keyness reference,
 * saved queries, coding categories, coded lines with notes, the query history and the view state,
 * so that opening the project reproduces the same results and the same screen. A saved query is the
 * API request exactly as the renderer sends it, under the name of the API method that answers it
 * (`view`), checked with the same schema as a live request; `ui` keeps how the app showed it.
 *
 *   { "version": 2,
 *     "name": "Bureaucracy in Cliff",
 *     "corpus": { "paths": ["texts"] },            // relative to the project file; no paths = the bundled corpus
 *     "reference": "brown" | ["../other-corpus"],  // for keyword queries that name none
 *     "queries": [{ "name": "bureaucracy", "view": "kwic", "request": { "query": "bureaucracy", "sort": ["R1"] },
 *                   "ui": { "view": "concordance", "query": "bureaucracy", "settings": { "sort": ["R1"] } } }],
 *     "categories": [{ "id": "c1", "name": "ruling class", "colour": "#d1495b" }],
 *     "lines": [{ "anchor": { "doc": "chapter.txt", "start": 1040, "end": 1051, "text": "bureaucracy",
 *                             "before": "...", "after": "...", "docHash": "..." },
 *                 "codes": ["c1"], "note": "...", "query": "bureaucracy", "codedAt": "2026-..." }],
 *     "history": [{ "view": "concordance", "query": "bureaucracy" }], "historyAt": 0,
 *     "state": { ... },                            // the renderer's view state, kept as given
 *     "savedAt": "2026-..." }
 *
 * Version 1 files (no name, categories, lines, history or state) still open. Paths are stored
 * relative to the project file's folder, so a project moves with its texts. Saving writes a new
 * file beside the old one and renames it into place, so a crash leaves the old project or the new.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { LoupeFailure, type LoupeError, type Result } from '../contract/errors.js';
import { category, historyEntry, LIMITS, parsePayload, pathString } from '../contract/schema.js';
import type { Category, CodedLine, HistoryEntry } from '../contract/project.js';
import type { CorpusInfo } from '../contract/types.js';
import type { LoupeApi } from '../contract/api.js';
import { writeAtomically } from '../fs/atomic.js';

const PROJECT_VERSION = 2;
export const PROJECT_SUFFIX = '.loupe.json';

/** The API methods a saved query may go to. */
export const PROJECT_VIEWS = [
  'count',
  'kwic',
  'freq',
  'ngrams',
  'colloc',
  'dispersion',
  'keywords',
  'compare',
  'passages',
  'trends',
] as const;
export type ProjectView = (typeof PROJECT_VIEWS)[number];

const reference = z.union([z.literal('brown'), z.array(pathString).min(1).max(LIMITS.paths)]);

const anchor = z
  .object({
    doc: z.string().min(1).max(LIMITS.pathChars),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    text: z.string().max(LIMITS.queryChars),
    before: z.string().max(1_000),
    after: z.string().max(1_000),
    docHash: z.string().max(128),
  })
  .strict();
const codedLine = z
  .object({
    anchor,
    codes: z.array(z.string().min(1).max(100)).max(LIMITS.categories),
    note: z.string().max(LIMITS.noteChars).optional(),
    query: z.string().max(LIMITS.queryChars).optional(),
    codedAt: z.string().max(40),
  })
  .strict();

const projectSchema = z
  .object({
    version: z.union([z.literal(1), z.literal(PROJECT_VERSION)]),
    name: z.string().min(1).max(200).optional(),
    corpus: z.object({ paths: z.array(pathString).min(1).max(LIMITS.paths).optional() }).strict(),
    reference: reference.optional(),
    queries: z
      .array(
        z
          .object({
            name: z.string().max(1_000).optional(),
            view: z.enum(PROJECT_VIEWS),
            request: z.record(z.unknown()),
            ui: historyEntry.optional(),
          })
          .strict(),
      )
      .max(LIMITS.savedQueries),
    views: z.array(z.string().max(100)).max(100).optional(),
    categories: z.array(category).max(LIMITS.categories).optional(),
    lines: z.array(codedLine).max(LIMITS.codeLines).optional(),
    history: z.array(historyEntry).max(LIMITS.history).optional(),
    historyAt: z.number().int().min(-1).max(LIMITS.history).optional(),
    state: z.record(z.unknown()).optional(),
    savedAt: z.string().max(40).optional(),
  })
  .strict();

export type ProjectFile = z.infer<typeof projectSchema>;

export interface SavedQuery {
  name?: string;
  view: ProjectView;
  /** The request, checked against the API schema; paths in it are absolute. */
  request: Record<string, unknown>;
  /** How the app showed it (view, settings), when the app saved it. */
  ui?: HistoryEntry;
}

export interface Project {
  /** Absolute path of the project file. */
  file: string;
  name?: string;
  /** Absolute corpus paths; undefined = the bundled corpus. */
  corpus: string[] | undefined;
  reference?: 'brown' | string[];
  queries: SavedQuery[];
  views?: string[];
  categories?: Category[];
  lines?: CodedLine[];
  history?: HistoryEntry[];
  historyAt?: number;
  state?: Record<string, unknown>;
  savedAt?: string;
}

function bad(file: string, message: string): LoupeFailure {
  return new LoupeFailure('E_PROJECT', `Project file ${file}: ${message}`);
}

const absolute = (base: string, paths: string[]) => paths.map((p) => resolve(base, p));
/** Relative to the project's folder, with forward slashes, so the file reads the same on every system. */
const portable = (base: string, paths: string[]) =>
  paths.map((p) => {
    // Another drive (Windows) has no relative path: then the absolute one is kept.
    const rel = relative(base, resolve(p));
    if (isAbsolute(rel)) return rel;
    return rel === '' ? '.' : rel.split(sep).join('/');
  });

/** Checks a parsed project file and resolves its paths against `dir`. */
function parseProject(json: unknown, file: string): Project {
  const parsed = projectSchema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    throw bad(file, details);
  }
  const p = parsed.data;
  const dir = dirname(resolve(file));
  const queries = p.queries.map((q, i): SavedQuery => {
    const request: Record<string, unknown> = { ...q.request };
    if (q.view === 'keywords' && Array.isArray(request.reference))
      request.reference = absolute(dir, (request.reference as unknown[]).map(String));
    const checked = parsePayload(q.view, request);
    if (!checked.ok) throw bad(file, `queries.${i} (${q.view}${q.name ? ` "${q.name}"` : ''}): ${checked.error.message}`);
    return {
      ...(q.name !== undefined ? { name: q.name } : {}),
      view: q.view,
      request: checked.value as Record<string, unknown>,
      ...(q.ui ? { ui: q.ui } : {}),
    };
  });
  return {
    file: resolve(file),
    ...(p.name !== undefined ? { name: p.name } : {}),
    corpus: p.corpus.paths ? absolute(dir, p.corpus.paths) : undefined,
    ...(p.reference !== undefined ? { reference: p.reference === 'brown' ? 'brown' : absolute(dir, p.reference) } : {}),
    queries,
    ...(p.views ? { views: p.views } : {}),
    ...(p.categories ? { categories: p.categories } : {}),
    ...(p.lines ? { lines: p.lines as CodedLine[] } : {}),
    ...(p.history ? { history: p.history as HistoryEntry[] } : {}),
    ...(p.historyAt !== undefined ? { historyAt: p.historyAt } : {}),
    ...(p.state ? { state: p.state } : {}),
    ...(p.savedAt ? { savedAt: p.savedAt } : {}),
  };
}

export async function loadProject(file: string): Promise<Project> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw bad(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(file, `not JSON (${(e as Error).message}).`);
  }
  return parseProject(json, file);
}

/** The file's JSON for a project: paths relative to the project's folder. */
function projectJson(project: Omit<Project, 'file'>, file: string): ProjectFile {
  const dir = dirname(resolve(file));
  return {
    version: PROJECT_VERSION,
    ...(project.name !== undefined ? { name: project.name } : {}),
    corpus: project.corpus ? { paths: portable(dir, project.corpus) } : {},
    ...(project.reference ? { reference: project.reference === 'brown' ? 'brown' : portable(dir, project.reference) } : {}),
    queries: project.queries.map((q) => {
      const request = { ...q.request };
      if (q.view === 'keywords' && Array.isArray(request.reference)) request.reference = portable(dir, request.reference as string[]);
      return { ...(q.name !== undefined ? { name: q.name } : {}), view: q.view, request, ...(q.ui ? { ui: q.ui } : {}) };
    }),
    ...(project.views ? { views: project.views } : {}),
    ...(project.categories ? { categories: project.categories } : {}),
    ...(project.lines ? { lines: project.lines } : {}),
    ...(project.history ? { history: project.history } : {}),
    ...(project.historyAt !== undefined ? { historyAt: project.historyAt } : {}),
    ...(project.state ? { state: project.state } : {}),
    ...(project.savedAt ? { savedAt: project.savedAt } : {}),
  };
}

// The atomic writer is shared with the settings and the index cache; projects keep exporting it.
export { writeAtomically };

/** Writes a project file atomically; its contents are checked first, so what is saved always loads. */
export async function saveProject(file: string, project: Omit<Project, 'file'>): Promise<ProjectFile> {
  const json = projectJson(project, file);
  parseProject(json, file);
  try {
    await writeAtomically(file, JSON.stringify(json, null, 2) + '\n');
  } catch (e) {
    throw new LoupeFailure('E_PROJECT', `Cannot write the project file ${file}: ${(e as Error).message}`);
  }
  return json;
}

export interface QueryOutcome {
  name?: string;
  view: ProjectView;
  request: Record<string, unknown>;
  result: Result<unknown>;
}

export interface ProjectRun {
  corpus: CorpusInfo;
  outcomes: QueryOutcome[];
}

/** Opens the project's corpus in `engine` and runs every saved query, in order; a failing query does not stop the others. */
export async function runProject(engine: Pick<LoupeApi, 'openCorpus' | ProjectView>, project: Project): Promise<ProjectRun> {
  const opened = await engine.openCorpus(project.corpus ? { paths: project.corpus } : {});
  if (!opened.ok) throw new LoupeFailure(opened.error.code, opened.error.message, opened.error.position);
  const outcomes: QueryOutcome[] = [];
  for (const q of project.queries) {
    const request = { ...q.request };
    if (q.view === 'keywords' && request.reference === undefined && project.reference) request.reference = project.reference;
    const call = engine[q.view] as (req: unknown) => Promise<Result<unknown>>;
    const result = await call.call(engine, request);
    outcomes.push({ ...(q.name !== undefined ? { name: q.name } : {}), view: q.view, request, result });
  }
  return { corpus: opened.value, outcomes };
}

export function firstFailure(run: ProjectRun): LoupeError | undefined {
  for (const o of run.outcomes) if (!o.result.ok) return o.result.error;
  return undefined;
}
