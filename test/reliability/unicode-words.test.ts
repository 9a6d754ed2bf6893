/**
 * Letters beyond Latin-1 in the tokeniser. wink-nlp's lexer treats Basic Latin, Latin-1, Greek,
 * Cyrillic and combining marks as letters, so decomposed (NFD) text works: `cafe\u0301` is one token
 * and `café` finds it (input-files.test.ts). But precomposed letters of Latin Extended-A and Latin
 * Extended Additional (ř ğ Š İ Ł ź Œ Ħ, Vietnamese ặ ị ọ ễ) are not letters to it: NFC `Dvořák` becomes
 * `Dvo|ř|ák`, while NFD `Dvořák` (r + combining caron) stays one token. The query is split like NFC text,
 * so it finds only the NFC spelling.
 *
 * The fix, in app/text/tokenise.ts: wink reads a same-length shadow of the text in which each letter of
 * U+0100-U+024F and U+1E00-U+1EFF is replaced by `A`/`a` (same case, one UTF-16 unit each, so every
 * offset stays valid); each token's surface comes from the original text by its offsets, and the
 * lemma is the folded surface where surface and shadow differ.
 */
import { describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { kwicPage } from '../../app/query/kwic.js';
import { tokenise } from '../../app/text/tokenise.js';

const WORDS = ['Dvořák', 'Erdoğan', 'Škoda', 'İstanbul', 'Łódź', 'Œuvre', 'Nguyễn', 'Việt'];
const surfaces = (t: string) => {
  const b = tokenise(t);
  return Array.from(b.start, (s, i) => t.slice(s, b.end[i]));
};

describe('letters beyond Latin-1', () => {
  it('letters wink knows stay whole in both forms (the part that works today)', () => {
    for (const w of ['café', 'naïve', 'Zürich', 'Kraków', 'Ørsted', 'Москва', 'Ελλάδα'])
      for (const form of ['NFC', 'NFD'] as const) expect(surfaces(w.normalize(form))).toEqual([w.normalize(form)]);
  });

  it('Dvořák, Erdoğan, Škoda, İstanbul, Łódź, Œuvre, Nguyễn, Việt are one token each, in NFC and in NFD', () => {
    for (const w of WORDS) for (const form of ['NFC', 'NFD'] as const) expect(surfaces(w.normalize(form))).toEqual([w.normalize(form)]);
  });

  it('a query for Dvořák finds it written precomposed (NFC) and decomposed (NFD)', () => {
    const index = buildIndexSync([
      { name: 'nfc.txt', path: '/nfc.txt', text: `Music by ${'Dvořák'.normalize('NFC')} tonight.\n` },
      { name: 'nfd.txt', path: '/nfd.txt', text: `Music by ${'Dvořák'.normalize('NFD')} tonight.\n` },
    ]);
    const page = kwicPage(index, { query: 'Dvořák' });
    expect(page.lines.map((l) => [l.docName, l.node.normalize('NFC')])).toEqual([
      ['nfc.txt', 'Dvořák'],
      ['nfd.txt', 'Dvořák'],
    ]);
  });
});
