/**
 * The `loupe project ...` and `loupe watch` commands (the CLI's main.ts dispatches here).
 *
 *   loupe project run FILE.loupe.json [--format json]   open the project's corpus, run every saved query
 *   loupe project save FILE [--corpus PATH]... --query Q [--query Q]... [--view V] [--reference brown|PATH]
 *   loupe project lines FILE [--category NAME] [--format txt|tsv|csv|json]   the project's coded lines
 *   loupe project list [--format json]                                     projects in the data folder and recent ones
 *   loupe watch [PATH...] [--query Q]                    a line per update of the corpus, until Ctrl-C
 */
import { resolve } from 'node:path';
import { LoupeFailure, type LoupeError, type Result } from '../contract/errors.js';
import type { CorpusInfo } from '../contract/types.js';
import type { Engine } from '../engine.js';
import type { ParsedArgs } from './args.js';
import { delimited, oneLine, textTable, type OutputFormat } from './format.js';
import type { ProjectState } from '../contract/project.js';
import {
  firstFailure,
  loadProject,
  PROJECT_SUFFIX,
  runProject,
  saveProject,
  type ProjectRun,
  type ProjectView,
  type SavedQuery,
} from '../project/project.js';

type Options = Record<string, string | boolean>;

const QUERY_VIEWS: ProjectView[] = ['kwic', 'count', 'dispersion', 'colloc', 'compare'];

export async function projectCommand(
  engine: Engine,
  args: string[],
  options: Options,
  lists: ParsedArgs['lists'],
  format: OutputFormat,
): Promise<string> {
  const corpus = lists.corpus;
  const [sub, file, ...rest] = args;
  if (rest.length) throw new LoupeFailure('E_USAGE', `project ${sub ?? ''}: unexpected "${rest.join(' ')}".`);
  if (sub === 'run') {
    if (!file) throw new LoupeFailure('E_USAGE', 'project run needs a project file, e.g. loupe project run study.loupe.json');
    const project = await loadProject(file);
    const run = await runProject(engine, project);
    const text = format === 'json' ? JSON.stringify(runJson(project.file, run), null, 1) + '\n' : runText(run);
    const failed = firstFailure(run);
    if (!failed) return text;
    // Print what did run, then fail with the first error (its code sets the exit status).
    await new Promise<void>((r) => process.stdout.write(text, () => r()));
    const n = run.outcomes.filter((o) => !o.result.ok).length;
    throw new LoupeFailure(
      failed.code,
      `${n} of ${run.outcomes.length} saved queries failed; the first: ${failed.message}`,
      failed.position,
    );
  }
  if (sub === 'save') {
    if (!file)
      throw new LoupeFailure('E_USAGE', 'project save needs a file name, e.g. loupe project save study.loupe.json --query bureaucracy');
    if (!file.endsWith(PROJECT_SUFFIX)) throw new LoupeFailure('E_USAGE', `A project file's name ends in ${PROJECT_SUFFIX}: ${file}`);
    const queries = lists.query ?? [];
    const view = typeof options.view === 'string' ? options.view : 'kwic';
    if (!(QUERY_VIEWS as string[]).includes(view))
      throw new LoupeFailure(
        'E_USAGE',
        `project save makes ${QUERY_VIEWS.join(', ')} queries (--view); write other views into the file by hand.`,
      );
    if (queries.length === 0) throw new LoupeFailure('E_USAGE', 'project save needs at least one --query.');
    const common: Record<string, unknown> = {};
    if (options.case === true) common.caseSensitive = true;
    if (typeof options.where === 'string') common.where = options.where;
    const saved: SavedQuery[] =
      view === 'compare'
        ? [{ view: 'compare', request: { queries, ...common } }]
        : queries.map((q) => ({ name: q, view: view as ProjectView, request: { query: q, ...common } }));
    const reference =
      typeof options.reference === 'string' ? (options.reference === 'brown' ? 'brown' : [resolve(options.reference)]) : undefined;
    const json = await saveProject(file, {
      corpus: corpus?.length ? corpus.map((p) => resolve(p)) : undefined,
      ...(reference ? { reference } : {}),
      queries: saved,
    });
    return format === 'json'
      ? JSON.stringify(json, null, 2) + '\n'
      : `Saved ${saved.length} ${saved.length === 1 ? 'query' : 'queries'} to ${file}\n`;
  }
  if (sub === 'lines') {
    if (!file) throw new LoupeFailure('E_USAGE', 'project lines needs a project file, e.g. loupe project lines study.loupe.json');
    const opened = await engine.openProject({ file });
    if (!opened.ok) throw new LoupeFailure(opened.error.code, opened.error.message);
    const category = typeof options.category === 'string' ? options.category : undefined;
    return codedLinesOutput(engine, opened.value, category, format);
  }
  if (sub === 'list') {
    const listed = await engine.listProjects();
    if (!listed.ok) throw new LoupeFailure(listed.error.code, listed.error.message);
    if (format === 'json') return JSON.stringify(listed.value, null, 1) + '\n';
    const rows = listed.value.map((p) => [p.name, p.codedLines, p.savedAt, p.file]);
    return rows.length ? textTable(['name', 'coded lines', 'saved', 'file'], rows) : `No projects in ${engine.workbench.projectsDir}\n`;
  }
  throw new LoupeFailure(
    'E_USAGE',
    'project: use "loupe project run FILE", "loupe project save FILE --query Q", "loupe project lines FILE" or "loupe project list".',
  );
}

