/**
 * The token store: one corpus, column-wise in typed arrays, with string tables and lazily built
 * positional indexes. This is the structure every query, KWIC page and statistic reads.
 *
 * Token i of the corpus (global position) has:
 *   form[i]  exact form id   -> forms[id]   (NFC, apostrophes folded, case kept)
 *   word[i]  case-folded id  -> words[id]
 *   lemma[i] lemma id        -> lemmas[id]  (case-folded)
 *   pos[i]   UPOS id         -> UPOS_TAGS[id]
 *   kind[i]  kind id         -> TOKEN_KINDS[id]; counted[i] is 1 for counted kinds
 *   start[i], end[i]         character offsets into docs[docOf(i)].text
 *   flags[i]                 bit 1: first token of a sentence, bit 2: first of a paragraph
 * Documents occupy token ranges docStart[d] .. docStart[d+1].
 *
 * `word` and `counted` are derived on first use and hot paths avoid `word` (they read
 * formToWord[form[i]]). An index opened lazily from a large saved file (app/index/lazy.ts) reads each
 * column when it is first used and answers single values (startAt, countedAt, wordPositions) and
 * ranges of tokens (readTokens) from 4,096-token blocks of the file before that, so memory holds only
 * what the reader's queries have touched.
 */
import { COUNTED_KINDS, TOKEN_KINDS, type DocumentLanguage, type DocumentMetadata } from '../contract/types.js';
import { buildFoldedPostings, buildPostings, distinctDocuments, postingsOf, unionPositions, type Postings } from './postings.js';
import { LoupeFailure } from '../contract/errors.js';
import type { KeyIds } from '../structures/intern.js';
import { tokenisedAsEnglish, UPOS_TAGS } from '../text/tokenise.js';
import { lowerFold } from '../text/normalise.js';
import { codePointOrder, type SortedTable } from './sorted-strings.js';

export { PARAGRAPH_START, SENTENCE_START } from './flags.js';

export interface DocumentSection {
  title: string;
  /** Character offset in the document text where the section starts. */
  start: number;
  kind: 'chapter' | 'heading' | 'div' | 'page';
}

/** Hits further apart than this many tokens, more than SPREAD_JUMPS times on a page, make a page worth reading ahead. */
const SPREAD_APART = 16_384;
const SPREAD_JUMPS = 4;

/** The key of a lazily read document's reader of its text that keeps nothing. */
export const READ_TEXT_ONCE = Symbol('read text once');
/** The key of a lazily read document's reading of its bytes ahead, in the background, for its next `text`. */
export const READ_TEXT_AHEAD = Symbol('read text ahead');
/** The key of a lazily read document's reader of characters [from, to) of its text without the rest (undefined where it cannot). */
export const READ_TEXT_SLICE = Symbol('read text slice');

export interface StoredDocument extends DocumentMetadata, DocumentLanguage {
  name: string;
  /** Absolute path of the source file. */
  path: string;
  encoding: string;
  warnings: string[];
  text: string;
  /** Sections in text order (chapters, headings, TEI divs). */
  sections?: DocumentSection[];
  /** Character offsets where each page starts (page n = index + 1); PDFs only. */
  pages?: number[];
  /** Where the text is read on demand (lazy.ts): reads it without keeping it (see CorpusIndex.passingText). */
  [READ_TEXT_ONCE]?: () => string;
  [READ_TEXT_AHEAD]?: () => Promise<void>;
  [READ_TEXT_SLICE]?: (from: number, to: number) => string | undefined;
}

