/**
 * From one token test (`word = bureau*`) to the set of matching ids in that attribute's vocabulary.
 * Literals are a lookup; wildcards and regexes run once over the vocabulary (with re2js: linear time,
 * so no pattern can hang the program), never over the token stream.
 *
 * A vocabulary has millions of entries at 100M tokens, and re2js costs ~100 ns a string, so a
 * pattern with a required literal (`inter*`, `/.*ness/`) first keeps the strings that contain it
 * (startsWith / endsWith / includes, native and fast) and runs re2js only on those. Case-insensitive
 * matching makes that exact only for strings that are plain lower-case ASCII; every other string
 * (a few percent) still goes to re2js. Results are kept per index in a small LRU.
 */
import { reversed } from '../index/sorted-strings.js';
import type * as Re2 from 're2js';
import { lazyPackage } from '../structures/lazy-package.js';
import { LoupeFailure } from '../contract/errors.js';
import type { CorpusIndex, SortedRange, WordOrder } from '../index/store.js';
import { exactKey, foldKey } from '../text/normalise.js';
import type { Attr, ValueMatch } from './ast.js';

const re2 = lazyPackage<typeof Re2>('re2js');

/** Shared between callers (it may come from the cache): read only. */
export interface TermSet {
  /** Matching ids in the vocabulary of the postings (for `word`: case-folded word ids). */
  readonly ids: number[];
  /** How many tokens carry this id. */
  frequency: (id: number) => number;
  /** Ascending token positions of one id. */
  positions: (id: number) => Uint32Array;
  /** The positions of each of several ids, read together where the index can (many words of a pattern). */
  positionsOf: (ids: readonly number[]) => Uint32Array[];
  /** The positions of one id as a bitset over the corpus, where the index keeps one (very frequent words). */
  bits?: (id: number) => Int32Array | undefined;
  /** For many ids, where the index can: the positions of any of them, without a list per id. */
  union?: () => Uint32Array;
  /** For many ids, where the index can say it without a look at each: how many tokens have any of them. */
  total?: () => number | undefined;
  /**
   * Before a query runs: makes `union` with its reads several at once (they may lie in hundreds of
   * places in the file), for the next call of `union` to take.
   */
  prefetch?: () => Promise<void>;
  /** The token column a match is checked against; read (and perhaps loaded) on first use. */
  readonly column: Uint32Array | Uint8Array;
  /** bitmap[column value] = 1 when the token matches; built on first use. */
  readonly bitmap: Uint8Array;
  /** The column values that match (for a case-insensitive word: every exact form it folds). */
  readonly columnIds: number[];
}

interface Vocabulary {
  /** Every string, materialised only for wildcards and regexes. */
  strings: () => readonly string[];
  size: () => number;
  lookup: (key: string) => number | undefined;
  column: () => Uint32Array | Uint8Array;
  /** Column id -> vocabulary id, when the column holds finer ids (exact forms for words). */
  fold?: () => Uint32Array;
  positions: (id: number) => Uint32Array;
  positionsOf?: (ids: readonly number[]) => Uint32Array[];
  unionOf?: (ids: readonly number[]) => Uint32Array;
  frequency: (id: number) => number;
  bits?: (id: number) => Int32Array | undefined;
  key: (s: string) => string;
  /** Regexes over this vocabulary ignore case. */
  folded: boolean;
  /** The strings starting with a prefix and their ids, read from a saved sorted table (see matchByLiteral). */
  withPrefix?: (prefix: string) => SortedRange | undefined;
  /** The positions of the strings of rank ranges of that table, where the index reads them by range. */
  unionOfRanks?: (ranks: RankRanges) => Uint32Array | undefined;
  countOfRanks?: (ranks: RankRanges) => number | undefined;
  unionOfRanksAhead?: (ranks: RankRanges) => Promise<Uint32Array | undefined>;
  /** The same for the strings ending in a suffix. */
  withSuffix?: (suffix: string) => SortedRange | undefined;
  /** Whether a string may hold a long s, which a case-insensitive `s` matches (absent: it may). */
  longS?: () => boolean;
  /** Before the postings of many ids are read. */
  manyPostings?: (ids: readonly number[]) => void;
}

