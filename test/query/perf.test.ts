/**
 * The fast paths of the query engine against straightforward reference computations on real text
 * (Brown texts and the bundled chapter): document counts, lazily made ends and corpus order,
 * phrase intersection, vocabulary wildcards and regexes, and radix-sorted concordances.
 * No timings are asserted; the benchmark measures those.
 */
import { RE2JS } from 're2js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { distinctDocuments, gallopTo } from '../../app/index/postings.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { countedNeighbour, kwicLine, kwicPage, pageOf, prepareHits, seededRandom, sortOrder } from '../../app/query/kwic.js';
import type { SortKey } from '../../app/contract/types.js';
import { runQuery } from '../../app/query/run.js';
import { regexText, resolveTerms } from '../../app/query/terms.js';
import { exactKey, foldKey } from '../../app/text/normalise.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT } from '../support/corpus.js';

let brown: CorpusIndex;
/** Brown texts with empty documents among them (they share a start position with their neighbour). */
let gappy: CorpusIndex;

beforeAll(() => {
  const texts = brownTexts(30).map((t) => ({ name: t.id, path: `/brown/${t.id}`, text: t.text }));
  brown = buildIndexSync(texts);
  const withEmpty = [{ name: 'empty-first', path: '/e0', text: '' }];
  texts.slice(0, 8).forEach((t, i) => {
    withEmpty.push(t);
    if (i % 3 === 0) withEmpty.push({ name: `empty-${i}`, path: `/e${i + 1}`, text: '' });
  });
  // Two documents whose edge reads "of the": a phrase must not cross it.
  withEmpty.push(
    { name: 'ends-of', path: '/of', text: 'The jury spoke of' },
    { name: 'starts-the', path: '/the', text: 'the city in order to' },
  );
  withEmpty.push({ name: 'chapter', path: CHAPTER_PATH, text: CHAPTER_TEXT }, { name: 'empty-last', path: '/e-last', text: '' });
  // Words whose case folding is not plain ASCII: long s (folds with s), sharp s, accents, capitals.
  withEmpty.push({
    name: 'folds',
    path: '/folds',
    text: 'The ſtreſs of Straße and STRASSE, naïveness, Naïveté, ÉCOLE école, Ǆemal, İstanbul, Kelvin and KELVIN, x-ray, e-mail, intérêt, INTERNAL interests.',
  });
  gappy = buildIndexSync(withEmpty);
}, 60_000);

