/**
 * Near misses: for a query with no hits, close queries that do have hits, so a reader who typed
 * `workers councils` (the corpus writes `workers’ councils`, and the apostrophe is a token of its
 * own), `bureacracy`, or `russia` with case on, is shown what the corpus does say.
 *
 * Only plain words are helped (CQL, wildcards and regular expressions say exactly what they mean).
 * A candidate is the query with at most two changes: a word replaced by a close word of the
 * vocabulary (by edit distance when the vocabulary lacks it; a plural `s` added or dropped) or the
 * space between two words replaced by a possessive apostrophe, a hyphen or nothing. Every candidate
 * is run before it is proposed, so nothing without hits is ever offered. With case on, each candidate that matches
 * ignoring case is offered as the corpus writes it.
 *
 * Cost on large corpora: close words are looked for only among the words sharing the query word's
 * first letter (or first two letters when that range is large), read from the index's sorted
 * vocabulary by prefix, so a lazily opened index never loads its vocabulary whole; and at most
 * MAX_RUNS candidates are run.
 */
import type { CorpusIndex } from '../index/store.js';
import { exactKey, foldKey } from '../text/normalise.js';
import { splitLikeCorpus } from '../text/query-split.js';
import { editDistance } from '../text/edit-distance.js';
import type { Hits } from './hits.js';
import { runQuery } from './run.js';

/** Candidates run at most, cheapest first: each is a postings lookup or a phrase intersection. */
const MAX_RUNS = 60;
/** Close words kept per query word, before candidates are combined. */
const CLOSE_WORDS = 4;
/** Above this many words sharing the first letter, look only at those sharing the first two. */
const MAX_PREFIX_RANGE = 20_000;
/** Longest query helped: each extra word multiplies the candidates. */
const MAX_WORDS = 8;
/** Hits read to see how the corpus writes a candidate, when case matters. */
const SURFACE_SAMPLE = 200;