/** From this many ids on, a term set's postings are located together before they are counted or read (manyPostings). */
const MANY_IDS = 128;

function vocabularyOf(index: CorpusIndex, attr: Attr, caseInsensitive: boolean): Vocabulary {
  switch (attr) {
    case 'form':
      if (!caseInsensitive)
        return {
          strings: () => index.forms,
          size: () => index.formCount,
          lookup: (k) => index.formId(k),
          column: () => index.form,
          positions: (id) => index.formPositions(id),
          frequency: (id) => index.formFrequency(id),
          key: exactKey,
          folded: false,
          withPrefix: (p) => index.savedStringsWithPrefix('forms', p),
        };
    // A case-insensitive exact form is the case-folded word.
    // falls through
    case 'word':
      // Checked on the form column through formToWord: no case-folded column is ever needed.
      return {
        strings: () => index.words,
        size: () => index.wordCount,
        lookup: (k) => index.wordId(k),
        column: () => index.form,
        fold: () => index.formToWord,
        positions: (id) => index.wordPositions(id),
        positionsOf: (ids) => index.wordPositionsMany(ids),
        unionOf: (ids) => index.wordPositionsUnion(ids),
        unionOfRanks: (ranks) => index.wordPositionsOfRanks(ranks.table, ranks.ranges),
        countOfRanks: (ranks) => index.wordCountOfRanks(ranks.table, ranks.ranges),
        unionOfRanksAhead: (ranks) => index.wordPositionsOfRanksAhead(ranks.table, ranks.ranges),
        bits: (id) => index.wordBits(id),
        frequency: (id) => index.wordFrequency(id),
        key: foldKey,
        folded: true,
        withPrefix: (p) => index.savedStringsWithPrefix('words', p),
        manyPostings: (ids) => index.preparePostingReads(ids),
        longS: () => index.mayHoldLongS(),
        withSuffix: (x) => {
          const found = index.savedStringsWithPrefix('wordsReversed', reversed(x));
          return (
            found && {
              firstRank: found.firstRank,
              count: found.count,
              get ids() {
                return found.ids;
              },
              get strings() {
                return found.strings.map(reversed);
              },
            }
          );
        },
      };
    case 'lemma':
      return {
        strings: () => index.lemmas,
        size: () => index.lemmaCount,
        lookup: (k) => index.lemmaId(k),
        column: () => index.lemma,
        positions: (id) => index.lemmaPositions(id),
        frequency: (id) => index.lemmaFrequency(id),
        key: foldKey,
        folded: true,
      };
    case 'pos':
      return {
        strings: () => index.posTags,
        size: () => index.posTags.length,
        lookup: (k) => {
          const i = index.posTags.indexOf(k);
          return i < 0 ? undefined : i;
        },
        column: () => index.pos,
        positions: (id) => index.posPositions(id),
        frequency: (id) => index.posFrequency(id),
        key: (s) => s.toUpperCase(),
        folded: true,
      };
  }
}

/** A term set over `ids`, with the column side (bitmap, column ids) made only if a check needs it. */
/** Ranges of ranks in one of the orders the words are saved in (every word of each range matches). */
interface RankRanges {
  table: WordOrder;
  ranges: Array<[number, number]>;
}

/** Ids known only by how many there are until first asked for. */
interface LaterIds {
  count: number;
  read: () => number[];
}

