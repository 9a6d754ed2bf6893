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
 */
import { COUNTED_KINDS, TOKEN_KINDS, type DocumentMetadata } from '../contract/types.js';
import { buildPostings, distinctDocuments, type Postings } from './postings.js';
import { UPOS_TAGS } from '../text/tokenise.js';

export const SENTENCE_START = 1;
export const PARAGRAPH_START = 2;

export interface DocumentSection {
  title: string;
  /** Character offset in the document text where the section starts. */
  start: number;
  kind: 'chapter' | 'heading' | 'div' | 'page';
}

export interface StoredDocument extends DocumentMetadata {
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
}

const COUNTED_KIND_FLAGS = Uint8Array.from(TOKEN_KINDS.map((k) => (COUNTED_KINDS.has(k) ? 1 : 0)));

export class CorpusIndex {
  readonly forms: string[];
  readonly words: string[];
  readonly lemmas: string[];
  readonly posTags: readonly string[] = UPOS_TAGS;
  /** form id -> case-folded word id */
  readonly formToWord: Uint32Array;
  readonly form: Uint32Array;
  readonly word: Uint32Array;
  readonly lemma: Uint32Array;
  readonly pos: Uint8Array;
  readonly kind: Uint8Array;
  readonly counted: Uint8Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly flags: Uint8Array;
  readonly docStart: Uint32Array;
  readonly docs: StoredDocument[];
  /** Number of counted tokens (N in STATISTICS.md). */
  readonly countedTotal: number;
  readonly wordIds: Map<string, number>;
  private _formIds?: Map<string, number>;
  private _lemmaIds?: Map<string, number>;
  /** For a subcorpus: the id of each of its documents in the full corpus (what the reader sees). */
  globalDocIds?: Uint32Array;

  private _byWord?: Postings;
  private _byForm?: Postings;
  private _byLemma?: Postings;
  private _byPos?: Postings;
  private _wordRank?: Uint32Array;
  private _docCounted?: Uint32Array;

  constructor(cols: StoreColumns, docs: StoredDocument[]) {
    this.forms = cols.forms;
    this.lemmas = cols.lemmas;
    this.form = cols.form;
    this.lemma = cols.lemma;
    this.pos = cols.pos;
    this.kind = cols.kind;
    this.start = cols.start;
    this.end = cols.end;
    this.flags = cols.flags;
    this.docStart = cols.docStart;
    this.docs = docs;
    // Case-folded table derived from the exact forms, so it never needs saving.
    const forms = this.forms;
    const words: string[] = [];
    const wordIds = new Map<string, number>();
    const formToWord = new Uint32Array(forms.length);
    for (let f = 0; f < forms.length; f++) {
      const w = forms[f]!.toLowerCase();
      let id = wordIds.get(w);
      if (id === undefined) {
        id = words.length;
        words.push(w);
        wordIds.set(w, id);
      }
      formToWord[f] = id;
    }
    this.words = words;
    this.wordIds = wordIds;
    this.formToWord = formToWord;
    // Locals, not fields, in the hot loop: field access inside a constructor that is still adding
    // fields is several times slower (this loop runs once per token at open).
    const form = this.form;
    const kind = this.kind;
    const n = form.length;
    const word = new Uint32Array(n);
    const countedCol = new Uint8Array(n);
    let counted = 0;
    for (let i = 0; i < n; i++) {
      word[i] = formToWord[form[i]!]!;
      const c = COUNTED_KIND_FLAGS[kind[i]!]!;
      countedCol[i] = c;
      counted += c;
    }
    this.word = word;
    this.counted = countedCol;
    this.countedTotal = counted;
  }

  /** Exact form -> id; built on first use (a literal `form:` query), not at open. */
  get formIds(): Map<string, number> {
    if (!this._formIds) {
      const m = new Map<string, number>();
      for (let i = 0; i < this.forms.length; i++) m.set(this.forms[i]!, i);
      this._formIds = m;
    }
    return this._formIds;
  }

  /** Lemma -> id; built on first use. */
  get lemmaIds(): Map<string, number> {
    if (!this._lemmaIds) {
      const m = new Map<string, number>();
      for (let i = 0; i < this.lemmas.length; i++) m.set(this.lemmas[i]!, i);
      this._lemmaIds = m;
    }
    return this._lemmaIds;
  }

  get tokenCount(): number {
    return this.form.length;
  }

  get byWord(): Postings {
    return (this._byWord ??= buildPostings(this.word, this.words.length));
  }
  get byForm(): Postings {
    return (this._byForm ??= buildPostings(this.form, this.forms.length));
  }
  get byLemma(): Postings {
    return (this._byLemma ??= buildPostings(this.lemma, this.lemmas.length));
  }
  get byPos(): Postings {
    return (this._byPos ??= buildPostings(this.pos, this.posTags.length));
  }

  /** Rank of each word id in code-point order of the case-folded form: sorting by rank sorts alphabetically. */
  get wordRank(): Uint32Array {
    if (!this._wordRank) {
      const order = Array.from(this.words.keys()).sort((a, b) => {
        const x = this.words[a]!;
        const y = this.words[b]!;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      const rank = new Uint32Array(this.words.length);
      order.forEach((id, r) => (rank[id] = r));
      this._wordRank = rank;
    }
    return this._wordRank;
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
