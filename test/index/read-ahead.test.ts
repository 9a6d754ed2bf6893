/**
 * A first query on a lazily opened index reads ahead, several reads at once, what it will then read
 * one after another: the postings of a pattern's words scattered over the file, and the small
 * sections every concordance page uses. What it reads ahead covers what the query reads, the answers
 * are the same, and a query that cannot run is left for the run to report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { prefetchQuery } from '../../app/query/prefetch.js';
import { runQuery } from '../../app/query/run.js';
import { savedCorpus, type SavedCorpus } from '../support/saved-index.js';

interface Sections {
  read(name: string): Buffer;
  readRange(name: string, from: number, length: number): Buffer;
  prefetch(name: string, ranges: ReadonlyArray<readonly [number, number]>): Promise<void>;
  readEach(
    name: string,
    ranges: ReadonlyArray<readonly [number, number]>,
    use: (bytes: Uint8Array, k: number) => boolean,
  ): Promise<boolean>;
}

let saved: SavedCorpus;
let whole: CorpusIndex;

beforeAll(async () => {
  saved = await savedCorpus('read-ahead', 20);
  ({ whole } = saved);
}, 120_000);
afterAll(() => saved.remove());

/** The lazily opened index's sections, with every read and read-ahead recorded. */
function watched(index: CorpusIndex): {
  reads: Array<[string, number, number]>;
  whole: string[];
  ahead: Array<[string, Array<readonly [number, number]>]>;
} {
  const sections = (index as unknown as { src: { sections: Sections } }).src.sections;
  const log = {
    reads: [] as Array<[string, number, number]>,
    whole: [] as string[],
    ahead: [] as Array<[string, Array<readonly [number, number]>]>,
  };
  const { read, readRange, prefetch, readEach } = sections;
  sections.read = (name) => (log.whole.push(name), read.call(sections, name));
  sections.readRange = (name, from, length) => (log.reads.push([name, from, length]), readRange.call(sections, name, from, length));
  sections.prefetch = (name, ranges) => (log.ahead.push([name, [...ranges]]), prefetch.call(sections, name, ranges));
  sections.readEach = (name, ranges, use) => (log.ahead.push([name, [...ranges]]), readEach.call(sections, name, ranges, use));
  return log;
}

