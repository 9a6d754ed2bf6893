/**
 * Queries with optional or repeated tokens run as their fixed-length readings (`DET ADJ? NOUN` as
 * `DET NOUN` and `DET ADJ NOUN`), on the postings or, when they test only common parts of speech, in
 * one pass over the POS column. Their hits must be those of the search from each start that defines
 * them: here recomputed by a plain recursive search over the token columns, on the chapter with Brown
 * texts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { runQuery } from '../../app/query/run.js';
import { brownTexts } from '../../scripts/brown.js';
import { columnsRead, savedCorpus } from '../support/saved-index.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT } from '../support/corpus.js';

let index: CorpusIndex;

beforeAll(() => {
  index = buildIndexSync([
    { name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT },
    ...brownTexts(12).map((t) => ({ name: `${t.id}.txt`, path: `/${t.id}.txt`, text: t.text })),
  ]);
}, 60_000);

/** One token's test, read straight off the columns. */
type Test = (p: number) => boolean;

/**
 * The hits by definition: from each start, patterns in order, each repeated fewest times first, the
 * first complete match inside the start's document.
 */
function oracle(patterns: Array<{ test: Test; min: number; max: number }>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const docStart = index.docStart;
  for (let d = 0; d + 1 < docStart.length; d++) {
    const end = docStart[d + 1]!;
    const from = (pi: number, p: number): number => {
      if (pi === patterns.length) return p;
      const { test, min, max } = patterns[pi]!;
      let q = p;
      for (let k = 0; k < min; k++, q++) if (q >= end || !test(q)) return -1;
      for (let k = min; ; k++) {
        const e = from(pi + 1, q);
        if (e >= 0) return e;
        if (k >= max || q >= end || !test(q)) return -1;
        q++;
      }
    };
    for (let s = docStart[d]!; s < end; s++) {
      const e = from(0, s);
      if (e > s) out.push([s, e]);
    }
  }
  return out;
}

// Resolved on first use: the index is built after this module loads.
const pos = (tag: string): Test => {
  let id: number | undefined;
  return (p) => index.pos[p] === (id ??= index.posTags.indexOf(tag));
};
const word = (w: string): Test => {
  let id: number | undefined;
  return (p) => index.formToWord[index.form[p]!] === (id ??= index.wordId(w));
};
const any: Test = () => true;

const CASES: Array<[string, Array<{ test: Test; min: number; max: number }>]> = [
  [
    '[pos="DET"] [pos="ADJ"]? [pos="NOUN"]',
    [
      { test: pos('DET'), min: 1, max: 1 },
      { test: pos('ADJ'), min: 0, max: 1 },
      { test: pos('NOUN'), min: 1, max: 1 },
    ],
  ],
  [
    'the []{0,3} government',
    [
      { test: word('the'), min: 1, max: 1 },
      { test: any, min: 0, max: 3 },
      { test: word('government'), min: 1, max: 1 },
    ],
  ],
  [
    '[pos="ADJ"]{1,3} [pos="NOUN"]',
    [
      { test: pos('ADJ'), min: 1, max: 3 },
      { test: pos('NOUN'), min: 1, max: 1 },
    ],
  ],
  [
    '[pos="ADV"]? [pos="ADJ"]? [pos="NOUN"]{1,2}',
    [
      { test: pos('ADV'), min: 0, max: 1 },
      { test: pos('ADJ'), min: 0, max: 1 },
      { test: pos('NOUN'), min: 1, max: 2 },
    ],
  ],
  [
    'of []? the',
    [
      { test: word('of'), min: 1, max: 1 },
      { test: any, min: 0, max: 1 },
      { test: word('the'), min: 1, max: 1 },
    ],
  ],
  [
    '[pos="DET"]? [pos="NOUN"]',
    [
      { test: pos('DET'), min: 0, max: 1 },
      { test: pos('NOUN'), min: 1, max: 1 },
    ],
  ],
  // A rare tag: its postings are short, so this one runs on them rather than a pass over the column.
  [
    '[pos="INTJ"]? [pos="PROPN"]{1,2}',
    [
      { test: pos('INTJ'), min: 0, max: 1 },
      { test: pos('PROPN'), min: 1, max: 2 },
    ],
  ],
  [
    '[pos!="DET"] [pos="NOUN" | pos="PROPN"]{2}',
    [
      { test: (p) => !pos('DET')(p), min: 1, max: 1 },
      { test: (p) => pos('NOUN')(p) || pos('PROPN')(p), min: 2, max: 2 },
    ],
  ],
  [
    '[pos="NOUN"] [pos="ADP"]?',
    [
      { test: pos('NOUN'), min: 1, max: 1 },
      { test: pos('ADP'), min: 0, max: 1 },
    ],
  ],
];

