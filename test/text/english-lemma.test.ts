/**
 * englishLemma (app/text/english-lemma.ts) on real wink output: every input is a token wink read in the
 * chapter, in a Brown sentence or in a short sentence, with wink's own POS and lemma for it. Capitalised
 * plurals wink tags PROPN get their common noun's lemma, true names keep theirs, and where wink's
 * lexicon contradicts itself (`masses` -> `masse`) wink's rules decide.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { englishLemma } from '../../app/text/english-lemma.js';
import { openWink, TK_SIZE, type Wink } from '../../app/text/wink.js';
import { brownTexts, type BrownText } from '../../scripts/brown.js';

// Read here rather than through test/support (which loads the whole index stack): this test needs
// wink and the lemma function only.
const CHAPTER_TEXT = readFileSync(new URL('../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt', import.meta.url), 'utf8');

interface Token {
  value: string;
  pos: string;
  /** wink's lemma, as the tokeniser takes it. */
  wink: string;
  lemma: string;
}

let w: Wink;
let chapter: Token[];
let brown: BrownText[];

/** Every word token of `text` (read in blank-line chunks, as the tokeniser does), contractions aside. */
function tokens(wink: Wink, text: string): Token[] {
  const out: Token[] = [];
  for (const chunk of text.split(/\n\s*\n/)) {
    if (!chunk.trim()) continue;
    const doc = wink.read(chunk);
    for (let i = 0; i < doc.numOfTokens; i++) {
      // A contraction's parts carry their own lemma; the tokeniser does not ask englishLemma for them.
      if (doc.tokens[i * TK_SIZE + 1]! > 0xffff) continue;
      const value = wink.value(doc.tokens[i * TK_SIZE]!);
      if (!/\p{L}/u.test(value)) continue;
      const pos = wink.posName(wink.posIndex(doc, i));
      const winkLemma = wink.lemma(doc, i) || value;
      out.push({ value, pos, wink: winkLemma, lemma: englishLemma(wink, value, pos, winkLemma) });
    }
  }
  return out;
}

const fold = (s: string) => s.toLowerCase();

/** The tokens spelled `value` (exactly) among `list`; fails if there are none. */
function spelled(list: Token[], value: string): Token[] {
  const found = list.filter((t) => t.value === value);
  expect(found.length, `tokens spelled ${value}`).toBeGreaterThan(0);
  return found;
}

/** The first sentence (a line) of Brown text `id` holding the word `word`. */
function brownSentence(id: string, word: string): string {
  const text = brown.find((t) => t.id === id)?.text ?? '';
  const line = text.split('\n').find((l) => l.split(' ').includes(word));
  expect(line, `${word} in Brown ${id}`).toBeDefined();
  return line!;
}

beforeAll(() => {
  w = openWink();
  chapter = tokens(w, CHAPTER_TEXT);
  brown = brownTexts();
});

describe('capitalised plurals wink tags PROPN', () => {
  it('every workers/Workers of the chapter has the lemma worker, where wink missed some', () => {
    const workers = chapter.filter((t) => fold(t.value) === 'workers');
    expect(workers.length).toBe(49);
    // The fault being fixed: wink tags some of them PROPN and keeps the plural.
    expect(workers.some((t) => t.pos === 'PROPN' && fold(t.wink) === 'workers')).toBe(true);
    for (const t of workers) expect(fold(t.lemma), `${t.value}/${t.pos}`).toBe('worker');
  });

  it('Workers’ Councils: both words get their common noun lemma', () => {
    const heading = tokens(w, 'The tasks of the Workers’ Councils were defined thus:');
    const got = heading.filter((t) => t.pos === 'PROPN').map((t) => [t.value, fold(t.wink), fold(t.lemma)]);
    expect(got).toEqual([
      ['Workers', 'workers', 'worker'],
      ['Councils', 'councils', 'council'],
    ]);
    for (const t of spelled(chapter, 'Councils')) expect(fold(t.lemma), t.pos).toBe('council');
  });

  it('Councils in a Brown sentence is council (councils is not in the lexicon, council is)', () => {
    const t = spelled(tokens(w, brownSentence('cf48', 'Councils')), 'Councils')[0]!;
    expect(t.pos).toBe('PROPN');
    expect(fold(t.wink)).toBe('councils');
    expect(fold(t.lemma)).toBe('council');
  });

  it('Soviets is soviet, the common noun', () => {
    const t = spelled(tokens(w, brownSentence('cb01', 'Soviets')), 'Soviets')[0]!;
    expect(t.pos).toBe('PROPN');
    expect(fold(t.lemma)).toBe('soviet');
  });
});

