/**
 * A saved index opened lazily (what a large corpus gets) answers exactly what the same index read
 * whole answers; its first concordance page reads only the parts of the file it needs; a section
 * damaged after opening is caught when first read, the file removed and the next open rebuilds.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoupeFailure } from '../../app/contract/errors.js';
import { openCorpus } from '../../app/indexing/open.js';
import { loadIndex } from '../../app/index/persist.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { collocations } from '../../app/stats/collocation.js';
import { dispersion } from '../../app/stats/dispersion.js';
import { frequencyList } from '../../app/stats/frequency.js';
import { ngramList } from '../../app/stats/ngrams.js';
import { subIndex } from '../../app/index/subcorpus.js';
import { codePointOrder, SAMPLE_EVERY } from '../../app/index/sorted-strings.js';
import { PassageSearch, suggestWords } from '../../app/index/passages.js';
import { compareTerms } from '../../app/stats/compare.js';
import { keywords, referenceFromIndex } from '../../app/stats/keyness.js';
import { loadBrownReference } from '../../app/stats/reference.js';
import { CHAPTER_NAME, CHAPTER_TEXT, removeDir, tempDir, writeBrownCorpus } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

let corpus: string;
let cache: string;
let file: string;
let whole: CorpusIndex;

/** Private fields of the store: which columns a lazily opened index has read whole so far. */
function loaded(index: CorpusIndex): string[] {
  const fields = index as unknown as Record<string, unknown>;
  return [
    '_form',
    '_lemma',
    '_pos',
    '_kind',
    '_flags',
    '_start',
    '_end',
    '_counted',
    '_word',
    '_byWord',
    '_forms',
    '_words',
    '_lemmas',
    '_formToWord',
  ].filter((f) => fields[f] !== undefined);
}

async function lazily(): Promise<CorpusIndex> {
  const { index } = await loadIndex(file, { lazyAbove: 0 });
  expect(index.lazy).toBe(true);
  return index;
}

beforeAll(async () => {
  corpus = tempDir('lazy');
  cache = tempDir('lazy-cache');
  writeBrownCorpus(corpus, 24);
  writeFileSync(join(corpus, CHAPTER_NAME), CHAPTER_TEXT);
  await openCorpus([corpus], { indexDir: cache, inThreadBelow: 50_000_000 });
  file = savedIndexFile(cache);
  whole = (await loadIndex(file)).index;
  expect(whole.lazy).toBe(false);
}, 120_000);
afterAll(() => {
  removeDir(corpus);
  removeDir(cache);
});

