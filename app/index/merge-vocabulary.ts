/**
 * The vocabulary of merged segments, made from the segments' sorted tables without turning a string
 * into a JavaScript string: at a billion tokens there are tens of millions of forms, lemmas and words,
 * more than the heap holds as strings. Each table is a k-way merge of the segments' tables (UTF-8
 * byte order is code-point order), which gives the merged table's strings in rank order and each
 * segment's ids by rank; ids then follow first use, segment by segment, as one build would give them:
 * - forms and lemmas in order of first use: each segment's ids in turn, new ones appended;
 * - words in order of their first form (wordsOfForms in store.ts): a segment's words are the case
 *   folds of its forms, so the merged words are the union of the segments' words;
 * - the words spelled backwards, merged the same way, ranked for the tables of literal ends.
 */
import { LoadFailure, type SectionFile } from './lazy.js';
import { MinHeap, SectionStream, u32Section } from './merge-read.js';
import { SAMPLE_EVERY, SORTED_SECTIONS, type SortedTable } from './sorted-strings.js';
import type { SectionOut, Spools } from './spool.js';

const NONE = 0xffffffff;
const bytesOf = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** One segment's sorted table read in rank order: each rank's bytes and id. */
class SortedRun {
  private readonly offsets: Uint32Array;
  readonly ids: Uint32Array;
  private readonly stream: SectionStream;
  rank = 0;
  current: Uint8Array = new Uint8Array(0);

  constructor(
    sections: SectionFile,
    table: SortedTable,
    readonly segment: number,
  ) {
    const names = SORTED_SECTIONS[table];
    this.offsets = u32Section(sections, names.offsets);
    this.ids = u32Section(sections, names.order);
    if (this.offsets.length !== this.ids.length + 1) throw new LoadFailure(`${names.offsets} does not match ${names.order}`);
    this.stream = new SectionStream(sections, names.blob);
    this.load();
  }

  get done(): boolean {
    return this.rank >= this.ids.length;
  }

  get id(): number {
    return this.ids[this.rank]!;
  }

  next(): void {
    this.rank++;
    this.load();
  }

  private load(): void {
    if (this.done) {
      this.stream.finish();
      return;
    }
    const from = this.offsets[this.rank]!;
    const to = this.offsets[this.rank + 1]!;
    if (to <= from) throw new LoadFailure('a sorted table is out of order');
    // Without the NUL that ends each string in the blob.
    this.current = this.stream.take(from, to - from).subarray(0, to - from - 1);
  }
}

/** A merged sorted table: its sections but `order`, and each segment's ids -> merged rank. */
interface MergedTable {
  count: number;
  /** Per segment: its id -> the rank of its string in the merged table. */
  rankOf: Uint32Array[];
  sections: SectionOut[];
  /** Whether some string holds the byte pair given to mergeSortedTables (`ſ` for the words). */
  holds: boolean;
}

/**
 * Merges one sorted table of every segment: the strings once each in rank order, written as the
 * table's blob, offsets and sample. `order` (rank -> id) is the caller's, once it has the ids.
 */
function mergeSortedTables(segments: SectionFile[], table: SortedTable, spools: Spools, pair?: readonly [number, number]): MergedTable {
  const names = SORTED_SECTIONS[table];
  // Runs by their current string, then in document order.
  const heap = new MinHeap<SortedRun>((a, b) => {
    const c = Buffer.compare(a.current, b.current);
    return c < 0 || (c === 0 && a.segment < b.segment);
  });
  const rankOf: Uint32Array[] = [];
  let most = 0;
  segments.forEach((sections, s) => {
    const run = new SortedRun(sections, table, s);
    rankOf.push(new Uint32Array(run.ids.length).fill(NONE));
    most += run.ids.length;
    if (!run.done) heap.push(run);
  });
  const blob = spools.open(names.blob, 'utf8');
  const offsets = new Uint32Array(most + 1);
  const sample: Uint8Array[] = [];
  const nul = new Uint8Array(1);
  let count = 0;
  let holds = false;
  let previous: Uint8Array | undefined;
  while (heap.size) {
    const run = heap.top;
    const bytes = run.current;
    if (!previous || Buffer.compare(previous, bytes) !== 0) {
      if (previous && Buffer.compare(previous, bytes) > 0) throw new LoadFailure(`${names.blob} is not sorted`);
      offsets[count] = blob.length;
      if (count % SAMPLE_EVERY === 0) sample.push(bytes.slice());
      blob.write(bytes);
      blob.write(nul);
      if (pair && !holds) holds = holdsPair(bytes, pair);
      count++;
      // Kept as a copy: the run's bytes are a view its next read may replace.
      previous = bytes.slice();
    }
    rankOf[run.segment]![run.id] = count - 1;
    run.next();
    if (run.done) heap.pop();
    else heap.down();
  }
  offsets[count] = blob.length;
  for (const [s, ranks] of rankOf.entries())
    if (ranks.includes(NONE)) throw new LoadFailure(`segment ${s}'s ${names.order} is not a permutation`);
  const sampleOffsets = new Uint32Array(sample.length + 1);
  let at = 0;
  sample.forEach((b, k) => {
    sampleOffsets[k] = at;
    at += b.length + 1;
  });
  sampleOffsets[sample.length] = at;
  const sampleBlob = Buffer.concat(sample.flatMap((b) => [b, nul]));
  return {
    count,
    rankOf,
    holds,
    sections: [
      blob.finish(),
      spools.now(names.offsets, 'u32', bytesOf(offsets.slice(0, count + 1))),
      spools.now(names.sample, 'utf8', sampleBlob),
      spools.now(names.sampleOffsets, 'u32', bytesOf(sampleOffsets)),
    ],
  };
}