describe('optional and repeated tokens, run as fixed-length readings', () => {
  it('give the hits of the search from each start, on the chapter with Brown texts', () => {
    for (const [query, patterns] of CASES) {
      const want = oracle(patterns);
      const hits = runQuery(index, query);
      const got = Array.from(hits.starts, (s, i): [number, number] => [s, hits.ends[i]!]);
      expect(got.length, query).toBe(want.length);
      expect(got, query).toEqual(want);
      expect(want.length, query).toBeGreaterThan(10);
    }
  });
});

describe('conditions on one token, on postings', () => {
  const lemmaIs = (l: string): Test => {
    let id: number | undefined;
    return (p) => index.lemma[p] === (id ??= index.lemmaIds.get(l));
  };
  const wordMatches =
    (re: RegExp): Test =>
    (p) =>
      re.test(index.words[index.formToWord[index.form[p]!]!]!);
  const ONE_TOKEN: Array<[string, Test]> = [
    ['[word="a.*" & !pos="DET"]', (p) => wordMatches(/^a.*$/)(p) && !pos('DET')(p)],
    ['[pos="NOUN" & !word="th.*"]', (p) => pos('NOUN')(p) && !wordMatches(/^th.*$/)(p)],
    ['[!pos="DET" & word="th.*"]', (p) => !pos('DET')(p) && wordMatches(/^th.*$/)(p)],
    ['[pos="ADJ" & lemma="good"]', (p) => pos('ADJ')(p) && lemmaIs('good')(p)],
    ['[pos="AUX" & lemma="be"]', (p) => pos('AUX')(p) && lemmaIs('be')(p)],
    ['[word="that" & !pos="SCONJ" & !pos="PRON"]', (p) => word('that')(p) && !pos('SCONJ')(p) && !pos('PRON')(p)],
  ];
  it('give exactly the tokens a test of every token gives', () => {
    for (const [query, test] of ONE_TOKEN) {
      const want: number[] = [];
      for (let p = 0; p < index.tokenCount; p++) if (test(p)) want.push(p);
      const got = Array.from(runQuery(index, query).starts);
      expect(got, query).toEqual(want);
      expect(want.length, query).toBeGreaterThan(0);
    }
  });
});

describe('parts of speech on a lazily opened index', () => {
  it('give the hits of the index loaded whole, reading no column', async () => {
    const saved = await savedCorpus('pos-readings', 6);
    try {
      const lazy = await saved.lazily();
      let compared = 0;
      const oneToken = ['[word="a.*" & !pos="DET"]', '[pos="ADJ" & lemma="good"]', '[word="that" & !pos="SCONJ" & !pos="PRON"]'];
      for (const query of [...CASES.map(([q]) => q), ...oneToken]) {
        if (!query.includes('pos=')) continue;
        const want = runQuery(saved.whole, query);
        const got = runQuery(lazy, query);
        expect(Array.from(got.starts), query).toEqual(Array.from(want.starts));
        expect(Array.from(got.ends), query).toEqual(Array.from(want.ends));
        compared++;
      }
      expect(compared).toBeGreaterThan(7);
      expect(columnsRead(lazy)).toEqual([]);
    } finally {
      saved.remove();
    }
  }, 60_000);
});
