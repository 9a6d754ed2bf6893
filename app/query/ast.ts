/**
 * The parsed form of a Loupe query: a sequence of token patterns, each a condition on one corpus
 * token plus a repeat range. parse.ts builds it; run.ts executes it against the index.
 *
 * Matching conventions the executor relies on:
 * - `word` is the case-folded surface form: compare foldKey(value) with the folded-form column,
 *   whatever `caseInsensitive` says. `form` is the exact surface form (exactKey), case-insensitive
 *   only when `caseInsensitive` is true (the `%c` flag). `lemma` keys are stored folded, so lemma
 *   values are folded too. `pos` literals arrive upper-cased and validated against the UPOS tags.
 * - Literal and wildcard values are kept as typed (apart from NFC and `\"` unescaping); the
 *   executor applies its own key normalisation (apostrophes, case) before comparing.
 * - Wildcards: `*` = any run of characters (possibly none), `?` = exactly one character.
 * - Regexes are re2 syntax, already validated with re2js, and must match the whole value.
 */
export type Attr = 'word' | 'form' | 'lemma' | 'pos';

export type ValueMatch =
  | { kind: 'literal'; value: string } // compared after the executor's normalisation
  | { kind: 'wildcard'; pattern: string } // raw pattern with * and ?
  | { kind: 'regex'; pattern: string }; // re2 syntax, to be full-matched

export type Condition =
  | { type: 'test'; attr: Attr; match: ValueMatch; negate: boolean; caseInsensitive?: boolean }
  | { type: 'and'; items: Condition[] }
  | { type: 'or'; items: Condition[] }
  | { type: 'not'; item: Condition }
  | { type: 'any' };

/**
 * One position (or a repeated run of positions) in the sequence. `position` is the character
 * offset in the (NFC-normalised) query where the item starts. `capped` is set when an open-ended
 * quantifier (`*`, `+`, `{m,}`) was limited to MAX_REPEAT.
 */
export interface TokenPattern {
  condition: Condition;
  min: number;
  max: number;
  position: number;
  capped?: boolean;
}

export interface ParsedQuery {
  source: string; // the query after NFC normalisation; positions refer to it
  tokens: TokenPattern[];
}

/** Upper bound for any repeat count; open-ended quantifiers stop here. */
export const MAX_REPEAT = 50;
/** Longest regular expression accepted, in characters. */
export const MAX_REGEX_CHARS = 10_000;