describe('an index opened lazily', () => {
  it('answers a first concordance page from the postings and a few pages of its file', async () => {
    const index = await lazily();
    expect(loaded(index)).toEqual([]);
    const page = kwicPage(index, { query: 'bureaucracy', limit: 20 });
    expect(page.hits).toBe(runQuery(whole, 'bureaucracy').starts.length);
    expect(page.hits).toBeGreaterThanOrEqual(36);
    expect(page.lines).toEqual(kwicPage(whole, { query: 'bureaucracy', limit: 20 }).lines);
    // Nothing was read whole: not the columns, not the postings, not the vocabulary.
    expect(loaded(index)).toEqual([]);
    expect(index.tokenCount).toBe(whole.tokenCount);
    expect(index.countedTotal).toBe(whole.countedTotal);
    expect(Array.from(index.docCounted)).toEqual(Array.from(whole.docCounted));
    expect(index.wordCount).toBe(whole.wordCount);
  });

  it('gives the same hits, pages, sorts and statistics as the index read whole', async () => {
    const index = await lazily();
    const queries = [
      'bureaucracy',
      "workers' councils",
      'the',
      'of the',
      'in order to',
      'state*',
      '/.*ness/',
      'The',
      '[lemma="be"]',
      '[pos="NOUN"] of',
      '[word="the" & pos="DET"] [pos="ADJ"]',
      'form:The',
      '[]{1,2} bureaucracy',
    ];
    for (const q of queries) {
      const a = runQuery(index, q);
      const b = runQuery(whole, q);
      expect(Array.from(a.starts), q).toEqual(Array.from(b.starts));
      expect(Array.from(a.ends), q).toEqual(Array.from(b.ends));
    }
    for (const sort of [['R1'], ['L1', 'R2'], ['node'], ['random']] as const) {
      const req = { query: 'the', sort: [...sort], offset: 100, limit: 30 };
      expect(kwicPage(index, req), sort.join()).toEqual(kwicPage(whole, req));
    }
    expect(kwicPage(index, { query: 'state', filter: 'the', filterSpan: 3 })).toEqual(
      kwicPage(whole, { query: 'state', filter: 'the', filterSpan: 3 }),
    );
    expect(collocations(index, { query: 'bureaucracy', limit: 0 })).toEqual(collocations(whole, { query: 'bureaucracy', limit: 0 }));
    expect(collocations(index, { query: 'state', by: 'lemma' })).toEqual(collocations(whole, { query: 'state', by: 'lemma' }));
    for (const by of ['word', 'form', 'lemma', 'pos'] as const)
      expect(frequencyList(index, { by, limit: 200 }), by).toEqual(frequencyList(whole, { by, limit: 200 }));
    expect(frequencyList(index, { sort: 'term', limit: 50, offset: 1000 })).toEqual(
      frequencyList(whole, { sort: 'term', limit: 50, offset: 1000 }),
    );
    expect(ngramList(index, { n: 3, limit: 100 })).toEqual(ngramList(whole, { n: 3, limit: 100 }));
    expect(dispersion(index, { query: 'bureaucracy' })).toEqual(dispersion(whole, { query: 'bureaucracy' }));
    expect(index.docs.map((d) => d.text)).toEqual(whole.docs.map((d) => d.text));
  });

  it('serves subcorpora, comparison, keywords, suggestions and passages like the index read whole', async () => {
    const index = await lazily();
    const docs = [0, 3, 5, 24];
    const a = subIndex(index, docs);
    const b = subIndex(whole, docs);
    expect(a.tokenCount).toBe(b.tokenCount);
    expect(kwicPage(a, { query: 'the', sort: ['R1'], limit: 40 })).toEqual(kwicPage(b, { query: 'the', sort: ['R1'], limit: 40 }));
    expect(frequencyList(a, { limit: 100 })).toEqual(frequencyList(b, { limit: 100 }));
    const cmp = { queries: ['bureaucracy', "workers' councils"] };
    expect(compareTerms(index, cmp)).toEqual(compareTerms(whole, cmp));
    const brown = loadBrownReference();
    expect(keywords(index, { limit: 30 }, brown)).toEqual(keywords(whole, { limit: 30 }, brown));
    expect(referenceFromIndex(index, 'r').freq).toEqual(referenceFromIndex(whole, 'r').freq);
    expect(suggestWords(index, 'bur')).toEqual(suggestWords(whole, 'bur'));
    // FlexSearch may order equally scored passages differently between two instances: compare every
    // passage found, as sets.
    const passages = (i: CorpusIndex) =>
      new PassageSearch(i)
        .search('planned economy bureaucracy', 10_000)
        .map((h) => `${h.doc}:${h.start}:${h.text}`)
        .sort();
    expect(passages(index)).toEqual(passages(whole));
  });

  it('finds words from the sorted tables in the file, and in tables kept whole when many lookups are coming', async () => {
    const index = await lazily();
    const step = Math.max(1, Math.floor(whole.words.length / 300));
    const absent = ['', 'zzzzzz', 'bureaucracyy', '\u{1F600}', 'a'.repeat(300)];
    // The words either side of each string of the table's sample, where a search's stretch of ranks begins and ends.
    const order = codePointOrder(whole.words);
    expect(order.length).toBeGreaterThan(3 * SAMPLE_EVERY);
    const edges = [0, 1, order.length - 1];
    for (let r = SAMPLE_EVERY; r < order.length; r += SAMPLE_EVERY) edges.push(r - 1, r, r + 1);
    for (const prepared of [false, true]) {
      if (prepared) index.prepareWordLookups();
      for (const r of edges) if (r < order.length) expect(index.wordId(whole.words[order[r]!]!), whole.words[order[r]!]).toBe(order[r]);
      for (let id = 0; id < whole.words.length; id += step) {
        expect(index.wordId(whole.words[id]!), whole.words[id]).toBe(id);
        expect(index.wordFrequency(id)).toBe(whole.byWord.offsets[id + 1]! - whole.byWord.offsets[id]!);
      }
      for (const w of absent) expect(index.wordId(w)).toBeUndefined();
    }
  });

  it('reads single words and prefix ranges from the saved vocabulary; collocates, comparisons and suggestions never load it whole, and a whole load is held only weakly', async () => {
    const index = await lazily();
    for (let id = 0; id < whole.words.length; id++) expect(index.wordAt(id)).toBe(whole.words[id]);
    const fields = index as unknown as Record<string, unknown>;
    const colloc = collocations(index, { query: 'the' });
    const compared = compareTerms(index, { queries: ['the', 'of'] });
    const prefixes = ['b', 'bur', 'th', 'the', 'sov', 'z', 'zzzz', "'", 'é', 'w'];
    const suggested = prefixes.map((p) => suggestWords(index, p, 50));
    expect(fields._wordsHeld).toBeUndefined();
    expect(suggested).toEqual(prefixes.map((p) => suggestWords(whole, p, 50)));
    expect(suggested[1]!.length).toBeGreaterThan(0);
    expect(colloc.rows.map((r) => r.term)).toEqual(collocations(whole, { query: 'the' }).rows.map((r) => r.term));
    expect(JSON.stringify(compared)).toBe(JSON.stringify(compareTerms(whole, { queries: ['the', 'of'] })));
    // A wildcard with a literal start or end reads one range of the sorted words (or of the words
    // spelled backwards); one with neither reads every word, and the strings are then held through a
    // WeakRef, never a field of their own.
    expect(runQuery(index, 'bureau*').starts).toEqual(runQuery(whole, 'bureau*').starts);
    expect(runQuery(index, '*cracy').starts).toEqual(runQuery(whole, '*cracy').starts);
    expect(fields._wordsHeld).toBeUndefined();
    runQuery(index, '*ucra*');
    expect(fields._wordsHeld).toBeInstanceOf(WeakRef);
    expect(fields._words).toBeUndefined();
    expect(index.words).toEqual(whole.words);
  });

  it('never needs the case-folded column for word queries, sorting or collocates', async () => {
    const index = await lazily();
    runQuery(index, 'of the');
    kwicPage(index, { query: 'the', sort: ['R1', 'L1'] });
    frequencyList(index, { limit: 10 });
    expect(loaded(index)).not.toContain('_word');
  });

  it('a section damaged after opening fails its first whole read with E_INDEX, and the next open rebuilds', async () => {
    const copyDir = tempDir('lazy-damaged');
    try {
      const opened = await openCorpus([corpus], { indexDir: copyDir, inThreadBelow: 50_000_000 });
      expect(opened.info.reused).toBe(false);
      const [rel] = readdirSync(copyDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.loupe'));
      const damagedFile = join(copyDir, rel!);
      const { index } = await loadIndex(damagedFile, { lazyAbove: 0 });
      // Flip one byte inside the form column (found through the documented header layout).
      const bytes = readFileSync(damagedFile);
      const headerLength = bytes.readUInt32LE(20);
      const header = JSON.parse(bytes.subarray(24, 24 + headerLength).toString('utf8')) as {
        sections: Array<{ name: string; offset: number; length: number }>;
      };
      const form = header.sections.find((s) => s.name === 'form.data')!;
      const at = 24 + bytes.readUInt32LE(12) + form.offset + Math.floor(form.length / 2);
      bytes[at] = bytes[at]! ^ 0xff;
      // Written in place: the open index keeps reading this same file.
      writeFileSync(damagedFile, bytes);
      // A lone word is answered from the postings, which are intact.
      expect(runQuery(index, 'bureaucracy').starts.length).toBe(runQuery(whole, 'bureaucracy').starts.length);
      let failure: unknown;
      try {
        // Sorting by the right neighbour reads the whole form column.
        kwicPage(index, { query: 'the', sort: ['R1'] });
      } catch (e) {
        failure = e;
      }
      expect(failure).toBeInstanceOf(LoupeFailure);
      expect((failure as LoupeFailure).code).toBe('E_INDEX');
      expect((failure as LoupeFailure).message).toMatch(/checksum mismatch in section form\.data/);
      expect(readdirSync(copyDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.loupe'))).toEqual([]);
      const again = await openCorpus([corpus], { indexDir: copyDir, inThreadBelow: 50_000_000, lazyAbove: 0 });
      expect(again.info.reused).toBe(false);
      expect(runQuery(again.index, 'of the').starts.length).toBe(runQuery(whole, 'of the').starts.length);
    } finally {
      removeDir(copyDir);
    }
  }, 120_000);

  it('a truncated file is refused at open, before any query', async () => {
    const dir = tempDir('lazy-truncated');
    try {
      const cut = join(dir, 'index.loupe');
      const bytes = readFileSync(file);
      writeFileSync(cut, bytes.subarray(0, bytes.length - 1000));
      await expect(loadIndex(cut, { lazyAbove: 0 })).rejects.toThrow(/truncated/);
    } finally {
      removeDir(dir);
    }
  });

  it('openCorpus reopens a large index it has just built from its file, keeping only what queries touch', async () => {
    const dir = tempDir('lazy-reopen');
    try {
      const o = await openCorpus([corpus], { indexDir: dir, inThreadBelow: 50_000_000, lazyAbove: 0 });
      expect(o.info.reused).toBe(false);
      expect(o.index.lazy).toBe(true);
      expect(loaded(o.index)).toEqual([]);
      expect(o.info.tokens).toBe(whole.tokenCount);
      expect(kwicPage(o.index, { query: "workers' councils" })).toEqual(kwicPage(whole, { query: "workers' councils" }));
    } finally {
      removeDir(dir);
    }
  }, 120_000);
});
