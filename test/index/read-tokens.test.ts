/**
 * CorpusIndex.readTokens, the block reader an export of every token uses: on the bundled chapter with
 * Brown texts opened lazily, every range it fills (inside a 4,096-token block, across blocks, across
 * documents) equals the whole columns of the same index loaded whole, the tokens whose lemma or kind
 * is not their form's usual one included, and no whole column is ever read.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusIndex } from '../../app/index/store.js';
import { columnsRead, savedCorpus, type SavedCorpus } from '../support/saved-index.js';

// The tokeniser splits `F.Supp.235` into `F.Supp.` and a `235` of kind word, where `235` is usually a
// number: a kind exception, which the Brown texts may not have.
const COURT = 'A lake 235 feet below sea level, 235 miles away, dismissed by it, 126 F.Supp.235, on appeal.\n';

let saved: SavedCorpus;
let file: string;
let whole: CorpusIndex;

const lazily = (): Promise<CorpusIndex> => saved.lazily();

function arrays(n: number) {
  return {
    form: new Uint32Array(n),
    lemma: new Uint32Array(n),
    pos: new Uint8Array(n),
    kind: new Uint8Array(n),
    start: new Uint32Array(n),
    end: new Uint32Array(n),
  };
}

type Columns = ReturnType<typeof arrays>;
const NAMES = ['form', 'lemma', 'pos', 'kind', 'start', 'end'] as const;

/** Positions in [from, to) where `got` differs from the whole column, per column (empty when equal). */
function mismatches(got: Columns, from: number, to: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of NAMES) {
    const column = whole[name];
    const bad: number[] = [];
    for (let p = from; p < to; p++) if (got[name][p - from] !== column[p]) bad.push(p);
    if (bad.length) out[name] = bad.slice(0, 5);
  }
  return out;
}

/** Positions whose value differs from the most frequent one of their form: where the saved exceptions apply. */
function unusual(column: ArrayLike<number>): number[] {
  const counts = new Map<number, Map<number, number>>();
  for (let p = 0; p < whole.tokenCount; p++) {
    const f = whole.form[p]!;
    const m = counts.get(f) ?? new Map<number, number>();
    m.set(column[p]!, (m.get(column[p]!) ?? 0) + 1);
    counts.set(f, m);
  }
  const usual = new Map([...counts].map(([f, m]) => [f, [...m].sort((a, b) => b[1] - a[1])[0]![0]]));
  const out: number[] = [];
  for (let p = 0; p < whole.tokenCount; p++) if (column[p] !== usual.get(whole.form[p]!)) out.push(p);
  return out;
}

beforeAll(async () => {
  saved = await savedCorpus('read-tokens', 40, { 'court.txt': COURT });
  ({ file, whole } = saved);
}, 120_000);
afterAll(() => saved.remove());

describe('readTokens', () => {
  it('fills every token, in ranges of several sizes, equal to the whole columns, and reads no whole column', async () => {
    const lazy = await lazily();
    const n = whole.tokenCount;
    expect(n).toBeGreaterThan(50_000);
    // Block-sized, smaller than a block, larger, and odd sizes: ranges start and end inside blocks.
    for (const size of [4096, 1000, 10_000, 4097, 333]) {
      const got = arrays(size);
      for (let from = 0; from < n; from += size) {
        const to = Math.min(n, from + size);
        lazy.readTokens(from, to, got);
        expect(mismatches(got, from, to), `${size}: ${from}..${to}`).toEqual({});
      }
    }
    // The last token alone, and an empty range.
    const one = arrays(1);
    lazy.readTokens(n - 1, n, one);
    expect(mismatches(one, n - 1, n)).toEqual({});
    lazy.readTokens(n, n, arrays(0));
    expect(columnsRead(lazy)).toEqual([]);
  });

  it('gives the tagger’s exceptions: tokens whose lemma or kind is not their form’s usual one', async () => {
    const lazy = await lazily();
    const lemmaAt = unusual(whole.lemma);
    const kindAt = unusual(whole.kind);
    // `saw` as see and as saw, `'s` as be and as have; `235` as a number and as a word.
    expect(lemmaAt.length).toBeGreaterThan(100);
    expect(kindAt.length).toBeGreaterThan(0);
    for (const p of [...lemmaAt, ...kindAt]) {
      // A small range around each, so the exception lies at its start, middle or end.
      for (const [from, to] of [
        [p, p + 1],
        [Math.max(0, p - 2), Math.min(whole.tokenCount, p + 3)],
      ] as const) {
        const got = arrays(to - from);
        lazy.readTokens(from, to, got);
        expect(mismatches(got, from, to), `around ${p}`).toEqual({});
      }
    }
    expect(columnsRead(lazy)).toEqual([]);
  });

  it('fills only the arrays given, and the columns already loaded come from memory', async () => {
    const lazy = await lazily();
    const start = lazy.start; // loads the column whole
    expect(start).toEqual(whole.start);
    const from = 5000;
    const to = 21_000;
    const got = arrays(to - from);
    lazy.readTokens(from, to, got);
    expect(mismatches(got, from, to)).toEqual({});
    const lemma = new Uint32Array(to - from);
    lazy.readTokens(from, to, { lemma });
    expect(Array.from(lemma)).toEqual(Array.from(whole.lemma.subarray(from, to)));
    expect(columnsRead(lazy)).toEqual(['_start']);
  });

  it('an index in memory fills from its columns', () => {
    const from = 123;
    const to = 9999;
    const got = arrays(to - from);
    whole.readTokens(from, to, got);
    expect(mismatches(got, from, to)).toEqual({});
  });

  it('refuses a range outside the corpus or arrays too short, and the saved index stays', async () => {
    const lazy = await lazily();
    const n = lazy.tokenCount;
    expect(() => lazy.readTokens(n - 1, n + 1, arrays(2))).toThrow(/not a range/);
    expect(() => lazy.readTokens(-1, 1, arrays(2))).toThrow(/not a range/);
    expect(() => lazy.readTokens(10, 5, arrays(5))).toThrow(/not a range/);
    expect(() => lazy.readTokens(0, 100, arrays(99))).toThrow(/cannot hold/);
    // A mistake of the caller is not damage: the file a damaged section would remove is still there.
    expect(existsSync(file)).toBe(true);
  });
});