describe('true proper nouns stay as wink gives them', () => {
  it('Stalin and Russia, in the chapter and in Brown', () => {
    const stalinBrown = tokens(w, brownSentence('cc06', 'Stalin'));
    for (const t of [...spelled(chapter, 'Stalin'), ...spelled(chapter, 'Russia'), ...spelled(stalinBrown, 'Stalin')]) {
      expect(t.lemma, `${t.value}/${t.pos}`).toBe(t.wink);
      expect(fold(t.lemma)).toBe(fold(t.value));
    }
  });

  it('a capitalised spelling the lexicon has only as a name keeps it (United States)', () => {
    const t = tokens(w, brownSentence('cb01', 'States')).find((x) => x.value === 'States' && x.pos === 'PROPN');
    expect(t).toBeDefined();
    expect(fold(t!.lemma)).toBe('states');
  });
});

describe('common nouns, verbs and adjectives', () => {
  it('a lower-case plural noun keeps wink’s lemma (councils -> council)', () => {
    const councils = chapter.filter((t) => t.value === 'councils');
    expect(councils.length).toBeGreaterThan(0);
    for (const t of councils) {
      expect(t.pos).toBe('NOUN');
      expect(fold(t.wink)).toBe('council');
      expect(t.lemma).toBe(t.wink);
    }
  });

  it('masses and Masses are mass, not the foreign masse', () => {
    const masses = spelled(chapter, 'masses');
    expect(masses.some((t) => t.wink === 'masse')).toBe(true);
    for (const t of masses) expect(t.lemma, t.pos).toBe('mass');
    const capital = spelled(tokens(w, 'Masses of workers joined the councils.'), 'Masses')[0]!;
    expect(fold(capital.lemma)).toBe('mass');
  });

  it('a form the lexicon marks as no base form yet lemmatises as itself goes to wink’s rules', () => {
    const t = spelled(tokens(w, 'Coffee stimulates the mind.'), 'stimulates')[0]!;
    expect(t.pos).toBe('VERB');
    expect(t.wink).toBe('stimulates');
    expect(t.lemma).toBe('stimulate');
  });

  it('in the chapter only PROPN tokens and masses change lemma', () => {
    const changed = chapter.filter((t) => fold(t.lemma) !== fold(t.wink));
    expect(changed.length).toBeGreaterThan(0);
    for (const t of changed) {
      expect(t.pos === 'PROPN' || t.value === 'masses', `${t.value}/${t.pos}: ${t.wink} -> ${t.lemma}`).toBe(true);
    }
  });
});

describe('determinism', () => {
  it('the answer does not depend on what the Wink read before', () => {
    const asks: Array<[string, string, string]> = [
      ['Councils', 'PROPN', 'councils'],
      ['Workers', 'PROPN', 'workers'],
      ['Maris', 'PROPN', 'maris'],
      ['Stimulates', 'VERB', 'stimulate'],
      ['masses', 'NOUN', 'masse'],
    ];
    const fresh = openWink();
    const before = asks.map(([v, p, l]) => englishLemma(fresh, v, p, l));
    // Reading teaches wink these out-of-vocabulary words (councils, maris, ...).
    fresh.read('The Councils met the councils. Maris and maris hit. Stimulates stimulated.');
    expect(asks.map(([v, p, l]) => englishLemma(fresh, v, p, l))).toEqual(before);
    expect(asks.map(([v, p, l]) => englishLemma(w, v, p, l))).toEqual(before);
  });
});
