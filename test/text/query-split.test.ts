/**
 * Query text split without wink-nlp (app/text/query-split.ts) must split exactly as the tokeniser does:
 * the list of letters-only contractions is checked against wink's model, and every letters-only word
 * of 40 Brown texts and of the chapter, in four casings, and phrases of them, against the tokeniser.
 */
import { describe, expect, it } from 'vitest';
import { LETTER_CONTRACTIONS } from '../../app/text/letter-contractions.js';
import { plainLetterWords, splitLikeCorpus } from '../../app/text/query-split.js';
import { tokenise } from '../../app/text/tokenise.js';
import { lettersWinkSplits } from '../../scripts/letter-contractions.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_TEXT } from '../support/corpus.js';

const byTokeniser = (text: string): string[] => {
  const b = tokenise(text);
  return Array.from(b.form, (id) => b.forms[id]!);
};

describe('splitting query text', () => {
  it('the letters-only contractions are exactly those of the installed wink-nlp model', () => {
    // If this fails after upgrading wink-nlp: node --import tsx scripts/letter-contractions.ts
    expect([...LETTER_CONTRACTIONS]).toEqual(lettersWinkSplits());
  }, 60_000);

  it('every letters-only word of real text, in four casings, splits as the tokeniser splits it', () => {
    const text = [CHAPTER_TEXT, ...brownTexts(40).map((t) => t.text)].join('\n');
    const words = [...new Set(text.split(/[^A-Za-z]+/).filter((w) => w.length > 0))];
    expect(words.length).toBeGreaterThan(10_000);
    let plain = 0;
    for (const w of words)
      for (const v of [w, w.toLowerCase(), w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]) {
        if (plainLetterWords(v)) plain++;
        expect(splitLikeCorpus(v), v).toEqual(byTokeniser(v));
      }
    // Most of them take the path without wink.
    expect(plain).toBeGreaterThan(words.length * 3);
  }, 120_000);

  it('phrases of letters-only words split as the tokeniser splits them; anything else goes to it', () => {
    const cases = [
      'of the',
      'workers councils',
      'the  bureaucracy ',
      'in order to',
      'I cannot say',
      'They dont',
      "workers' councils",
      'state-capitalism',
      'in 1917',
      'Łódź',
      'e.g. this',
      'A',
    ];
    for (const q of cases) expect(splitLikeCorpus(q), q).toEqual(byTokeniser(q));
    expect(plainLetterWords('I cannot say')).toBeUndefined();
    expect(plainLetterWords("workers' councils")).toBeUndefined();
    expect(plainLetterWords('the  bureaucracy ')).toEqual(['the', 'bureaucracy']);
  });
});