function termSet(v: Vocabulary, idsOrLater: number[] | LaterIds, vocabBitmap?: Uint8Array, rankRanges?: RankRanges): TermSet {
  let listed = Array.isArray(idsOrLater) ? idsOrLater : undefined;
  const count = Array.isArray(idsOrLater) ? idsOrLater.length : idsOrLater.count;
  const idList = () => (listed ??= (idsOrLater as LaterIds).read());
  // Many words are located together, when something first asks for their postings one by one: a
  // range of ranks that is read whole (rankRanges) never does.
  let located = count < MANY_IDS || !v.manyPostings;
  const locate = () => {
    if (located) return;
    located = true;
    v.manyPostings!(idList());
  };
  const positionsOf = v.positionsOf ?? ((many: readonly number[]) => many.map(v.positions));
  let bitmap: Uint8Array | undefined;
  let columnIds: number[] | undefined;
  const make = () => {
    let own = vocabBitmap;
    if (!own) {
      own = new Uint8Array(v.size());
      for (const id of idList()) own[id] = 1;
    }
    if (!v.fold) {
      bitmap = own;
      columnIds = idList();
      return;
    }
    const fold = v.fold();
    bitmap = new Uint8Array(fold.length);
    columnIds = [];
    for (let f = 0; f < fold.length; f++) {
      if (own[fold[f]!] === 1) {
        bitmap[f] = 1;
        columnIds.push(f);
      }
    }
  };
  const set: TermSet = {
    get ids() {
      return idList();
    },
    frequency: (id) => {
      locate();
      return v.frequency(id);
    },
    positions: (id) => {
      locate();
      return v.positions(id);
    },
    positionsOf: (many) => {
      locate();
      return positionsOf(many);
    },
    ...(v.bits ? { bits: v.bits } : {}),
    ...(v.unionOf && count >= MANY_IDS
      ? { union: () => takeAhead(set) ?? (rankRanges && v.unionOfRanks?.(rankRanges)) ?? v.unionOf!(idList()) }
      : {}),
    ...(rankRanges && v.countOfRanks && count >= MANY_IDS ? { total: () => v.countOfRanks!(rankRanges) } : {}),
    ...(rankRanges && v.unionOfRanksAhead && count >= MANY_IDS
      ? {
          prefetch: async () => {
            const union = await v.unionOfRanksAhead!(rankRanges);
            if (union) holdAhead(set, union);
          },
        }
      : {}),
    get column() {
      return v.column();
    },
    get bitmap() {
      if (!bitmap) make();
      return bitmap!;
    },
    get columnIds() {
      if (!columnIds) make();
      return columnIds!;
    },
  };
  return set;
}

/**
 * The unions a query's read-ahead made (TermSet.prefetch), each waiting for its term set's next
 * `union`: a few at a time, so one made for a query that then did not use it is not held for long.
 */
const ahead = new Map<TermSet, Uint32Array>();
const MAX_AHEAD = 4;

function holdAhead(owner: TermSet, union: Uint32Array): void {
  ahead.delete(owner);
  if (ahead.size >= MAX_AHEAD) ahead.delete(ahead.keys().next().value!);
  ahead.set(owner, union);
}

function takeAhead(owner: TermSet): Uint32Array | undefined {
  const union = ahead.get(owner);
  ahead.delete(owner);
  return union;
}

function wildcardToRegex(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
  }
  return out;
}

/** Substrings every match must have: at the start, at the end, anywhere. */
interface RequiredText {
  prefix: string;
  suffix: string;
  inner: string[];
}

const NO_TEXT: RequiredText = { prefix: '', suffix: '', inner: [] };

/** Required text of a wildcard (already keyed): the runs between `*` and `?`. */
function wildcardText(pattern: string): RequiredText {
  const pieces = pattern.split(/[*?]/);
  if (pieces.length === 1) return { prefix: pattern, suffix: pattern, inner: [] };
  return { prefix: pieces[0]!, suffix: pieces[pieces.length - 1]!, inner: pieces.slice(1, -1).filter((x) => x.length > 0) };
}

/**
 * Required text of a regex (full-match semantics), read conservatively: a top-level sequence of
 * atoms without alternation, where a run of plain characters with no quantifier must appear as is.
 * Anything this reader does not fully understand (flags, \Q, \p, unbalanced syntax) gives nothing
 * required, which is always correct, only slower.
 */
