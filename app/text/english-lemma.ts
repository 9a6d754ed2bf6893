/**
 * The lemma Loupe indexes for an English token: wink-nlp's, corrected where it fails in ways its own
 * lexicon and rules can tell.
 *
 * 1. wink lemmatises a proper noun as itself, so a capitalised plural it tags PROPN (`Workers`,
 *    `Councils` in a heading or an organisation's name) kept its plural and `lemma:worker` missed it.
 *    Here a PROPN token whose lower-case word is an English common noun gets that noun's lemma: the
 *    lower-case word is in wink's lexicon with NOUN among its tags, or wink's own noun rules take it to a
 *    base form the lexicon has as a noun (`councils` is not in the lexicon, `council` is). Only NOUN is
 *    tried: a proper noun is a noun, and a name made of a verb or adjective (`United`) is no inflection
 *    of one. What stays as wink gives it:
 *    - a name whose lower-case word is no English noun (`Stalin`, `Marx`);
 *    - a capitalised spelling the lexicon itself has as a proper noun and not as a common one (`Russia`,
 *      `States` of `United States`, `Mars`, `Gates`): the model knows it as a name, so it stays whole.
 *    `Soviets` becomes `soviet`: the lexicon has `soviet` as a common noun (a council), so
 *    `lemma:soviet` finds `Soviets`, `soviets` and `soviet` together, as `lemma:council` does for
 *    `Councils`. The cost: a surname or place that is also a plural noun (`Banks`, `Wells`, `Indies`) is
 *    read as the noun too; the word alone cannot tell them apart.
 *
 * 2. A capitalised NOUN, VERB or ADJ token (`Hoped` opening a sentence) was lemmatised from its
 *    capitalised spelling: by wink's suffix rules alone when that spelling is not in the lexicon
 *    (`hop`), while the lower-case word has the lexicon's lemma (`hope`). Here every such token is
 *    lemmatised as its lower-case word with the same tag, so capitals never change a lemma.
 *
 * 3. Where wink's lexicon contradicts itself about a word, wink's own suffix rules decide, if they reach
 *    an English base form the lexicon allows the token's tag; otherwise wink's lemma stands. Two
 *    contradictions are recognised, neither by listing words:
 *    - the lemma is a word the lexicon tags X, foreign (`masses` -> `masse`, the French of `en masse`;
 *      the rules give `mass`). A foreign plural with a foreign lemma keeps it (`markkaa` -> `markka`):
 *      no rule reaches an English base for it;
 *    - the lemma is the word itself, but the lexicon marks the word as no base form (`stimulates`,
 *      `sweetest`; the rules give `stimulate`, `sweet`).
 *
 * Everything is read from the model's own lexicon and rules (wink.ts hides words learned from earlier
 * texts), so a lemma never depends on what the thread read before. The tokeniser caches the result per
 * lexeme and tag, so nothing here needs to be fast.
 */
import type { Wink } from './wink.js';

/** The tags wink lemmatises (its rules know no other). */
const INFLECTED = new Set(['NOUN', 'VERB', 'ADJ']);

/** The lemma to index for a token with surface `value`, wink's POS name `pos` and wink's lemma `winkLemma`. */
export function englishLemma(w: Wink, value: string, pos: string, winkLemma: string): string {
  const lower = value.toLowerCase();
  if (pos === 'PROPN') return properNounLemma(w, value, lower, winkLemma);
  if (!INFLECTED.has(pos)) return winkLemma;
  const lex = w.lexiconEntry(lower);
  const lemma = lex !== undefined ? w.lexemeLemma(lex, pos) : w.ruleLemma(lower, pos);
  return englishBase(w, lower, pos, lemma);
}

function properNounLemma(w: Wink, value: string, lower: string, winkLemma: string): string {
  // A capitalised spelling the model knows only as a name (Mars, States) stays that name.
  if (value !== lower) {
    const own = w.lexiconEntry(value);
    if (own !== undefined) {
      const tags = w.lexiconTags(own);
      if (tags.has('PROPN') && !tags.has('NOUN')) return winkLemma;
    }
  }
  const lex = w.lexiconEntry(lower);
  let lemma: string;
  if (lex !== undefined) {
    // Known, but not as a common noun: a name (its lemma is itself) or a verb or adjective.
    if (!w.lexiconTags(lex).has('NOUN')) return winkLemma;
    lemma = w.lexemeLemma(lex, 'NOUN');
  } else {
    // Not in the lexicon: an English plural only if wink's noun rules reach a noun that is.
    lemma = w.ruleLemma(lower, 'NOUN');
    // The rules end, failing all else, by turning -men into -man without asking the lexicon.
    if (lemma === lower || !isBase(w, lemma, 'NOUN')) return winkLemma;
  }
  return englishBase(w, lower, 'NOUN', lemma);
}

/** Whether `word` is in the lexicon as a base form allowed tag `pos`. */
function isBase(w: Wink, word: string, pos: string): boolean {
  const lex = w.lexiconEntry(word);
  return lex !== undefined && w.isBaseForm(lex) && w.lexiconTags(lex).has(pos);
}

/** Whether `word` is in the lexicon and not tagged there as a foreign word. */
function english(w: Wink, word: string): boolean {
  const lex = w.lexiconEntry(word);
  return lex !== undefined && w.lexiconTag(lex) !== 'X';
}

/**
 * `lemma` of `lower` as `pos`, unless the lexicon contradicts itself about it: the lemma is a foreign
 * word (`masses` -> `masse`), or the lemma is the word itself while the lexicon marks the word as no
 * base form (`stimulates` -> `stimulates`). Then wink's own rules decide, if they reach an English base
 * form the lexicon allows `pos`; if they do not, wink's lemma stands.
 */
function englishBase(w: Wink, lower: string, pos: string, lemma: string): string {
  let suspect: boolean;
  if (lemma === lower) {
    const lex = w.lexiconEntry(lower);
    suspect = lex !== undefined && !w.isBaseForm(lex);
  } else {
    suspect = w.lexiconEntry(lemma) !== undefined && !english(w, lemma);
  }
  if (!suspect) return lemma;
  const base = w.ruleLemma(lower, pos, (b) => english(w, b));
  return base !== lower && english(w, base) && isBase(w, base, pos) ? base : lemma;
}