/** Characters of text shown either side of a coded hit. */
const LINE_CONTEXT = 60;

/** Every coded line with its document, offsets, state, categories, note and the text around it. */
function codedLinesOutput(engine: Engine, project: ProjectState, category: string | undefined, format: OutputFormat): string {
  const names = new Map(project.categories.map((c) => [c.id, c.name]));
  const wanted = category === undefined ? undefined : project.categories.find((c) => c.name.toLowerCase() === category.toLowerCase());
  if (category !== undefined && !wanted) {
    throw new LoupeFailure(
      'E_USAGE',
      `No category "${category}" in ${project.name}; its categories: ${project.categories.map((c) => c.name).join(', ') || 'none'}.`,
    );
  }
  const index = engine.index;
  const lines = project.lines
    .filter((l) => !wanted || l.codes.includes(wanted.id))
    .sort((a, b) => (a.anchor.doc < b.anchor.doc ? -1 : a.anchor.doc > b.anchor.doc ? 1 : a.start - b.start));
  const rows = lines.map((l) => {
    // The text as it is now where the hit is still there; as it was when coded where it is not.
    const text = l.docId !== undefined && l.state !== 'changed' ? index.docs[l.docId]!.text : undefined;
    const left = text ? text.slice(Math.max(0, l.start - LINE_CONTEXT), l.start) : l.anchor.before;
    const node = text ? text.slice(l.start, l.end) : l.anchor.text;
    const right = text ? text.slice(l.end, l.end + LINE_CONTEXT) : l.anchor.after;
    return {
      document: l.anchor.doc,
      start: l.start,
      end: l.end,
      state: l.state,
      category: l.codes.map((id) => names.get(id) ?? id).join('; '),
      note: l.note ?? '',
      left: oneLine(left),
      node: oneLine(node),
      right: oneLine(right),
      query: l.query ?? '',
      codedAt: l.codedAt,
    };
  });
  if (format === 'json') return JSON.stringify({ project: project.file, name: project.name, lines: rows }, null, 1) + '\n';
  const columns = ['document', 'start', 'end', 'state', 'category', 'note', 'left', 'node', 'right', 'query', 'codedAt'] as const;
  const table = rows.map((r) => columns.map((c) => r[c]));
  if (format === 'tsv' || format === 'csv') return delimited([...columns], table, format);
  if (rows.length === 0) return `${project.name}: no coded lines${wanted ? ` in "${wanted.name}"` : ''}\n`;
  return (
    `${project.name}: ${rows.length} coded ${rows.length === 1 ? 'line' : 'lines'}\n` +
    rows
      .map(
        (r) =>
          `[${r.category}]${r.state !== 'ok' ? ` (${r.state})` : ''} ${r.left.trim().slice(-40).padStart(40)}  [${r.node}]  ${r.right.trim().slice(0, 40)}${r.note ? `\n    note: ${oneLine(r.note)}` : ''}`,
      )
      .join('\n') +
    '\n'
  );
}

function runJson(file: string, run: ProjectRun) {
  const c = run.corpus;
  return {
    project: file,
    corpus: { label: c.label, fingerprint: c.fingerprint, documents: c.documents.length, tokens: c.tokens, counted: c.counted },
    results: run.outcomes.map((o) => ({
      ...(o.name !== undefined ? { name: o.name } : {}),
      view: o.view,
      request: o.request,
      ...(o.result.ok ? { value: o.result.value } : { error: o.result.error }),
    })),
  };
}