export function regexText(src: string): RequiredText {
  const runs: Array<{ text: string; atStart: boolean; atEnd: boolean }> = [];
  let run = '';
  let runStart = true; // the current run starts at the beginning of the pattern
  let seenAtom = false;
  const endRun = () => {
    if (run) runs.push({ text: run, atStart: runStart, atEnd: false });
    run = '';
  };
  let i = 0;
  const n = src.length;
  const quantifierAt = (j: number): { len: number; optional: boolean } | undefined => {
    const c = src[j];
    if (c === '*' || c === '?') return { len: 1 + (src[j + 1] === '?' ? 1 : 0), optional: true };
    if (c === '+') return { len: 1 + (src[j + 1] === '?' ? 1 : 0), optional: false };
    if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}\??/.exec(src.slice(j));
      if (!m) return { len: -1, optional: true }; // not understood
      return { len: m[0].length, optional: Number(m[1]) === 0 };
    }
    return undefined;
  };
  while (i < n) {
    const c = src[i]!;
    let literal: string | undefined;
    let atomEnd: number;
    if (c === '|' || c === ')') return NO_TEXT;
    if (c === '^' || c === '$') {
      // Zero-width: at the ends of a full match they change nothing; elsewhere nothing can match.
      i++;
      continue;
    }
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) return NO_TEXT;
      if (/[A-Za-z0-9]/.test(e)) {
        if ('QEpPxNC'.includes(e) || /[0-9]/.test(e)) return NO_TEXT;
      } else literal = e;
      atomEnd = i + 2;
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < n && src[j] !== ']') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '[' && src[j + 1] === ':') {
          const close = src.indexOf(':]', j + 2);
          if (close < 0) return NO_TEXT;
          j = close + 2;
        } else j++;
      }
      if (j >= n) return NO_TEXT;
      atomEnd = j + 1;
    } else if (c === '(') {
      if (src[i + 1] === '?') return NO_TEXT; // flags or named groups: not read here
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        const x = src[j]!;
        if (x === '\\') j++;
        else if (x === '[') {
          // skip a class inside the group
          let k = j + 1;
          if (src[k] === '^') k++;
          if (src[k] === ']') k++;
          while (k < n && src[k] !== ']') k += src[k] === '\\' ? 2 : 1;
          j = k;
        } else if (x === '(') depth++;
        else if (x === ')' && --depth === 0) break;
      }
      if (j >= n) return NO_TEXT;
      atomEnd = j + 1;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      return NO_TEXT; // a quantifier with nothing before it
    } else {
      literal = c === '.' ? undefined : c;
      atomEnd = i + 1;
    }
    const q = quantifierAt(atomEnd);
    if (q && q.len < 0) return NO_TEXT;
    if (literal !== undefined && !q) {
      if (!run) runStart = !seenAtom;
      run += literal;
    } else {
      endRun();
      // `x+`: x is required, but the run cannot continue across the repeat.
      if (literal !== undefined && q && !q.optional) runs.push({ text: literal, atStart: !seenAtom, atEnd: false });
    }
    seenAtom = true;
    i = atomEnd + (q ? q.len : 0);
  }
  if (run) runs.push({ text: run, atStart: runStart, atEnd: true });
  const prefix = runs.find((r) => r.atStart)?.text ?? '';
  const suffix = runs.find((r) => r.atEnd)?.text ?? '';
  const inner = runs.filter((r) => !r.atStart && !r.atEnd).map((r) => r.text);
  return { prefix, suffix, inner };
}

/** Strings that are plain lower-case ASCII (so case-insensitive means exact), per vocabulary array. */
const plainFlags = new WeakMap<readonly string[], Uint8Array>();

function plainOf(strings: readonly string[]): Uint8Array {
  let flags = plainFlags.get(strings);
  if (flags && flags.length === strings.length) return flags;
  flags = new Uint8Array(strings.length);
  for (let i = 0; i < strings.length; i++) {
    const w = strings[i]!;
    let plain = 1;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      if (c > 0x7f || (c >= 0x41 && c <= 0x5a)) {
        plain = 0;
        break;
      }
    }
    flags[i] = plain;
  }
  plainFlags.set(strings, flags);
  return flags;
}