describe('reading ahead for a first query', () => {
  it('reads ahead the postings of a pattern with many words, and answers as before', async () => {
    let fromAhead = 0;
    for (const q of ['/.*tion/', '*ly', 'c*', '[word=".*s" & !pos="NOUN"]', '/.*ed/']) {
      const lazy = await saved.lazily();
      const log = watched(lazy);
      await prefetchQuery(lazy, q, {});
      const ahead = log.ahead.filter(([name]) => name === 'wordPostings.data').flatMap(([, ranges]) => ranges);
      expect(ahead.length, q).toBeGreaterThan(0);
      const before = log.reads.length;
      expect(Array.from(runQuery(lazy, q).starts), q).toEqual(Array.from(runQuery(whole, q).starts));
      // A union few enough for a list is made as its reads land and taken by the query, which reads
      // no postings again; a denser one finds every read it makes already read ahead.
      const postings = log.reads.slice(before).filter(([name]) => name === 'wordPostings.data');
      if (postings.length === 0) fromAhead++;
      for (const [, from, length] of postings)
        expect(
          ahead.some(([at, n]) => from >= at && from + length <= at + n),
          `${q}: bytes ${from}+${length} were read ahead`,
        ).toBe(true);
    }
    expect(fromAhead).toBeGreaterThan(0);
  });

  it('looks a literal end up in one spelling when no word holds a long s', async () => {
    const lazy = await saved.lazily();
    expect(whole.mayHoldLongS()).toBe(false);
    expect(lazy.mayHoldLongS()).toBe(false);
    const src = (lazy as unknown as { src: { stringsWithPrefix: (table: string, prefix: string) => unknown } }).src;
    const lookup = src.stringsWithPrefix.bind(src);
    const looked: string[] = [];
    src.stringsWithPrefix = (table, prefix) => (looked.push(`${table}:${prefix}`), lookup(table, prefix));
    expect(Array.from(runQuery(lazy, '*ness').starts)).toEqual(Array.from(runQuery(whole, '*ness').starts));
    expect(Array.from(runQuery(lazy, 'st*').starts)).toEqual(Array.from(runQuery(whole, 'st*').starts));
    expect(looked).toEqual(['wordsReversed:ssen', 'words:st']);
  });

  it('leaves a query that cannot run to the run, and reads nothing ahead for plain words', async () => {
    const lazy = await saved.lazily();
    const log = watched(lazy);
    await expect(prefetchQuery(lazy, '/(unclosed/', {})).resolves.toBeUndefined();
    await expect(prefetchQuery(lazy, '[word=', {})).resolves.toBeUndefined();
    expect(() => runQuery(lazy, '/(unclosed/')).toThrow(expect.objectContaining({ code: 'E_QUERY' }));
    await prefetchQuery(lazy, 'the state', {});
    expect(log.ahead).toEqual([]);
    // Reading ahead only warms the page cache: a range it cannot read is left for the read that needs it.
    const sections = (lazy as unknown as { src: { sections: Sections } }).src.sections;
    await expect(
      sections.prefetch('wordPostings.data', [
        [0, 16],
        [1 << 20, 4 << 20],
        [1e12, 16],
      ]),
    ).resolves.toBeUndefined();
  });

  it('reads ahead the blocks and texts of a page spread over the corpus, and makes the same page', async () => {
    const lazy = await saved.lazily();
    const log = watched(lazy);
    // A word in many documents: each line of its first page is in a different place.
    const req = { query: 'workers', limit: 25 };
    const starts = runQuery(whole, req.query).starts;
    expect(new Set(Array.from(starts.subarray(0, 25), (p) => whole.docOf(p))).size).toBeGreaterThan(1);
    await lazy.readPageAhead(starts.subarray(0, 25));
    const ahead = log.ahead.map(([name]) => name);
    expect(ahead).toEqual(expect.arrayContaining(['form.data', 'start.data', 'len.data']));
    const before = log.reads.length;
    // The texts a page reads whole (files with other characters than ASCII; the others give each line
    // its own characters by position) were read ahead too: with their files changed since, the page
    // is made from the bytes already read, which still match what was indexed (read now, a changed
    // file fails the page).
    const paths = [...new Set(Array.from(starts.subarray(0, 25), (p) => lazy.docs[lazy.docOf(p)]!.path))].filter((path) =>
      readFileSync(path).some((b) => b >= 0x80),
    );
    expect(paths.length).toBeGreaterThan(0);
    const original = paths.map((path) => readFileSync(path));
    try {
      for (const path of paths) writeFileSync(path, 'changed since it was indexed\n');
      expect(kwicPage(lazy, req)).toEqual(kwicPage(whole, req));
    } finally {
      paths.forEach((path, k) => writeFileSync(path, original[k]!));
    }
    expect(log.reads.slice(before).filter(([name]) => ['form.data', 'start.data', 'len.data', 'texts'].includes(name))).toEqual([]);
    // A page whose hits lie together in one document reads nothing ahead.
    const close = await saved.lazily();
    const closeLog = watched(close);
    const clustered = runQuery(whole, 'the').starts.subarray(0, 10);
    expect(whole.docOf(clustered[0]!)).toBe(whole.docOf(clustered[9]!));
    await close.readPageAhead(clustered);
    expect(closeLog.ahead).toEqual([]);
  });

  it('reads the sections of a concordance page ahead, and the page then reads none of them again', async () => {
    const lazy = await saved.lazily();
    const log = watched(lazy);
    await lazy.readPageSectionsAhead();
    const page = kwicPage(lazy, { query: 'bureaucracy', limit: 20 });
    expect(page.lines.length).toBeGreaterThan(0);
    expect(page).toEqual(kwicPage(whole, { query: 'bureaucracy', limit: 20 }));
    const used = ['form.blocks', 'start.blocks', 'len.blocks', 'kindOfForm', 'kindExcept', 'kindExceptAt'];
    expect(log.whole.filter((name) => used.includes(name))).toEqual([]);
  });
});
