/**
 * Every query form on the bundled chapter, data-driven from cases/*.json. For each case the engine's
 * hits must equal the stored figures, and so must an independent oracle (a regex over the raw text,
 * or a plain loop over the token rows), down to the exact spans of every hit.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoupeFailure } from '../../app/contract/errors.js';
import { Engine } from '../../app/engine.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { runQuery } from '../../app/query/run.js';
import {
  CHAPTER_NAME,
  CHAPTER_PATH,
  CHAPTER_TEXT,
  hitSpans,
  regexSpans,
  removeDir,
  tempDir,
  tokenRows,
  type TokenRow,
} from '../support/corpus.js';

interface Step {
  word?: string;
  form?: string;
  lemma?: string;
  pos?: string;
  any?: boolean;
  min?: number;
  max?: number;
}
interface QueryCase {
  name: string;
  query: string;
  caseSensitive?: boolean;
  hits: number;
  documents: number;
  oracle: { text: string; flags: string } | { tokens: Step[] };
}
interface MalformedCase {
  query: string;
  position: number;
  why: string;
}

const load = <T>(file: string): T => JSON.parse(readFileSync(new URL(`./cases/${file}`, import.meta.url), 'utf8')) as T;
const CASES = load<{ cases: QueryCase[] }>('chapter.json').cases;
const MALFORMED = load<{ cases: MalformedCase[] }>('malformed.json').cases;

/** Token-row oracle: for each start, the shortest match of the steps inside one document. */
function tokenOracle(rows: TokenRow[], steps: Step[]): Array<[number, number]> {
  const full = (re: string | undefined) => (re === undefined ? undefined : new RegExp(`^(?:${re})$`, 'u'));
  const tests = steps.map((s) => {
    const word = full(s.word);
    const form = full(s.form);
    const lemma = full(s.lemma);
    const pos = full(s.pos);
    return (r: TokenRow) =>
      !!s.any ||
      ((!word || word.test(r.word)) && (!form || form.test(r.form)) && (!lemma || lemma.test(r.lemma)) && (!pos || pos.test(r.tag)));
  });
  const match = (si: number, p: number, doc: number): number => {
    if (si === steps.length) return p;
    const s = steps[si]!;
    const min = s.min ?? 1;
    const max = s.max ?? 1;
    for (let k = 0; k <= max; k++) {
      if (k >= min) {
        const end = match(si + 1, p + k, doc);
        if (end >= 0) return end;
      }
      const r = rows[p + k];
      if (!r || r.doc !== doc || !tests[si]!(r)) return -1;
    }
    return -1;
  };
  const out: Array<[number, number]> = [];
  for (const r of rows) {
    const end = match(0, r.pos, r.doc);
    if (end > r.pos) out.push([r.pos, end]);
  }
  return out;
}

let index: CorpusIndex;
let rows: TokenRow[];

beforeAll(() => {
  index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
  rows = tokenRows(index);
});

describe.each(CASES)('$name: $query', (c) => {
  it(`has ${c.hits} hits in ${c.documents} document(s), as the oracle finds`, () => {
    const hits = runQuery(index, c.query, { caseSensitive: !!c.caseSensitive });
    expect(hits.starts.length).toBe(c.hits);
    expect(index.documentCount(hits.starts)).toBe(c.documents);
    if ('text' in c.oracle) {
      const expected = regexSpans(CHAPTER_TEXT, new RegExp(c.oracle.text, c.oracle.flags));
      expect(expected.length, 'the stored figure agrees with the oracle').toBe(c.hits);
      expect(hitSpans(index, hits.starts, hits.ends)).toEqual(expected);
    } else {
      const expected = tokenOracle(rows, c.oracle.tokens);
      expect(expected.length, 'the stored figure agrees with the oracle').toBe(c.hits);
      expect(Array.from(hits.starts, (s, i) => [s, hits.ends[i]!])).toEqual(expected);
    }
  });
});

