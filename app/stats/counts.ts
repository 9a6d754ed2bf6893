/**
 * Per-corpus tables the statistics share, computed once per CorpusIndex and kept beside it
 * (a WeakMap, so a closed corpus takes its tables with it).
 */
import { countedTally } from '../index/postings.js';
import type { CorpusIndex } from '../index/store.js';
import { codePointOrder } from '../index/sorted-strings.js';

export type Grouping = 'word' | 'form' | 'lemma' | 'pos';

interface Tables {
  /** Counted tokens and documents per term (countedTallies). */
  tallies: Partial<Record<Grouping, { freq: Uint32Array; range: Uint32Array }>>;
  termRank: Partial<Record<Grouping, Uint32Array>>;
  /** Orders of the corpus-wide word list, by grouping and order name (see frequency.ts). */
  orders: Map<string, Uint32Array>;
  /** Stop flags per grouping and stop list (keyed by the list's sorted words). */
  stopFlags: Map<string, Uint8Array>;
  countedBefore?: Uint32Array;
}

const cache = new WeakMap<CorpusIndex, Tables>();

export function tables(index: CorpusIndex): Tables {
  let t = cache.get(index);
  if (!t) {
    t = { tallies: {}, termRank: {}, orders: new Map(), stopFlags: new Map() };
    cache.set(index, t);
  }
  return t;
}

/**
 * The id column and string table for a grouping. Words are read from the exact-form column and mapped
 * through `fold` (formToWord), so no case-folded column is ever built: the group id of token p is
 * `fold ? fold[ids[p]] : ids[p]`.
 */
export interface GroupColumn {
  ids: ArrayLike<number>;
  fold?: Uint32Array;
  /** Number of terms. */
  size: number;
  /** One term's string: for words, without loading a lazily opened index's whole vocabulary. */
  nameOf(id: number): string;
  /** Every term's string (read only where all are needed: the vocabulary is 2.2M strings at 1e8). */
  readonly names: readonly string[];
}

export function groupColumn(index: CorpusIndex, by: Grouping): GroupColumn {
  // The column and the strings are read when first used: a lazily opened index's word list by form,
  // lemma or tag comes from its saved counts, with no column read.
  const fixed = (ids: () => ArrayLike<number>, names: () => readonly string[]): GroupColumn => ({
    get ids() {
      return ids();
    },
    get names() {
      return names();
    },
    get size() {
      return by === 'form' ? index.formCount : by === 'lemma' ? index.lemmaCount : index.posTags.length;
    },
    nameOf: (id) => names()[id]!,
  });
  switch (by) {
    case 'word':
      // Read on first use: a lazily opened index's word list comes from its saved counts, no column.
      return {
        get ids() {
          return index.form;
        },
        get fold() {
          return index.formToWord;
        },
        size: index.wordCount,
        nameOf: (id) => index.wordAt(id),
        get names() {
          return index.words;
        },
      };
    case 'form':
      return fixed(
        () => index.form,
        () => index.forms,
      );
    case 'lemma':
      return fixed(
        () => index.lemma,
        () => index.lemmas,
      );
    case 'pos':
      return fixed(
        () => index.pos,
        () => index.posTags,
      );
  }
}

/**
 * Frequency of every term among counted tokens only (C in docs/statistics.md). The postings hold every
 * token, and one string can be punctuation in one place and a word in another, so count from the
 * columns rather than from postings lengths.
 */
export function countedFrequencies(index: CorpusIndex, by: Grouping): Uint32Array {
  return countedTallies(index, by).freq;
}

/** Range of every term among counted tokens: the number of documents it occurs in. */
export function countedRange(index: CorpusIndex, by: Grouping): Uint32Array {
  return countedTallies(index, by).range;
}

/** Both, in one pass over the columns; for words of a lazily opened index, as saved with it. */
function countedTallies(index: CorpusIndex, by: Grouping): { freq: Uint32Array; range: Uint32Array } {
  const t = tables(index);
  const held = t.tallies[by];
  if (held) return held;
  const saved = by === 'word' ? index.savedWordCounts() : index.savedGroupCounts(by);
  if (saved) return (t.tallies[by] = { freq: saved.counted, range: saved.range });
  const { ids, size, fold } = groupColumn(index, by);
  return (t.tallies[by] = countedTally(ids, fold, size, index.counted, index.docStart));
}

/**
 * Rank of every term id in code-point order of its string, so ties can be broken by comparing
 * numbers. Words reuse the index's own table, which KWIC sorting shares.
 */
export function termRank(index: CorpusIndex, by: Grouping): Uint32Array {
  if (by === 'word') return index.wordRank;
  const t = tables(index);
  const hit = t.termRank[by];
  if (hit) return hit;
  // Code-point order, as the words' and the saved tables' (which a lazily opened index reads instead
  // of sorting its strings).
  const order =
    (by === 'form' ? index.savedOrder('forms') : by === 'lemma' ? index.savedOrder('lemmas') : undefined) ??
    codePointOrder(groupColumn(index, by).names);
  const rank = new Uint32Array(order.length);
  for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
  t.termRank[by] = rank;
  return rank;
}

/**
 * countedBefore[i] = number of counted tokens at positions < i (length tokens + 1): maps a token
 * position onto the counted-token axis that dispersion uses.
 */
export function countedBefore(index: CorpusIndex): Uint32Array {
  const t = tables(index);
  if (t.countedBefore) return t.countedBefore;
  const n = index.tokenCount;
  const out = new Uint32Array(n + 1);
  let c = 0;
  const counted = index.counted;
  for (let i = 0; i < n; i++) {
    out[i] = c;
    c += counted[i]!;
  }
  out[n] = c;
  t.countedBefore = out;
  return out;
}

export const perMillion = (freq: number, total: number): number => (total > 0 ? (freq / total) * 1e6 : 0);
