/**
 * A wink-nlp whose tokenizer remembers what each space-separated piece of text became.
 *
 * wink's tokenizer splits a text at whitespace and turns each piece ("word,", "can't", "U.S.") into
 * tokens by dictionary lookups and regular expressions. What a piece becomes depends on nothing but
 * the piece: the lexicon lookups the tokeniser sees are fixed (learned words are hidden from them,
 * see wink.ts), a learned word keeps its lexeme, and every regular expression involved is stateless.
 * The only context is the whitespace before the piece, which sets the first token's count of
 * preceding spaces. So the packed tokens a piece produced once can be copied for every later
 * occurrence, with that count filled in. On the benchmark's text 93-96% of pieces are found in the
 * memo, and wink's readDoc took 3-5% less time (two runs, 8M tokens, each chunk read by both in
 * turn): less than the share of tokenizing in wink's profile suggested, but measured.
 *
 * Pieces after a non-breaking space (whose text wink keeps per token) go through wink's own code
 * every time; once the memo is full (MEMO_LIMIT pieces per thread) new pieces are not remembered.
 *
 * This reaches into wink's modules: its tokenizer factory and the wrapper it writes tokens through
 * are swapped in the module cache while one wink instance is created, then put back, so no other
 * user of wink-nlp gets them. `test/text/wink-memo.test.ts` checks the memo gives exactly what
 * wink's tokenizer gives.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Pieces remembered per thread: about 100 MB at the limit. */
export const MEMO_LIMIT = 1 << 20;

/** wink's packing: the low 16 bits of a token's second number hold its preceding spaces. */
const SPACES_MASK = 0xffff;
/** wink's cap on counted spaces; 0xffff itself means "non-breaking spaces, kept as text". */
const MAX_COUNTED_SPACES = 0xfffe;
/** wink's whitespace classes (its splitter): a piece that starts with one of these is spacing. */
const SPACE_CHARS = /^[ \u00a0\u2002-\u2005\u2009\u200a\u202f\u205f]/;
const NBSP = /[\u00a0\u2002-\u2005\u2009\u200a\u202f\u205f]/;
/** V8 keeps a substring of 13 or more characters as a view of its whole parent text. */
const SLICE_MIN = 13;

interface RawData {
  tokens: number[];
  nonBreakingSpaces: Record<number, string>;
  cache: unknown;
}
type DocWrapper = object;
type Tokenize = (doc: DocWrapper, text: string) => void;
type TokenizerFactory = (trex: { helpers: { splitter: RegExp } }, categories: unknown, preserve: unknown) => Tokenize;
type WrapperFactory = (data: RawData) => DocWrapper;

export interface MemoStats {
  /** Pieces found in the memo. */
  hits: number;
  /** Pieces tokenized by wink's own code. */
  misses: number;
  /** Pieces remembered. */
  size: number;
}

/**
 * A piece's tokens, as wink packed them with one preceding space: a lexeme id alone for the common
 * case (one plain token), else four numbers per token.
 */
type Remembered = number | number[];

function memoizing(original: TokenizerFactory, wrap: WrapperFactory, current: () => RawData | undefined, stats: MemoStats): TokenizerFactory {
  return (trex, categories, preserve) => {
    const tokenize = original(trex, categories, preserve);
    const splitter = trex.helpers.splitter;
    const memo = new Map<string, Remembered>();
    const scratch: RawData = { tokens: [], nonBreakingSpaces: Object.create(null) as Record<number, string>, cache: undefined };
    let scratchDoc: DocWrapper | undefined;

    const learn = (piece: string, cache: unknown): Remembered => {
      if (scratch.cache !== cache) {
        scratch.cache = cache;
        scratchDoc = wrap(scratch);
      }
      scratch.tokens.length = 0;
      tokenize(scratchDoc!, ` ${piece}`);
      const t = scratch.tokens;
      if (t.length === 4 && t[1] === 1 && t[2] === 0 && t[3] === 0) return t[0]!;
      return t.slice();
    };

    return (doc, text) => {
      const data = current();
      if (!data) return tokenize(doc, text);
      const out = data.tokens;
      const pieces = text.split(splitter);
      let spaces = 0;
      let nbsp: string | null = null;
      for (let p = 0; p < pieces.length; p++) {
        const piece = pieces[p]!;
        if (!piece) continue;
        if (SPACE_CHARS.test(piece)) {
          if (NBSP.test(piece)) nbsp = piece;
          else spaces = Math.min(piece.length, MAX_COUNTED_SPACES);
          continue;
        }
        if (nbsp !== null) {
          // wink keeps the non-breaking spaces' text per token: its own code, in place.
          tokenize(doc, nbsp + piece);
          stats.misses++;
          nbsp = null;
          spaces = 0;
          continue;
        }
        let known = memo.get(piece);
        if (known === undefined) {
          known = learn(piece, data.cache);
          stats.misses++;
          if (memo.size < MEMO_LIMIT) memo.set(piece.length >= SLICE_MIN ? ` ${piece}`.slice(1) : piece, known);
        } else stats.hits++;
        if (typeof known === 'number') out.push(known, spaces, 0, 0);
        else {
          for (let k = 0; k < known.length; k += 4) {
            const packed = known[k + 1]!;
            // The token that carried the one space of the learning run carries this piece's spaces.
            out.push(known[k]!, (packed & SPACES_MASK) === 1 ? packed - 1 + spaces : packed, known[k + 2]!, known[k + 3]!);
          }
        }
        spaces = 0;
      }
      stats.size = memo.size;
    };
  };
}

/**
 * wink-nlp's factory, loaded afresh with the memoizing tokenizer. Each wink instance it makes has its
 * own memo (lexeme ids belong to an instance's cache).
 */
export function loadMemoizingWink<F>(): { winkNLP: F; stats: MemoStats } {
  const paths = {
    main: require.resolve('wink-nlp'),
    tokenizer: require.resolve('wink-nlp/src/tokenizer.js'),
    wrapper: require.resolve('wink-nlp/src/dd-wrapper.js'),
  };
  const original = require(paths.tokenizer) as TokenizerFactory;
  const wrap = require(paths.wrapper) as WrapperFactory;
  if (typeof original !== 'function' || typeof wrap !== 'function') throw new Error('wink-nlp tokenizer modules moved');
  const stats: MemoStats = { hits: 0, misses: 0, size: 0 };
  // The wrapper readDoc makes for each document is made around its raw data: remember that data, so
  // the memo can append tokens to it directly.
  let latest: RawData | undefined;
  const recording: WrapperFactory = (data) => {
    latest = data;
    return wrap(data);
  };
  const cache = require.cache;
  const saved = { main: cache[paths.main], tokenizer: cache[paths.tokenizer]!, wrapper: cache[paths.wrapper]! };
  const swapped = (entry: NodeJS.Module, exports: unknown): NodeJS.Module => Object.assign(Object.create(Object.getPrototypeOf(entry) as object) as NodeJS.Module, entry, { exports });
  try {
    cache[paths.tokenizer] = swapped(saved.tokenizer, memoizing(original, wrap, () => latest, stats));
    cache[paths.wrapper] = swapped(saved.wrapper, recording);
    delete cache[paths.main];
    return { winkNLP: require(paths.main) as F, stats };
  } finally {
    cache[paths.tokenizer] = saved.tokenizer;
    cache[paths.wrapper] = saved.wrapper;
    if (saved.main) cache[paths.main] = saved.main;
    else delete cache[paths.main];
  }
}
