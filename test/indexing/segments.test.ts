/**
 * A corpus larger than a segment is indexed segment by segment and merged on disk. It must answer
 * every query exactly as the same corpus indexed in one build; a changed file rebuilds its segment
 * only; and a merge killed at any moment leaves an index that opens, with the segments intact.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../app/contract/types.js';
import { openCorpus, type OpenedCorpus } from '../../app/indexing/open.js';
import { loadIndex, readManifest } from '../../app/index/persist.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage, seededRandom } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { collocations } from '../../app/stats/collocation.js';
import { frequencyList } from '../../app/stats/frequency.js';
import { ngramList } from '../../app/stats/ngrams.js';
import { CHAPTER_NAME, CHAPTER_TEXT, removeDir, ROOT, tempDir, writeBrownCorpus } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

/** Small enough that the corpus below makes several segments, one of them a single text. */
const SEGMENT_BYTES = 60_000;
const dirs: string[] = [];
const dir = (label: string) => {
  const d = tempDir(label);
  dirs.push(d);
  return d;
};
let corpus: string;
let segmented: OpenedCorpus;
let single: OpenedCorpus;
let segmentedCache: string;
let singleCache: string;
const progress: IndexProgress[] = [];

const segmentsIn = (cache: string) =>
  readdirSync(cache, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.includes('segments') && f.endsWith('.loupe'))
    .map((f) => join(cache, f))
    .sort();

beforeAll(async () => {
  corpus = dir('segments-corpus');
  writeBrownCorpus(corpus, 20);
  writeFileSync(join(corpus, CHAPTER_NAME), CHAPTER_TEXT);
  // Metadata for a text in the first segment and one in the last: every segment applies the sidecar.
  const texts = readdirSync(corpus).sort();
  writeFileSync(join(corpus, 'metadata.csv'), `file,author\n${texts[0]},First Author\n${texts.at(-1)},Last Author\n`);
  segmentedCache = dir('segments-cache');
  singleCache = dir('segments-single');
  segmented = await openCorpus([corpus], {
    indexDir: segmentedCache,
    segmentBytes: SEGMENT_BYTES,
    inThreadBelow: 50_000_000,
    onProgress: (p) => progress.push(p),
  });
  single = await openCorpus([corpus], { indexDir: singleCache, inThreadBelow: 50_000_000 });
});

afterAll(() => dirs.forEach(removeDir));

const QUERIES = [
  'the',
  'bureaucracy',
  'of the',
  'lemma:be',
  'pos:ADJ pos:NOUN',
  'inter*',
  '/.*ness/',
  '[word="a.*" & !pos="DET"]',
  'the []{0,3} government',
];

function answers(index: CorpusIndex) {
  return {
    counts: QUERIES.map((q) => runQuery(index, q).starts.length),
    kwic: ['the', 'workers'].map((query) =>
      kwicPage(index, { query, sort: ['R1', 'L1'], offset: 0, limit: 40 }).lines.map((l) => [l.doc, l.left, l.node, l.right]),
    ),
    collocates: collocations(index, { query: 'said', minObserved: 1, limit: 30 }).rows,
    words: frequencyList(index, { limit: 50 }).rows,
    ngrams: ngramList(index, { n: 3, minFreq: 2, limit: 30 }).rows,
  };
}

