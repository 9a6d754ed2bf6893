/**
 * Ranked passage search (FlexSearch over paragraphs) and word suggestions while typing. FlexSearch
 * ranks passages; it never answers concordance queries (it holds no token positions). This index lives
 * in memory and is built on first use: for subcorpora and corpora whose index is not saved. A saved
 * corpus index keeps its passage index on disk beside it (saved-passages.ts).
 */
import type * as FlexSearch from 'flexsearch';
import type { Index } from 'flexsearch';
import { lazyPackage } from '../structures/lazy-package.js';
import type { PassageHit } from '../contract/types.js';
import { PARAGRAPH_START, type CorpusIndex } from './store.js';

const flexsearch = lazyPackage<typeof FlexSearch>('flexsearch');

export interface Paragraphs {
  /** First token of each paragraph; a paragraph ends where the next starts or its document ends. */
  starts: Uint32Array;
  ends: Uint32Array;
}

export function paragraphsOf(index: CorpusIndex): Paragraphs {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let d = 0; d < index.docs.length; d++) {
    const lo = index.docStart[d]!;
    const hi = index.docStart[d + 1]!;
    for (let p = lo; p < hi; p++) {
      if (p === lo || index.flags[p]! & PARAGRAPH_START) {
        if (starts.length > ends.length) ends.push(p);
        starts.push(p);
      }
    }
    if (starts.length > ends.length) ends.push(hi);
  }
  return { starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/**
 * How paragraphs are indexed. `forward` indexes every prefix of every word, so a query word also
 * finds its longer forms (`weapon` finds `weapons`); it is what a reader of ranked passages expects.
 */
const TOKENIZE = 'forward';
const RESOLUTION = 9;

let encoder: FlexSearch.Encoder | undefined;

/**
 * FlexSearch's LatinBalance encoder without its cache: the cache is emptied on a timer, and a word
 * found in it skips the collapsing of repeated terms, so what a paragraph was indexed under (and how
 * it ranks) would depend on when it was added.
 */
export function passageEncoder(): FlexSearch.Encoder {
  const fs = flexsearch();
  return (encoder ??= new fs.Encoder({ ...fs.Charset.LatinBalance, cache: false }));
}

export function newPassageIndex(): Index {
  return new (flexsearch().Index)({ tokenize: TOKENIZE, resolution: RESOLUTION, encoder: passageEncoder() });
}

/** Milliseconds of work per slice of an asynchronous build before yielding to other requests. */
export const SLICE_MS = 20;

/** Lets requests queued behind a long build run before it goes on. */
export function yieldToOthers(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Paragraph `i`'s document (local to `index`), its text and where that text is in the document. */
export function paragraphText(index: CorpusIndex, paras: Paragraphs, i: number): { doc: number; text: string; start: number; end: number } {
  const s = paras.starts[i]!;
  const e = paras.ends[i]!;
  const doc = index.docOf(s);
  const start = index.startAt(s);
  const end = e > s ? index.endAt(e - 1) : start;
  return { doc, text: index.docs[doc]!.text.slice(start, end), start, end };
}

export function passageHit(index: CorpusIndex, paras: Paragraphs, i: number): PassageHit {
  const p = paragraphText(index, paras, i);
  return {
    doc: index.globalDoc(p.doc),
    docName: index.docs[p.doc]!.name,
    paragraph: i,
    text: p.text,
    start: p.start,
    end: p.end,
  };
}

/** A passage search, whether held in memory or read from disk. */
export interface Passages {
  /** Resolves when a search can be answered without building first. */
  ready(): Promise<void>;
  search(text: string, limit?: number): PassageHit[] | Promise<PassageHit[]>;
}

export class PassageSearch implements Passages {
  private flex?: Index;
  private paras?: Paragraphs;
  /** Paragraphs added so far; the index is complete when this reaches the paragraph count. */
  private added = 0;
  private building?: Promise<void>;

  constructor(private readonly index: CorpusIndex) {}

  private begin(): { flex: Index; paras: Paragraphs } {
    this.paras ??= paragraphsOf(this.index);
    this.flex ??= newPassageIndex();
    return { flex: this.flex, paras: this.paras };
  }

  /** Adds paragraphs until done or `budgetMs` has passed; true when the index is complete. */
  private step(budgetMs: number): boolean {
    const { flex, paras } = this.begin();
    const until = performance.now() + budgetMs;
    const n = paras.starts.length;
    while (this.added < n) {
      flex.add(this.added, this.paragraphText(this.added).text);
      this.added++;
      if ((this.added & 63) === 0 && performance.now() > until) break;
    }
    return this.added >= n;
  }

  /**
   * Builds the index in slices, yielding between them, so an engine that serves other requests (a
   * concordance while 100M tokens of paragraphs are indexed for minutes) keeps answering them.
   */
  ready(): Promise<void> {
    return (this.building ??= (async () => {
      while (!this.step(SLICE_MS)) await yieldToOthers();
    })());
  }

  paragraphText(i: number): { doc: number; text: string; start: number; end: number } {
    return paragraphText(this.index, this.begin().paras, i);
  }

  /** Ranked paragraphs; finishes the index first, at once, if ready() has not. */
  search(text: string, limit = 20): PassageHit[] {
    this.step(Infinity);
    const flex = this.flex!;
    const ids = flex.search(text, { limit, suggest: true }) as number[];
    return ids.map((i) => passageHit(this.index, this.paras!, i));
  }
}

/** Words of the corpus starting with `prefix` (case-folded), most frequent first. */
export function suggestWords(index: CorpusIndex, prefix: string, limit = 10): string[] {
  const p = prefix
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
  if (!p) return [];
  const offsets = index.wordPostingsOffsets;
  const found: Array<[string, number]> = [];
  for (const id of index.wordIdsWithPrefix(p)) {
    // A word's first occurrence says whether it is a word at all (punctuation is never suggested).
    if (index.countedAt(index.wordFirstPosition(id))) found.push([index.wordAt(id), offsets[id + 1]! - offsets[id]!]);
  }
  found.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return found.slice(0, limit).map(([w]) => w);
}
