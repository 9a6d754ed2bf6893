/**
 * Project files (`*.loupe.json`): a corpus, an optional keyness reference, saved queries and the
 * chosen views, so that opening the project reproduces the same results. A saved query is the API
 * request exactly as the renderer sends it, under the name of the API method that answers it
 * (`view`), and is checked with the same schema as a live request.
 *
 *   { "version": 1,
 *     "corpus": { "paths": ["texts"] },            // relative to the project file; no paths = the bundled corpus
 *     "reference": "brown" | ["../other-corpus"],  // for keyword queries that name none
 *     "queries": [{ "name": "bureaucracy", "view": "kwic", "request": { "query": "bureaucracy", "sort": ["R1"] } }],
 *     "views": ["concordance", "collocates"] }     // the renderer's open views, kept as given
 *
 * Paths are stored relative to the project file's folder, so a project moves with its texts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { LoupeFailure, type LoupeError, type Result } from '../contract/errors.js';
import { LIMITS, parsePayload, pathString } from '../contract/schema.js';
import type { CorpusInfo } from '../contract/types.js';
import type { Engine } from '../engine.js';

export const PROJECT_VERSION = 1;
export const PROJECT_SUFFIX = '.loupe.json';

/** The API methods a saved query may go to. */
export const PROJECT_VIEWS = ['count', 'kwic', 'freq', 'ngrams', 'colloc', 'dispersion', 'keywords', 'compare', 'passages'] as const;
export type ProjectView = (typeof PROJECT_VIEWS)[number];

const reference = z.union([z.literal('brown'), z.array(pathString).min(1).max(LIMITS.paths)]);

const projectSchema = z
  .object({
    version: z.literal(PROJECT_VERSION),
    corpus: z.object({ paths: z.array(pathString).min(1).max(LIMITS.paths).optional() }).strict(),
    reference: reference.optional(),
    queries: z
      .array(
        z
          .object({
            name: z.string().max(1_000).optional(),
            view: z.enum(PROJECT_VIEWS),
            request: z.record(z.unknown()),
          })
          .strict(),
      )
      .max(1_000),
    views: z.array(z.string().max(100)).max(100).optional(),
  })
  .strict();

export type ProjectFile = z.infer<typeof projectSchema>;

export interface SavedQuery {
  name?: string;
  view: ProjectView;
  /** The request, checked against the API schema; paths in it are absolute. */
  request: Record<string, unknown>;
}

export interface Project {
  /** Absolute path of the project file. */
  file: string;
  /** Absolute corpus paths; undefined = the bundled corpus. */
  corpus: string[] | undefined;
  reference?: 'brown' | string[];
  queries: SavedQuery[];
  views?: string[];
}

function bad(file: string, message: string): LoupeFailure {
  return new LoupeFailure('E_USAGE', `Project file ${file}: ${message}`);
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
export function parseProject(json: unknown, file: string): Project {
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
    return { ...(q.name !== undefined ? { name: q.name } : {}), view: q.view, request: checked.value as Record<string, unknown> };
  });
  return {
    file: resolve(file),
    corpus: p.corpus.paths ? absolute(dir, p.corpus.paths) : undefined,
    ...(p.reference !== undefined ? { reference: p.reference === 'brown' ? 'brown' : absolute(dir, p.reference) } : {}),
    queries,
    ...(p.views ? { views: p.views } : {}),
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
export function projectJson(project: Omit<Project, 'file'>, file: string): ProjectFile {
  const dir = dirname(resolve(file));
  return {
    version: PROJECT_VERSION,
    corpus: project.corpus ? { paths: portable(dir, project.corpus) } : {},
    ...(project.reference ? { reference: project.reference === 'brown' ? 'brown' : portable(dir, project.reference) } : {}),
    queries: project.queries.map((q) => {
      const request = { ...q.request };
      if (q.view === 'keywords' && Array.isArray(request.reference)) request.reference = portable(dir, request.reference as string[]);
      return { ...(q.name !== undefined ? { name: q.name } : {}), view: q.view, request };
    }),
    ...(project.views ? { views: project.views } : {}),
  };
}

/** Writes a project file; its contents are checked first, so what is saved always loads. */
export async function saveProject(file: string, project: Omit<Project, 'file'>): Promise<ProjectFile> {
  const json = projectJson(project, file);
  parseProject(json, file);
  try {
    await writeFile(file, JSON.stringify(json, null, 2) + '\n');
  } catch (e) {
    throw new LoupeFailure('E_USAGE', `Cannot write the project file ${file}: ${(e as Error).message}`);
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
export async function runProject(engine: Engine, project: Project): Promise<ProjectRun> {
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
