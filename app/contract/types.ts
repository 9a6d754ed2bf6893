/**
 * The data that crosses boundaries: engine -> CLI, engine -> Electron main -> renderer,
 * engine -> web host -> renderer. Plain JSON-serialisable shapes only.
 */

/** Token kinds as wink-nlp reports them; `counted` follows docs/statistics.md, "Tokens that count". */
export const TOKEN_KINDS = [
  'word',
  'number',
  'email',
  'url',
  'mention',
  'hashtag',
  'emoji',
  'emoticon',
  'time',
  'ordinal',
  'currency',
  'punctuation',
  'symbol',
  'other',
] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
/** Kinds that count towards N, use up window positions and can be collocates. */
export const COUNTED_KINDS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'word',
  'number',
  'email',
  'url',
  'mention',
  'hashtag',
  'emoji',
  'emoticon',
  'time',
  'ordinal',
]);

/** What a document says about itself (file properties, TEI/OPF headers) or a metadata.csv adds. */
export interface DocumentMetadata {
  title?: string;
  author?: string;
  date?: string;
  source?: string;
  /** Other fields: CSV columns, TEI/OPF extras, sidecar metadata.csv columns. */
  meta?: Record<string, string>;
}

/**
 * How a document's language was decided, strongest first: a `language` column in metadata.csv, a
 * `language:` front-matter field, the corpus-wide setting (`--language`), the file's own markup
 * (`<html lang>`, EPUB/TEI language), detection from the text, or assumed English for a text too
 * short to tell that is written in Latin letters.
 */
export type LanguageSource = 'metadata' | 'front matter' | 'corpus setting' | 'markup' | 'detected' | 'assumed' | 'undetermined';

export interface DocumentLanguage {
  /** ISO 639-1 code where one exists (else ISO 639-3), lower case: `en`, `ru`, `zh`; absent when undetermined. */
  language?: string;
  languageSource?: LanguageSource;
}

export interface DocumentInfo extends DocumentMetadata, DocumentLanguage {
  /** `rtl` when the document's language is written right to left; absent: ltr. */
  dir?: 'rtl';
  /** Opaque, stable within an index: the renderer refers to documents by this, never by path. */
  id: number;
  /** Path relative to the corpus root (or the file name for single files). */
  name: string;
  tokens: number;
  /** Counted tokens (words and numbers). */
  counted: number;
  encoding: string;
  warnings: string[];
  /** Number of sections (chapters, headings, TEI divs) and pages (PDF) the document has. */
  sections?: number;
  pages?: number;
}

export interface SkippedFile {
  name: string;
  reason: string;
}

export interface CorpusInfo {
  /** Content fingerprint of the corpus (sha256 over its files' hashes). */
  fingerprint: string;
  label: string;
  documents: DocumentInfo[];
  skipped: SkippedFile[];
  tokens: number;
  counted: number;
  types: number;
  /** True when the saved index was reused (nothing tokenised). */
  reused: boolean;
}

export interface IndexProgress {
  /** `merging`: a corpus indexed in segments, its segments being merged into its index. */
  phase: 'reading' | 'tokenising' | 'indexing' | 'saving' | 'merging' | 'loading';
  done: number;
  total: number;
  file?: string;
  /** For a corpus indexed in segments: the segment this phase works on (from 1), of how many. */
  segment?: { at: number; of: number };
}

/**
 * Sort keys for KWIC: L5..L1, node, R1..R5 (case-folded counted words: punctuation is skipped),
 * doc (document order, then position: the location), code (the line's first category in the
 * project's order, uncoded lines last), random.
 */
export type SortKey = 'L5' | 'L4' | 'L3' | 'L2' | 'L1' | 'node' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'doc' | 'code' | 'random';
export const SORT_KEYS: readonly SortKey[] = ['L5', 'L4', 'L3', 'L2', 'L1', 'node', 'R1', 'R2', 'R3', 'R4', 'R5', 'doc', 'code', 'random'];

