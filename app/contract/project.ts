/**
 * The reader's analysis as it crosses boundaries: categories, coded lines with notes, saved queries,
 * the query history and the view state. The host keeps the project file (app/project/); the renderer
 * sees these shapes only.
 */

/** A coding category the reader defines: keys 1-9 assign the first nine. */
export interface Category {
  /** Stable within a project; never reused after a category is deleted. */
  id: string;
  name: string;
  /** CSS colour, `#rrggbb`. */
  colour: string;
}

/**
 * Where a coded hit is: the document by its name in the corpus, the hit's character offsets in the
 * document's text, the text of the hit itself, a little text either side, and a hash of the whole
 * document's text when the hit was coded. These let a code outlive a re-index: a document whose hash
 * is unchanged keeps its codes as they are; one whose text changed has each hit found again by its
 * text and surroundings, and flagged.
 */
export interface Anchor {
  doc: string;
  start: number;
  end: number;
  text: string;
  before: string;
  after: string;
  docHash: string;
}

/**
 * What re-anchoring found: `ok` the document is unchanged; `moved` its text changed but the hit was
 * found again (start/end are the new offsets); `changed` the hit's text is no longer there, or the
 * document is gone: the code is kept where it was and shown as such, never dropped.
 */
export type AnchorState = 'ok' | 'moved' | 'changed';

export interface CodedLine {
  anchor: Anchor;
  /** Category ids, in the order they were given. */
  codes: string[];
  note?: string;
  /** The query the line was found with (for the record and the CLI listing). */
  query?: string;
  /** ISO 8601. */
  codedAt: string;
}

/** A coded line as the open corpus sees it now. */
export interface ResolvedLine extends CodedLine {
  state: AnchorState;
  /** The document's id in the open corpus; absent when the document is gone. */
  docId?: number;
  /** Current offsets (equal to the anchor's unless the hit moved). */
  start: number;
  end: number;
}

/** The views a saved query or a history entry can name (the renderer's view ids). */
export type ProjectViewId =
  'concordance' | 'wordlist' | 'collocates' | 'ngrams' | 'keywords' | 'dispersion' | 'passages' | 'compare' | 'trends' | 'corpus';

/**
 * One state of the reader's work that back/forward returns to: the query, where it is shown and its
 * settings. `settings` holds the view's own controls (sort, filter, span, ...) as the renderer keeps them.
 */
export interface HistoryEntry {
  view: ProjectViewId;
  query: string;
  where?: string;
  caseSensitive?: boolean;
  settings?: Record<string, unknown>;
}

export interface SavedQueryEntry extends HistoryEntry {
  name: string;
}

export interface ProjectState {
  /** The project file's path (the reader chose it, or it lives in the data folder). */
  file: string;
  name: string;
  /** Corpus paths; null = the bundled corpus. */
  corpus: string[] | null;
  categories: Category[];
  lines: ResolvedLine[];
  queries: SavedQueryEntry[];
  history: HistoryEntry[];
  /** Index into history of the state shown; -1 when the history is empty. */
  historyAt: number;
  /** The view state to restore on reopen: the entry shown plus anything else the renderer keeps. */
  view?: Record<string, unknown>;
  /** ISO 8601 of the last save. */
  savedAt: string;
}

/** A line of the projects panel. */
export interface ProjectSummary {
  file: string;
  name: string;
  savedAt: string;
  corpus: string[] | null;
  codedLines: number;
}

/** Replaces the fields given; the host saves the project at once (atomically). */
export interface ProjectPatch {
  name?: string;
  categories?: Category[];
  queries?: SavedQueryEntry[];
  history?: HistoryEntry[];
  historyAt?: number;
  view?: Record<string, unknown>;
}

/** Hits to code, by what a KWIC line says of them. */
export interface CodeLinesRequest {
  lines: Array<{ doc: number; start: number; end: number }>;
  /** Category ids to add to each line, and to remove from it. */
  add?: string[];
  remove?: string[];
  /** A note for every line given; '' removes the note. */
  note?: string;
  /** The query the lines came from. */
  query?: string;
}
