/** The one JSON object `npm run bench -- --json` prints. Times in ms, sizes in bytes. */
import type { ProfileSummary } from './profile.js';
import type { TargetCheck } from './targets.js';
import type { Timing } from './timing.js';

export interface QueryMeasure extends Timing {
  label: string;
  query: string;
  /** Hits (or rows, or passages) the measured call produced. */
  hits: number;
  /** The same runs in CPU time of this process (unaffected by other processes on a shared machine). */
  cpu: Timing;
}

export type ColdOpen =
  | {
      ok: true;
      query: string;
      hits: number;
      /** Engine open (saved index) + first KWIC page, excluding Node/tsx start-up and module loading. */
      openAndQueryMs: number;
      openMs: number;
      firstQueryMs: number;
      /** The same query once more in the same process, when asked for (--repeat). */
      repeatQueryMs?: number;
      importMs: number;
      /** From the child's process start to its answer. */
      processStartToAnswerMs: number;
      /** From spawning the child to reading its answer (everything a user waits for at launch). */
      spawnToAnswerMs: number;
      rssBytes: number;
      residentDeltaBytes: number;
      bytesPerToken: number;
      /** After running every benchmark query once more in that process (GC'd): memory while querying. */
      queriesMs: number;
      rssAfterQueriesBytes: number;
      residentDeltaAfterQueriesBytes: number;
      bytesPerTokenAfterQueries: number;
      arrayBuffersAfterQueriesBytes: number;
    }
  | { ok: false; error: string };

/** One query of the comparison set, first in a fresh process: medians over `runs` processes. */
export interface ColdQuery {
  id: string;
  label: string;
  query: string;
  hits: number;
  runs: number;
  /** True when the kernel's page cache was emptied before every run (the index read from disk). */
  pageCacheDropped: boolean;
  /** The engine's time to the first KWIC page (counting every hit), from the opened saved index. */
  firstMs: number;
  spawnToAnswerMs: number;
  /** The same query repeated in that process. */
  repeatMs: number;
}

export interface BenchResult {
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string; heapLimitBytes: number };
  params: { tokens: number; runs: number; fileBytes: number; dir: string };
  corpus: {
    files: number;
    bytes: number;
    brownWords: number;
    copies: number;
    generateMs: number;
    reused: boolean;
    documents: number;
    tokens: number;
    counted: number;
    types: number;
  };
  indexing: {
    readMs: number;
    tokeniseMs: number;
    mergeMs: number;
    postingsMs: number;
    saveMs: number;
    /**
     * Raw text to searchable: reading + tokenising + merging + postings (saving excluded); for a corpus
     * indexed in segments, until the segments are merged and the index opened.
     */
    totalMs: number;
    tokensPerSecond: { tokenising: number; indexing: number; total: number };
    /** CPU time (all threads) of the same phases: tokens per CPU-second, whatever else the machine ran. */
    cpuMs: { tokenising: number; indexing: number; total: number };
    tokensPerCpuSecond: { tokenising: number; indexing: number; total: number };
    /** Threads the engine tokenised on (its worker pool size). */
    threads: number;
    /** Segments the corpus was indexed in (0: one build), and the time to merge and open them. */
    segments?: number;
    mergeSegmentsMs?: number;
  };
  memory: {
    /** Peak resident memory of the process when the index was built and opened, before any query. */
    buildPeakRssBytes?: number;
    peakRssBytes: number;
    baselineRssBytes: number;
    residentRssBytes: number;
    residentDeltaBytes: number;
    bytesPerToken: number;
    heapUsedBytes: number;
    arrayBuffersBytes: number;
  };
  disk: { indexBytes: number; bytesPerToken: number; saved: boolean; error?: string };
  coldOpen: ColdOpen;
  cold: ColdQuery[];
  queries: Record<string, QueryMeasure>;
  targets: TargetCheck[];
  profiles: Record<string, ProfileSummary>;
  errors: string[];
}