const isAscii = (s: string) => !/[^\x00-\x7f]/.test(s);

/** A test that every match passes, or undefined when there is nothing required to test. */
function textFilter(req: RequiredText): ((s: string) => boolean) | undefined {
  const { prefix, suffix } = req;
  const inner = req.inner.slice().sort((a, b) => b.length - a.length);
  if (!prefix && !suffix && inner.length === 0) return undefined;
  if (prefix && !suffix && inner.length === 0) return (s) => s.startsWith(prefix);
  if (!prefix && suffix && inner.length === 0) return (s) => s.endsWith(suffix);
  if (!prefix && !suffix && inner.length === 1) {
    const x = inner[0]!;
    return (s) => s.includes(x);
  }
  return (s) => s.startsWith(prefix) && s.endsWith(suffix) && inner.every((x) => s.includes(x));
}

/** Compiled vocabulary matches, per index, most recently used last. */
const CACHE_SIZE = 8;
const termCache = new WeakMap<CorpusIndex, Map<string, TermSet>>();

export function resolveTerms(index: CorpusIndex, attr: Attr, match: ValueMatch, caseInsensitive: boolean, position: number): TermSet {
  const v = vocabularyOf(index, attr, caseInsensitive);
  if (match.kind === 'literal') {
    const id = v.lookup(v.key(match.value));
    return termSet(v, id === undefined ? [] : [id]);
  }
  const keyed = match.kind === 'wildcard' ? v.key(match.pattern) : exactKey(match.pattern); // fold ’ to ' like the stored keys
  const source = match.kind === 'wildcard' ? wildcardToRegex(keyed) : keyed;
  const only = literalOnly(match.kind, keyed);
  // A literal start or end and any run of characters is valid and needs no test of each string, so
  // a first `inter*` need not load the regex engine at all.
  let compiled: Re2.RE2JS | undefined;
  const re = (): Re2.RE2JS => {
    if (compiled) return compiled;
    try {
      const { RE2JS: Re } = re2();
      return (compiled = Re.compile(source, v.folded ? Re.CASE_INSENSITIVE : 0));
    } catch (e) {
      throw new LoupeFailure('E_QUERY', `Invalid pattern at position ${position}: ${(e as Error).message}`, position);
    }
  };
  if (!only) re();
  let cache = termCache.get(index);
  if (!cache) termCache.set(index, (cache = new Map()));
  const cacheKey = `${attr}\u0000${v.folded ? 'i' : 'c'}\u0000${v.size()}\u0000${match.kind}\u0000${keyed}`;
  const hit = cache.get(cacheKey);
  if (hit) {
    cache.delete(cacheKey);
    cache.set(cacheKey, hit);
    return hit;
  }
  const found = matchVocabulary(v, re, match.kind === 'wildcard' ? wildcardText(keyed) : regexText(keyed), only);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, found);
  return found;
}

/**
 * A pattern with a literal start (or end), over a table saved sorted (or sorted backwards): only the
 * strings starting (ending) with it are tested, read as one range of the table, so a first `inter*`
 * or `*ness` reads neither the vocabulary nor its strings whole. Under case folding the stored words
 * are lower case, so the literal is compared in lower case; the one ASCII letter whose case class
 * reaches outside ASCII in a stored word is `s` (the long s, ſ), so each `s` is looked up both ways.
 * Undefined where this does not apply: the caller scans every string.
 */
