/**
 * Runtime validation of every LoupeApi request. The renderer is not trusted: Electron main and the
 * web host both run each payload through PAYLOAD_SCHEMAS before the engine sees it. Bounds are
 * generous for a reader and small enough that one request cannot exhaust memory or time.
 * Objects are strict: an unknown key is a bug on the calling side, so it fails loudly.
 */
import { z } from 'zod';
import type { ExportRequest, LoupeApi } from './api.js';
import { CHANNELS, type ApiMethod } from './api.js';
import { fail, ok, type Result } from './errors.js';
import type {
  CollocRequest,
  CompareRequest,
  DispersionRequest,
  FreqRequest,
  KeywordRequest,
  NgramRequest,
  TrendsRequest,
} from './stats.js';
import type { CodeLinesRequest, ProjectPatch } from './project.js';
import { COLLOC_MEASURES, type CollocMeasure } from './stats.js';
import { MATCHINGS, SORT_KEYS, type KwicRequest, type Matching, type SortKey } from './types.js';

export const LIMITS = {
  /** Rows or lines in one page. 0 keeps its contract meaning ("all") where the contract allows it. */
  limit: 10_000,
  /** Counted tokens of KWIC context each side, and the widest collocation / filter span. */
  context: 50,
  queryChars: 100_000,
  pathChars: 4_096,
  paths: 100_000,
  stopwords: 100_000,
  wordChars: 1_000,
  compareQueries: 10,
  trendSegments: 1_000,
  /** Categories, saved queries and history entries in one project; lines coded in one request. */
  categories: 100,
  savedQueries: 1_000,
  history: 500,
  codeLines: 100_000,
  noteChars: 10_000,
  sample: 10_000_000,
  dispersionParts: 1_000,
} as const;

const MAX_COUNT = 2 ** 32 - 1;

const count = z.number().int().min(0).max(MAX_COUNT);
const limit = z.number().int().min(0).max(LIMITS.limit);
const query = z.string().min(1).max(LIMITS.queryChars);
/** A subcorpus filter over document metadata, e.g. `year < 1950 & author = Cliff`. */
const where = z.string().min(1).max(LIMITS.queryChars);
const spanSide = z.number().int().min(0).max(LIMITS.context);
const span = z.tuple([spanSide, spanSide]);
const measure = z.enum(COLLOC_MEASURES as [CollocMeasure, ...CollocMeasure[]]);
const sortKey = z.enum(SORT_KEYS as [SortKey, ...SortKey[]]);
const matching = z.enum(MATCHINGS as [Matching, ...Matching[]]);

/** A file-system path as the renderer hands it over: NUL bytes are never part of a real path. */
export const pathString = z
  .string()
  .min(1)
  .max(LIMITS.pathChars)
  .refine((p) => !p.includes('\0'), { message: 'path contains a NUL byte' });
const paths = z.array(pathString).min(1).max(LIMITS.paths);

/** Methods without arguments: the preload sends undefined, the web bridge may send null or {}. */
const noArgs = z.union([z.undefined(), z.null(), z.object({}).strict()]).transform(() => undefined);

const kwicRequest = z
  .object({
    where: where.optional(),
    query,
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
    context: z.number().int().min(0).max(LIMITS.context).optional(),
    sort: z.array(sortKey).max(SORT_KEYS.length).optional(),
    seed: z.number().int().min(0).max(MAX_COUNT).optional(),
    filter: z.string().max(LIMITS.queryChars).optional(),
    filterSpan: z.number().int().min(0).max(LIMITS.context).optional(),
    sample: z.number().int().min(1).max(LIMITS.sample).optional(),
    range: z.tuple([count, count]).optional(),
    codes: z
      .array(z.string().max(100))
      .max(LIMITS.categories + 1)
      .optional(),
    offset: count.optional(),
    limit: limit.optional(),
  })
  .strict();

const freqRequest = z
  .object({
    where: where.optional(),
    by: z.enum(['word', 'form', 'lemma', 'pos']).optional(),
    stoplist: z.boolean().optional(),
    stopwords: z.array(z.string().max(LIMITS.wordChars)).max(LIMITS.stopwords).optional(),
    minFreq: count.optional(),
    sort: z.enum(['freq', 'term', 'range', 'perMillion', 'rank']).optional(),
    descending: z.boolean().optional(),
    query: query.optional(),
    span: span.optional(),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
    offset: count.optional(),
    limit: limit.optional(),
  })
  .strict();