/**
 * Which matches of a query with gaps or optional tokens count as hits. `shortest`: the shortest
 * match from each start (Corpus Workbench's `traditional`). `standard`: the same, less every match
 * that ends where an earlier one ends (Corpus Workbench's default). Queries of one length agree.
 */
export type Matching = 'shortest' | 'standard';
export const MATCHINGS: readonly Matching[] = ['shortest', 'standard'];

export interface KwicRequest {
  query: string;
  /** Restrict to a subcorpus: documents whose metadata match, e.g. `year < 1950 & author = Cliff`. */
  where?: string;
  /** Case-sensitive matching of plain words and wildcards. Default false. */
  caseSensitive?: boolean;
  /** Default 'shortest'. The filter's query is matched the same way. */
  matching?: Matching;
  /** Counted tokens of context each side. Default 8. */
  context?: number;
  sort?: SortKey[];
  /** Seed for `random` sorting and for thinning. */
  seed?: number;
  /** Keep only hits with this word (a query) within `filterSpan` counted tokens of the node. */
  filter?: string;
  /** Default 5. */
  filterSpan?: number;
  /** Keep a seeded random sample of this many hits (thinning), applied before sort and paging. */
  sample?: number;
  /**
   * Keep only hits whose first token lies in [from, to): token positions of the corpus (or of the
   * subcorpus `where` selects), as a trend's segment gives them.
   */
  range?: [number, number];
  /**
   * Keep only hits coded in the open project with one of these category ids; '' stands for hits
   * with no category. Needs an open project.
   */
  codes?: string[];
  offset?: number;
  /** Default 50. */
  limit?: number;
}

export interface KwicLine {
  /** Document id. */
  doc: number;
  /** Document name, for display and export. */
  docName: string;
  /** Token position of the node's first token within the whole corpus. */
  position: number;
  /** Token position of the node's first token within its document. */
  docPosition: number;
  left: string;
  node: string;
  right: string;
  /** Character offsets of the node in the document's text. */
  start: number;
  end: number;
  /** Title of the section the node is in, where the document has sections. */
  section?: string;
  /** Page the node is on (1-based), where the document has pages. */
  page?: number;
  /** Category ids the open project gives this hit, in the project's order. */
  codes?: string[];
  /** The same categories by name (for exports and screen readers). */
  categories?: string[];
  /** The reader's note on this hit. */
  note?: string;
  /** Set when the document changed since the hit was coded (see contract/project.ts). */
  codeState?: 'moved' | 'changed';
  /**
   * The words the sort keys read (L1, R2, ...), as character ranges of `left` or `right`, so the
   * lines can show what they were sorted by. Present when the request sorts by L or R keys.
   */
  marks?: Array<{ key: SortKey; side: 'left' | 'right'; start: number; end: number }>;
  /**
   * `rtl` when the document is written right to left (Arabic, Hebrew, ...): the line is drawn with
   * the following text on the left of the node and the preceding text on its right. Absent: ltr.
   */
  dir?: 'rtl';
}

export interface KwicPage {
  query: string;
  /** Lines after filtering, thinning, range and codes: what the pages hold. */
  hits: number;
  documents: number;
  /** Hits of the query alone, before any filter, sample, range or code restriction. */
  of: number;
  offset: number;
  lines: KwicLine[];
  /** With no hits: close words or phrases that do occur (`workers' councils` for `workers councils`). */
  suggestions?: string[];
}

export interface CountResult {
  query: string;
  hits: number;
  documents: number;
}

export interface PassageHit {
  doc: number;
  docName: string;
  paragraph: number;
  text: string;
  start: number;
  end: number;
}

export interface DocumentText {
  doc: number;
  name: string;
  text: string;
  /** [start, end) character offsets of every hit of the query in this document, if one was given. */
  hits: Array<[number, number]>;
}