/** Index of the last entry of ascending `starts` that is <= offset, or -1. */
export function lastAtOrBefore(starts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Index of the first entry of ascending `a` that is >= v (a.length when there is none). */
export function firstAtLeast(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface StoreColumns {
  forms: string[];
  lemmas: string[];
  form: Uint32Array;
  lemma: Uint32Array;
  pos: Uint8Array;
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  flags: Uint8Array;
  docStart: Uint32Array;
  /** forms[id] -> id, when the builder has made it anyway: the word table then hashes far fewer strings. */
  formIds?: KeyIds;
}

const COUNTED_KIND_FLAGS = Uint8Array.from(TOKEN_KINDS.map((k) => (COUNTED_KINDS.has(k) ? 1 : 0)));

/** Decoded positions of frequent words kept by a lazily opened index (32M positions: 128 MB). */
const RECENT_POSITIONS = 32 * 1024 * 1024;

/** Bitsets of very frequent words kept per index (each tokens / 8 bytes: 51 MB at 100M tokens). */
const KEPT_BITSETS = 4;

/**
 * Caller-owned arrays for readTokens to fill with the columns of a range of positions: any of them,
 * each at least as long as the range. Entry k is position from + k.
 */
export interface TokenColumns {
  form?: Uint32Array;
  lemma?: Uint32Array;
  pos?: Uint8Array;
  /**
   * The POS tag in each byte's low POS_BITS bits, the other bits left as the file holds them (the
   * caller masks): copied as stored, without a pass over the range to separate them.
   */
  posPacked?: Uint8Array;
  kind?: Uint8Array;
  start?: Uint32Array;
  end?: Uint32Array;
}

export type U32Column =
  'form' | 'lemma' | 'start' | 'end' | 'formToWord' | 'wordRank' | 'wordPostingsOffsets' | 'wordPostings' | 'wordCounted' | 'wordRange';
export type U8Column = 'pos' | 'kind' | 'flags';
/** The orders the words are saved in, by which their postings can be found a range of ranks at a time. */
export type WordOrder = 'words' | 'wordsReversed';

/**
 * The entries of a sorted table between two ranks: how many there are is known at once; their ids and
 * strings are read when first asked for (a pattern that takes the whole range needs neither).
 */
export interface SortedRange {
  firstRank: number;
  count: number;
  readonly ids: Uint32Array;
  readonly strings: string[];
}

/**
 * Where a saved index's parts come from when it is opened lazily (app/index/lazy.ts): whole sections
 * are read (and checksummed) on first use, single values before that by block, so a large corpus
 * answers its first query without reading its columns.
 */
export interface ColumnSource {
  readonly countedTotal: number;
  readonly docCounted: Uint32Array;
  readonly wordCount: number;
  readonly formCount: number;
  readonly lemmaCount: number;
  u32(name: U32Column): Uint32Array;
  u8(name: U8Column): Uint8Array;
  strings(name: SortedTable): string[];
  /** Single values of the start, end and kind columns, read by block before the column is loaded. */
  startAt(i: number): number;
  endAt(i: number): number;
  kindAt(i: number): number;
  /** The columns of positions [from, to) (a range inside the corpus), from decoded blocks: never a whole column. */
  readTokens(from: number, to: number, out: TokenColumns): void;
  /** One word's positions, without reading the other words'. */
  wordPositions(id: number): Uint32Array;
  /** Many words' positions, read together. */
  wordPositionsMany(ids: readonly number[]): Uint32Array[];
  /** The positions of any of many words, ascending, without a list per word. */
  wordsUnion(ids: readonly number[]): Uint32Array;
  /** The same for the words of rank ranges in code-point order (the words of a prefix) or spelled backwards (of a suffix). */
  wordsUnionOfRanks(table: WordOrder, ranges: ReadonlyArray<readonly [number, number]>): Uint32Array;
  /** wordsUnionOfRanks with its reads made several at once; undefined where it only read them ahead. */
  wordsUnionOfRanksAhead(table: WordOrder, ranges: ReadonlyArray<readonly [number, number]>): Promise<Uint32Array | undefined>;
  /** Whether a case-folded word may hold a long s (ſ). */
  readonly mayHoldLongS: boolean;
  /** Each exact form's, lemma's or tag's counted tokens and documents, where the index was saved with them. */
  groupCounts(group: 'form' | 'lemma' | 'pos'): { counted: Uint32Array; range: Uint32Array } | undefined;
  /** The ids of a sorted table in code-point order of their strings. */
  sortedOrder(table: 'forms' | 'lemmas'): Uint32Array;
  /** Reads ahead, in parallel, the small sections every concordance page uses. */
  readPageSectionsAhead(): Promise<void>;
  /** Reads ahead, in parallel, the column blocks around these positions. */
  readBlocksAhead(positions: ArrayLike<number>): Promise<void>;
  /** How many tokens the words of ranks [from, to) have. */
  wordCountOfRanks(table: WordOrder, from: number, to: number): number;
  wordFrequency(id: number): number;
  wordFirstPosition(id: number): number;
  /** Case-folded word, exact form or lemma -> id, by binary search over the saved sorted table. */
  wordId(word: string): number | undefined;
  formId(form: string): number | undefined;
  lemmaId(lemma: string): number | undefined;
  /** Keeps the vocabulary tables in memory: many lookups to come. */
  keepVocabulary(): void;
  /** Before many words' postings are read or counted: locates them together. */
  locateWords(ids: readonly number[]): void;
  /** The word of alphabetical rank `rank`, from the kept vocabulary tables (one buffer, not a string per word). */
  wordByRank(rank: number): string;
  /** Ids (ascending) of the words starting with a prefix, from the same tables. */
  wordIdsWithPrefix(prefix: string): number[];
  /** The words or exact forms starting with a prefix and their ids, read by range from the saved table, and the rank of the first. */
  stringsWithPrefix(table: 'words' | 'forms' | 'wordsReversed', prefix: string): SortedRange;
  /** One exact form's, lemma's or POS tag's positions and frequency, without reading a column. */
  formPositions(id: number): Uint32Array;
  formFrequency(id: number): number;
  lemmaPositions(id: number): Uint32Array;
  /** An estimate, for choosing which condition to start from. */
  lemmaFrequency(id: number): number;
  posPositions(id: number): Uint32Array;
  posFrequency(id: number): number;
}

export class CorpusIndex {
  readonly posTags: readonly string[] = UPOS_TAGS;
  readonly docStart: Uint32Array;
  readonly docs: StoredDocument[];
  /** Number of counted tokens (N in docs/statistics.md). */
  readonly countedTotal: number;
  /** For a subcorpus: the id of each of its documents in the full corpus (what the reader sees). */
  globalDocIds?: Uint32Array;

  private readonly src: ColumnSource | undefined;
  private readonly n: number;
  private _forms?: string[];
  private _words?: string[];
  /**
   * A lazily opened index's vocabulary as strings, held only while something uses it. Kept, its 2.2M
   * strings (at 100M tokens) were marked by every full garbage collection after the first wildcard or
   * frequency list: 70-140 ms pauses every few dozen queries, which set the p95 of phrase and
   * collocation queries. Single words come from the saved tables instead (wordAt).
   */
  private _wordsHeld?: WeakRef<string[]>;
  private _lemmas?: string[];
  /** Word -> id for an index built in memory: through the form of the same spelling, else the rest. */
  private _wordLookup?: { formIds: KeyIds; otherWords: Map<string, number> };
  private _formToWord?: Uint32Array;
  private _form?: Uint32Array;
  private _word?: Uint32Array;
  private _lemma?: Uint32Array;
  private _pos?: Uint8Array;
  private _kind?: Uint8Array;
  private _counted?: Uint8Array;
  private _start?: Uint32Array;
  private _end?: Uint32Array;
  private _flags?: Uint8Array;
  private _formIds?: Map<string, number>;
  private _lemmaIds?: Map<string, number>;
  private _formRank?: Uint32Array;

  private _byWord?: Postings;
  private _wordOffsets?: Uint32Array;
  private readonly recentPositions = new Map<number, Uint32Array>();
  private recentHeld = 0;
  private readonly keptBits = new Map<number, Int32Array>();
  private _byForm?: Postings;
  private _byLemma?: Postings;
  private _byPos?: Postings;
  private _wordRank?: Uint32Array;
  private _docCounted?: Uint32Array;

  /**
   * An index over columns in memory (built, or loaded whole), or, with `src`, over a saved index read
   * on demand: then `cols` carries only the document table and everything else comes from `src`.
   */
  constructor(cols: StoreColumns, docs: StoredDocument[]);
  constructor(cols: Pick<StoreColumns, 'docStart'> & { tokens: number }, docs: StoredDocument[], src: ColumnSource);
  constructor(cols: StoreColumns | (Pick<StoreColumns, 'docStart'> & { tokens: number }), docs: StoredDocument[], src?: ColumnSource) {
    this.docStart = cols.docStart;
    this.docs = docs;
    this.src = src;
    if (src) {
      this.n = (cols as { tokens: number }).tokens;
      this.countedTotal = src.countedTotal;
      this._docCounted = src.docCounted;
      return;
    }
    const c = cols as StoreColumns;
    this._forms = c.forms;
    this._lemmas = c.lemmas;
    this._form = c.form;
    this._lemma = c.lemma;
    this._pos = c.pos;
    this._kind = c.kind;
    this._start = c.start;
    this._end = c.end;
    this._flags = c.flags;
    this.n = c.form.length;
    const forms = c.forms;
    const formIds = c.formIds ?? new Map(forms.map((f, i) => [f, i]));
    const { words, otherWords, formToWord } = wordsOfForms(forms, formIds);
    this._words = words;
    this._wordLookup = { formIds, otherWords };
    this._formToWord = formToWord;
    // Locals, not fields, in the hot loop: field access inside a constructor that is still adding
    // fields is several times slower (this loop runs once per token at open).
    const kind = c.kind;
    const n = kind.length;
    let counted = 0;
    for (let i = 0; i < n; i++) counted += COUNTED_KIND_FLAGS[kind[i]!]!;
    this.countedTotal = counted;
  }

  /**
   * Whether any document was tokenised as English (by wink-nlp): plain query text is then split the
   * way wink splits it, and otherwise by Unicode segmentation, like the documents.
   */
  get hasEnglish(): boolean {
    return (this._hasEnglish ??= this.docs.some(tokenisedAsEnglish));
  }
  private _hasEnglish: boolean | undefined;

  /** True when parts of the index are read from its saved file on demand. */
  get lazy(): boolean {
    return this.src !== undefined;
  }

  get forms(): string[] {
    return (this._forms ??= this.src!.strings('forms'));
  }
  get lemmas(): string[] {
    return (this._lemmas ??= this.src!.strings('lemmas'));
  }
  /** Case-folded words; ids are the `word` ids of the postings and statistics. */
  get words(): string[] {
    if (this._words) return this._words;
    let words = this._wordsHeld?.deref();
    if (!words) {
      words = this.src!.strings('words');
      this._wordsHeld = new WeakRef(words);
    }
    return words;
  }
  /** Ids (ascending) of the words starting with `prefix`, without loading the whole vocabulary of a lazily opened index. */
  wordIdsWithPrefix(prefix: string): number[] {
    const words = this._words ?? this._wordsHeld?.deref();
    if (!words) return this.src!.wordIdsWithPrefix(prefix);
    const ids: number[] = [];
    for (let id = 0; id < words.length; id++) if (words[id]!.startsWith(prefix)) ids.push(id);
    return ids;
  }
  /**
   * The case-folded words or exact forms starting with `prefix` (or the words ending in it, spelled
   * backwards, from `wordsReversed`), with their ids, when the index is read
   * from its saved file and that table is not in memory: a wildcard with a literal start then reads one
   * range of the table. Undefined otherwise (the caller scans the strings it has).
   */
  savedStringsWithPrefix(table: 'words' | 'forms' | 'wordsReversed', prefix: string): SortedRange | undefined {
    if (!this.src) return undefined;
    if (table === 'forms' ? this._forms : this._words || this._wordsHeld?.deref()) return undefined;
    return this.src.stringsWithPrefix(table, prefix);
  }
  /** Word `id`'s text, without loading the whole vocabulary of a lazily opened index. */
  wordAt(id: number): string {
    const words = this._words ?? this._wordsHeld?.deref();
    if (words) return words[id]!;
    if (!(id >= 0 && id < this.wordCount)) throw new LoupeFailure('E_INTERNAL', `word ${id} is out of range`);
    return this.src!.wordByRank(this.wordRank[id]!);
  }
  get wordCount(): number {
    return this._words ? this._words.length : this.src!.wordCount;
  }
  /** How many exact forms and lemmas there are, without reading their strings. */
  get formCount(): number {
    return this._forms ? this._forms.length : this.src!.formCount;
  }
  get lemmaCount(): number {
    return this._lemmas ? this._lemmas.length : this.src!.lemmaCount;
  }
  /** form id -> case-folded word id */
  get formToWord(): Uint32Array {
    return (this._formToWord ??= this.src!.u32('formToWord'));
  }
  get form(): Uint32Array {
    return (this._form ??= this.src!.u32('form'));
  }
  get lemma(): Uint32Array {
    return (this._lemma ??= this.src!.u32('lemma'));
  }
  get pos(): Uint8Array {
    return (this._pos ??= this.src!.u8('pos'));
  }
  get kind(): Uint8Array {
    return (this._kind ??= this.src!.u8('kind'));
  }
  get flags(): Uint8Array {
    return (this._flags ??= this.src!.u8('flags'));
  }
  /** Character offsets into the document text: where each token starts and (exclusive) ends. */
  get start(): Uint32Array {
    return (this._start ??= this.src!.u32('start'));
  }
  get end(): Uint32Array {
    return (this._end ??= this.src!.u32('end'));
  }

  /**
   * The case-folded word id of every token. Derived (4 bytes a token) on first use: hot paths read
   * `formToWord[form[i]]` instead, so a large corpus never needs this column.
   */
  get word(): Uint32Array {
    if (!this._word) {
      const form = this.form;
      const f2w = this.formToWord;
      const n = form.length;
      const word = new Uint32Array(n);
      for (let i = 0; i < n; i++) word[i] = f2w[form[i]!]!;
      this._word = word;
    }
    return this._word;
  }

  /** 1 for counted tokens (a byte a token, derived from `kind` on first use). */
  get counted(): Uint8Array {
    if (!this._counted) {
      // The kind column is not kept for this: nothing hot reads it once `counted` exists.
      const kind = this._kind ?? this.src!.u8('kind');
      const n = kind.length;
      const counted = new Uint8Array(n);
      for (let i = 0; i < n; i++) counted[i] = COUNTED_KIND_FLAGS[kind[i]!]!;
      this._counted = counted;
    }
    return this._counted;
  }

  // Single values, for a few lines of a KWIC page: from the columns when they are in memory, else
  // read by block from the saved index, so the first page does not wait for whole columns.
  startAt(i: number): number {
    return this._start ? this._start[i]! : this.src!.startAt(i);
  }
  endAt(i: number): number {
    return this._end ? this._end[i]! : this.src!.endAt(i);
  }
  countedAt(i: number): number {
    if (this._counted) return this._counted[i]!;
    return COUNTED_KIND_FLAGS[this._kind ? this._kind[i]! : this.src!.kindAt(i)] ?? 0;
  }

  /**
   * Fills `out` with the columns of positions [from, to): copied from the columns in memory, or read
   * block by block from the saved index when the column is not loaded, so a pass over every token of
   * a large corpus (an export) holds a block at a time instead of whole columns.
   */
  readTokens(from: number, to: number, out: TokenColumns): void {
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= this.n))
      throw new LoupeFailure('E_INTERNAL', `tokens ${from} to ${to} are not a range of the ${this.n} tokens`);
    const count = to - from;
    for (const a of Object.values(out) as Array<Uint32Array | Uint8Array | undefined>)
      if (a && a.length < count) throw new LoupeFailure('E_INTERNAL', `an array of ${a.length} cannot hold ${count} tokens`);
    // Each column asked for is copied from memory where it is loaded (the POS tags hold no other bits
    // there, so they serve posPacked too); the rest are read from the source together.
    const loaded: Record<keyof TokenColumns, Uint32Array | Uint8Array | undefined> = {
      form: this._form,
      lemma: this._lemma,
      pos: this._pos,
      posPacked: this._pos,
      kind: this._kind,
      start: this._start,
      end: this._end,
    };
    const rest: Record<string, Uint32Array | Uint8Array> = {};
    let unread = false;
    for (const name of Object.keys(loaded) as Array<keyof TokenColumns>) {
      const into = out[name];
      if (!into) continue;
      const column = loaded[name];
      if (column) into.set(column.subarray(from, to));
      else [rest[name], unread] = [into, true];
    }
    // An index in memory has every column, so only a lazily opened one reads from its source.
    if (count > 0 && unread) this.src!.readTokens(from, to, rest as TokenColumns);
  }

  /**
   * Characters [from, to) of document d's text: on a lazily opened index, read from its file by
   * position where the file allows (a KWIC line of a document not yet read), else from the text.
   */
  textSlice(d: number, from: number, to: number): string {
    const doc = this.docs[d]!;
    return doc[READ_TEXT_SLICE]?.(from, to) ?? doc.text.slice(from, to);
  }

  /**
   * Document d's text for a pass over every document: on a lazily opened index it is read without
   * joining the texts kept for KWIC pages, so such a pass holds only the document it is in.
   */
  passingText(d: number): string {
    const doc = this.docs[d]!;
    return doc[READ_TEXT_ONCE]?.() ?? doc.text;
  }

  /** Case-folded word -> id. */
  wordId(word: string): number | undefined {
    if (this._wordLookup) {
      const g = this._wordLookup.formIds.get(word);
      if (g !== undefined && this._words![this._formToWord![g]!] === word) return this._formToWord![g];
      return this._wordLookup.otherWords.get(word);
    }
    return this.src!.wordId(word);
  }

  /**
   * Before reading many words' postings (a pattern matching thousands of words): a lazily opened index
   * locates them together (LazySource.locateWords), instead of a few bytes of its tables per word.
   */
  preparePostingReads(ids: readonly number[]): void {
    this.src?.locateWords(ids);
  }

  /**
   * Before many wordId calls (a reference list of 50,000 words): a lazily opened index reads its
   * vocabulary tables whole once, instead of probing the file for each word.
   */
  prepareWordLookups(): void {
    this.src?.keepVocabulary();
  }

  /** Exact form -> id: from the table if it is made, else by a search of the saved index. */
  formId(form: string): number | undefined {
    return this._formIds || !this.src ? this.formIds.get(form) : this.src.formId(form);
  }
  /** Lemma -> id, the same way. */
  lemmaId(lemma: string): number | undefined {
    return this._lemmaIds || !this.src ? this.lemmaIds.get(lemma) : this.src.lemmaId(lemma);
  }

  /** Exact form -> id, for many lookups; built on first use, not at open. */
  get formIds(): Map<string, number> {
    if (!this._formIds) {
      const m = new Map<string, number>();
      const forms = this.forms;
      for (let i = 0; i < forms.length; i++) m.set(forms[i]!, i);
      this._formIds = m;
    }
    return this._formIds;
  }

  /** Lemma -> id, for many lookups; built on first use. */
  get lemmaIds(): Map<string, number> {
    if (!this._lemmaIds) {
      const m = new Map<string, number>();
      const lemmas = this.lemmas;
      for (let i = 0; i < lemmas.length; i++) m.set(lemmas[i]!, i);
      this._lemmaIds = m;
    }
    return this._lemmaIds;
  }

  get tokenCount(): number {
    return this.n;
  }

  /** Positions of every token by case-folded word (saved with the index, else built on first use). */
  get byWord(): Postings {
    if (!this._byWord) {
      this._byWord = this.src
        ? { offsets: this.wordPostingsOffsets, positions: this.src.u32('wordPostings') }
        : this._word
          ? buildPostings(this._word, this.wordCount)
          : buildFoldedPostings(this.form, this.formToWord, this.wordCount);
    }
    return this._byWord;
  }
  /** Offsets into the word postings: a word's frequency without reading its positions. */
  get wordPostingsOffsets(): Uint32Array {
    if (this._byWord) return this._byWord.offsets;
    return this.src ? (this._wordOffsets ??= this.src.u32('wordPostingsOffsets')) : this.byWord.offsets;
  }
  /** Tokens of one word (all of them, counted or not): its postings' length. */
  wordFrequency(id: number): number {
    if (this._byWord || this._wordOffsets || !this.src) {
      const offsets = this.wordPostingsOffsets;
      return offsets[id + 1]! - offsets[id]!;
    }
    return this.src.wordFrequency(id);
  }

  /** The positions of one word; read alone from the saved index until the whole list is loaded. */
  wordPositions(id: number): Uint32Array {
    if (this._byWord || !this.src) return postingsOf(this.byWord, id);
    const hit = this.recentPositions.get(id);
    if (hit) {
      this.recentPositions.delete(id);
      this.recentPositions.set(id, hit);
      return hit;
    }
    return this.keepIfFrequent(id, this.src.wordPositions(id));
  }
  /**
   * Frequent words are asked for again and again (`the`, `of the`): their decoded lists are kept, up
   * to a bound, rather than millions of gaps decoded per query.
   */
  private keepIfFrequent(id: number, list: Uint32Array): Uint32Array {
    if (list.length >= 4096) {
      this.recentPositions.set(id, list);
      this.recentHeld += list.length;
      while (this.recentHeld > RECENT_POSITIONS && this.recentPositions.size > 1) {
        const [oldest, l] = this.recentPositions.entries().next().value!;
        this.recentPositions.delete(oldest);
        this.recentHeld -= l.length;
      }
    }
    return list;
  }
  /** The positions of each of `ids`: for a lazily opened index, read together (see LazySource). */
  wordPositionsMany(ids: readonly number[]): Uint32Array[] {
    if (this._byWord || !this.src || ids.length < 2) return ids.map((id) => this.wordPositions(id));
    const held = ids.map((id) => this.recentPositions.get(id));
    const missing = ids.filter((_, k) => !held[k]);
    const read = this.src.wordPositionsMany(missing);
    let m = 0;
    return held.map((h, k) => h ?? this.keepIfFrequent(ids[k]!, read[m++]!));
  }
  /**
   * The positions of the words of the rank ranges (as savedStringsWithPrefix('words') gave them),
   * ascending: from a lazily opened index, one read per range. Undefined for an index in memory.
   */
  wordPositionsOfRanks(table: WordOrder, ranges: ReadonlyArray<[number, number]>): Uint32Array | undefined {
    if (this._byWord || !this.src) return undefined;
    return this.src.wordsUnionOfRanks(table, ranges);
  }
  /**
   * Before a concordance page of a saved index is made: reads at once, in the background threads, the
   * blocks of the columns around these hits and the texts of their documents, which the page would
   * otherwise read one after another. Nothing for an index in memory.
   */
  async readPageAhead(starts: ArrayLike<number>): Promise<void> {
    if (!this.src) return;
    const docs = new Set<number>();
    for (let i = 0; i < starts.length; i++) docs.add(this.docOf(starts[i]!));
    // Hits close together (a page of a frequent word) need a few neighbouring blocks and one text,
    // which reading ahead cannot speed up: only pages spread over the corpus are read ahead.
    let jumps = 0;
    for (let i = 1; i < starts.length; i++) if (Math.abs(starts[i]! - starts[i - 1]!) > SPREAD_APART) jumps++;
    if (docs.size < 2 && jumps < SPREAD_JUMPS) return;
    await Promise.all([this.src.readBlocksAhead(starts), ...[...docs].map((d) => this.docs[d]![READ_TEXT_AHEAD]?.())]);
  }
  /** Before a first concordance page of a saved index: reads the small sections it uses at once, not one after another. */
  async readPageSectionsAhead(): Promise<void> {
    await this.src?.readPageSectionsAhead();
  }
  /**
   * wordPositionsOfRanks with the postings read several reads at once (they may lie in hundreds of
   * places), for a query about to run; undefined for an index in memory, or where the postings were
   * only read ahead into the page cache (a union too dense for a list).
   */
  async wordPositionsOfRanksAhead(table: WordOrder, ranges: ReadonlyArray<[number, number]>): Promise<Uint32Array | undefined> {
    if (this._byWord || !this.src) return undefined;
    return this.src.wordsUnionOfRanksAhead(table, ranges);
  }
  /** How many tokens the words of the rank ranges have (see wordPositionsOfRanks); undefined for an index in memory. */
  wordCountOfRanks(table: WordOrder, ranges: ReadonlyArray<[number, number]>): number | undefined {
    if (this._byWord || !this.src) return undefined;
    return ranges.reduce((n, [from, to]) => n + this.src!.wordCountOfRanks(table, from, to), 0);
  }
  /** The positions of any of `ids` (many words: a pattern's), ascending. */
  wordPositionsUnion(ids: readonly number[]): Uint32Array {
    if (this._byWord || !this.src) return unionPositions(ids.map((id) => this.wordPositions(id)));
    return this.src.wordsUnion(ids);
  }
  /**
   * A very frequent word's positions as a bitset over the corpus (tokens / 8 bytes: smaller than its
   * positions once it is more than one token in 32), kept for the next phrase that needs it; undefined
   * for other words, which phrases gallop or mark per query.
   */
  wordBits(id: number): Int32Array | undefined {
    const n = this.n;
    if (this.wordFrequency(id) * 32 < n) return undefined;
    let bits = this.keptBits.get(id);
    if (!bits) {
      bits = new Int32Array((n >>> 5) + 1);
      const list = this.wordPositions(id);
      for (let j = 0; j < list.length; j++) {
        const y = list[j]!;
        bits[y >>> 5]! |= 1 << (y & 31);
      }
      if (this.keptBits.size >= KEPT_BITSETS) this.keptBits.delete(this.keptBits.keys().next().value!);
      this.keptBits.set(id, bits);
    }
    return bits;
  }

  /** The first position of a word (it occurs at least once: every word in the table does). */
  wordFirstPosition(id: number): number {
    if (this._byWord || !this.src) return this.byWord.positions[this.byWord.offsets[id]!]!;
    return this.src.wordFirstPosition(id);
  }
  // Postings of exact forms, lemmas and POS tags: built from the columns of an index in memory; read
  // one term at a time from a saved index opened lazily, which has them on disk.
  private get byForm(): Postings {
    return (this._byForm ??= buildPostings(this.form, this.forms.length));
  }
  private get byLemma(): Postings {
    return (this._byLemma ??= buildPostings(this.lemma, this.lemmas.length));
  }
  private get byPos(): Postings {
    return (this._byPos ??= buildPostings(this.pos, this.posTags.length));
  }
  formPositions(id: number): Uint32Array {
    return this.src && !this._byForm ? this.src.formPositions(id) : postingsOf(this.byForm, id);
  }
  formFrequency(id: number): number {
    return this.src && !this._byForm ? this.src.formFrequency(id) : frequencyIn(this.byForm, id);
  }
  lemmaPositions(id: number): Uint32Array {
    return this.src && !this._byLemma ? this.src.lemmaPositions(id) : postingsOf(this.byLemma, id);
  }
  /** Exact in memory; from a lazily opened index, an estimate that leaves out the tagger's exceptions. */
  lemmaFrequency(id: number): number {
    return this.src && !this._byLemma ? this.src.lemmaFrequency(id) : frequencyIn(this.byLemma, id);
  }
  posPositions(id: number): Uint32Array {
    return this.src && !this._byPos ? this.src.posPositions(id) : postingsOf(this.byPos, id);
  }
  posFrequency(id: number): number {
    return this.src && !this._byPos ? this.src.posFrequency(id) : frequencyIn(this.byPos, id);
  }

  /**
   * Whether some case-folded word holds a long s (ſ), which a case-insensitive `s` matches: a pattern's
   * literal start or end is then looked up in each spelling. Read from a saved index's facts; found
   * once from the words of an index in memory.
   */
  mayHoldLongS(): boolean {
    if (this.src && !this._words) return this.src.mayHoldLongS;
    return (this._longS ??= this.words.some((w) => w.includes('\u017F')));
  }
  private _longS?: boolean;

  /**
   * Each word's counted tokens and the number of documents they are in, as saved with the index: the
   * word list of a lazily opened index without its columns. Undefined for an index in memory (its
   * columns give them).
   */
  savedWordCounts(): { counted: Uint32Array; range: Uint32Array } | undefined {
    if (!this.src) return undefined;
    return (this._wordCounts ??= { counted: this.src.u32('wordCounted'), range: this.src.u32('wordRange') });
  }
  private _wordCounts?: { counted: Uint32Array; range: Uint32Array };

  /** The same for exact forms, lemmas or POS tags, where the index was saved with them. */
  savedGroupCounts(group: 'form' | 'lemma' | 'pos'): { counted: Uint32Array; range: Uint32Array } | undefined {
    return this.src?.groupCounts(group);
  }

  /**
   * The exact forms' or lemmas' ids in code-point order of their strings, from the tables a lazily
   * opened index searches (no string is read); undefined for an index in memory.
   */
  savedOrder(table: 'forms' | 'lemmas'): Uint32Array | undefined {
    return this.src?.sortedOrder(table);
  }

  /** Rank of each word id in code-point order of the case-folded form: sorting by rank sorts alphabetically. */
  get wordRank(): Uint32Array {
    if (!this._wordRank) {
      if (this.src) return (this._wordRank = this.src.u32('wordRank'));
      const order = codePointOrder(this.words);
      const rank = new Uint32Array(order.length);
      for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
      this._wordRank = rank;
    }
    return this._wordRank;
  }

  /** The word rank of each exact form's case-folded word: sort keys read straight from the form column. */
  get formRank(): Uint32Array {
    if (!this._formRank) {
      const rank = this.wordRank;
      const f2w = this.formToWord;
      const out = new Uint32Array(f2w.length);
      for (let f = 0; f < f2w.length; f++) out[f] = rank[f2w[f]!]!;
      this._formRank = out;
    }
    return this._formRank;
  }

  /** Counted tokens per document. */
  get docCounted(): Uint32Array {
    if (!this._docCounted) {
      const out = new Uint32Array(this.docs.length);
      for (let d = 0; d < this.docs.length; d++) {
        let c = 0;
        for (let i = this.docStart[d]!; i < this.docStart[d + 1]!; i++) c += this.counted[i]!;
        out[d] = c;
      }
      this._docCounted = out;
    }
    return this._docCounted;
  }

  /** Document containing token position `pos` (binary search over docStart). */
  docOf(pos: number): number {
    let lo = 0;
    let hi = this.docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.docStart[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Number of distinct documents among ascending positions (a search per document, not work per hit). */
  documentCount(sortedPositions: ArrayLike<number>): number {
    return distinctDocuments(this.docStart, sortedPositions);
  }

  /** The document id the reader knows (the full corpus's), for document d of this index. */
  globalDoc(d: number): number {
    return this.globalDocIds ? this.globalDocIds[d]! : d;
  }

  posName(id: number): string {
    return this.posTags[id] ?? 'X';
  }
}

function frequencyIn(p: Postings, id: number): number {
  return p.offsets[id + 1]! - p.offsets[id]!;
}

/**
 * The case-folded words of the exact forms, derived so they never need saving. Word ids are in order
 * of each word's first form. Most forms are already lower case and are their own word, and most others
 * (`The`) fold to a form that exists (`the`): only the rest need a table of their own. That keeps this
 * to one hash lookup per capitalised form instead of one per form (2M+ at 100M tokens).
 */
function wordsOfForms(
  forms: readonly string[],
  formIds: KeyIds,
): { words: string[]; otherWords: Map<string, number>; formToWord: Uint32Array } {
  const words: string[] = [];
  const otherWords = new Map<string, number>();
  const NONE = 0xffffffff;
  const formToWord = new Uint32Array(forms.length).fill(NONE);
  for (let f = 0; f < forms.length; f++) {
    if (formToWord[f] !== NONE) continue; // a capitalised form before it made its word
    const form = forms[f]!;
    const w = lowerFold(form);
    if (w === form) {
      formToWord[f] = words.length;
      words.push(w);
      continue;
    }
    const g = formIds.get(w);
    if (g !== undefined) {
      if (formToWord[g] === NONE) {
        formToWord[g] = words.length;
        words.push(w);
      }
      formToWord[f] = formToWord[g]!;
    } else {
      let id = otherWords.get(w);
      if (id === undefined) {
        id = words.length;
        words.push(w);
        otherWords.set(w, id);
      }
      formToWord[f] = id;
    }
  }
  return { words, otherWords, formToWord };
}