describe('indexing in segments', () => {
  it('cuts the corpus into several segments and answers every query as one build does', () => {
    const count = segmentsIn(segmentedCache).length;
    expect(count).toBeGreaterThanOrEqual(3);
    // Progress says which segment each phase works on, then the merge.
    const tokenising = progress.filter((p) => p.phase === 'tokenising' && p.done === 0);
    expect(tokenising.map((p) => p.segment)).toEqual(Array.from({ length: count }, (_, k) => ({ at: k + 1, of: count })));
    expect(progress.at(-1)).toMatchObject({ phase: 'merging', done: 4, total: 4 });
    expect(segmentsIn(singleCache)).toEqual([]);
    expect(segmented.info.tokens).toBe(single.info.tokens);
    expect(segmented.info.documents).toEqual(single.info.documents);
    expect(segmented.info.documents.filter((d) => d.author).map((d) => d.author)).toEqual(['First Author', 'Last Author']);
    const want = answers(single.index);
    expect(want.counts.every((n) => n > 0)).toBe(true);
    expect(answers(segmented.index)).toEqual(want);
    // The files themselves: every section the same bytes.
    const a = readFileSync(savedIndexFile(segmentedCache));
    const b = readFileSync(savedIndexFile(singleCache));
    const sections = (bytes: Buffer) => {
      const header = JSON.parse(bytes.subarray(24, 24 + bytes.readUInt32LE(20)).toString('utf8')) as {
        sections: Array<{ name: string; length: number; crc: number }>;
      };
      return Object.fromEntries(header.sections.map((x) => [x.name, [x.length, x.crc]]));
    };
    expect(sections(a)).toEqual(sections(b));
  });

  it('tells a sidecar warning once, not once per segment', async () => {
    const other = dir('segments-warning');
    writeBrownCorpus(other, 6);
    writeFileSync(join(other, 'metadata.csv'), 'file\n');
    const notices: string[] = [];
    const cache = dir('segments-warning-cache');
    await openCorpus([other], { indexDir: cache, segmentBytes: 20_000, onNotice: (m) => notices.push(m) });
    expect(segmentsIn(cache).length).toBeGreaterThan(1);
    expect(notices.filter((m) => m.includes('metadata.csv'))).toHaveLength(1);
  });

  it('reopens from the merged index without reading a file or a segment again', async () => {
    const before = segmentsIn(segmentedCache).map((f) => statSync(f).mtimeMs);
    const again = await openCorpus([corpus], { indexDir: segmentedCache, segmentBytes: SEGMENT_BYTES });
    expect(again.info.reused).toBe(true);
    expect(again.tokenised).toBe(0);
    expect(segmentsIn(segmentedCache).map((f) => statSync(f).mtimeMs)).toEqual(before);
  });

  it('re-indexes a changed file by writing its one segment', async () => {
    const segments = segmentsIn(segmentedCache);
    const before = new Map(segments.map((f) => [f, statSync(f).mtimeMs]));
    const files = readdirSync(corpus).sort();
    const changed = files[Math.floor(files.length / 2)]!;
    appendFileSync(join(corpus, changed), '\n\nA zygomorphic sentence appears here.\n');
    const again = await openCorpus([corpus], { indexDir: segmentedCache, segmentBytes: SEGMENT_BYTES, inThreadBelow: 50_000_000 });
    expect(again.tokenised).toBe(1);
    const after = segmentsIn(segmentedCache);
    expect(after).toEqual(segments);
    expect(after.filter((f) => statSync(f).mtimeMs !== before.get(f))).toHaveLength(1);
    expect(runQuery(again.index, 'zygomorphic').starts.length).toBe(1);
    const fresh = await openCorpus([corpus], { indexDir: dir('segments-fresh'), inThreadBelow: 50_000_000 });
    expect(answers(again.index)).toEqual(answers(fresh.index));
  });

  it('indexes a file added in the middle by rewriting the one segment it joins', async () => {
    const segments = segmentsIn(segmentedCache);
    const before = new Map(segments.map((f) => [f, statSync(f).mtimeMs]));
    const files = readdirSync(corpus)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    // Sorted between two texts of the same segment or at a cut: either way one run takes it.
    const added = `${files[Math.floor(files.length / 2)]!.replace('.txt', '')}-added.txt`;
    // Large enough to move every later cut, were the runs cut afresh by size.
    writeFileSync(join(corpus, added), `An interpolated zygodactyl paragraph.\n${'Some more words here. '.repeat(1200)}`);
    const again = await openCorpus([corpus], { indexDir: segmentedCache, segmentBytes: SEGMENT_BYTES, inThreadBelow: 50_000_000 });
    const after = segmentsIn(segmentedCache);
    const kept = after.filter((f) => before.get(f) === statSync(f).mtimeMs);
    expect(kept).toHaveLength(segments.length - 1);
    expect(after).toHaveLength(segments.length);
    expect(runQuery(again.index, 'zygodactyl').starts.length).toBe(1);
    const fresh = await openCorpus([corpus], { indexDir: dir('segments-fresh-added'), inThreadBelow: 50_000_000 });
    expect(answers(again.index)).toEqual(answers(fresh.index));
  });

  it('keeps a valid index and its segments when a merge is killed at any moment', async () => {
    const indexFile = savedIndexFile(segmentedCache);
    // In document order: where each segment's first file is in the merged index's manifest.
    const files = readManifest(indexFile)!.files.map((f) => f.path);
    const firstFile = (segment: string) => files.indexOf(readManifest(segment)!.files[0]!.path);
    const segments = segmentsIn(segmentedCache).sort((a, b) => firstFile(a) - firstFile(b));
    const reference = readFileSync(indexFile);
    const tokens = (await loadIndex(indexFile)).index.tokenCount;
    const random = seededRandom(7);
    const folder = join(indexFile, '..');
    const unfinished = () => readdirSync(folder).filter((n) => n.startsWith('merge.') || n.endsWith('.tmp'));
    let midMerge = 0;
    for (let round = 0; round < 6; round++) {
      await mergeAndKill(indexFile, segments, Math.floor(random() * 400));
      if (unfinished().length) midMerge++;
      // Loaded whole: every section checksummed and the columns checked against the texts.
      const { index } = await loadIndex(indexFile);
      expect(index.tokenCount).toBe(tokens);
      expect(readFileSync(indexFile).equals(reference)).toBe(true);
      for (const s of segments) await loadIndex(s);
    }
    // The next open merges again from the same segments and clears what killed merges left.
    const again = await openCorpus([corpus], { indexDir: segmentedCache, segmentBytes: SEGMENT_BYTES });
    expect(again.info.reused).toBe(true);
    appendFileSync(join(corpus, readdirSync(corpus).sort()[0]!), '\nOne more line.\n');
    const rebuilt = await openCorpus([corpus], { indexDir: segmentedCache, segmentBytes: SEGMENT_BYTES, inThreadBelow: 50_000_000 });
    expect(rebuilt.tokenised).toBe(1);
    // Some kills landed mid-merge (they left its spools), and the next merge cleared them.
    expect(midMerge).toBeGreaterThan(0);
    expect(unfinished()).toEqual([]);
  });
});

/** Starts a child merging forever and SIGKILLs it `delay` ms after its first "merging" line. */
function mergeAndKill(indexFile: string, segments: string[], delay: number): Promise<void> {
  const script = join(ROOT, 'test/indexing/fixtures/merge-forever.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, indexFile, indexFile, ...segments], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d: Buffer) => {
    if (!timer && d.toString().includes('merging')) timer = setTimeout(() => child.kill('SIGKILL'), delay);
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended by itself (${code}): ${stderr}`)),
    ),
  );
}