describe('hit lists', () => {
  it('are sorted by start, with exclusive ends after their starts', () => {
    for (const c of CASES) {
      const h = runQuery(index, c.query, { caseSensitive: !!c.caseSensitive });
      for (let i = 0; i < h.starts.length; i++) {
        expect(h.ends[i]!).toBeGreaterThan(h.starts[i]!);
        if (i > 0) expect(h.starts[i]!).toBeGreaterThan(h.starts[i - 1]!);
      }
    }
  });

  it('straight and curly apostrophes find the same hits', () => {
    const a = runQuery(index, "workers' councils");
    const b = runQuery(index, 'workers’ councils');
    expect(Array.from(b.starts)).toEqual(Array.from(a.starts));
  });
});

describe('malformed queries', () => {
  it.each(MALFORMED)('$query -> E_QUERY at $position ($why)', ({ query, position }) => {
    let error: unknown;
    try {
      runQuery(index, query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoupeFailure);
    expect((error as LoupeFailure).code).toBe('E_QUERY');
    expect((error as LoupeFailure).position).toBe(position);
    expect((error as LoupeFailure).message.length).toBeGreaterThan(20);
  });
});

describe('document boundaries', () => {
  // The last word of one document and the first of the next are adjacent positions in the token
  // stream, but never a phrase.
  const docs = [
    { name: 'a.txt', path: '/a.txt', text: 'All power to the workers' },
    { name: 'b.txt', path: '/b.txt', text: 'councils were formed, and the workers councils spread.' },
  ];
  let two: CorpusIndex;
  beforeAll(() => {
    two = buildIndexSync(docs);
  });

  it('a phrase never crosses from one document into the next', () => {
    const last = two.docStart[1]! - 1;
    expect(two.words[two.word[last]!]).toBe('workers');
    expect(two.words[two.word[last + 1]!]).toBe('councils');
    const hits = runQuery(two, 'workers councils');
    expect(Array.from(hits.starts)).toEqual([two.docStart[1]! + 6]);
    expect(two.documentCount(hits.starts)).toBe(1);
  });

  it('a gap never crosses either', () => {
    const hits = runQuery(two, 'workers []{0,3} spread');
    expect(hits.starts.length).toBe(1);
    expect(runQuery(two, 'power []{0,8} councils').starts.length).toBe(0);
    expect(runQuery(two, '[lemma="worker"] [lemma="council"]').starts.length).toBe(1);
  });
});

describe('through the Engine', () => {
  let engine: Engine;
  let indexDir: string;
  beforeAll(async () => {
    indexDir = tempDir('run-engine');
    engine = new Engine({ indexDir });
    const opened = await engine.openCorpus({ paths: [CHAPTER_PATH] });
    if (!opened.ok) throw new Error(opened.error.message);
  });

  it('count returns the query, hits and documents', async () => {
    expect(await engine.count({ query: 'bureaucracy' })).toEqual({ ok: true, value: { query: 'bureaucracy', hits: 36, documents: 1 } });
  });

  it('a malformed query is an E_QUERY error value with its position, not an exception', async () => {
    const r = await engine.count({ query: 'bureaucracy [lemma=]' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('E_QUERY');
      expect(r.error.position).toBe(19);
    }
    const k = await engine.kwic({ query: '[pos="NOUN"' });
    expect(k.ok === false && k.error.code).toBe('E_QUERY');
    removeDir(indexDir);
  });
});

describe('wildcards over text with regex syntax', () => {
  it('match the characters as written: only * and ? are wild', () => {
    const index = buildIndexSync([{ name: 'signs.txt', path: '/signs.txt', text: 'See the U.S. note and USAS, and U.S. again.' }]);
    const count = (q: string) => runQuery(index, q).starts.length;
    expect(count('U.S.*')).toBe(2);
    expect(count('U?S?')).toBe(2);
    expect(count('US?S')).toBe(1);
    // A dot is a dot: were it any character, these would find USAS.
    expect(count('u.a*')).toBe(0);
    expect(count('usa.*')).toBe(0);
    expect(count('usa?')).toBe(1);
    // A plus is a character too, not a repeat with nothing to repeat.
    expect(count('+u*')).toBe(0);
    expect(count('u.s.+*')).toBe(0);
  });
});
