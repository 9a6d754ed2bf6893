/**
 * Queries that try to hang or exhaust the engine: catastrophic-backtracking regexes on long words,
 * enormous patterns, malformed syntax, constructs RE2 refuses. Each ends with a result or E_QUERY
 * (the test asserts completion and the outcome, never a duration). A query with about a million hits
 * is paged from typed arrays: page 0 and a deep page both work.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN_KINDS } from '../../app/contract/types.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import { CorpusIndex, SENTENCE_START, PARAGRAPH_START } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { UPOS_TAGS } from '../../app/text/tokenise.js';
import { CHAPTER_TEXT } from './support.js';

const LONG_A = 'a'.repeat(5000);
const index = buildIndexSync([
  { name: 'chapter.txt', path: '/chapter.txt', text: CHAPTER_TEXT },
  { name: 'long.txt', path: '/long.txt', text: `${LONG_A} ${LONG_A}b aa ${LONG_A}! ${'ab'.repeat(2500)}\n` },
]);

/** Runs a query: the number of hits, or the error code it failed with. */
function outcome(q: string): number | string {
  try {
    return runQuery(index, q).starts.length;
  } catch (e) {
    return (e as { code?: string }).code ?? `not a LoupeFailure: ${e}`;
  }
}

/** Independent count: tokens of the corpus whose case-folded text a (safe) JS regex matches whole. */
function tokensMatching(re: RegExp | ((w: string) => boolean)): number {
  const test = typeof re === 'function' ? re : (w: string) => re.test(w);
  let n = 0;
  for (let i = 0; i < index.tokenCount; i++) if (test(index.words[index.word[i]!]!)) n++;
  return n;
}