const ngramRequest = z
  .object({
    where: where.optional(),
    n: z.number().int().min(2).max(6),
    query: query.optional(),
    position: z.number().int().min(1).max(6).optional(),
    minFreq: count.optional(),
    minRange: count.optional(),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
    offset: count.optional(),
    limit: limit.optional(),
  })
  .strict()
  .refine((r) => r.position === undefined || r.position <= r.n, {
    message: 'position must be within the n-gram',
    path: ['position'],
  });

const collocRequest = z
  .object({
    where: where.optional(),
    query,
    span: span.optional(),
    by: z.enum(['word', 'lemma']).optional(),
    minObserved: count.optional(),
    limit: limit.optional(),
    sort: z.union([measure, z.literal('observed')]).optional(),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
    stoplist: z.boolean().optional(),
  })
  .strict();

const dispersionRequest = z
  .object({
    where: where.optional(),
    query,
    parts: z.number().int().min(1).max(LIMITS.dispersionParts).optional(),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
  })
  .strict();

const keywordRequest = z
  .object({
    where: where.optional(),
    reference: z.union([z.literal('brown'), paths]).optional(),
    by: z.enum(['word', 'lemma']).optional(),
    minFreq: count.optional(),
    limit: limit.optional(),
  })
  .strict();

const compareRequest = z
  .object({
    where: where.optional(),
    queries: z.array(query).min(2).max(LIMITS.compareQueries),
    span: span.optional(),
    measure: measure.optional(),
    limit: limit.optional(),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
    stoplist: z.boolean().optional(),
  })
  .strict();

const trendsRequest = z
  .object({
    where: where.optional(),
    queries: z.array(query).min(1).max(LIMITS.compareQueries),
    by: z.enum(['document', 'segment', 'field']),
    segments: z.number().int().min(2).max(LIMITS.trendSegments).optional(),
    field: z.string().min(1).max(LIMITS.wordChars).optional(),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
  })
  .strict()
  .refine((r) => r.by !== 'field' || r.field !== undefined, { message: 'trends by field need the field', path: ['field'] });

const projectView = z.enum([
  'concordance',
  'wordlist',
  'collocates',
  'ngrams',
  'keywords',
  'dispersion',
  'passages',
  'compare',
  'trends',
  'corpus',
]);
/** View settings as the renderer keeps them: plain JSON, bounded by the payload cap. */
const settingsRecord = z.record(z.unknown());
export const historyEntry = z
  .object({
    view: projectView,
    query: z.string().max(LIMITS.queryChars),
    where: z.string().max(LIMITS.queryChars).optional(),
    caseSensitive: z.boolean().optional(),
    settings: settingsRecord.optional(),
  })
  .strict();
const savedQueryEntry = historyEntry.extend({ name: z.string().min(1).max(1_000) }).strict();
export const category = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  })
  .strict();
const projectPatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    categories: z.array(category).max(LIMITS.categories).optional(),
    queries: z.array(savedQueryEntry).max(LIMITS.savedQueries).optional(),
    history: z.array(historyEntry).max(LIMITS.history).optional(),
    historyAt: z.number().int().min(-1).max(LIMITS.history).optional(),
    view: settingsRecord.optional(),
  })
  .strict();
const codeLinesRequest = z
  .object({
    lines: z
      .array(z.object({ doc: count, start: count, end: count }).strict())
      .min(1)
      .max(LIMITS.codeLines),
    add: z.array(z.string().min(1).max(100)).max(LIMITS.categories).optional(),
    remove: z.array(z.string().min(1).max(100)).max(LIMITS.categories).optional(),
    note: z.string().max(LIMITS.noteChars).optional(),
    query: z.string().max(LIMITS.queryChars).optional(),
  })
  .strict();

const EXPORT_WHAT = ['kwic', 'freq', 'colloc', 'compare', 'ngrams', 'keywords', 'trends', 'across'] as const;
const acrossRequest = z
  .object({
    queries: z.array(query).min(1).max(LIMITS.compareQueries),
    wheres: z.array(where).min(1).max(LIMITS.compareQueries),
    caseSensitive: z.boolean().optional(),
    matching: matching.optional(),
  })
  .strict();
const exportRequest = z
  .object({
    what: z.enum(EXPORT_WHAT),
    format: z.enum(['tsv', 'csv', 'xlsx', 'json', 'html']),
    kwic: kwicRequest.optional(),
    freq: freqRequest.optional(),
    colloc: collocRequest.optional(),
    compare: compareRequest.optional(),
    ngrams: ngramRequest.optional(),
    keywords: keywordRequest.optional(),
    trends: trendsRequest.optional(),
    across: acrossRequest.optional(),
    provenance: z.boolean().optional(),
  })
  .strict()
  // The request for the thing being exported travels under the key of the same name.
  .refine(
    (r) => r[r.what] !== undefined,
    (r) => ({
      message: `an export of ${r.what} needs the ${r.what} request`,
      path: [r.what],
    }),
  );

