/**
 * Concordance pages on the bundled chapter: paging, lines that read exactly as the source, context
 * counted in counted tokens, sorting, seeded random order, filtering and sampling. Expected orders and
 * sets come from plain loops over the token rows, not from the KWIC code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KwicLine, KwicRequest, SortKey } from '../../app/contract/types.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, regexSpans, tokenRows, type TokenRow } from '../support/corpus.js';

let index: CorpusIndex;
let rows: TokenRow[];

beforeAll(() => {
  index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
  rows = tokenRows(index);
});

const all = (req: KwicRequest) => kwicPage(index, { limit: 1_000_000, ...req });
const positions = (lines: KwicLine[]) => lines.map((l) => l.position);

/** The k-th counted token row left (k < 0) or right (k > 0) of the hit [start, end), same document. */
function neighbour(start: number, end: number, k: number): TokenRow | undefined {
  const doc = rows[start]!.doc;
  let need = Math.abs(k);
  for (let p = k < 0 ? start - 1 : end; p >= 0 && p < rows.length && rows[p]!.doc === doc; p += k < 0 ? -1 : 1) {
    if (rows[p]!.counted && --need === 0) return rows[p];
  }
  return undefined;
}

/** A stable sort of hits (corpus order) by string keys, compared by code points like the engine's ranks. */
function sortedBy(hits: { starts: Uint32Array; ends: Uint32Array }, keyOf: (s: number, e: number) => string[]): number[] {
  const items = Array.from(hits.starts, (s, i) => ({ s, key: keyOf(s, hits.ends[i]!) }));
  items.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      if (a.key[i]! < b.key[i]!) return -1;
      if (a.key[i]! > b.key[i]!) return 1;
    }
    return a.s - b.s;
  });
  return items.map((x) => x.s);
}

describe('paging', () => {
  it.each([[[] as SortKey[]], [['R1'] as SortKey[]]])('pages of 50 concatenate to the full list (sort %j)', (sort) => {
    const full = all({ query: 'the', sort });
    const expectedHits = regexSpans(CHAPTER_TEXT, /\bthe\b/gi).length;
    expect(full.lines).toHaveLength(expectedHits);
    const joined: KwicLine[] = [];
    for (let offset = 0; offset < expectedHits + 50; offset += 50) {
      const page = kwicPage(index, { query: 'the', sort, offset, limit: 50 });
      expect(page.hits).toBe(expectedHits);
      expect(page.documents).toBe(1);
      expect(page.offset).toBe(offset);
      expect(page.lines.length).toBe(Math.max(0, Math.min(50, expectedHits - offset)));
      joined.push(...page.lines);
    }
    expect(joined).toEqual(full.lines);
  });

  it('a page past the end is empty but still knows the totals', () => {
    const page = kwicPage(index, { query: 'bureaucracy', offset: 1000, limit: 10 });
    expect(page.lines).toEqual([]);
    expect(page.hits).toBe(36);
    expect(page.documents).toBe(1);
  });
});

