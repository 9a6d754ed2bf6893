/**
 * The memoizing tokenizer (app/text/wink-memo.ts) must give exactly what wink's own tokenizer gives:
 * the same packed tokens (lexeme, spaces and contraction data, lemma and POS), the same sentences
 * and the same non-breaking spaces, on real text and on the cases where a piece's context could
 * matter. It must also leave wink-nlp's modules as it found them for every other user.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { openWink, type Wink } from '../../app/text/wink.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_TEXT } from '../support/corpus.js';

const require = createRequire(import.meta.url);

const TRICKY = [
  "He can't go. CAN'T he? Can't-do attitude; won't, shan't... I'm sure it's John's.",
  'state\'s, state\'s. "Quoted," (bracketed) [x] {y} --dash-- – en – — em —',
  'Non\u00a0breaking\u00a0spaces: 10\u202f000 and thin\u2009spaces, then can\'t\u00a0again and it\u00a0is.',
  `Long gap${' '.repeat(70_000)}after it, and tabs\tand\r\nline breaks\n\n\nParagraph.`,
  'U.S.A. e.g. i.e. Mr. Dr. 3.5% $4.20 10:30am 1990s 21st #tag @name x@y.com https://a.b/c :) ;-)',
  'Dvořák and Łódź; naïve café; co-operate; well-known self-evident twenty-one e-mail.',
  '235 F.Supp.235 235 then 235, and F.Supp.235 again.',
];

function samePackedTokens(memo: Wink, plain: Wink, text: string): void {
  const a = memo.read(text);
  const b = plain.read(text);
  expect(a.numOfTokens).toBe(b.numOfTokens);
  expect(a.tokens).toEqual(b.tokens);
  expect(a.sentences).toEqual(b.sentences);
  expect({ ...a.nonBreakingSpaces }).toEqual({ ...b.nonBreakingSpaces });
}

describe('wink tokenizer memo', () => {
  it('gives the same tokens as wink, piece for piece, on the chapter and Brown, read twice', () => {
    const memo = openWink();
    const plain = openWink({ memo: false });
    const texts = [CHAPTER_TEXT, ...brownTexts(6).map((t) => t.text)];
    // The second round is answered almost wholly from the memo.
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        for (let from = 0; from < text.length; from += 20_000) samePackedTokens(memo, plain, text.slice(from, from + 20_000));
      }
    }
    const stats = memo.memoStats!;
    expect(stats.hits).toBeGreaterThan(stats.misses * 5);
  });

  it('gives the same tokens where context could matter: spaces, contractions, non-breaking spaces', () => {
    const memo = openWink();
    const plain = openWink({ memo: false });
    for (let round = 0; round < 2; round++) for (const text of TRICKY) samePackedTokens(memo, plain, text);
    // Every piece again, now after the memo has seen it once, in a different order.
    samePackedTokens(memo, plain, [...TRICKY].reverse().join('\n'));
    expect(memo.memoStats!.hits).toBeGreaterThan(0);
  });

  it('leaves wink-nlp as it was for every other user', () => {
    const tokenizer = require('wink-nlp/src/tokenizer.js') as { name?: string };
    const wrapper = require('wink-nlp/src/dd-wrapper.js') as { name?: string };
    openWink();
    expect(require('wink-nlp/src/tokenizer.js')).toBe(tokenizer);
    expect(require('wink-nlp/src/dd-wrapper.js')).toBe(wrapper);
    expect(tokenizer.name).toBe('tokenizer');
    expect(wrapper.name).toBe('docDataWrapper');
  });
});
