/**
 * `npm run bench -- [--tokens 1e6|1e7|1e8] [--dir bench/out] [--runs 21] [--file-bytes 1000000]
 *                   [--json] [--profile kwic.the,colloc.the] [--no-passages]`
 * `npm run bench -- --languages [--tokens 2e6] [--runs 3]`: tokenising and indexing per language
 *                   (bench/languages.ts).
 *
 * Generates the scaled Brown corpus (bench/corpus.ts), indexes it through the engine's own open path
 * (openCorpus: read, tokenise on worker threads, merge, postings, save), times every phase from the
 * engine's progress events, measures memory and the saved index, opens the saved index in a fresh
 * process (bench/cold-open.ts), then times the query set repeatedly. Prints a table with the
 * targets, or with --json one JSON object (bench/result.ts) on stdout; progress goes to stderr.
 * Results are also written to DIR/results-TOKENS.json (and .partial.json as they accumulate).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { openCorpus } from '../app/indexing/open.js';
import { PassageSearch } from '../app/index/passages.js';
import { kwicPage, pageOf, prepareHits } from '../app/query/kwic.js';
import { collocations, frequencyList } from '../app/stats/index.js';
import { generateCorpus } from './corpus.js';
import { formatLanguageRows, languageBench } from './languages.js';
import { profiled, type ProfileSummary } from './profile.js';
import { formatReport } from './report.js';
import type { BenchResult, ColdOpen, ColdQuery, QueryMeasure } from './result.js';
import { checkTargets } from './targets.js';
import { collectGarbage, cpuMs, timeRuns } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** The words measured. `irregularities` is rare (8 in Brown, never respelled) and occurs in Brown's first text. */
export const WORDS = { frequent: 'the', mid: 'government', rare: 'irregularities', collocMid: 'said' } as const;
const PASSAGE_QUERY = 'grand jury election irregularities';
const DEEP_OFFSET = 500_000;

const log = (m: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${m}\n`);

function parseCount(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${v}`);
  return Math.round(n);
}

function findFile(dir: string, name: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e.name === name) return p;
  }
  return undefined;
}

/** The first query of each kind in a fresh process (the comparison set against Corpus Workbench). */
export const COLD_QUERIES: ReadonlyArray<{ id: string; label: string; query: string; caseSensitive?: boolean }> = [
  { id: 'cold.case', label: 'first case-sensitive query', query: 'Government', caseSensitive: true },
  { id: 'cold.lemma', label: 'first lemma: query', query: 'lemma:say' },
  { id: 'cold.pos', label: 'first pos: query', query: 'pos:ADJ' },
  { id: 'cold.wildcard', label: 'wildcard over the vocabulary', query: 'inter*' },
  { id: 'cold.regex', label: 'regex over the vocabulary', query: '/.*ness/' },
  { id: 'cold.pos-sequence', label: 'POS sequence', query: '[pos="DET"] [pos="ADJ"]? [pos="NOUN"]' },
  { id: 'cold.and-not', label: 'word pattern and not a POS', query: '[word="a.*" & !pos="DET"]' },
  { id: 'cold.gap', label: 'words with a gap', query: 'the []{0,3} government' },
  { id: 'cold.capitals', label: 'regex with many hits', query: '/[A-Z]+/' },
];

/** Empties the kernel's page cache where this process may (root on Linux), so "cold" means from disk. */
function dropPageCache(): boolean {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    return false;
  }
}

interface ColdRun {
  query: string;
  caseSensitive?: boolean;
  thenQueries?: boolean;
  repeat?: boolean;
}

