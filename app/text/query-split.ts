/**
 * Splitting query text as the corpus was split, without loading wink-nlp where it cannot matter.
 *
 * wink-nlp tokenises each space-separated piece on its own, and a piece of letters only (A-Z, a-z) is
 * one token, itself, unless it is one of the contractions its lexicon expands (`cannot`, `dont`: the
 * generated LETTER_CONTRACTIONS). Such queries (`government`, `of the`) are split here; anything else
 * (punctuation, digits, apostrophes, other scripts) goes through the tokeniser. Loading wink's model
 * takes 120-270 ms, which was most of a cold open's first query.
 */
import { LETTER_CONTRACTIONS } from './letter-contractions.js';
import { tokenise } from './tokenise.js';

const CONTRACTIONS = new Set(LETTER_CONTRACTIONS);
const LETTERS = /^[A-Za-z]+$/;

/** The pieces of `text` when it is words of letters only, separated by spaces, none a contraction. */
export function plainLetterWords(text: string): string[] | undefined {
  const pieces = text.split(' ').filter((p) => p !== '');
  if (pieces.length === 0) return undefined;
  for (const p of pieces) if (!LETTERS.test(p) || CONTRACTIONS.has(p.toLowerCase())) return undefined;
  return pieces;
}

/** Splits plain query text exactly as the corpus is split, so `workers'` becomes `workers` + `'`. */
export function splitLikeCorpus(text: string): string[] {
  const plain = plainLetterWords(text);
  if (plain) return plain;
  const b = tokenise(text);
  return Array.from(b.form, (id) => b.forms[id]!);
}