function holdsPair(bytes: Uint8Array, [a, b]: readonly [number, number]): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === a && bytes[i + 1] === b) return true;
  return false;
}

/**
 * Ids in order of first use: each segment's ids in turn (its own first-use order), a rank new to the
 * merged table taking the next id. Rewrites `rankOf` into each segment's id map; returns rank -> id.
 */
function idsByFirstUse(table: MergedTable): Uint32Array {
  const idOfRank = new Uint32Array(table.count).fill(NONE);
  let next = 0;
  for (const map of table.rankOf) {
    for (let l = 0; l < map.length; l++) {
      const r = map[l]!;
      if (idOfRank[r] === NONE) idOfRank[r] = next++;
      map[l] = idOfRank[r]!;
    }
  }
  return idOfRank;
}

export interface MergedVocabulary {
  forms: number;
  lemmas: number;
  wordCount: number;
  /** Per segment: its form, lemma and word ids -> the merged ones. */
  formMaps: Uint32Array[];
  lemmaMaps: Uint32Array[];
  wordMaps: Uint32Array[];
  formToWord: Uint32Array;
  wordRank: Uint32Array;
  /** Word ids by rank, and by rank among the words spelled backwards. */
  wordOrder: Uint32Array;
  reversedOrder: Uint32Array;
  longS: boolean;
  sections: SectionOut[];
}

/** ſ in UTF-8: a word holding it may match queries spelled with s. */
const LONG_S: readonly [number, number] = [0xc5, 0xbf];

export function mergeVocabulary(segments: SectionFile[], spools: Spools): MergedVocabulary {
  const forms = mergeSortedTables(segments, 'forms', spools);
  const formOrder = idsByFirstUse(forms);
  const lemmas = mergeSortedTables(segments, 'lemmas', spools);
  const lemmaOrder = idsByFirstUse(lemmas);
  const words = mergeSortedTables(segments, 'words', spools, LONG_S);
  // A word's id comes with its first form: the rank of each merged form's word, then ids in form order.
  const wordRankOfForm = new Uint32Array(forms.count).fill(NONE);
  segments.forEach((sections, s) => {
    const localFormToWord = u32Section(sections, 'formToWord');
    const fMap = forms.rankOf[s]!;
    const wRank = words.rankOf[s]!;
    if (localFormToWord.length !== fMap.length) throw new LoadFailure('formToWord does not match the forms');
    for (let l = 0; l < fMap.length; l++) wordRankOfForm[fMap[l]!] = wRank[localFormToWord[l]!]!;
  });
  const wordOrder = new Uint32Array(words.count).fill(NONE);
  const formToWord = new Uint32Array(forms.count);
  let next = 0;
  for (let f = 0; f < forms.count; f++) {
    const r = wordRankOfForm[f]!;
    if (r === NONE) throw new LoadFailure('a form has no word');
    if (wordOrder[r] === NONE) wordOrder[r] = next++;
    formToWord[f] = wordOrder[r]!;
  }
  if (next !== words.count) throw new LoadFailure('a word has no form');
  const wordRank = new Uint32Array(words.count);
  for (let r = 0; r < words.count; r++) wordRank[wordOrder[r]!] = r;
  const wordMaps = words.rankOf.map((ranks) => ranks.map((r) => wordOrder[r]!));
  const reversed = mergeSortedTables(segments, 'wordsReversed', spools);
  // Each reversed rank's word, through any segment that has it.
  const reversedOrder = new Uint32Array(reversed.count).fill(NONE);
  reversed.rankOf.forEach((ranks, s) => {
    for (let l = 0; l < ranks.length; l++) reversedOrder[ranks[l]!] = wordMaps[s]![l]!;
  });
  if (reversed.count !== words.count) throw new LoadFailure('the words spelled backwards do not match the words');
  const u32 = (name: string, a: Uint32Array) => spools.now(name, 'u32', bytesOf(a));
  return {
    forms: forms.count,
    lemmas: lemmas.count,
    wordCount: words.count,
    formMaps: forms.rankOf,
    lemmaMaps: lemmas.rankOf,
    wordMaps,
    formToWord,
    wordRank,
    wordOrder,
    reversedOrder,
    longS: words.holds,
    sections: [
      ...words.sections,
      u32(SORTED_SECTIONS.words.order, wordOrder),
      ...forms.sections,
      u32(SORTED_SECTIONS.forms.order, formOrder),
      ...lemmas.sections,
      u32(SORTED_SECTIONS.lemmas.order, lemmaOrder),
      ...reversed.sections,
      u32(SORTED_SECTIONS.wordsReversed.order, reversedOrder),
      u32('formToWord', formToWord),
    ],
  };
}