/** Seeded pseudo-random integers (xorshift), for picking subsets. */
function randomInts(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const naiveDocuments = (index: CorpusIndex, starts: ArrayLike<number>) => new Set(Array.from(starts, (s) => index.docOf(s))).size;

describe('document counts and gallops', () => {
  it('gallopTo finds the first element at or above a value, from any start', () => {
    const hits = runQuery(brown, 'the').starts;
    expect(hits.length).toBeGreaterThan(1000);
    const rnd = randomInts(7);
    for (let k = 0; k < 500; k++) {
      const from = rnd(hits.length + 1);
      const value = rnd(brown.tokenCount + 10);
      let want = from;
      while (want < hits.length && hits[want]! < value) want++;
      expect(gallopTo(hits, from, value)).toBe(want);
    }
  });

  it('distinctDocuments equals the per-hit count for words, phrases and random subsets, with empty documents', () => {
    for (const index of [brown, gappy]) {
      for (const q of ['the', 'of the', 'government', 'jury', 'irregularities', 'Russia', '[pos="PUNCT"]', 'zzzqqq']) {
        const starts = runQuery(index, q).starts;
        expect(distinctDocuments(index.docStart, starts), q).toBe(naiveDocuments(index, starts));
      }
      const rnd = randomInts(11);
      for (const size of [0, 1, 2, 5, 50, 5000]) {
        const set = new Set<number>();
        while (set.size < size) set.add(rnd(index.tokenCount));
        const starts = Uint32Array.from([...set].sort((a, b) => a - b));
        expect(distinctDocuments(index.docStart, starts)).toBe(naiveDocuments(index, starts));
      }
    }
    // Hits on the first and the last token of documents: the boundaries themselves.
    const firsts = new Set<number>();
    const lasts = new Set<number>();
    for (let d = 0; d + 1 < gappy.docStart.length; d++) {
      if (gappy.docStart[d + 1]! > gappy.docStart[d]!) {
        firsts.add(gappy.docStart[d]!);
        lasts.add(gappy.docStart[d + 1]! - 1);
      }
    }
    const nonEmpty = firsts.size;
    expect(nonEmpty).toBeLessThan(gappy.docs.length);
    const asc = (xs: Iterable<number>) => Uint32Array.from([...xs].sort((a, b) => a - b));
    expect(distinctDocuments(gappy.docStart, asc(firsts))).toBe(nonEmpty);
    expect(distinctDocuments(gappy.docStart, asc(lasts))).toBe(nonEmpty);
    expect(distinctDocuments(gappy.docStart, asc([...firsts].filter((_, i) => i % 2 === 0).concat([...lasts])))).toBe(nonEmpty);
  });
});

describe('lone words: lazy ends and corpus order', () => {
  it('fixed-length hits carry their length, and ends read as start + length', () => {
    for (const q of ['the', 'of the', 'in order to', 'inter*']) {
      const hits = runQuery(brown, q);
      const n = q.split(' ').length;
      expect(hits.length, q).toBe(n);
      const ends = hits.ends;
      expect(ends).toBeInstanceOf(Uint32Array);
      expect(Array.from(ends)).toEqual(Array.from(hits.starts, (s) => s + n));
      expect(hits.ends).toBe(ends); // made once
    }
    // Variable-length hits have real ends and no length.
    const v = runQuery(brown, 'the []{0,2} jury');
    expect(v.length).toBeUndefined();
    expect(v.starts.length).toBeGreaterThan(0);
  });

  it('a page in corpus order is the page an explicit identity order gives, at every offset', () => {
    for (const q of ['the', 'of the', 'the []{0,2} jury']) {
      const prepared = prepareHits(brown, { query: q });
      expect(prepared.corpusOrder).toBe(true);
      expect(prepared.documents).toBe(naiveDocuments(brown, prepared.hits.starts));
      const h = prepared.hits.starts.length;
      const explicit = { ...prepared, corpusOrder: false, order: Uint32Array.from({ length: h }, (_, i) => i) };
      for (const offset of [0, 7, Math.max(0, h - 20), h + 5]) {
        const req = { query: q, offset, limit: 25 };
        const a = pageOf(brown, req, prepared);
        expect(a).toEqual(pageOf(brown, req, explicit));
        const want = Array.from(prepared.hits.starts.slice(offset, offset + 25), (s, i) =>
          kwicLine(brown, s, prepared.hits.ends[offset + i]!, 8),
        );
        expect(a.lines).toEqual(want);
      }
      expect(Array.from(prepared.order)).toEqual(Array.from({ length: h }, (_, i) => i));
    }
  });

  it('a filtered and a sampled concordance keep lengths and counts right', () => {
    const page = kwicPage(brown, { query: 'the', filter: 'jury', filterSpan: 3, limit: 1000 });
    expect(page.hits).toBeGreaterThan(0);
    for (const l of page.lines) expect(l.node.toLowerCase()).toBe('the');
    const sampled = prepareHits(brown, { query: 'of the', sample: 100, seed: 3 });
    expect(sampled.hits.starts.length).toBe(100);
    expect(Array.from(sampled.hits.ends)).toEqual(Array.from(sampled.hits.starts, (s) => s + 2));
    expect(sampled.documents).toBe(naiveDocuments(brown, sampled.hits.starts));
  });

  it('the bundled chapter counts one document', () => {
    const chapter = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
    expect(kwicPage(chapter, { query: 'the' }).documents).toBe(1);
  });
});

describe('fixed-length phrases: column checks with a document cursor', () => {
  /** Every start s where token s+k satisfies tests[k] for all k, inside one document: a plain scan. */
  function bruteForce(index: CorpusIndex, tests: Array<(p: number) => boolean>): number[] {
    const out: number[] = [];
    const len = tests.length;
    for (let d = 0; d + 1 < index.docStart.length; d++) {
      const lo = index.docStart[d]!;
      const hi = index.docStart[d + 1]!;
      for (let s = lo; s + len <= hi; s++) if (tests.every((t, k) => t(s + k))) out.push(s);
    }
    return out;
  }
  const wordIs = (index: CorpusIndex, w: string) => (p: number) => index.words[index.word[p]!] === w;
  const posIs = (index: CorpusIndex, tag: string) => (p: number) => index.posName(index.pos[p]!) === tag;

  it('word sequences taken from the text, frequent and rare, match a plain scan (with document edges)', () => {
    for (const index of [brown, gappy]) {
      const rnd = randomInts(23);
      const queries = ['of the', 'in order to', 'the the', 'said that the', ', and', 'of of'];
      for (let k = 0; k < 25; k++) {
        const len = 2 + rnd(3);
        const s = rnd(index.tokenCount - len);
        const ws = Array.from({ length: len }, (_, j) => index.words[index.word[s + j]!]!);
        if (ws.every((w) => /^[a-z]+$/.test(w))) queries.push(ws.join(' '));
      }
      // The last word of each document followed by the first of the next: never a hit.
      for (let d = 1; d + 1 < index.docStart.length; d++) {
        const b = index.docStart[d]!;
        if (b === 0 || b >= index.tokenCount || index.docStart[d + 1] === b) continue;
        const pair = [index.words[index.word[b - 1]!]!, index.words[index.word[b]!]!];
        if (pair.every((w) => /^[a-z]+$/.test(w))) queries.push(pair.join(' '));
      }
      expect(queries.length).toBeGreaterThan(15);
      for (const q of queries) {
        const hits = runQuery(index, q);
        const want = bruteForce(
          index,
          q.split(' ').map((w) => wordIs(index, w)),
        );
        expect(Array.from(hits.starts), q).toEqual(want);
        expect(hits.length).toBe(q.split(' ').length);
      }
    }
  });

  it('sets of words, parts of speech, negations and repeats match a plain scan', () => {
    const cases: Array<[string, Array<(p: number) => boolean>]> = [
      ['the [pos="NOUN"]', [wordIs(brown, 'the'), posIs(brown, 'NOUN')]],
      ['[pos="ADJ"] [pos="NOUN"] of', [posIs(brown, 'ADJ'), posIs(brown, 'NOUN'), wordIs(brown, 'of')]],
      ['the gov*', [wordIs(brown, 'the'), (p) => brown.words[brown.word[p]!]!.startsWith('gov')]],
      ['[word!="the"] jury', [(p) => !wordIs(brown, 'the')(p), wordIs(brown, 'jury')]],
      ['[pos="ADJ"]{2}', [posIs(brown, 'ADJ'), posIs(brown, 'ADJ')]],
      ['of [] the', [wordIs(brown, 'of'), () => true, wordIs(brown, 'the')]],
      ['[] jury', [() => true, wordIs(brown, 'jury')]],
      ['the [word="jury" | word="court"]', [wordIs(brown, 'the'), (p) => ['jury', 'court'].includes(brown.words[brown.word[p]!]!)]],
    ];
    for (const [q, tests] of cases) {
      const hits = runQuery(brown, q);
      const want = bruteForce(brown, tests);
      expect(want.length, q).toBeGreaterThan(0);
      expect(Array.from(hits.starts), q).toEqual(want);
      expect(Array.from(hits.ends), q).toEqual(want.map((s) => s + tests.length));
    }
  });
});

describe('wildcards and regexes over the vocabulary: prefiltered, cached, exact', () => {
  /** The plain way: re2js over every string of the vocabulary, as the engine did before prefilters. */
  function reference(strings: readonly string[], source: string, folded: boolean): number[] {
    const re = RE2JS.compile(source, folded ? RE2JS.CASE_INSENSITIVE : 0);
    const out: number[] = [];
    strings.forEach((w, i) => re.matches(w) && out.push(i));
    return out;
  }
  const wildcardSource = (p: string) => Array.from(p, (ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : RE2JS.quote(ch))).join('');

  const WILDCARDS = [
    'inter*',
    '*ness',
    'un*able',
    'th?',
    '*s*',
    'st*',
    'str*',
    'ſt*',
    'Stra*',
    '*ß*',
    '?',
    '*',
    '*e',
    'e-*',
    'k*',
    'na*ve*',
    'int*r*',
    'zzz*',
    '*ss*',
    'école',
    '*É*',
    "don'*",
  ];
  const REGEXES = [
    '.*ness',
    'inter.*',
    '(?i)THE',
    'th(e|is)',
    'a+b.*',
    '[st]tr.*',
    'st.*s',
    'ness',
    '.*\\.',
    'x{2}.*',
    '.*s+.*',
    'colou?r',
    '\\w+ness',
    '.*ǅ.*',
    'the|a',
    '^the$',
    'k.*n',
    'str[a-z]*',
    '(s|ſ)t.*',
    'e{1,2}.*',
    '.*(ness)',
    'st(r)+.*',
    '[^a-z].*',
    'Stra.*',
    'STRA.*',
    'é.*',
    '.*\\pL+ness',
    'inter\\Qnal\\E',
    'int.{2}',
    'ab{0}c.*',
    'a{,2}',
    'x*y?z+ness',
    '[[:alpha:]]+ness',
    'the[]]?',
  ];

  it('matches exactly what a full re2js scan matches, on words, exact forms and lemmas, with case folding', () => {
    for (const index of [brown, gappy]) {
      const vocabularies = [
        { attr: 'word' as const, ci: false, strings: index.words, key: foldKey, folded: true },
        { attr: 'form' as const, ci: false, strings: index.forms, key: exactKey, folded: false },
        { attr: 'form' as const, ci: true, strings: index.words, key: foldKey, folded: true },
        { attr: 'lemma' as const, ci: false, strings: index.lemmas, key: foldKey, folded: true },
      ];
      for (const v of vocabularies) {
        for (const p of WILDCARDS) {
          const got = resolveTerms(index, v.attr, { kind: 'wildcard', pattern: p }, v.ci, 0);
          const want = reference(v.strings, wildcardSource(v.key(p)), v.folded);
          expect(got.ids, `${v.attr} ${p}`).toEqual(want);
          // The bitmap is over the column a check reads: case-folded words are checked on the exact
          // forms, so it marks every form that folds to a matching word.
          const marked = got.bitmap.reduce((a, b) => a + b, 0);
          if (v.folded && v.attr !== 'lemma') {
            const forms = index.forms.filter((f) => want.includes(index.wordId(f.toLowerCase())!));
            expect(marked).toBe(forms.length);
            expect(got.columnIds.map((f) => index.forms[f])).toEqual(forms);
          } else expect(marked).toBe(want.length);
        }
        for (const r of REGEXES) {
          let source: string;
          try {
            source = exactKey(r);
            RE2JS.compile(source);
          } catch {
            continue; // not a valid re2 pattern: the parser would have refused it
          }
          const got = resolveTerms(index, v.attr, { kind: 'regex', pattern: r }, v.ci, 0);
          expect(got.ids, `${v.attr} /${r}/`).toEqual(reference(v.strings, source, v.folded));
        }
      }
    }
    // The tricky folds are really in the vocabulary, and some patterns really match them.
    expect(gappy.words).toContain('ſtreſs');
    expect(resolveTerms(gappy, 'word', { kind: 'wildcard', pattern: 'st*' }, false, 0).ids.map((i) => gappy.words[i])).toContain('ſtreſs');
    expect(resolveTerms(gappy, 'word', { kind: 'regex', pattern: '.*ness' }, false, 0).ids.map((i) => gappy.words[i])).toContain(
      'naïveness',
    );
  });

  it('a repeated pattern comes from the cache with the same answer; other patterns are not confused with it', () => {
    const a = resolveTerms(brown, 'word', { kind: 'wildcard', pattern: 'inter*' }, false, 0);
    const b = resolveTerms(brown, 'word', { kind: 'wildcard', pattern: 'inter*' }, false, 0);
    expect(b).toBe(a);
    const c = resolveTerms(brown, 'word', { kind: 'regex', pattern: 'inter*' }, false, 0); // a regex: "inte" then r*
    expect(c.ids).toEqual(reference(brown.words, 'inter*', true));
    expect(c.ids).not.toEqual(a.ids);
    const d = resolveTerms(brown, 'form', { kind: 'wildcard', pattern: 'inter*' }, false, 0);
    expect(d.ids).toEqual(reference(brown.forms, wildcardSource('inter*'), false));
    // Evicted after many others, then recomputed equal.
    for (let k = 0; k < 12; k++) resolveTerms(brown, 'word', { kind: 'wildcard', pattern: `${'abcdefghijkl'[k]}*` }, false, 0);
    const e = resolveTerms(brown, 'word', { kind: 'wildcard', pattern: 'inter*' }, false, 0);
    expect(e).not.toBe(a);
    expect(e.ids).toEqual(a.ids);
    // Through the query: the hits are the postings of those words.
    const hits = runQuery(brown, 'inter*');
    const chosen = new Set(a.ids);
    const want = brown.word.reduce<number[]>((acc, w, p) => (chosen.has(w) ? (acc.push(p), acc) : acc), []);
    expect(Array.from(hits.starts)).toEqual(want);
  });

  it('reads the required text of a regex conservatively', () => {
    expect(regexText('.*ness')).toEqual({ prefix: '', suffix: 'ness', inner: [] });
    expect(regexText('inter.*')).toEqual({ prefix: 'inter', suffix: '', inner: [] });
    expect(regexText('^bureau.*cy$')).toEqual({ prefix: 'bureau', suffix: 'cy', inner: [] });
    expect(regexText('.*tion.*al.*')).toEqual({ prefix: '', suffix: '', inner: ['tion', 'al'] });
    expect(regexText('colou?r')).toEqual({ prefix: 'colo', suffix: 'r', inner: [] });
    expect(regexText('a+b')).toEqual({ prefix: 'a', suffix: 'b', inner: [] });
    expect(regexText('th(e|is)')).toEqual({ prefix: 'th', suffix: '', inner: [] });
    expect(regexText('\\.com')).toEqual({ prefix: '.com', suffix: '.com', inner: [] });
    for (const none of ['the|a', '(?i)the', 'a\\Qb\\E', '\\pLness', 'x{,2}', '*a', 'a)']) {
      expect(regexText(none), none).toEqual({ prefix: '', suffix: '', inner: [] });
    }
  });
});

describe('sorting concordances: radix over integer keys', () => {
  /** The plain way: per-hit keys from countedNeighbour and docOf, then a comparator sort. */
  function referenceOrder(index: CorpusIndex, starts: Uint32Array, ends: Uint32Array, keys: SortKey[], seed: number): number[] {
    const cols = keys
      .filter((k) => k !== 'doc')
      .map((key) => {
        if (key === 'random') {
          const rand = seededRandom(seed);
          return Array.from(starts, () => rand());
        }
        if (key === 'node') return Array.from(starts, (s) => index.wordRank[index.word[s]!]!);
        const k = (key[0] === 'L' ? -1 : 1) * Number(key.slice(1));
        return Array.from(starts, (s, i) => {
          const p = countedNeighbour(index, s, ends[i]!, k);
          return p < 0 ? -1 : index.wordRank[index.word[p]!]!;
        });
      });
    return Array.from(starts, (_, i) => i).sort((a, b) => {
      for (const c of cols) if (c[a] !== c[b]) return c[a]! - c[b]!;
      return a - b;
    });
  }

  it('equals a comparator sort for every key, several keys, ties and documents edges', () => {
    const keySets: SortKey[][] = [
      ['R1'],
      ['L1'],
      ['R2', 'L1'],
      ['node'],
      ['L3', 'R3'],
      ['R1', 'node', 'L2'],
      ['random'],
      ['R1', 'random'],
      ['doc', 'R1'],
      ['L5'],
    ];
    for (const index of [brown, gappy]) {
      for (const q of ['the', 'of the', 'jury', 'the []{0,2} jury', '[pos="PUNCT"]', 'inter*']) {
        const hits = runQuery(index, q);
        for (const keys of keySets) {
          for (const seed of keys.includes('random') ? [1, 42] : [1]) {
            const got = Array.from(sortOrder(index, hits, keys, seed));
            expect(got, `${q} by ${keys.join(',')}`).toEqual(referenceOrder(index, hits.starts, hits.ends, keys, seed));
          }
        }
      }
    }
  });

  it('ties really occur and keep corpus order; hits out of corpus order still find their neighbours', () => {
    const hits = runQuery(brown, 'the');
    const order = sortOrder(brown, hits, ['R1']);
    let ties = 0;
    for (let i = 1; i < order.length; i++) {
      const a = countedNeighbour(brown, hits.starts[order[i - 1]!]!, hits.ends[order[i - 1]!]!, 1);
      const b = countedNeighbour(brown, hits.starts[order[i]!]!, hits.ends[order[i]!]!, 1);
      if (a >= 0 && b >= 0 && brown.word[a] === brown.word[b]) {
        ties++;
        expect(order[i]!).toBeGreaterThan(order[i - 1]!);
      }
    }
    expect(ties).toBeGreaterThan(1000);
    // Reversed hits (not in corpus order): keys come from each hit's own document all the same.
    const rev = { starts: hits.starts.slice().reverse(), ends: hits.ends.slice().reverse() };
    expect(Array.from(sortOrder(brown, rev, ['L2', 'R1']))).toEqual(referenceOrder(brown, rev.starts, rev.ends, ['L2', 'R1'], 1));
  });

  it('a sorted page shows the hits in sorted order', () => {
    const prepared = prepareHits(brown, { query: 'of the', sort: ['R1'] });
    expect(prepared.corpusOrder).toBeUndefined();
    const page = pageOf(brown, { query: 'of the', sort: ['R1'], offset: 100, limit: 30 }, prepared);
    const want = referenceOrder(brown, prepared.hits.starts, prepared.hits.ends, ['R1'], 1).slice(100, 130);
    expect(page.lines.map((l) => l.position)).toEqual(want.map((i) => prepared.hits.starts[i]!));
  });
});

describe('variable-length queries: starts guided by the rarest required pattern', () => {
  type Step = { test: (p: number) => boolean; min: number; max: number };
  /** Shortest match from every start (fewest repetitions first, depth first), inside one document. */
  function bruteForce(index: CorpusIndex, steps: Step[]): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let d = 0; d + 1 < index.docStart.length; d++) {
      const lo = index.docStart[d]!;
      const hi = index.docStart[d + 1]!;
      const match = (si: number, p: number): number => {
        if (si === steps.length) return p;
        const { test, min, max } = steps[si]!;
        for (let k = 0; k <= max; k++) {
          if (k >= min) {
            const end = match(si + 1, p + k);
            if (end >= 0) return end;
          }
          if (p + k >= hi || !test(p + k)) return -1;
        }
        return -1;
      };
      for (let s = lo; s < hi; s++) {
        const e = match(0, s);
        if (e > s) out.push([s, e]);
      }
    }
    return out;
  }
  const word = (index: CorpusIndex, w: string) => (p: number) => index.words[index.word[p]!] === w;
  const any = () => true;

  it('equal a brute-force shortest match, whether the first pattern has postings or not', () => {
    for (const index of [brown, gappy]) {
      const cases: Array<[string, Step[]]> = [
        [
          'the []{0,3} jury',
          [
            { test: word(index, 'the'), min: 1, max: 1 },
            { test: any, min: 0, max: 3 },
            { test: word(index, 'jury'), min: 1, max: 1 },
          ],
        ],
        [
          '[]{0,2} jury',
          [
            { test: any, min: 0, max: 2 },
            { test: word(index, 'jury'), min: 1, max: 1 },
          ],
        ],
        [
          '[]{1,3} of the',
          [
            { test: any, min: 1, max: 3 },
            { test: word(index, 'of'), min: 1, max: 1 },
            { test: word(index, 'the'), min: 1, max: 1 },
          ],
        ],
        [
          '[word!="the"]{1,2} city',
          [
            { test: (p) => !word(index, 'the')(p), min: 1, max: 2 },
            { test: word(index, 'city'), min: 1, max: 1 },
          ],
        ],
        [
          'of []{0,2} the []? jury',
          [
            { test: word(index, 'of'), min: 1, max: 1 },
            { test: any, min: 0, max: 2 },
            { test: word(index, 'the'), min: 1, max: 1 },
            { test: any, min: 0, max: 1 },
            { test: word(index, 'jury'), min: 1, max: 1 },
          ],
        ],
        [
          '[word="the"]? jury',
          [
            { test: word(index, 'the'), min: 0, max: 1 },
            { test: word(index, 'jury'), min: 1, max: 1 },
          ],
        ],
        [
          '[]{0,2} of',
          [
            { test: any, min: 0, max: 2 },
            { test: word(index, 'of'), min: 1, max: 1 },
          ],
        ],
      ];
      for (const [q, steps] of cases) {
        const hits = runQuery(index, q);
        const want = bruteForce(index, steps);
        expect(want.length, q).toBeGreaterThan(0);
        expect(
          Array.from(hits.starts, (s, i) => [s, hits.ends[i]!]),
          q,
        ).toEqual(want);
      }
    }
  });
});
