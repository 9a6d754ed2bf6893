/**
 * Splitting query text as the corpus was split, without loading wink-nlp where it cannot matter.
 *
 * English documents are split by wink-nlp, which tokenises each space-separated piece on its own: a
 * piece of letters only (A-Z, a-z) is one token, itself, unless it is one of the contractions its
 * lexicon expands (`cannot`, `dont`: the generated LETTER_CONTRACTIONS). Such queries (`government`,
 * `of the`) are split here; other text in Latin script goes through the tokeniser, as the documents
 * did. Documents in other languages, and words of other scripts anywhere, are split by Unicode
 * segmentation, so query text with such letters (`工人委员会`, `рабочие советы`) is too. Loading
 * wink's model takes a noticeable part of a second, most of a cold open's first query.
 */
import { LETTER_CONTRACTIONS } from './letter-contractions.js';
import { segmentText } from './segment.js';
import { NON_LATIN_LETTER, tokenise } from './tokenise.js';
import { exactKey } from './normalise.js';

const CONTRACTIONS = new Set(LETTER_CONTRACTIONS);
const LETTERS = /^[A-Za-z]+$/;

/** The pieces of `text` when it is words of letters only, separated by spaces, none a contraction. */
export function plainLetterWords(text: string): string[] | undefined {
  const pieces = text.split(' ').filter((p) => p !== '');
  if (pieces.length === 0) return undefined;
  for (const p of pieces) if (!LETTERS.test(p) || CONTRACTIONS.has(p.toLowerCase())) return undefined;
  return pieces;
}

/**
 * Splits plain query text exactly as the corpus is split, so `workers'` becomes `workers` + `'`.
 * `english`: whether the corpus has English documents (else every query is segmented).
 */
export function splitLikeCorpus(text: string, english = true): string[] {
  if (!english || NON_LATIN_LETTER.test(text)) {
    const seg = segmentText(text);
    return Array.from(seg.start.subarray(0, seg.count), (s, k) => exactKey(text.slice(s, seg.end[k]!)));
  }
  const plain = plainLetterWords(text);
  if (plain) return plain;
  const b = tokenise(text);
  return Array.from(b.form, (id) => b.forms[id]!);
}
