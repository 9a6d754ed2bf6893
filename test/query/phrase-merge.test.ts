/**
 * Phrases of words answered from the postings lists alone (app/query/phrase.ts): every hit list must
 * equal a plain scan of every start position comparing the tokens' stored forms, on 20 Brown texts
 * and on the bundled chapter -- two- and three-word phrases drawn from the text, phrases that would
 * only match across a document boundary, case-sensitive and not, punctuation split off as the
 * corpus splits it, and token sets and gaps (`[word="of|in"] the`, `of [] the`) that take the same
 * path. The scan knows nothing of postings, bitsets or gallops.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { postingsOf } from '../../app/index/postings.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { intersectShifted } from '../../app/query/phrase.js';
import { runQuery } from '../../app/query/run.js';
import { splitLikeCorpus } from '../../app/text/query-split.js';
import { exactKey, foldKey } from '../../app/text/normalise.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, tokenRows, type TokenRow } from '../support/corpus.js';

type Step = (r: TokenRow) => boolean;

/** Starts of every in-document run of rows passing the steps in order: the plain reference. */
function scan(rows: TokenRow[], steps: Step[]): number[] {
  const out: number[] = [];
  for (let s = 0; s + steps.length <= rows.length; s++) {
    let ok = true;
    for (let k = 0; k < steps.length && ok; k++) {
      const r = rows[s + k]!;
      ok = r.doc === rows[s]!.doc && steps[k]!(r);
    }
    if (ok) out.push(rows[s]!.pos);
  }
  return out;
}

/** Steps for plain query text, split as the parser splits it. */
function plainSteps(query: string, caseSensitive: boolean): Step[] {
  return splitLikeCorpus(query).map((t) => {
    if (caseSensitive) {
      const key = exactKey(t);
      return (r: TokenRow) => r.form === key;
    }
    const key = foldKey(t);
    return (r: TokenRow) => r.word === key;
  });
}

function hitsOf(index: CorpusIndex, query: string, caseSensitive = false): { starts: number[]; ends: number[] } {
  const h = runQuery(index, query, { caseSensitive });
  return { starts: Array.from(h.starts), ends: Array.from(h.ends) };
}

function expectPlain(index: CorpusIndex, rows: TokenRow[], query: string, caseSensitive: boolean): number {
  const steps = plainSteps(query, caseSensitive);
  const expected = scan(rows, steps);
  const got = hitsOf(index, query, caseSensitive);
  expect(got.starts, `${query}${caseSensitive ? ' (case)' : ''}`).toEqual(expected);
  expect(got.ends).toEqual(expected.map((s) => s + steps.length));
  return expected.length;
}