async function coldOpen(
  corpusDir: string,
  indexDir: string,
  tokens: number,
  run: ColdRun = { query: WORDS.mid, thenQueries: true },
): Promise<ColdOpen> {
  // bench/cold-open.ts compiled (dist/cli/cold-open.js, rebuilt when its sources changed), since the
  // `loupe` command a reader starts is compiled too: spawn to answer is then what they wait.
  // @ts-expect-error -- a plain .mjs build script without type declarations
  const { ensureCliBuilt } = (await import('../scripts/build-cli.mjs')) as { ensureCliBuilt(): Promise<{ coldOpen: string }> };
  const { coldOpen: entry } = await ensureCliBuilt();
  const { code, out, err, firstLineMs } = await launch(
    [
      '--expose-gc',
      entry,
      '--corpus',
      corpusDir,
      '--index-dir',
      indexDir,
      '--query',
      run.query,
      ...(run.caseSensitive ? ['--case-sensitive'] : []),
      ...(run.repeat ? ['--repeat'] : []),
      ...(run.thenQueries ? ['--then-queries'] : []),
    ],
    10 * 60_000,
  );
  const line =
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop() ?? '';
  try {
    const r = JSON.parse(line) as Record<string, unknown>;
    if (r.ok !== true) return { ok: false, error: String(r.error) };
    const delta = r.residentDeltaBytes as number;
    return {
      ok: true,
      query: r.query as string,
      hits: r.hits as number,
      openAndQueryMs: r.openAndQueryMs as number,
      openMs: r.openMs as number,
      firstQueryMs: r.firstQueryMs as number,
      ...(typeof r.repeatQueryMs === 'number' ? { repeatQueryMs: r.repeatQueryMs } : {}),
      importMs: r.importMs as number,
      processStartToAnswerMs: r.processStartToAnswerMs as number,
      spawnToAnswerMs: firstLineMs ?? NaN,
      rssBytes: r.rssBytes as number,
      residentDeltaBytes: delta,
      bytesPerToken: delta / tokens,
      queriesMs: r.queriesMs as number,
      rssAfterQueriesBytes: r.rssAfterQueriesBytes as number,
      residentDeltaAfterQueriesBytes: r.residentDeltaAfterQueriesBytes as number,
      bytesPerTokenAfterQueries: (r.residentDeltaAfterQueriesBytes as number) / tokens,
      arrayBuffersAfterQueriesBytes: r.arrayBuffersAfterQueriesBytes as number,
    };
  } catch {
    return { ok: false, error: `cold-open process exited ${code}: ${(err || out).trim().split('\n').slice(-3).join(' | ')}` };
  }
}

/**
 * Processes the benchmark times are started by bench/spawn-launcher.mjs, begun before anything is
 * indexed: spawned from this process once it holds an index, a child would take far longer to start
 * than one a reader starts.
 */
let launcher: { send(args: string[], timeoutMs: number): Promise<Launched>; stop(): void } | undefined;
interface Launched {
  code: number | null;
  out: string;
  err: string;
  firstLineMs: number | null;
}

function startLauncher(): void {
  const child = spawn(process.execPath, [join(root, 'bench', 'spawn-launcher.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, (r: Launched) => void>();
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const reply = JSON.parse(buffered.slice(0, nl)) as Launched & { id: number };
      buffered = buffered.slice(nl + 1);
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
    }
  });
  let next = 0;
  launcher = {
    send(args, timeoutMs) {
      const id = next++;
      return new Promise((done) => {
        waiting.set(id, done);
        child.stdin.write(JSON.stringify({ id, args, cwd: root, timeoutMs }) + '\n');
      });
    },
    stop: () => child.stdin.end(),
  };
}

/** Ends the launcher (its input closes), so the benchmark's process can exit. */
function stopLauncher(): void {
  launcher?.stop();
  launcher = undefined;
}

function launch(args: string[], timeoutMs: number): Promise<Launched> {
  if (!launcher) startLauncher();
  return launcher!.send(args, timeoutMs);
}