const PLAIN_PIECE = /^[\p{L}\p{M}\p{N}'\u2019.-]+$/u;
const LETTERS_ONLY = /^[\p{L}\p{M}\p{N}]+$/u;

/** How far a word may be from what was typed: short words have few close neighbours worth offering. */
function maxDistanceFor(word: string): number {
  const n = Array.from(word).length;
  return n < 3 ? 0 : n <= 5 ? 1 : 2;
}

interface Change {
  /** Word i is 2i, the space after word i is 2i + 1. */
  slot: number;
  text: string;
  cost: number;
}

interface Verified {
  query: string;
  cost: number;
  hits: Hits;
}

/**
 * Close queries with hits, best first (fewest and smallest changes, then most hits), at most
 * `limit`; [] when the query has hits or is not plain words.
 */
export function nearMisses(index: CorpusIndex, query: string, caseSensitive: boolean, limit = 5): string[] {
  const words = plainWords(query);
  if (!words || limit <= 0 || index.tokenCount === 0) return [];
  if (count(index, query, caseSensitive) !== 0) return [];
  const verified = verifiedCandidates(index, words, caseSensitive);
  const out: string[] = [];
  const add = (q: string) => {
    if (q !== query && !out.includes(q)) out.push(q);
  };
  for (const v of verified) {
    if (out.length >= limit) break;
    if (!caseSensitive) add(v.query);
    else for (const s of surfaceForms(index, v.hits)) if (out.length < limit && count(index, s, true) > 0) add(s);
  }
  return out;
}

/** The words of a query made of plain words only (no brackets, wildcards, attributes, quotes or regexes). */
function plainWords(query: string): string[] | undefined {
  const words = query
    .normalize('NFC')
    .trim()
    .split(/\s+/u)
    .filter((w) => w !== '');
  if (words.length === 0 || words.length > MAX_WORDS) return undefined;
  return words.every((w) => PLAIN_PIECE.test(w)) ? words : undefined;
}

/** Hits of `query`, or 0 when it does not parse. */
function count(index: CorpusIndex, query: string, caseSensitive: boolean): number {
  return run(index, query, caseSensitive)?.starts.length ?? 0;
}

function run(index: CorpusIndex, query: string, caseSensitive: boolean): Hits | undefined {
  try {
    return runQuery(index, query, { caseSensitive });
  } catch {
    return undefined;
  }
}

/**
 * Candidates (matched ignoring case) that have hits, best first. With case on, the query itself is a
 * candidate: it may only exist in another case.
 */
function verifiedCandidates(index: CorpusIndex, words: string[], caseSensitive: boolean): Verified[] {
  const changes = possibleChanges(index, words);
  const tried = new Set<string>();
  const candidates: Array<{ query: string; cost: number }> = [];
  const consider = (chosen: Change[]) => {
    const query = compose(words, chosen);
    if (tried.has(query)) return;
    tried.add(query);
    candidates.push({ query, cost: chosen.reduce((a, c) => a + c.cost, 0) });
  };
  if (caseSensitive) consider([]);
  for (let i = 0; i < changes.length; i++) {
    consider([changes[i]!]);
    for (let j = i + 1; j < changes.length; j++) if (changes[j]!.slot !== changes[i]!.slot) consider([changes[i]!, changes[j]!]);
  }
  candidates.sort((a, b) => a.cost - b.cost);
  const verified: Verified[] = [];
  let runs = 0;
  for (const c of candidates) {
    if (runs >= MAX_RUNS) break;
    if (!mayHaveHits(index, c.query)) continue;
    runs++;
    const hits = run(index, c.query, false);
    if (hits && hits.starts.length > 0) verified.push({ ...c, hits });
  }
  return verified.sort((a, b) => a.cost - b.cost || b.hits.starts.length - a.hits.starts.length);
}

/** The query's words and spaces with the chosen changes applied. */
function compose(words: string[], chosen: Change[]): string {
  const bySlot = new Map(chosen.map((c) => [c.slot, c.text]));
  let out = '';
  words.forEach((w, i) => {
    out += bySlot.get(2 * i) ?? w;
    if (i < words.length - 1) out += bySlot.get(2 * i + 1) ?? ' ';
  });
  return out;
}

/**
 * A cheap refusal before running a candidate: one of its words of letters alone is not in the
 * vocabulary (and the corpus would not split it into several tokens, as it does `cannot`).
 */
function mayHaveHits(index: CorpusIndex, query: string): boolean {
  for (const piece of query.split(' ')) {
    if (!LETTERS_ONLY.test(piece) || index.wordId(foldKey(piece)) !== undefined) continue;
    if (splitLikeCorpus(piece).length === 1) return false;
  }
  return true;
}

/**
 * Every single change worth trying: close words for a word the vocabulary lacks, the plural `s`
 * added or dropped for one it has, and other joins between words.
 */
function possibleChanges(index: CorpusIndex, words: string[]): Change[] {
  const changes: Change[] = [];
  words.forEach((w, i) => {
    if (LETTERS_ONLY.test(w)) {
      for (const c of closeWords(index, w)) changes.push({ slot: 2 * i, text: withCaseOf(w, c.word), cost: c.distance });
    }
    if (i < words.length - 1) {
      // The possessive apostrophe is a token of its own (`workers’ councils`, `bureaucracy’s rule`).
      changes.push({ slot: 2 * i + 1, text: "' ", cost: 0.5 });
      changes.push({ slot: 2 * i + 1, text: "'s ", cost: 0.5 });
      changes.push({ slot: 2 * i + 1, text: '-', cost: 1 });
      changes.push({ slot: 2 * i + 1, text: '', cost: 1 });
    }
  });
  return changes;
}

/** `word` written in the case pattern of `typed`: all capitals, a capital first, or as stored. */
function withCaseOf(typed: string, word: string): string {
  if (typed.length > 1 && typed === typed.toUpperCase() && typed !== typed.toLowerCase()) return word.toUpperCase();
  const first = typed[0]!;
  if (first !== first.toLowerCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

/**
 * Words of the vocabulary close to `typed` (case-folded), nearest first, then most frequent: the
 * word with a plural `s` added or dropped and, when the vocabulary lacks the word itself, the words
 * within the edit distance its length allows.
 */
function closeWords(index: CorpusIndex, typed: string): Array<{ word: string; distance: number }> {
  const word = foldKey(typed);
  const found = new Map<number, number>(); // word id -> distance
  const plural = word.endsWith('s') ? word.slice(0, -1) : `${word}s`;
  const pluralId = plural ? index.wordId(plural) : undefined;
  if (pluralId !== undefined) found.set(pluralId, 1);
  const max = maxDistanceFor(word);
  if (max > 0 && index.wordId(word) === undefined) {
    const length = Array.from(word).length;
    for (const id of idsNear(index, word)) {
      const candidate = index.wordAt(id);
      if (Math.abs(Array.from(candidate).length - length) > max) continue;
      const d = editDistance(word, candidate, max);
      if (d > 0 && d <= max && d < (found.get(id) ?? Infinity)) found.set(id, d);
    }
  }
  return (
    [...found]
      // A word's first occurrence says whether it is a word at all: punctuation is never offered.
      .filter(([id]) => index.countedAt(index.wordFirstPosition(id)))
      .map(([id, distance]) => ({ id, distance, freq: index.wordFrequency(id) }))
      .sort((a, b) => a.distance - b.distance || b.freq - a.freq)
      .slice(0, CLOSE_WORDS)
      .map(({ id, distance }) => ({ word: index.wordAt(id), distance }))
  );
}

/**
 * Ids of the words sharing the first letter of `word`, or, when those are too many, the first two
 * letters (either way round, so a swap of the first two is still found).
 */
function idsNear(index: CorpusIndex, word: string): number[] {
  const chars = Array.from(word);
  const byFirst = index.wordIdsWithPrefix(chars[0]!);
  if (byFirst.length <= MAX_PREFIX_RANGE || chars.length < 2) return byFirst;
  const ids = new Set(index.wordIdsWithPrefix(chars[0]! + chars[1]!));
  for (const id of index.wordIdsWithPrefix(chars[1]! + chars[0]!)) ids.add(id);
  return [...ids];
}

/**
 * How the corpus writes the hits, most common first (typographic apostrophes straightened, runs of
 * space made one), from a sample spread over the hits.
 */
function surfaceForms(index: CorpusIndex, hits: Hits): string[] {
  const n = hits.starts.length;
  const step = Math.max(1, Math.floor(n / SURFACE_SAMPLE));
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i += step) {
    const s = hits.starts[i]!;
    const e = hits.length !== undefined ? s + hits.length : hits.ends[i]!;
    const doc = index.docs[index.docOf(s)]!;
    const text = exactKey(doc.text.slice(index.startAt(s), index.endAt(e - 1))).replace(/\s+/gu, ' ');
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([t]) => t);
}
