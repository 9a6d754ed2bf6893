/**
 * The benchmark at a small size, so it cannot rot: `bench/run.ts --json` must complete and report
 * every figure with sane values. No timing is asserted (timings are never pass/fail in tests).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTag, generateCorpus } from '../../bench/corpus.js';
import type { BenchResult } from '../../bench/result.js';
import { percentile, summarise } from '../../bench/timing.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const QUERY_IDS = [
  'kwic.the',
  'kwic.mid',
  'kwic.rare',
  'phrase.of-the',
  'phrase.in-order-to',
  'wildcard.inter',
  'regex.ness',
  'colloc.the',
  'colloc.mid',
  'sort.the.R1',
  'freq.all',
  'kwic.deep',
  'passages',
];
const COLD_IDS = [
  'cold.case',
  'cold.lemma',
  'cold.pos',
  'cold.wildcard',
  'cold.regex',
  'cold.pos-sequence',
  'cold.and-not',
  'cold.gap',
  'cold.capitals',
];
const TARGET_IDS = [
  'cold.case',
  'cold.lemma',
  'cold.pos',
  'cold.wildcard',
  'cold.regex',
  'cold.pos-sequence',
  'spawn',
  'indexing',
  'buildMemory',
  'memory',
  'disk',
  'coldOpen',
  'kwic.the',
  'kwic.mid',
  'kwic.rare',
  'phrase.of-the',
  'phrase.in-order-to',
  'colloc.mid',
  'colloc.the',
  'sort.the.R1',
  'wildcard.inter',
  'regex.ness',
];

const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('bench at ~1.5e5 tokens', () => {
  let dir: string;
  let r: BenchResult;
  let table: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
    const run = (extra: string[]) =>
      promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/run.ts',
          '--tokens',
          '1.5e5',
          '--file-bytes',
          '150000',
          '--runs',
          '5',
          '--cold-runs',
          '1',
          '--dir',
          dir,
          ...extra,
        ],
        { cwd: root, maxBuffer: 64 << 20, timeout: 100_000 },
      );
    const json = await run(['--json']);
    r = JSON.parse(json.stdout) as BenchResult;
    // The second run reuses the generated corpus and prints the table.
    table = (await run([])).stdout;
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes the generated corpus and reports its size', () => {
    const c = r.corpus;
    expect(c.brownWords).toBeGreaterThanOrEqual(150_000);
    expect(c.brownWords).toBeLessThan(160_000); // whole Brown texts, ~2,300 words each
    // The engine splits clitics and some punctuation that Brown keeps together, so it counts a few more tokens.
    expect(c.tokens).toBeGreaterThan(c.brownWords * 0.9);
    expect(c.tokens).toBeLessThan(c.brownWords * 1.3);
    expect(c.counted).toBeGreaterThan(0);
    expect(c.counted).toBeLessThan(c.tokens);
    expect(c.types).toBeGreaterThan(5_000);
    expect(c.documents).toBe(c.files);
    expect(c.files).toBeGreaterThanOrEqual(4);
    const onDisk = readdirSync(join(dir, `corpus-150000-150000`)).filter((f) => f.endsWith('.txt'));
    expect(onDisk).toHaveLength(c.files);
  });

  it('reports indexing throughput, memory and disk as positive numbers', () => {
    for (const k of ['readMs', 'tokeniseMs', 'mergeMs', 'postingsMs', 'saveMs', 'totalMs'] as const)
      expect(positive(r.indexing[k]), k).toBe(true);
    const tps = r.indexing.tokensPerSecond;
    for (const k of ['tokenising', 'indexing', 'total'] as const) {
      expect(positive(tps[k]), k).toBe(true);
      expect(positive(r.indexing.tokensPerCpuSecond[k]), `${k} per CPU-second`).toBe(true);
      expect(positive(r.indexing.cpuMs[k]), `${k} CPU ms`).toBe(true);
    }
    // Small inputs are tokenised on the calling thread (app/text/pool.ts).
    expect(r.indexing.threads).toBe(1);
    // Total covers tokenising and indexing, so it is slower than either.
    expect(tps.total).toBeLessThan(tps.tokenising);
    expect(tps.total).toBeLessThan(tps.indexing);
    expect(r.indexing.totalMs).toBeGreaterThanOrEqual(r.indexing.tokeniseMs + r.indexing.mergeMs + r.indexing.postingsMs - 1e-6);
    for (const k of [
      'peakRssBytes',
      'baselineRssBytes',
      'residentRssBytes',
      'residentDeltaBytes',
      'bytesPerToken',
      'heapUsedBytes',
      'arrayBuffersBytes',
    ] as const)
      expect(positive(r.memory[k]), k).toBe(true);
    expect(r.memory.peakRssBytes).toBeGreaterThanOrEqual(r.memory.residentRssBytes * 0.9);
    expect(r.disk.saved).toBe(true);
    expect(positive(r.disk.indexBytes)).toBe(true);
    expect(r.disk.bytesPerToken).toBeCloseTo(r.disk.indexBytes / r.corpus.tokens, 6);
  });

  it('opens the saved index in a fresh process and answers', () => {
    const co = r.coldOpen;
    if (!co.ok) throw new Error(`cold open failed: ${co.error}`);
    expect(co.hits).toBeGreaterThan(0);
    for (const k of [
      'openAndQueryMs',
      'openMs',
      'firstQueryMs',
      'importMs',
      'processStartToAnswerMs',
      'spawnToAnswerMs',
      'rssBytes',
      'residentDeltaBytes',
      'bytesPerToken',
      'queriesMs',
      'rssAfterQueriesBytes',
      'arrayBuffersAfterQueriesBytes',
    ] as const)
      expect(positive(co[k]), k).toBe(true);
    // Memory while querying is what that process holds after running every query.
    expect(r.targets.find((t) => t.id === 'memory')!.value).toBe(co.bytesPerTokenAfterQueries);
    expect(co.processStartToAnswerMs).toBeGreaterThanOrEqual(co.openAndQueryMs);
    expect(co.spawnToAnswerMs).toBeGreaterThanOrEqual(co.openAndQueryMs);
    // The same query answered in this process gives the same count.
    expect(co.hits).toBe(r.queries['kwic.mid']!.hits);
  });

  it('times every query, with hits, and median <= p95', () => {
    expect(Object.keys(r.queries).sort()).toEqual([...QUERY_IDS].sort());
    for (const id of QUERY_IDS) {
      const q = r.queries[id]!;
      expect(q.runs, id).toBe(5);
      expect(positive(q.hits), `${id} hits`).toBe(true);
      for (const k of ['firstMs', 'medianMs', 'p95Ms', 'minMs', 'maxMs'] as const) expect(positive(q[k]), `${id} ${k}`).toBe(true);
      expect(q.minMs).toBeLessThanOrEqual(q.medianMs);
      expect(q.medianMs).toBeLessThanOrEqual(q.p95Ms);
      expect(q.p95Ms).toBeLessThanOrEqual(q.maxMs);
      expect(q.cpu.runs).toBe(5);
      expect(q.cpu.medianMs).toBeGreaterThanOrEqual(0);
      expect(q.cpu.medianMs).toBeLessThanOrEqual(q.cpu.p95Ms);
    }
    const the = r.queries['kwic.the']!.hits;
    // `the` is the most frequent word; its collocates, sort and deep page all see every hit.
    expect(the).toBeGreaterThan(r.queries['kwic.mid']!.hits);
    expect(r.queries['kwic.mid']!.hits).toBeGreaterThan(r.queries['kwic.rare']!.hits);
    expect(r.queries['colloc.the']!.hits).toBe(the);
    expect(r.queries['sort.the.R1']!.hits).toBe(the);
    expect(r.queries['kwic.deep']!.hits).toBe(the);
    expect(r.queries['phrase.of-the']!.hits).toBeLessThan(the);
    expect(r.queries['freq.all']!.hits).toBeLessThanOrEqual(r.corpus.types);
    expect(r.queries['freq.all']!.hits).toBeGreaterThan(r.corpus.types * 0.9);
  });

  it('runs the first query of each kind in a fresh process, cold and repeated', () => {
    expect(r.cold.map((c) => c.id)).toEqual(COLD_IDS);
    for (const c of r.cold) {
      expect(c.hits, c.id).toBeGreaterThan(0);
      expect(c.runs).toBe(1);
      expect(positive(c.firstMs), c.id).toBe(true);
      expect(positive(c.repeatMs), c.id).toBe(true);
      expect(c.spawnToAnswerMs).toBeGreaterThan(c.firstMs);
    }
    // The same query, whether it is the first of its kind or not, finds the same hits.
    expect(r.cold.find((c) => c.id === 'cold.wildcard')!.hits).toBe(r.queries['wildcard.inter']!.hits);
    expect(table).toMatch(/first query of its kind/);
  });

  it('checks every speed target and prints them with marks', () => {
    expect(r.targets.map((t) => t.id).sort()).toEqual([...TARGET_IDS].sort());
    for (const t of r.targets) {
      expect(positive(t.value), t.id).toBe(true);
      expect(t.pass).toBe(t.op === '>=' ? t.value >= t.limit : t.value <= t.limit);
    }
    expect(r.errors).toEqual([]);
    for (const t of r.targets) expect(table).toContain(t.pass ? 'PASS' : 'FAIL');
    expect(table).toMatch(/tokens\/s/);
    expect(table).toMatch(/KWIC first page: the/);
    const rows = table.split('\n').filter((l) => /\b(PASS|FAIL)\b/.test(l));
    expect(rows.length).toBe(r.targets.length);
  });

  it('writes the result file beside the corpus', () => {
    const saved = JSON.parse(readFileSync(join(dir, 'results-150000.json'), 'utf8')) as BenchResult;
    expect(saved.corpus.tokens).toBeGreaterThan(0);
  });
});

describe('bench corpus generation', () => {
  it('tags copies in base 26 with copy 0 unchanged', () => {
    expect(copyTag(0)).toBe('');
    expect(copyTag(1)).toBe('b');
    expect(copyTag(25)).toBe('z');
    expect(copyTag(26)).toBe('ba');
    const tags = new Set(Array.from({ length: 2000 }, (_, i) => copyTag(i)));
    expect(tags.size).toBe(2000);
  });

  it('respells only words rare in Brown, so types grow with copies while common words stay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-gen-'));
    try {
      // Brown is ~1.16M words: 1.3M takes all of copy 0 and the start of copy 1.
      const g = generateCorpus(join(dir, 'c'), { tokens: 1_300_000, fileBytes: 2_000_000 });
      expect(g.copies).toBe(2);
      const files = readdirSync(join(dir, 'c')).sort();
      expect(files).toHaveLength(g.files);
      const first = readFileSync(join(dir, 'c', files[0]!), 'utf8');
      const last = readFileSync(join(dir, 'c', files[files.length - 1]!), 'utf8');
      // `Durwood` is a Brown hapax in its first text; copy 1 (the last file) spells it `Durwoodb`.
      expect(first).toContain(' Durwood ');
      expect(last).toContain(' Durwoodb ');
      expect(last).not.toContain(' Durwood ');
      expect(last).toContain(' the ');
      expect(last).not.toMatch(/ theb /);
      const again = generateCorpus(join(dir, 'c'), { tokens: 1_300_000, fileBytes: 2_000_000 });
      expect(again.reused).toBe(true);
      expect(again.bytes).toBe(g.bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench timing summary', () => {
  it('keeps the first run apart and takes median and nearest-rank p95 of the rest', () => {
    const t = summarise([100, 5, 1, 3, 2, 4]);
    expect(t.firstMs).toBe(100);
    expect(t.medianMs).toBe(3);
    expect(t.p95Ms).toBe(5);
    expect(t.runs).toBe(6);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95)).toBe(19);
  });
});

describe('bench --languages at a small size', () => {
  it('tokenises and indexes every language and reports positive rates and counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-lang-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(root, 'bench/run.ts'), '--languages', '--tokens', '20000', '--runs', '1', '--dir', dir, '--json'],
        { cwd: root, maxBuffer: 1 << 24, timeout: 240_000 },
      );
      const rows = JSON.parse(stdout.trim().split('\n').pop()!) as Array<Record<string, number | string>>;
      expect(rows.map((r) => r.language)).toEqual(['en', 'ru', 'de', 'fr', 'ar', 'he', 'zh', 'ja', 'th']);
      for (const r of rows) {
        expect(r.tokens, String(r.language)).toBeGreaterThan(10_000);
        expect(r.counted, String(r.language)).toBeGreaterThan(0.8 * Number(r.tokens) - 1);
        expect(positive(r.tokeniseTokensPerSecond) && positive(r.indexSeconds), String(r.language)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
