/**
 * The `matching` option: `shortest` keeps the shortest match from each start (Corpus Workbench's
 * `traditional`); `standard` (Corpus Workbench's default) also drops a match that ends where an
 * earlier match ends. Expected hits come from the shortest hits and a plain set of ends, or from the
 * text itself, never from the code that drops them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePayload } from '../../app/contract/schema.js';
import { Engine } from '../../app/engine.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import type { Hits } from '../../app/query/hits.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, hitSpans, removeDir, tempDir } from '../support/corpus.js';

type Pair = [number, number];

const pairs = (h: Hits): Pair[] => Array.from(h.starts, (s, i) => [s, h.ends[i]!]);

/** CQP's rule read off its description: walk the hits in start order, keep a hit unless its end was seen. */
function standardOf(shortest: Pair[]): Pair[] {
  const seen = new Set<number>();
  const kept: Pair[] = [];
  for (const [s, e] of shortest) {
    if (seen.has(e)) continue;
    seen.add(e);
    kept.push([s, e]);
  }
  return kept;
}

const TEXT = 'The strikers pressed the demand of the government for bread, and the soldiers would not fire on them.';

describe('a gap that two starts share an end through', () => {
  let small: CorpusIndex;
  beforeAll(() => {
    small = buildIndexSync([{ name: 'demand.txt', path: '/demand.txt', text: TEXT }]);
  });
  const textOf = (h: Hits) => hitSpans(small, h.starts, h.ends).map(([s, e]) => TEXT.slice(s, e));

  it('shortest (the default) gives a hit from each `the`, both ending at `government`', () => {
    const h = runQuery(small, 'the []{0,3} government');
    expect(textOf(h)).toEqual(['the demand of the government', 'the government']);
    expect(pairs(runQuery(small, 'the []{0,3} government', { matching: 'shortest' }))).toEqual(pairs(h));
  });

  it('standard keeps only the hit that starts first', () => {
    const shortest = runQuery(small, 'the []{0,3} government');
    const standard = runQuery(small, 'the []{0,3} government', { matching: 'standard' });
    expect(textOf(standard)).toEqual(['the demand of the government']);
    expect(pairs(standard)).toEqual([pairs(shortest)[0]]);
  });

  it('a phrase of one length has the same hits either way', () => {
    const shortest = runQuery(small, 'of the');
    expect(textOf(shortest)).toEqual(['of the']);
    expect(pairs(runQuery(small, 'of the', { matching: 'standard' }))).toEqual(pairs(shortest));
  });

  it("a concordance's filter query is matched the same way", () => {
    // `of` has `the government` (the second filter hit) next to it, and `the demand ...` two tokens away.
    const lines = (matching: 'shortest' | 'standard') =>
      kwicPage(small, { query: 'of', filter: 'the []{0,3} government', filterSpan: 1, matching }).lines.map((l) => l.node);
    expect(lines('shortest')).toEqual(['of']);
    expect(lines('standard')).toEqual([]);
  });
});

describe('on the bundled chapter', () => {
  let index: CorpusIndex;
  beforeAll(() => {
    index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
  });

  it.each(['of the', "workers' councils", '[pos="ADJ"] [pos="NOUN"]', 'the [] of'])('%s: one length, the same hits', (q) => {
    const shortest = pairs(runQuery(index, q));
    expect(shortest.length).toBeGreaterThan(0);
    expect(pairs(runQuery(index, q, { matching: 'standard' }))).toEqual(shortest);
  });

  it.each(['the []{0,3} bureaucracy', 'the []{0,20} bureaucracy', '[pos="DET"]? [pos="ADJ"]* [pos="NOUN"]', '[]? workers'])(
    '%s: standard is shortest less the hits whose end an earlier hit has',
    (q) => {
      const shortest = pairs(runQuery(index, q));
      const standard = pairs(runQuery(index, q, { matching: 'standard' }));
      // Each query has hits that share an end, so a rule that dropped nothing would fail here.
      expect(standard.length).toBeLessThan(shortest.length);
      expect(standard.length).toBeGreaterThan(0);
      const inShortest = new Set(shortest.map((p) => p.join(',')));
      for (const p of standard) expect(inShortest.has(p.join(',')), `${p.join(',')} is a shortest hit`).toBe(true);
      expect(new Set(standard.map(([, e]) => e)).size, 'no two hits share an end').toBe(standard.length);
      expect(standard).toEqual(standardOf(shortest));
    },
  );
});

describe('through the Engine, every count follows', () => {
  const QUERY = 'the []{0,3} bureaucracy';
  let engine: Engine;
  let indexDir: string;
  let shortest: Pair[];
  let standard: Pair[];
  beforeAll(async () => {
    indexDir = tempDir('matching-engine');
    engine = new Engine({ indexDir });
    const opened = await engine.openCorpus({ paths: [CHAPTER_PATH] });
    if (!opened.ok) throw new Error(opened.error.message);
    shortest = pairs(runQuery(engine.index, QUERY));
    standard = standardOf(shortest);
    expect(standard.length).toBeLessThan(shortest.length);
  });
  afterAll(() => removeDir(indexDir));

  const value = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('count and kwic, with the concordance asked both ways in turn', async () => {
    expect(value(await engine.count({ query: QUERY })).hits).toBe(shortest.length);
    expect(value(await engine.count({ query: QUERY, matching: 'standard' })).hits).toBe(standard.length);
    const page = (matching: 'shortest' | 'standard') => engine.kwic({ query: QUERY, matching, limit: 10_000 });
    const a = value(await page('shortest'));
    const b = value(await page('standard'));
    expect(a.lines.map((l) => l.position)).toEqual(shortest.map(([s]) => s));
    expect(b.hits).toBe(standard.length);
    expect(b.lines.map((l) => l.position)).toEqual(standard.map(([s]) => s));
  });

  it('the document view highlights the same hits', async () => {
    const t = value(await engine.documentText({ doc: 0, query: QUERY, matching: 'standard' }));
    expect(t.hits).toEqual(hitSpans(engine.index, ...unzip(standard)));
  });

  it('dispersion, collocates, compare and trends count the same hits', async () => {
    const opts = { caseSensitive: false, matching: 'standard' } as const;
    expect(value(await engine.dispersion({ query: QUERY, ...opts })).hits).toBe(standard.length);
    expect(value(await engine.colloc({ query: QUERY, ...opts })).hits).toBe(standard.length);
    const compared = value(await engine.compare({ queries: [QUERY, 'workers'], ...opts }));
    expect(compared.terms[0]!.hits).toBe(standard.length);
    const t = value(await engine.trends({ queries: [QUERY], by: 'segment', ...opts }));
    expect(t.series[0]!.hits).toBe(standard.length);
    expect(value(await engine.dispersion({ query: QUERY })).hits).toBe(shortest.length);
  });

  it('the request schemas take shortest and standard and refuse anything else', () => {
    expect(parsePayload('kwic', { query: QUERY, matching: 'standard' }).ok).toBe(true);
    expect(parsePayload('count', { query: QUERY, matching: 'shortest' }).ok).toBe(true);
    expect(parsePayload('colloc', { query: QUERY, matching: 'standard' }).ok).toBe(true);
    const bad = parsePayload('count', { query: QUERY, matching: 'longest' });
    expect(bad.ok === false && bad.error.code).toBe('E_PAYLOAD');
  });
});

function unzip(list: Pair[]): [number[], number[]] {
  return [list.map(([s]) => s), list.map(([, e]) => e)];
}