describe('lines read exactly as the source', () => {
  it.each(['bureaucracy', "workers' councils", '[pos="ADJ"] []{0,2} [lemma="revolution"]', 'the'])(
    '%s: left + node + right is the source slice around the node',
    (query) => {
      const page = all({ query });
      expect(page.lines.length).toBeGreaterThan(0);
      for (const l of page.lines) {
        expect(l.node).toBe(CHAPTER_TEXT.slice(l.start, l.end));
        expect(l.left + l.node + l.right).toBe(CHAPTER_TEXT.slice(l.start - l.left.length, l.end + l.right.length));
        expect(l.docName).toBe(CHAPTER_NAME);
        expect(l.docPosition).toBe(l.position);
      }
    },
  );

  it('nodes of a phrase keep the source apostrophe and spacing', () => {
    const nodes = all({ query: "workers' councils" }).lines.map((l) => l.node);
    const expected = Array.from(CHAPTER_TEXT.matchAll(/\bworkers['’] councils\b/gi), (m) => m[0]);
    expect(nodes).toEqual(expected);
    expect(nodes.every((n) => n.includes('’'))).toBe(true);
  });
});

describe('context is N counted tokens each side', () => {
  it.each([0, 1, 3, 8])('context %i', (n) => {
    const page = all({ query: 'bureaucracy', context: n });
    let withPunctuation = 0;
    for (const l of page.lines) {
      const leftStart = l.start - l.left.length;
      const rightEnd = l.end + l.right.length;
      const inLeft = rows.filter((r) => r.start >= leftStart && r.end <= l.start);
      const inRight = rows.filter((r) => r.start >= l.end && r.end <= rightEnd);
      const availableLeft = rows.filter((r) => r.counted && r.end <= l.start).length;
      const availableRight = rows.filter((r) => r.counted && r.start >= l.end).length;
      expect(inLeft.filter((r) => r.counted).length).toBe(Math.min(n, availableLeft));
      expect(inRight.filter((r) => r.counted).length).toBe(Math.min(n, availableRight));
      // The context starts and ends on counted tokens: no stray punctuation at the outer edges.
      if (inLeft.length) expect(inLeft[0]!.counted && inLeft[0]!.start === leftStart).toBe(true);
      if (inRight.length) expect(inRight.at(-1)!.counted && inRight.at(-1)!.end === rightEnd).toBe(true);
      if ([...inLeft, ...inRight].some((r) => !r.counted)) withPunctuation++;
    }
    // Punctuation inside the context did not use up any of the N positions.
    if (n >= 3) expect(withPunctuation).toBeGreaterThan(0);
  });
});

describe('sorting', () => {
  it('by R1: the case-folded first counted word to the right, ties in corpus order', () => {
    const hits = runQuery(index, 'bureaucracy');
    const expected = sortedBy(hits, (s, e) => [neighbour(s, e, 1)?.word ?? '']);
    const got = positions(all({ query: 'bureaucracy', sort: ['R1'] }).lines);
    expect(got).toEqual(expected);
    expect(got).not.toEqual(Array.from(hits.starts));
  });

  it('by L1 then node', () => {
    const hits = runQuery(index, 'bureau*');
    const expected = sortedBy(hits, (s, e) => [neighbour(s, e, -1)?.word ?? '', rows[s]!.word]);
    expect(positions(all({ query: 'bureau*', sort: ['L1', 'node'] }).lines)).toEqual(expected);
  });

  it('by node then R2', () => {
    const hits = runQuery(index, '/bureaucra.*/');
    const expected = sortedBy(hits, (s, e) => [rows[s]!.word, neighbour(s, e, 2)?.word ?? '']);
    expect(positions(all({ query: '/bureaucra.*/', sort: ['node', 'R2'] }).lines)).toEqual(expected);
  });

  it('random with a seed: a permutation, the same for the same seed, different for another', () => {
    const corpusOrder = Array.from(runQuery(index, 'the').starts);
    const a = positions(all({ query: 'the', sort: ['random'], seed: 42 }).lines);
    const b = positions(all({ query: 'the', sort: ['random'], seed: 42 }).lines);
    const c = positions(all({ query: 'the', sort: ['random'], seed: 7 }).lines);
    expect([...a].sort((x, y) => x - y)).toEqual(corpusOrder);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(corpusOrder);
  });
});

describe('filtering and sampling', () => {
  it('filter: keeps exactly the hits with the word within the span of counted tokens', () => {
    const hits = runQuery(index, 'bureaucracy');
    const span = 4;
    const expected = Array.from(hits.starts).filter((s, i) => {
      for (let k = 1; k <= span; k++) {
        if (neighbour(s, hits.ends[i]!, -k)?.word === 'class' || neighbour(s, hits.ends[i]!, k)?.word === 'class') return true;
      }
      return false;
    });
    const page = all({ query: 'bureaucracy', filter: 'class', filterSpan: span });
    expect(page.hits).toBe(expected.length);
    expect(positions(page.lines)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(hits.starts.length);
  });

  it('sample: a seeded subset of the hits, in corpus order', () => {
    const everything = new Set(runQuery(index, 'the').starts);
    const a = all({ query: 'the', sample: 20, seed: 5 });
    const again = all({ query: 'the', sample: 20, seed: 5 });
    const other = all({ query: 'the', sample: 20, seed: 6 });
    expect(a.hits).toBe(20);
    const pa = positions(a.lines);
    expect(new Set(pa).size).toBe(20);
    expect(pa.every((p) => everything.has(p))).toBe(true);
    expect(pa).toEqual([...pa].sort((x, y) => x - y));
    expect(positions(again.lines)).toEqual(pa);
    expect(positions(other.lines)).not.toEqual(pa);
  });

  it('a sample larger than the hits keeps them all', () => {
    expect(all({ query: 'bureaucracy', sample: 1000 }).hits).toBe(36);
  });
});

describe('document boundaries', () => {
  it('context stops at the edges of the hit’s document', () => {
    const docs = [
      { name: 'a.txt', path: '/a.txt', text: 'First text about the bureaucracy' },
      { name: 'b.txt', path: '/b.txt', text: 'Bureaucracy opens the second text.' },
    ];
    const two = buildIndexSync(docs);
    const page = kwicPage(two, { query: 'bureaucracy', context: 8 });
    expect(page.documents).toBe(2);
    expect(page.lines.map((l) => [l.docName, l.left, l.node, l.right])).toEqual([
      ['a.txt', 'First text about the ', 'bureaucracy', ''],
      ['b.txt', '', 'Bureaucracy', ' opens the second text'],
    ]);
    expect(page.lines[1]!.docPosition).toBe(0);
    expect(page.lines[1]!.position).toBe(two.docStart[1]);
  });
});