/** Tokens a plain query can carry as themselves: letters, digits, and punctuation the parser leaves alone. */
const PLAIN = /^(?:[A-Za-z0-9]+|[,.;!']|'s|n't)$/;

/** A deterministic stream of positions (LCG), so the phrases drawn are the same on every run. */
function* positions(n: number, count: number, seed: number): Generator<number> {
  let x = seed >>> 0;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x % n;
  }
}

describe('phrases on 20 Brown texts', () => {
  let index: CorpusIndex;
  let rows: TokenRow[];
  beforeAll(() => {
    const docs = brownTexts(20).map((t) => ({ name: `${t.id}.txt`, path: `/brown/${t.id}.txt`, text: t.text }));
    index = buildIndexSync(docs);
    rows = tokenRows(index);
  });

  it('common phrases, both ways of case, equal the scan', () => {
    const phrases = [
      'of the',
      'in the',
      'in order to',
      'it is',
      'the the',
      'of of',
      ', and',
      '. The',
      'said the',
      'one of the',
      'as well as',
      'at the same time',
      'The jury',
      'the jury said',
      "it's",
      "don't know",
      'irregularities in',
      'no such phrase here',
      'the zzzzunknown',
    ];
    let total = 0;
    for (const p of phrases) for (const cs of [false, true]) total += expectPlain(index, rows, p, cs);
    // The frequent phrases are really frequent here: the comparison is not of empty lists.
    expect(hitsOf(index, 'of the').starts.length).toBeGreaterThan(300);
    expect(total).toBeGreaterThan(2000);
  });

  it('200 two- and three-word phrases drawn from the text equal the scan, with and without case', () => {
    let drawn = 0;
    for (const p of positions(rows.length - 3, 400, 7)) {
      const len = 2 + (p % 2);
      const run = rows.slice(p, p + len);
      if (run.some((r) => r.doc !== run[0]!.doc || !PLAIN.test(r.form))) continue;
      const query = run.map((r) => r.form).join(' ');
      if (splitLikeCorpus(query).length !== len) continue;
      drawn++;
      const n = expectPlain(index, rows, query, false);
      expect(n, query).toBeGreaterThan(0); // it was drawn from the text
      expectPlain(index, rows, query, true);
      // The same phrase with its first word's case flipped: found without case, maybe not with it.
      const flipped =
        query[0] === query[0]!.toUpperCase() ? query[0]!.toLowerCase() + query.slice(1) : query[0]!.toUpperCase() + query.slice(1);
      expectPlain(index, rows, flipped, true);
      if (drawn === 200) break;
    }
    expect(drawn).toBe(200);
  });

  it('a phrase that exists only across a document boundary has no hit there', () => {
    let straddling = 0;
    for (let d = 1; d < index.docs.length; d++) {
      const b = index.docStart[d]!;
      for (const [from, to] of [
        [b - 1, b + 1],
        [b - 2, b + 1],
        [b - 1, b + 2],
      ] as const) {
        const run = rows.slice(from, to);
        if (!run.every((r) => PLAIN.test(r.form))) continue;
        const query = run.map((r) => r.form).join(' ');
        if (splitLikeCorpus(query).length !== to - from) continue;
        straddling++;
        for (const cs of [false, true]) {
          expectPlain(index, rows, query, cs);
          expect(hitsOf(index, query, cs).starts).not.toContain(from);
        }
      }
    }
    expect(straddling).toBeGreaterThan(20);
  });

  it('sets of words, lemmas, parts of speech and gaps equal the scan', () => {
    const w =
      (...xs: string[]) =>
      (r: TokenRow) =>
        xs.includes(r.word);
    const cases: Array<[string, Step[]]> = [
      ['[word="of|in"] the', [w('of', 'in'), w('the')]],
      ['in [word="the|a"]', [w('in'), w('the', 'a')]],
      ['jury [word="the|a|was"]', [w('jury'), w('the', 'a', 'was')]],
      ['[word="irregularities|jury"] of', [w('irregularities', 'jury'), w('of')]],
      ['/of|in/ the', [w('of', 'in'), w('the')]],
      ['of [] the', [w('of'), () => true, w('the')]],
      ['[]{2} jury', [() => true, () => true, w('jury')]],
      ['the []', [w('the'), () => true]],
      ['[pos="NOUN"]{2}', [(r) => r.tag === 'NOUN', (r) => r.tag === 'NOUN']],
      ['[lemma="be"] the', [(r) => r.lemma === 'be', w('the')]],
      ['[pos="DET"] jury', [(r) => r.tag === 'DET', w('jury')]],
      ['[pos="ADP"] [pos="DET"] [pos="NOUN"]', [(r) => r.tag === 'ADP', (r) => r.tag === 'DET', (r) => r.tag === 'NOUN']],
      ['[form="The"] jury', [(r) => r.form === 'The', w('jury')]],
      // Wildcards: a bitset of all their words, walked as a union, or checked in the column.
      ['in the*', [w('in'), (r) => r.word.startsWith('the')]],
      ['jury w*', [w('jury'), (r) => r.word.startsWith('w')]],
      ['inter* of', [(r) => r.word.startsWith('inter'), w('of')]],
      ['the* of*', [(r) => r.word.startsWith('the'), (r) => r.word.startsWith('of')]],
      ['/.*ness/ of', [(r) => r.word.endsWith('ness'), w('of')]],
      // Not a sequence of plain tests: the column checks answer these.
      ['[word!="the"] of', [(r) => r.word !== 'the', w('of')]],
      ['[lemma="be" & pos="AUX"] the', [(r) => r.lemma === 'be' && r.tag === 'AUX', w('the')]],
    ];
    for (const [query, steps] of cases) {
      const expected = scan(rows, steps);
      const got = hitsOf(index, query);
      expect(got.starts, query).toEqual(expected);
      expect(got.ends, query).toEqual(expected.map((s) => s + steps.length));
      expect(expected.length, query).toBeGreaterThan(0);
    }
  });

  it('intersectShifted alone: every pair of frequent words at offsets -2..2 equals the scan', () => {
    const words = ['the', 'of', 'and', 'jury', 'said', ','];
    const p = index.byWord;
    for (const a of words)
      for (const b of words)
        for (const at of [-2, -1, 1, 2]) {
          const la = postingsOf(p, index.wordId(a)!);
          const lb = postingsOf(p, index.wordId(b)!);
          // Token a at offset max(0, -at), token b `at` after it.
          const aAt = Math.max(0, -at);
          const length = Math.abs(at) + 1;
          const got = intersectShifted(
            [
              { at: aAt, lists: [la], size: la.length },
              { at: aAt + at, lists: [lb], size: lb.length },
            ],
            length,
            index.tokenCount,
            index.docStart,
          );
          const steps: Step[] = Array.from({ length }, () => () => true);
          steps[aAt] = (r) => r.word === a;
          steps[aAt + at] = (r) => r.word === b;
          expect(Array.from(got), `${a} ${at} ${b}`).toEqual(scan(rows, steps));
        }
  });
  it('a result stays as it was when later phrases run (the working arrays are reused)', () => {
    const first = runQuery(index, 'of the', {}).starts;
    const kept = Array.from(first);
    expect(kept.length).toBeGreaterThan(100);
    // Longer and shorter candidate lists, a bitset built and cleared, and an empty answer.
    for (const q of ['the jury', 'said the', 'of', 'in the', 'the of the', 'zzz the']) runQuery(index, q, {});
    expect(Array.from(first)).toEqual(kept);
    expect(Array.from(runQuery(index, 'of the', {}).starts)).toEqual(kept);
  });
});

describe('phrases at the edges of the corpus', () => {
  let index: CorpusIndex;
  let rows: TokenRow[];
  beforeAll(() => {
    index = buildIndexSync([
      { name: 'a.txt', path: '/a.txt', text: 'alpha beta gamma' },
      { name: 'b.txt', path: '/b.txt', text: 'delta epsilon alpha' },
      { name: 'c.txt', path: '/c.txt', text: 'gamma delta alpha beta' },
    ]);
    rows = tokenRows(index);
  });

  it('a match may start at the first token and end at the last, but never cross a document', () => {
    const cases: Array<[string, number]> = [
      ['alpha beta', 2],
      ['alpha beta gamma', 1],
      ['gamma delta', 1], // a.txt ends with gamma, b.txt starts with delta: only c.txt counts
      ['alpha gamma', 0],
      ['epsilon alpha', 1],
      ['alpha delta', 0], // across b.txt -> c.txt
      ['x alpha', 0],
      ['beta x', 0],
      ['[word="gamma|beta"] delta', 1],
      ['[] alpha', 2],
      ['beta []', 1],
    ];
    for (const [query, n] of cases) {
      const hits = hitsOf(index, query).starts;
      expect(hits.length, query).toBe(n);
    }
    for (const q of ['alpha beta', 'gamma delta', 'alpha delta', 'epsilon alpha']) expectPlain(index, rows, q, false);
  });
});

describe('phrases on the bundled chapter', () => {
  let index: CorpusIndex;
  let rows: TokenRow[];
  beforeAll(() => {
    index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
    rows = tokenRows(index);
  });

  it("`workers' councils` is 6 hits (3 tokens), `bureaucracy` 36, and both equal the scan", () => {
    expect(splitLikeCorpus("workers' councils")).toEqual(['workers', "'", 'councils']);
    expect(expectPlain(index, rows, "workers' councils", false)).toBe(6);
    expect(expectPlain(index, rows, 'workers’ councils', false)).toBe(6);
    expect(expectPlain(index, rows, 'bureaucracy', false)).toBe(36);
    expect(expectPlain(index, rows, "Workers' Councils", true)).toBe(2);
  });

  it('other phrases of the chapter equal the scan', () => {
    for (const q of ['of the', 'the bureaucracy', 'the working class', "bureaucracy's", 'ruling class', ', the', 'of the the'])
      for (const cs of [false, true]) expectPlain(index, rows, q, cs);
  });
});