async function main() {
  const { values } = parseArgs({
    options: {
      tokens: { type: 'string' },
      dir: { type: 'string' },
      runs: { type: 'string' },
      'file-bytes': { type: 'string' },
      json: { type: 'boolean', default: false },
      profile: { type: 'string' },
      'no-passages': { type: 'boolean', default: false },
      'cold-runs': { type: 'string' },
      languages: { type: 'boolean', default: false },
    },
  });
  if (values.languages) {
    const dir = resolve(values.dir ?? join(here, 'out'));
    mkdirSync(dir, { recursive: true });
    const rows = await languageBench({
      tokens: parseCount('tokens', values.tokens, 2e6),
      runs: parseCount('runs', values.runs, 3),
      dir,
      log,
    });
    writeFileSync(join(dir, 'results-languages.json'), JSON.stringify(rows, null, 1));
    process.stdout.write(values.json ? JSON.stringify(rows) + '\n' : formatLanguageRows(rows) + '\n');
    return;
  }
  const tokens = parseCount('tokens', values.tokens, 1e6);
  // Now, while this process is small (see startLauncher).
  startLauncher();
  // 20 timed runs after the first: a nearest-rank 95th percentile of 10 runs is their maximum, so one
  // stall of a shared machine decides it; of 20 it is the 19th, which is what a p95 means.
  const runs = parseCount('runs', values.runs, 21);
  const fileBytes = parseCount('file-bytes', values['file-bytes'], 1_000_000);
  const dir = resolve(values.dir ?? join(here, 'out'));
  const profileIds = new Set(
    (values.profile ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const label = String(tokens);
  const corpusDir = join(dir, `corpus-${label}-${fileBytes}`);
  const indexDir = join(dir, `index-${label}`);
  const profileDir = join(dir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const errors: string[] = [];
  const partialFile = join(dir, `results-${label}.partial.json`);
  const save = (x: unknown) => writeFileSync(partialFile, JSON.stringify(x, null, 1));

  log(`generating ${tokens.toLocaleString('en')} Brown words into ${corpusDir}`);
  const gen = generateCorpus(corpusDir, { tokens, fileBytes }, log);
  log(
    `${gen.reused ? 'reused' : 'generated'} ${gen.files} files, ${(gen.bytes / 2 ** 20).toFixed(1)} MiB in ${(gen.ms / 1000).toFixed(1)} s`,
  );

  // The index must be built, not found: clear the cache folder first.
  rmSync(indexDir, { recursive: true, force: true });
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  // Wall and CPU time per phase, summed over its repeats: a corpus indexed in segments reads,
  // tokenises, indexes and saves once per segment, then merges them.
  const spent = new Map<string, number>();
  const cpuSpent = new Map<string, number>();
  let phase = 'reading';
  let since = performance.now();
  let cpuSince = cpuMs();
  let segments = 0;
  const enter = (next: string) => {
    if (next === phase) return;
    const now = performance.now();
    const cpu = cpuMs();
    spent.set(phase, (spent.get(phase) ?? 0) + now - since);
    cpuSpent.set(phase, (cpuSpent.get(phase) ?? 0) + cpu - cpuSince);
    phase = next;
    since = now;
    cpuSince = cpu;
  };
  const notices: string[] = [];
  let lastLogged = 0;
  const t0 = performance.now();
  const opened = await openCorpus([corpusDir], {
    indexDir,
    onNotice: (m) => notices.push(m),
    onProgress: (p) => {
      if (p.segment) segments = Math.max(segments, p.segment.of);
      // Tokenising ends with its last document; the batches are then joined until indexing begins.
      enter(p.phase === 'tokenising' && p.done === p.total ? 'joining' : p.phase);
      if (performance.now() - lastLogged > 15_000) {
        lastLogged = performance.now();
        log(`${p.phase} ${p.done}/${p.total}${p.segment ? ` (segment ${p.segment.at} of ${p.segment.of})` : ''}`);
      }
    },
  });
  enter('opened');
  const t1 = performance.now();
  const buildPeakRssBytes = process.resourceUsage().maxRSS * 1024;
  const index = opened.index;
  const n = index.tokenCount;
  const ms = (k: string) => spent.get(k) ?? 0;
  const cpu = (...ks: string[]) => ks.reduce((sum, k) => sum + (cpuSpent.get(k) ?? 0), 0);
  const readMs = ms('reading');
  const tokeniseMs = ms('tokenising');
  const mergeMs = ms('joining');
  const postingsMs = ms('indexing');
  const saveMs = ms('saving');
  const mergeSegmentsMs = ms('merging') + ms('loading');
  // Searchable: once indexed in memory, or for a corpus in segments once they are merged and opened.
  const searchable = ['reading', 'tokenising', 'joining', 'indexing', ...(segments ? ['saving', 'merging', 'loading'] : [])];
  const totalMs = segments ? t1 - t0 : readMs + tokeniseMs + mergeMs + postingsMs;
  const cpuTokenise = cpu('tokenising');
  const cpuIndexing = cpu('joining', 'indexing');
  const cpuTotal = cpu(...searchable);
  log(`indexed ${n.toLocaleString('en')} tokens in ${((t1 - t0) / 1000).toFixed(1)} s (tokenising ${(tokeniseMs / 1000).toFixed(1)} s)`);

  const indexFile = findFile(indexDir, 'index.loupe');
  const saveError = notices.find((m) => /save|index/i.test(m));
  const disk = indexFile
    ? { indexBytes: statSync(indexFile).size, bytesPerToken: statSync(indexFile).size / n, saved: true }
    : { indexBytes: 0, bytesPerToken: NaN, saved: false, error: saveError ?? 'no index file was written' };
  if (!indexFile) errors.push(`index not saved: ${disk.error}`);

  const result: BenchResult = {
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      heapLimitBytes: getHeapStatistics().heap_size_limit,
    },
    params: { tokens, runs, fileBytes, dir },
    corpus: {
      files: gen.files,
      bytes: gen.bytes,
      brownWords: gen.brownWords,
      copies: gen.copies,
      generateMs: gen.ms,
      reused: gen.reused,
      documents: index.docs.length,
      tokens: n,
      counted: index.countedTotal,
      // The count alone: loading the 2.2M-word vocabulary here would leave it in memory for every query
      // measured below, as no reader's session has it before a wildcard, regex or frequency list.
      types: index.wordCount,
    },
    indexing: {
      readMs,
      tokeniseMs,
      mergeMs,
      postingsMs,
      saveMs,
      totalMs,
      tokensPerSecond: { tokenising: n / (tokeniseMs / 1000), indexing: n / ((mergeMs + postingsMs) / 1000), total: n / (totalMs / 1000) },
      cpuMs: { tokenising: cpuTokenise, indexing: cpuIndexing, total: cpuTotal },
      tokensPerCpuSecond: { tokenising: n / (cpuTokenise / 1000), indexing: n / (cpuIndexing / 1000), total: n / (cpuTotal / 1000) },
      segments,
      mergeSegmentsMs,
      // The pool stays on the calling thread below 2M characters (app/text/pool.ts).
      threads: gen.bytes < 2_000_000 ? 1 : Math.min(availableParallelism(), gen.files),
    },
    memory: {
      buildPeakRssBytes,
      peakRssBytes: 0,
      baselineRssBytes: baselineRss,
      residentRssBytes: 0,
      residentDeltaBytes: 0,
      bytesPerToken: 0,
      heapUsedBytes: 0,
      arrayBuffersBytes: 0,
    },
    disk,
    coldOpen: { ok: false, error: 'not run' },
    cold: [],
    queries: {},
    targets: [],
    profiles: {},
    errors,
  };
  save(result);

  // The build leaves gigabytes of garbage; collect it now, or a full collection of it lands inside
  // some query's timing (a reader's session queries a freshly opened index, with no such garbage).
  collectGarbage();
  const profiles: Record<string, ProfileSummary> = result.profiles;
  const measure = async (id: string, label: string, query: string, fn: () => number, repeat = runs) => {
    log(`measuring ${id}`);
    try {
      const { timing, cpu, result: hits } = timeRuns(repeat, fn);
      result.queries[id] = { label, query, hits, ...timing, cpu } satisfies QueryMeasure;
      if (profileIds.has(id)) {
        mkdirSync(profileDir, { recursive: true });
        const p = await profiled(join(profileDir, `${id}-${label.replace(/\W+/g, '_')}-${n}.cpuprofile`), fn);
        profiles[id] = p.summary;
      }
    } catch (e) {
      errors.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    save(result);
  };
  const kwic = (query: string) => () => kwicPage(index, { query, limit: 50 }).hits;

  await measure('kwic.the', `KWIC first page: ${WORDS.frequent}`, WORDS.frequent, kwic(WORDS.frequent));
  await measure('kwic.mid', `KWIC first page: ${WORDS.mid}`, WORDS.mid, kwic(WORDS.mid));
  await measure('kwic.rare', `KWIC first page: ${WORDS.rare}`, WORDS.rare, kwic(WORDS.rare));
  await measure('phrase.of-the', 'phrase: of the', 'of the', kwic('of the'));
  await measure('phrase.in-order-to', 'phrase: in order to', 'in order to', kwic('in order to'));
  await measure('wildcard.inter', 'wildcard: inter*', 'inter*', kwic('inter*'));
  await measure('regex.ness', 'regex: /.*ness/', '/.*ness/', kwic('/.*ness/'));
  await measure('colloc.the', `collocates: ${WORDS.frequent}`, WORDS.frequent, () => collocations(index, { query: WORDS.frequent }).hits);
  await measure(
    'colloc.mid',
    `collocates: ${WORDS.collocMid}`,
    WORDS.collocMid,
    () => collocations(index, { query: WORDS.collocMid }).hits,
  );
  await measure(
    'sort.the.R1',
    `sort all hits of ${WORDS.frequent} by R1`,
    WORDS.frequent,
    () => prepareHits(index, { query: WORDS.frequent, sort: ['R1'] }).hits.starts.length,
  );
  await measure('freq.all', 'frequency list, all words', '', () => frequencyList(index, { limit: 0 }).rows.length);
  // Scrolling deep into a concordance: the hit list is prepared once (the Engine caches it), then paged.
  const preparedThe = prepareHits(index, { query: WORDS.frequent });
  const deep = Math.max(0, Math.min(DEEP_OFFSET, preparedThe.hits.starts.length - 50));
  await measure('kwic.deep', `KWIC page at offset ${deep.toLocaleString('en')}: ${WORDS.frequent}`, WORDS.frequent, () => {
    const page = pageOf(index, { query: WORDS.frequent, offset: deep, limit: 50 }, preparedThe);
    return page.lines.length && page.hits;
  });

  collectGarbage();
  const mem = process.memoryUsage();
  result.memory = {
    buildPeakRssBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes: baselineRss,
    residentRssBytes: mem.rss,
    residentDeltaBytes: mem.rss - baselineRss,
    bytesPerToken: (mem.rss - baselineRss) / n,
    heapUsedBytes: mem.heapUsed,
    arrayBuffersBytes: mem.arrayBuffers,
  };
  save(result);

  if (indexFile) {
    log('cold open in a fresh process');
    result.coldOpen = await coldOpen(corpusDir, indexDir, n);
    if (!result.coldOpen.ok) errors.push(`cold open: ${result.coldOpen.error}`);
  } else result.coldOpen = { ok: false, error: 'no saved index to open' };
  save(result);

  if (indexFile) {
    const coldRuns = parseCount('cold-runs', values['cold-runs'], 5);
    log(`first queries of each kind, ${coldRuns} fresh processes each`);
    result.cold = await coldQueries(corpusDir, indexDir, n, coldRuns, errors);
    save(result);
  }

  // Last: the passage index is built on first use and is by far the largest lazy structure.
  if (!values['no-passages']) {
    const passages = new PassageSearch(index);
    await measure(
      'passages',
      `FlexSearch passages (first run builds): ${PASSAGE_QUERY}`,
      PASSAGE_QUERY,
      () => passages.search(PASSAGE_QUERY, 20).length,
    );
  }
  result.memory.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  result.targets = checkTargets(result);
  writeFileSync(join(dir, `results-${label}.json`), JSON.stringify(result, null, 1));
  rmSync(partialFile, { force: true });
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(formatReport(result) + '\n');
}

/**
 * Each query of COLD_QUERIES in `runs` fresh processes (the page cache emptied first where allowed):
 * the engine's time to the first KWIC page, spawn to answer, and the same query repeated in that process.
 */
async function coldQueries(corpusDir: string, indexDir: string, tokens: number, runs: number, errors: string[]): Promise<ColdQuery[]> {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const out: ColdQuery[] = [];
  for (const q of COLD_QUERIES) {
    const first: number[] = [];
    const spawned: number[] = [];
    const repeat: number[] = [];
    let hits = 0;
    let dropped = true;
    for (let k = 0; k < runs; k++) {
      dropped = dropPageCache() && dropped;
      const r = await coldOpen(corpusDir, indexDir, tokens, {
        query: q.query,
        ...(q.caseSensitive ? { caseSensitive: true } : {}),
        repeat: true,
      });
      if (!r.ok) {
        errors.push(`${q.id}: ${r.error}`);
        break;
      }
      first.push(r.firstQueryMs);
      spawned.push(r.spawnToAnswerMs);
      repeat.push(r.repeatQueryMs ?? NaN);
      hits = r.hits;
    }
    if (first.length === 0) continue;
    out.push({
      id: q.id,
      label: q.label,
      query: q.query,
      hits,
      runs: first.length,
      pageCacheDropped: dropped,
      firstMs: median(first),
      spawnToAnswerMs: median(spawned),
      repeatMs: median(repeat),
    });
    log(`${q.id} ${q.query}: ${hits} hits, first ${median(first).toFixed(0)} ms, repeat ${median(repeat).toFixed(1)} ms`);
  }
  return out;
}

main().then(
  () => {
    stopLauncher();
    process.exit(0);
  },
  (e: unknown) => {
    stopLauncher();
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