type Row = Record<string, unknown>;
const primitive = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

function rowsTable(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const columns = Object.keys(rows[0]!).filter((k) => primitive(rows[0]![k]));
  return textTable(
    columns,
    rows.map((r) => columns.map((k) => (primitive(r[k]) ? r[k] : ''))),
  );
}

function resultText(view: ProjectView, result: Result<unknown>): string {
  if (!result.ok) return `error ${result.error.code}: ${result.error.message}\n`;
  const v = result.value as Row;
  switch (view) {
    case 'count':
      return `${v.hits} hits in ${v.documents} documents\n`;
    case 'kwic': {
      const lines = (v.lines as Array<{ left: string; node: string; right: string; docName: string }>) ?? [];
      const head = `${v.hits} hits in ${v.documents} documents\n`;
      return (
        head +
        lines
          .map((l) => `${oneLine(l.left).trim().slice(-60).padStart(60)}  [${oneLine(l.node)}]  ${oneLine(l.right).trim().slice(0, 60)}`)
          .join('\n') +
        (lines.length ? '\n' : '')
      );
    }
    case 'dispersion':
      return `${v.hits} hits, ${Number(v.perMillion).toFixed(1)} per million, in ${v.range} documents; DP ${Number(v.dp).toFixed(3)}, Juilland's D ${Number(v.juillandD).toFixed(3)}\n`;
    case 'keywords':
      return `Reference: ${v.reference}\n` + rowsTable((v.positive as Row[]) ?? []);
    case 'compare':
      return rowsTable((v.terms as Row[]) ?? []);
    case 'passages':
      return rowsTable((result.value as Row[]) ?? []);
    default:
      return rowsTable((v.rows as Row[]) ?? []);
  }
}

function describeRequest(request: Record<string, unknown>): string {
  if (typeof request.query === 'string') return request.query;
  if (Array.isArray(request.queries)) return request.queries.join(' | ');
  if (typeof request.text === 'string') return request.text;
  return '';
}

function runText(run: ProjectRun): string {
  const c = run.corpus;
  const parts = [`${c.label}: ${c.documents.length} documents, ${c.tokens} tokens (fingerprint ${c.fingerprint.slice(0, 12)})\n`];
  for (const o of run.outcomes) {
    const title = o.name ?? describeRequest(o.request);
    parts.push(`\n== ${title ? `${title} ` : ''}(${o.view}) ==\n${resultText(o.view, o.result)}`);
  }
  return parts.join('');
}

/** "8 documents, 12034 tokens; bureaucracy: 36 hits" */
async function summary(engine: Engine, info: CorpusInfo, query: string | undefined, options: Options): Promise<string> {
  let line = `${info.documents.length} ${info.documents.length === 1 ? 'document' : 'documents'}, ${info.tokens} tokens`;
  if (query) {
    const r = await engine.count({
      query,
      caseSensitive: options.case === true,
      ...(typeof options.where === 'string' ? { where: options.where } : {}),
    });
    line += r.ok ? `; ${query}: ${r.value.hits} hits` : `; ${query}: ${r.error.code} ${r.error.message}`;
  }
  return line + '\n';
}

/** Runs until SIGINT or SIGTERM; every line goes out as it happens. */
export async function watchCommand(engine: Engine, info: CorpusInfo, options: Options): Promise<string> {
  const query = typeof options.query === 'string' ? options.query : undefined;
  const write = (s: string) => new Promise<void>((r) => process.stdout.write(s, () => r()));
  await write(await summary(engine, info, query, options));
  let queue = Promise.resolve();
  engine.onCorpusChanged((change: Result<{ info: CorpusInfo; tokenised: number }>) => {
    queue = queue.then(async () => {
      if (!change.ok) return void process.stderr.write(`loupe: ${errorLine(change.error)}\n`);
      await write(await summary(engine, change.value.info, query, options));
    });
  });
  const watching = await engine.watch();
  if (!watching.ok) throw new LoupeFailure(watching.error.code, watching.error.message);
  if (options.quiet !== true) process.stderr.write('loupe: watching for changes; Ctrl-C stops\n');
  await new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  await engine.close();
  await queue;
  return '';
}

function errorLine(e: LoupeError): string {
  return `${e.code}: ${e.message}`;
}
