/**
 * The token store and its positional indexes on a few Brown texts plus the chapter: every postings
 * list equals the positions a plain grouping of the token rows gives, and the document helpers agree
 * with the document ranges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { postingsOf, unionPositions } from '../../app/index/postings.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, tokenRows, type TokenRow } from '../support/corpus.js';

let index: CorpusIndex;
let rows: TokenRow[];

beforeAll(() => {
  index = buildIndexSync([
    { name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT },
    ...brownTexts(3).map((t) => ({ name: t.id, path: `/brown/${t.id}`, text: t.text })),
  ]);
  rows = tokenRows(index);
});

function grouped(key: (r: TokenRow) => string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k) ?? [];
    list.push(r.pos);
    m.set(k, list);
  }
  return m;
}

function expectPostings(positions: (id: number) => Uint32Array, table: readonly string[], expected: Map<string, number[]>) {
  const seen = new Map<string, number[]>();
  table.forEach((term, id) => {
    const list = Array.from(positions(id));
    if (list.length) seen.set(term, list);
  });
  expect(seen).toEqual(expected);
}

describe('positional indexes', () => {
  it('by case-folded word', () =>
    expectPostings(
      (id) => postingsOf(index.byWord, id),
      index.words,
      grouped((r) => r.word),
    ));
  it('by exact form', () =>
    expectPostings(
      (id) => index.formPositions(id),
      index.forms,
      grouped((r) => r.form),
    ));
  it('by lemma', () =>
    expectPostings(
      (id) => index.lemmaPositions(id),
      index.lemmas,
      grouped((r) => r.lemma),
    ));
  it('by part of speech', () =>
    expectPostings(
      (id) => index.posPositions(id),
      index.posTags,
      grouped((r) => r.tag),
    ));

  it('string tables have no duplicates after merging documents', () => {
    expect(new Set(index.forms).size).toBe(index.forms.length);
    expect(new Set(index.words).size).toBe(index.words.length);
    expect(new Set(index.lemmas).size).toBe(index.lemmas.length);
  });

  it('wordRank sorts the case-folded words in code-point order', () => {
    const byRank = [...index.words.keys()].sort((a, b) => index.wordRank[a]! - index.wordRank[b]!).map((id) => index.words[id]!);
    expect(byRank).toEqual([...index.words].sort());
  });

  it('unionPositions merges ascending lists without duplicates', () => {
    const the = postingsOf(index.byWord, index.wordId('the')!);
    const of = postingsOf(index.byWord, index.wordId('of')!);
    const expected = [...new Set([...the, ...of, ...the])].sort((a, b) => a - b);
    expect(Array.from(unionPositions([the, of, the]))).toEqual(expected);
  });

  it('unionPositions gives the same union when the lists cover most of their span (read through a bitset)', () => {
    const lists = index.words.map((_, id) => postingsOf(index.byWord, id));
    const some = lists.filter((_, id) => /^[a-m]/.test(index.words[id]!));
    expect(index.tokenCount).toBeGreaterThan(4096);
    expect(Array.from(unionPositions(lists))).toEqual(Array.from({ length: index.tokenCount }, (_, i) => i));
    const expected = [...new Set(some.flatMap((l) => [...l]))].sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(4096);
    expect(Array.from(unionPositions([...some, some[0]!]))).toEqual(expected);
  });
});

describe('documents', () => {
  it('docOf and the document ranges agree for every position', () => {
    for (const r of rows) expect(index.docOf(r.pos)).toBe(r.doc);
    expect(index.docStart[index.docs.length]).toBe(index.tokenCount);
  });

  it('documentCount counts distinct documents of sorted positions', () => {
    const the = postingsOf(index.byWord, index.wordId('the')!);
    expect(index.documentCount(the)).toBe(new Set(rows.filter((r) => r.word === 'the').map((r) => r.doc)).size);
    const bureaucracy = postingsOf(index.byWord, index.wordId('bureaucracy')!);
    expect(index.documentCount(bureaucracy)).toBe(new Set(rows.filter((r) => r.word === 'bureaucracy').map((r) => r.doc)).size);
  });

  it('counted totals per document and overall match the rows', () => {
    const perDoc = index.docs.map((_, d) => rows.filter((r) => r.doc === d && r.counted).length);
    expect(Array.from(index.docCounted)).toEqual(perDoc);
    expect(index.countedTotal).toBe(perDoc.reduce((a, b) => a + b, 0));
  });
});
