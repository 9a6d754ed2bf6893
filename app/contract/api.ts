/**
 * The one API between the engine host (Electron main, or the web-mode host) and the renderer.
 * The renderer only ever sees an object of type LoupeApi: the preload builds it over IPC, the web
 * bridge builds it over HTTP. Channel names read `domain:verb-noun`; each method maps to one channel.
 */
import type { Result } from './errors.js';
import type { CorpusInfo, CountResult, DocumentText, IndexProgress, KwicPage, KwicRequest, Matching, PassageHit } from './types.js';
import type {
  CollocRequest,
  CollocResult,
  CompareRequest,
  CompareResult,
  DispersionRequest,
  DispersionResult,
  FreqRequest,
  FreqResult,
  KeywordRequest,
  KeywordResult,
  NgramRequest,
  NgramResult,
  TrendsRequest,
  TrendsResult,
  AcrossRequest,
} from './stats.js';
import type { CodeLinesRequest, ProjectPatch, ProjectState, ProjectSummary, ResolvedLine } from './project.js';

export type ExportFormat = 'tsv' | 'csv' | 'xlsx' | 'json' | 'html';
export type ExportWhat = 'kwic' | 'freq' | 'colloc' | 'compare' | 'ngrams' | 'keywords' | 'trends' | 'across';

export interface ExportRequest {
  what: ExportWhat;
  format: ExportFormat;
  kwic?: KwicRequest;
  freq?: FreqRequest;
  colloc?: CollocRequest;
  compare?: CompareRequest;
  ngrams?: NgramRequest;
  keywords?: KeywordRequest;
  trends?: TrendsRequest;
  across?: AcrossRequest;
  /**
   * CSV and TSV start with their header row; where the data came from (query, settings, corpus
   * fingerprint) goes into a sidecar file when this is true. XLSX keeps it on an About sheet,
   * JSON and HTML carry it inside.
   */
  provenance?: boolean;
}
export interface ExportFile {
  filename: string;
  mime: string;
  /** Text formats as UTF-8 text; xlsx as base64. */
  encoding: 'utf8' | 'base64';
  content: string;
  /** The provenance file to save beside a CSV or TSV export, when asked for. */
  sidecar?: { filename: string; mime: string; content: string };
}

export interface LoupeApi {
  /** Open (index or reuse) a corpus; no paths = the bundled corpus. */
  /**
   * `language`: an ISO 639 code for every document that does not declare its own (see
   * LanguageSource). `stem`: lemmas outside English are Snowball stems where no lemma list applies.
   */
  openCorpus(req: { paths?: string[]; language?: string; stem?: boolean }): Promise<Result<CorpusInfo>>;
  corpusInfo(): Promise<Result<CorpusInfo>>;
  cancelIndexing(): Promise<Result<null>>;
  count(req: { query: string; caseSensitive?: boolean; matching?: Matching; where?: string }): Promise<Result<CountResult>>;
  kwic(req: KwicRequest): Promise<Result<KwicPage>>;
  documentText(req: { doc: number; query?: string; caseSensitive?: boolean; matching?: Matching }): Promise<Result<DocumentText>>;
  passages(req: { text: string; limit?: number; where?: string }): Promise<Result<PassageHit[]>>;
  suggest(req: { prefix: string; limit?: number }): Promise<Result<string[]>>;
  freq(req: FreqRequest): Promise<Result<FreqResult>>;
  ngrams(req: NgramRequest): Promise<Result<NgramResult>>;
  colloc(req: CollocRequest): Promise<Result<CollocResult>>;
  dispersion(req: DispersionRequest): Promise<Result<DispersionResult>>;
  keywords(req: KeywordRequest): Promise<Result<KeywordResult>>;
  compare(req: CompareRequest): Promise<Result<CompareResult>>;
  trends(req: TrendsRequest): Promise<Result<TrendsResult>>;
  exportData(req: ExportRequest): Promise<Result<ExportFile>>;
  /** Projects in the data folder and recently opened ones, most recent first. */
  listProjects(): Promise<Result<ProjectSummary[]>>;
  /** Creates a project on the open corpus: `file` where the reader chose, else `name` in the data folder. */
  newProject(req: { name?: string; file?: string }): Promise<Result<ProjectState>>;
  /** Opens a project file and its corpus; coded lines are anchored again in the corpus as it is now. */
  openProject(req: { file: string }): Promise<Result<ProjectState>>;
  /** The open project, or null. */
  projectState(): Promise<Result<ProjectState | null>>;
  updateProject(req: ProjectPatch): Promise<Result<{ savedAt: string }>>;
  /** Adds or removes categories and notes on hits; returns every coded line of the project. */
  codeLines(req: CodeLinesRequest): Promise<Result<ResolvedLine[]>>;
  /** Subscribe to indexing progress; returns an unsubscribe function. */
  onProgress(listener: (p: IndexProgress) => void): () => void;
}

/** Method name -> IPC channel. The preload, main's handlers and the web bridge all read this table. */
export const CHANNELS = {
  openCorpus: 'corpus:open',
  corpusInfo: 'corpus:get-info',
  cancelIndexing: 'corpus:cancel-indexing',
  count: 'search:count',
  kwic: 'search:kwic',
  documentText: 'corpus:get-text',
  passages: 'search:passages',
  suggest: 'search:suggest',
  freq: 'stats:freq',
  ngrams: 'stats:ngrams',
  colloc: 'stats:colloc',
  dispersion: 'stats:dispersion',
  keywords: 'stats:keywords',
  compare: 'stats:compare',
  trends: 'stats:trends',
  exportData: 'export:make-file',
  listProjects: 'project:list',
  newProject: 'project:create',
  openProject: 'project:open',
  projectState: 'project:get-state',
  updateProject: 'project:update',
  codeLines: 'project:code-lines',
} as const satisfies Record<Exclude<keyof LoupeApi, 'onProgress'>, string>;
export type ApiMethod = keyof typeof CHANNELS;
export const PROGRESS_CHANNEL = 'corpus:progress';