function matchByLiteral(
  v: Vocabulary,
  re: () => Re2.RE2JS,
  literal: string,
  lookup: ((literal: string) => SortedRange | undefined) | undefined,
  everyOne: boolean,
  table: WordOrder,
): TermSet | undefined {
  if (!lookup || !literal) return undefined;
  if (v.folded && !isAscii(literal)) return undefined;
  const spellings = v.folded ? (v.longS?.() === false ? [literal.toLowerCase()] : longSVariants(literal.toLowerCase())) : [literal];
  if (!spellings) return undefined;
  const found: SortedRange[] = [];
  for (const spelling of spellings) {
    const range = lookup(spelling);
    if (!range) return undefined;
    found.push(range);
  }
  const sorted = (ids: number[]) => ids.sort((a, b) => a - b);
  if (!everyOne) {
    const ids: number[] = [];
    for (const range of found) for (let k = 0; k < range.count; k++) if (re().matches(range.strings[k]!)) ids.push(range.ids[k]!);
    return termSet(v, sorted(ids));
  }
  // Every string of each range matches: the ranges themselves say where the postings are, and the
  // ids are read only if something asks for them one by one.
  const ranges = found.map((r): [number, number] => [r.firstRank, r.firstRank + r.count]);
  const count = found.reduce((n, r) => n + r.count, 0);
  return termSet(v, { count, read: () => sorted(found.flatMap((r) => Array.from(r.ids))) }, undefined, { table, ranges });
}

/** `literal` with each `s` as s or ſ (at most 8 spellings; undefined beyond). */
function longSVariants(literal: string): string[] | undefined {
  let out = [''];
  for (const c of literal) {
    out = c === 's' ? out.flatMap((x) => [x + 's', x + '\u017F']) : out.map((x) => x + c);
    if (out.length > 8) return undefined;
  }
  return out;
}

/**
 * Whether a pattern is a literal start (or end) and any run of characters, nothing else (`inter*`,
 * `/.*ness/`): then every string of the range read for that literal matches, with no test of each.
 */
function literalOnly(kind: 'wildcard' | 'regex', keyed: string): 'start' | 'end' | undefined {
  const plain = kind === 'wildcard' ? '[^*?]+' : '[A-Za-z0-9]+';
  const any = kind === 'wildcard' ? '\\*' : '\\.\\*';
  if (new RegExp(`^${plain}${any}$`).test(keyed)) return 'start';
  if (new RegExp(`^${any}${plain}$`).test(keyed)) return 'end';
  return undefined;
}

function matchVocabulary(v: Vocabulary, regex: () => Re2.RE2JS, required: RequiredText, only?: 'start' | 'end'): TermSet {
  const byLiteral =
    matchByLiteral(v, regex, required.prefix, v.withPrefix, only === 'start', 'words') ??
    matchByLiteral(v, regex, required.suffix, v.withSuffix, only === 'end', 'wordsReversed');
  if (byLiteral) return byLiteral;
  const re = regex();
  const strings = v.strings();
  const bitmap = new Uint8Array(strings.length);
  const ids: number[] = [];
  // Under case folding the required text is compared in lower case, which is exact only for
  // ASCII text against plain strings; other strings skip the filter.
  let req = required;
  if (v.folded) {
    const all = [req.prefix, req.suffix, ...req.inner].join('');
    req = isAscii(all)
      ? { prefix: req.prefix.toLowerCase(), suffix: req.suffix.toLowerCase(), inner: req.inner.map((x) => x.toLowerCase()) }
      : NO_TEXT;
  }
  const filter = textFilter(req);
  if (!filter) {
    for (let i = 0; i < strings.length; i++) {
      // Regexes are written against the straight apostrophe and NFC, like every stored key.
      if (re.matches(strings[i]!)) {
        bitmap[i] = 1;
        ids.push(i);
      }
    }
  } else if (!v.folded) {
    for (let i = 0; i < strings.length; i++) {
      const w = strings[i]!;
      if (filter(w) && re.matches(w)) {
        bitmap[i] = 1;
        ids.push(i);
      }
    }
  } else {
    const plain = plainOf(strings);
    for (let i = 0; i < strings.length; i++) {
      const w = strings[i]!;
      if ((plain[i] === 0 || filter(w)) && re.matches(w)) {
        bitmap[i] = 1;
        ids.push(i);
      }
    }
  }
  return termSet(v, ids, bitmap);
}