describe('hostile patterns', () => {
  it.each([
    ['/(a+)+$/', /^a+$/],
    ['/(a|aa)+$/', /^a+$/],
    ['/(a*)*b/', /^a*b$/],
    // (A JS regex for this one would itself backtrack for ever on the 5,000-character 'abab…b': test by hand.)
    ['/(.*a){12}/', (w: string) => w.endsWith('a') && w.split('a').length > 12],
    ['[word="(a+)+b"]', /^a+b$/],
  ] as Array<[string, RegExp | ((w: string) => boolean)]>)(
    '%s on 5,000-character words completes with the right hits (RE2: linear time)',
    (q, safe) => {
      const n = outcome(q);
      expect(n).toBe(tokensMatching(safe));
      expect(n).toBeGreaterThan(0);
    },
  );

  it('a 100 KB regular expression is E_QUERY (too long), as is 100 KB of nesting', () => {
    expect(outcome(`/${'a'.repeat(100_000)}/`)).toBe('E_QUERY');
    expect(outcome(`[word="${'(a'.repeat(50_000)}"]`)).toBe('E_QUERY');
    expect(String(outcome('('.repeat(100_000)))).not.toMatch(/not a LoupeFailure/);
    expect(outcome(`[${'!'.repeat(100_000)}word="a"]`)).toBe('E_QUERY');
  });

  it('a 100 KB plain query (a long phrase) completes: a result or E_QUERY, nothing else', () => {
    const r = outcome(CHAPTER_TEXT.repeat(Math.ceil(100_000 / CHAPTER_TEXT.length)).slice(0, 100_000));
    expect(typeof r === 'number' || r === 'E_QUERY').toBe(true);
  });

  it.each([
    ['[word="x"', 'unclosed ['],
    [']', 'stray ]'],
    ['/(ab/', 'unclosed group'],
    ['/ab)/', 'unopened group'],
    ['/[ab/', 'unclosed class'],
    ['[word="a"]{1,', 'unclosed quantifier'],
    ['"abc', 'unterminated string'],
    ['[word="a" & ]', 'dangling &'],
  ])('%s (%s): E_QUERY', (q) => {
    expect(outcome(q)).toBe('E_QUERY');
  });

  it.each(['/(?<=a)b/', '/(?<!a)b/', '/a(?=b)/', '/a(?!b)/', '/(a)\\1/', '[word="(a)\\1"]', '/(?<x>a)\\k<x>/'])(
    'lookaround or backreference %s: E_QUERY',
    (q) => expect(outcome(q)).toBe('E_QUERY'),
  );

  it('gaps of bounded length between tokens complete with the right hits', () => {
    // Independent: positions of "the" followed within 1..4 tokens by "of" (first such "of": shortest match).
    const the = index.wordId('the')!;
    const of = index.wordId('of')!;
    let want = 0;
    for (let i = 0; i < index.tokenCount; i++) {
      if (index.word[i] !== the) continue;
      const d = index.docOf(i);
      for (let k = 1; k <= 4 && i + k < index.docStart[d + 1]!; k++) {
        if (index.word[i + k] === of) {
          want++;
          break;
        }
      }
    }
    expect(outcome('the []{0,3} of')).toBe(want);
  });

  // A depth-first search over the gaps (runVariable) that tried every split would take 50^3 paths
  // from every start here; memoising step(pattern, position) keeps it linear with identical results.
  // Counted in token reads rather than timed: the budget (200 reads per token) is far above what the
  // memoised search needs (about 1 per token).
  it('open-ended gaps (`[]{0,50}` x 3 before a rare token) finish within a linear budget of token reads', () => {
    void index.byWord;
    // Word tests read the exact-form column (through formToWord); count reads of that column.
    const word = index.form;
    let reads = 0;
    const budget = 200 * index.tokenCount;
    const counted = new Proxy(word, {
      get(target, key) {
        if (typeof key === 'string' && ++reads > budget) throw new Error(`more than ${budget} token reads`);
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const fields = index as unknown as { _form: Uint32Array };
    fields._form = counted;
    try {
      // The last token is answered from the postings; the gaps before each of its hits are searched,
      // and every step of that search tests the token there, reading the column.
      const hits = outcome('[]{0,50} []{0,50} []{0,50} [word="revolution" & !pos="VERB"]');
      expect(typeof hits).toBe('number');
      expect(hits).toBeGreaterThan(0);
      expect(reads).toBeGreaterThan(0);
    } finally {
      fields._form = word;
    }
  });
});

/** A synthetic corpus of 2,000,000 tokens in 4 documents: every other token is "the". */
function millionHitCorpus(): { index: CorpusIndex; vocabulary: string[] } {
  const TOKENS = 2_000_000;
  const DOCS = 4;
  const vocabulary = ['the', ...Array.from({ length: 997 }, (_, i) => `w${i}`)];
  const form = new Uint32Array(TOKENS);
  const start = new Uint32Array(TOKENS);
  const end = new Uint32Array(TOKENS);
  const flags = new Uint8Array(TOKENS);
  const docStart = new Uint32Array(DOCS + 1);
  const docs = [];
  const per = TOKENS / DOCS;
  let seed = 7;
  for (let d = 0; d < DOCS; d++) {
    docStart[d] = d * per;
    const parts: string[] = [];
    let at = 0;
    for (let k = 0; k < per; k++) {
      const i = d * per + k;
      seed = (seed * 1103515245 + 12345) >>> 0;
      const id = k % 2 === 0 ? 0 : 1 + (seed % 997);
      form[i] = id;
      start[i] = at;
      end[i] = at + vocabulary[id]!.length;
      if (k % 20 === 0) flags[i] = SENTENCE_START | (k === 0 ? PARAGRAPH_START : 0);
      parts.push(vocabulary[id]!);
      at = end[i]! + 1;
    }
    docs.push({ name: `synthetic-${d}.txt`, path: `/synthetic-${d}.txt`, encoding: 'utf-8', warnings: [], text: parts.join(' ') + '\n' });
  }
  docStart[DOCS] = TOKENS;
  const index = new CorpusIndex(
    {
      forms: vocabulary,
      lemmas: vocabulary,
      form,
      lemma: form,
      pos: new Uint8Array(TOKENS).fill(UPOS_TAGS.indexOf('NOUN')),
      kind: new Uint8Array(TOKENS).fill(TOKEN_KINDS.indexOf('word')),
      start,
      end,
      flags,
      docStart,
    },
    docs,
  );
  return { index, vocabulary };
}

describe('a million hits', () => {
  it('are typed arrays; page 0, a deep page and a sorted deep page each build only their lines', () => {
    const { index: big } = millionHitCorpus();
    const hits = runQuery(big, 'the');
    expect(hits.starts).toBeInstanceOf(Uint32Array);
    expect(hits.ends).toBeInstanceOf(Uint32Array);
    expect(hits.starts.length).toBe(1_000_000);

    const first = kwicPage(big, { query: 'the', offset: 0, limit: 50 });
    expect(first.hits).toBe(1_000_000);
    expect(first.lines.map((l) => l.position)).toEqual(Array.from({ length: 50 }, (_, i) => 2 * i));

    const deep = kwicPage(big, { query: 'the', offset: 999_950, limit: 50 });
    expect(deep.lines).toHaveLength(50);
    expect(deep.lines.at(-1)!.position).toBe(2_000_000 - 2);
    for (const l of deep.lines) {
      expect(l.node).toBe('the');
      expect(big.docs[l.doc]!.text.slice(l.start, l.end)).toBe('the');
    }
    expect(kwicPage(big, { query: 'the', offset: 1_000_000, limit: 50 }).lines).toEqual([]);

    // Independent count of "the w5" from the token column.
    const w5 = big.formIds.get('w5')!;
    let want = 0;
    for (let i = 0; i + 1 < big.tokenCount; i++)
      if (big.form[i] === 0 && big.form[i + 1] === w5 && big.docOf(i) === big.docOf(i + 1)) want++;
    const phrase = runQuery(big, 'the w5');
    expect(phrase.starts).toBeInstanceOf(Uint32Array);
    expect(phrase.starts.length).toBe(want);

    // Sorted by the word to the right: a page in the middle is in order.
    const sorted = kwicPage(big, { query: 'the', offset: 500_000, limit: 50, sort: ['R1'] });
    const r1 = sorted.lines.map((l) => l.right.trim().split(' ')[0]!);
    expect(r1).toEqual([...r1].sort());
  }, 120_000);
});