/** The request type of each method, straight from the contract. */
export type RequestOf<M extends ApiMethod> = Parameters<LoupeApi[M]> extends [infer R, ...unknown[]] ? R : undefined;

const PAYLOAD_SCHEMAS = {
  openCorpus: z.object({ paths: paths.optional(), language: z.string().min(1).max(40).optional(), stem: z.boolean().optional() }).strict(),
  corpusInfo: noArgs,
  cancelIndexing: noArgs,
  count: z.object({ query, caseSensitive: z.boolean().optional(), matching: matching.optional(), where: where.optional() }).strict(),
  kwic: kwicRequest,
  documentText: z
    .object({ doc: count, query: query.optional(), caseSensitive: z.boolean().optional(), matching: matching.optional() })
    .strict(),
  passages: z.object({ text: query, limit: limit.optional(), where: where.optional() }).strict(),
  suggest: z.object({ prefix: z.string().max(LIMITS.wordChars), limit: limit.optional() }).strict(),
  freq: freqRequest,
  ngrams: ngramRequest,
  colloc: collocRequest,
  dispersion: dispersionRequest,
  keywords: keywordRequest,
  compare: compareRequest,
  trends: trendsRequest,
  exportData: exportRequest,
  listProjects: noArgs,
  newProject: z
    .object({ name: z.string().min(1).max(200).optional(), file: pathString.optional() })
    .strict()
    .refine((r) => r.name !== undefined || r.file !== undefined, { message: 'a new project needs a name or a file' }),
  openProject: z.object({ file: pathString }).strict(),
  projectState: noArgs,
  updateProject: projectPatch,
  codeLines: codeLinesRequest,
} satisfies Record<ApiMethod, z.ZodTypeAny>;

// Compile-time guards: each schema's output is a valid request, and names every field of the
// request (so a field added to the contract cannot be silently rejected as "unrecognized").
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
type Output<M extends ApiMethod> = z.output<(typeof PAYLOAD_SCHEMAS)[M]>;
type Checks = {
  [M in ApiMethod]: Output<M> extends RequestOf<M>
    ? RequestOf<M> extends undefined
      ? true
      : SameKeys<NonNullable<Output<M>>, NonNullable<RequestOf<M>>>
    : false;
};
const schemaChecks: Checks = {
  openCorpus: true,
  corpusInfo: true,
  cancelIndexing: true,
  count: true,
  kwic: true,
  documentText: true,
  passages: true,
  suggest: true,
  freq: true,
  ngrams: true,
  colloc: true,
  dispersion: true,
  keywords: true,
  compare: true,
  trends: true,
  exportData: true,
  listProjects: true,
  newProject: true,
  openProject: true,
  projectState: true,
  updateProject: true,
  codeLines: true,
};
void schemaChecks;
// The request shapes named in the contract files, checked the same way.
const namedChecks: [
  SameKeys<z.output<typeof kwicRequest>, KwicRequest>,
  SameKeys<z.output<typeof freqRequest>, FreqRequest>,
  SameKeys<z.output<typeof ngramRequest>, NgramRequest>,
  SameKeys<z.output<typeof collocRequest>, CollocRequest>,
  SameKeys<z.output<typeof dispersionRequest>, DispersionRequest>,
  SameKeys<z.output<typeof keywordRequest>, KeywordRequest>,
  SameKeys<z.output<typeof compareRequest>, CompareRequest>,
  SameKeys<z.output<typeof exportRequest>, ExportRequest>,
  SameKeys<z.output<typeof trendsRequest>, TrendsRequest>,
  SameKeys<z.output<typeof projectPatch>, ProjectPatch>,
  SameKeys<z.output<typeof codeLinesRequest>, CodeLinesRequest>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void namedChecks;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

/** Validate one payload; the message names the method and the first few offending fields. */
export function parsePayload<M extends ApiMethod>(method: M, payload: unknown): Result<RequestOf<M>> {
  const parsed = PAYLOAD_SCHEMAS[method].safeParse(payload);
  if (parsed.success) return ok(parsed.data as RequestOf<M>);
  const details = parsed.error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return fail('E_PAYLOAD', `Invalid request for ${method}: ${details}`);
}
