/**
 * Every format reader runs under a watchdog: on a worker thread, with a time budget and a memory
 * budget per file. A parser that hangs or blows up on a hostile file (a pattern that backtracks,
 * quadratic nesting, a bomb that gets past the size caps) costs at most its budget and that one
 * file: the thread is stopped, a fresh one takes the next file, and the file is skipped with a
 * reason. The engine's own thread never parses, so the web host and the app stay responsive, and
 * a cancel stops the threads at once.
 *
 * Plain text is not sent here: it is streamed and decoded on the calling thread (read.ts), because
 * decoding is a single linear pass over the bytes with no parsing, so no input can make it run long
 * or grow beyond the text it yields. Everything that parses (Markdown, HTML, XHTML, XML/TEI, CSV/TSV,
 * DOCX, EPUB, PDF, and the HTML of a page too large to read whole) goes through this pool.
 *
 * At most two threads, started when a corpus first has such a file and kept warm between files (and
 * for a while after, unreferenced so the process can exit). Each thread has one heap limit for its
 * life, so the memory budgets come in a few steps and a thread serves the files of its step.
 */
import { extname } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { LoupeFailure } from '../contract/errors.js';
import type { HtmlText } from './html.js';
import type { ExtractOptions, ExtractResult } from './formats/types.js';

export interface ReaderBudget {
  /** Wall-clock time for one file, from the moment a ready thread is handed it. */
  timeMs: number;
  /** The thread's heap (V8 old generation) while it reads the file. */
  memoryMb: number;
}

/** A budget in place of the default, for every file or file by file (tests make them tiny). */
export type ReaderBudgetOption = Partial<ReaderBudget> | ((name: string, size: number) => Partial<ReaderBudget> | undefined);

export type ReaderRequest =
  | { kind: 'extract'; name: string; bytes: Uint8Array; opts: ExtractOptions }
  | { kind: 'html'; text: string };

export type ReaderReply = { ready: true } | { id: number; result: unknown } | { id: number; failed: string };

const MB = 1024 * 1024;
const MAX_THREADS = 2;
/** An idle thread is kept this long for the next file (a re-read after a change, the next open). */
const IDLE_MS = 30_000;
/** A thread that has not started by then never will (its first file is skipped with the reason). */
const START_MS = 60_000;

/**
 * Default budgets by format, from timings and heap needs of honest files of each format at sizes up
 * to the extractors' own caps, with a wide margin for slower machines and two threads sharing cores.
 * Time runs from when a started thread is handed the file, so starting a thread never counts.
 * - Markup and delimited text parse at a steady rate; the base covers a thread's first file.
 * - PDF pages cost more the longer the file, and pdfjs itself loads on a thread's first PDF.
 * - DOCX and EPUB are zip archives: what is parsed is the expanded content, bounded by the zip caps
 *   in limits.ts rather than by the file's size, so their base covers a file expanding to those caps.
 * Memory: the heap an honest file needs grows with its size; the budget is a multiple of that,
 * rounded up to a power of two (the steps threads are made in), and never above the heap this thread
 * itself may use. The floor is one for every format, so that the files of an ordinary corpus share
 * one step and its threads stay warm; it is set by DOCX and EPUB files expanding to the zip caps.
 * The budget must stay far above the need: when a single large allocation (a file's whole text)
 * crosses a worker's limit, Node can abort the whole process instead of stopping the thread, which
 * happens when the limit is within a few times the file's size.
 */
const PROFILES = {
  markup: { baseMs: 5_000, msPerMb: 2_000 },
  pdf: { baseMs: 30_000, msPerMb: 10_000 },
  archive: { baseMs: 120_000, msPerMb: 10_000 },
} as const;
const FLOOR_MB = 2048;
const HEAP_PER_MB = 64;

function profileOf(name: string) {
  const ext = extname(name).toLowerCase();
  if (ext === '.pdf') return PROFILES.pdf;
  if (ext === '.docx' || ext === '.epub') return PROFILES.archive;
  return PROFILES.markup;
}

/** The heap this thread may grow to: no reader thread is given more. */
function heapCapMb(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / MB);
}

/** The budget for reading a file of this name and size. */
function defaultBudget(name: string, size: number): ReaderBudget {
  const p = profileOf(name);
  const mb = size / MB;
  let memoryMb = FLOOR_MB;
  while (memoryMb < HEAP_PER_MB * mb) memoryMb *= 2;
  return { timeMs: Math.round(p.baseMs + p.msPerMb * mb), memoryMb: Math.min(memoryMb, Math.max(heapCapMb(), FLOOR_MB)) };
}

export function budgetFor(name: string, size: number, option?: ReaderBudgetOption): ReaderBudget {
  const base = defaultBudget(name, size);
  const over = typeof option === 'function' ? option(name, size) : option;
  return { timeMs: over?.timeMs ?? base.timeMs, memoryMb: over?.memoryMb ?? base.memoryMb };
}

const seconds = (ms: number) => {
  const s = ms / 1000;
  return s >= 10 ? String(Math.round(s)) : String(Number(s.toPrecision(2)));
};
export const timeReason = (b: ReaderBudget) => `took longer than ${seconds(b.timeMs)} s to read (limit for a file of this size); skipped`;
const memoryReason = (b: ReaderBudget) => `needed more than ${b.memoryMb} MB of memory to read (limit for a file of this size); skipped`;

function workerUrl(): URL {
  // Under tsx or vitest the thread needs the TypeScript loader too: the .mjs bootstrap registers it.
  return new URL(import.meta.url.endsWith('.ts') ? './reader-worker-boot.mjs' : './reader-worker.js', import.meta.url);
}

function cancelled(): LoupeFailure {
  return new LoupeFailure('E_CANCELLED', 'Indexing was cancelled.');
}

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 200 ? m.slice(0, 200) + '…' : m;
}

type Outcome = { ok: true; value: unknown } | { ok: false; reason: string };

interface Job {
  id: number;
  request: ReaderRequest;
  transfer: ArrayBuffer[];
  budget: ReaderBudget;
  signal?: AbortSignal;
  settle: (o: Outcome) => void;
  fail: (e: unknown) => void;
  onAbort?: () => void;
  timer?: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  memoryMb: number;
  ready: boolean;
  /** The file it is reading, or is about to read once started. */
  job?: Job;
  idleTimer?: NodeJS.Timeout;
  startTimer?: NodeJS.Timeout;
}

const threads: Thread[] = [];
const queue: Job[] = [];
/** Threads started and not yet exited (terminated ones count until they are really gone). */
const live = new Set<Worker>();
let nextId = 1;

/** Reader threads still running (a stopped one counts until it has exited). */
export function readerThreads(): number {
  return live.size;
}

/** Files being read on a reader thread right now (handed to a started thread, not yet back). */
export function filesBeingRead(): number {
  return threads.filter((t) => t.job?.timer).length;
}

function kill(t: Thread): void {
  const at = threads.indexOf(t);
  if (at >= 0) threads.splice(at, 1);
  if (t.idleTimer) clearTimeout(t.idleTimer);
  if (t.startTimer) clearTimeout(t.startTimer);
  t.job = undefined;
  void t.worker.terminate().catch(() => {});
}

function finishJob(job: Job, outcome: Outcome | undefined, error?: unknown): void {
  if (job.timer) clearTimeout(job.timer);
  if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
  if (outcome) job.settle(outcome);
  else job.fail(error);
}

function spawn(memoryMb: number, job: Job): void {
  let worker: Worker;
  try {
    worker = new Worker(workerUrl(), { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
  } catch (e) {
    finishJob(job, { ok: false, reason: `the reader could not start (${message(e)}); skipped` });
    return;
  }
  const t: Thread = { worker, memoryMb, ready: false, job };
  threads.push(t);
  live.add(worker);
  // A thread that fails, runs out of memory or exits takes its file with it, with the reason.
  const lose = (reason: string) => {
    const lost = t.job;
    if (threads.includes(t)) kill(t);
    if (lost) finishJob(lost, { ok: false, reason });
    pump();
  };
  t.startTimer = setTimeout(() => lose(`the reader could not start (no answer in ${seconds(START_MS)} s); skipped`), START_MS);
  worker.on('message', (m: ReaderReply) => {
    if ('ready' in m) {
      t.ready = true;
      clearTimeout(t.startTimer);
      if (t.job) post(t, t.job);
      else pump();
      return;
    }
    const job = t.job;
    if (!job || job.id !== m.id) return;
    t.job = undefined;
    finishJob(job, 'failed' in m ? { ok: false, reason: m.failed } : { ok: true, value: m.result });
    idle(t);
    pump();
  });
  worker.on('error', (e: Error & { code?: string }) => {
    const job = t.job;
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY' && job) lose(memoryReason(job.budget));
    else lose(t.ready ? `the reader stopped with an error (${message(e)}); skipped` : `the reader could not start (${message(e)}); skipped`);
  });
  worker.on('exit', (code) => {
    live.delete(worker);
    lose(`the reader stopped unexpectedly (exit ${code}); skipped`);
  });
}

function post(t: Thread, job: Job): void {
  if (t.idleTimer) clearTimeout(t.idleTimer);
  t.idleTimer = undefined;
  t.job = job;
  t.worker.ref();
  try {
    try {
      t.worker.postMessage({ id: job.id, ...job.request }, job.transfer);
    } catch {
      // A buffer that may not be moved (a runtime may refuse some) is copied instead.
      t.worker.postMessage({ id: job.id, ...job.request });
    }
  } catch (e) {
    t.job = undefined;
    finishJob(job, { ok: false, reason: `the reader could not be given the file (${message(e)}); skipped` });
    idle(t);
    return;
  }
  job.timer = setTimeout(() => {
    kill(t);
    finishJob(job, { ok: false, reason: timeReason(job.budget) });
    pump();
  }, job.budget.timeMs);
}

/** A thread with nothing to read lets the process exit, and stops after a while. */
function idle(t: Thread): void {
  t.worker.unref();
  if (t.idleTimer) clearTimeout(t.idleTimer);
  t.idleTimer = setTimeout(() => kill(t), IDLE_MS);
  t.idleTimer.unref();
}

/**
 * Hands queued files to threads: a free thread of the file's memory step, else a new one while there
 * are fewer than the most, else a free thread of another step is remade. Steps differ only for files
 * far larger than most (see defaultBudget), whose reading outweighs starting a thread.
 */
function pump(): void {
  for (const t of threads) {
    if (!t.ready || t.job) continue;
    const at = queue.findIndex((j) => j.budget.memoryMb === t.memoryMb);
    if (at >= 0) post(t, queue.splice(at, 1)[0]!);
  }
  while (queue.length && threads.length < MAX_THREADS) {
    const job = queue.shift()!;
    spawn(job.budget.memoryMb, job);
  }
  for (const spare of threads.filter((t) => t.ready && !t.job)) {
    if (!queue.length) break;
    kill(spare);
    const job = queue.shift()!;
    spawn(job.budget.memoryMb, job);
  }
}

function submit(request: ReaderRequest, transfer: ArrayBuffer[], budget: ReaderBudget, signal?: AbortSignal): Promise<Outcome> {
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise<Outcome>((settle, fail) => {
    const job: Job = { id: nextId++, request, transfer, budget, settle, fail };
    if (signal) {
      job.signal = signal;
      // A cancel stops the threads at once: the one reading this file, and any idle one.
      job.onAbort = () => {
        const at = queue.indexOf(job);
        if (at >= 0) queue.splice(at, 1);
        for (const t of [...threads]) if (t.job === job || (t.ready && !t.job)) kill(t);
        finishJob(job, undefined, cancelled());
        pump();
      };
      signal.addEventListener('abort', job.onAbort, { once: true });
    }
    queue.push(job);
    pump();
  });
}

/** The bytes as a buffer of their own, to be moved to the thread rather than copied. */
function movable(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : new Uint8Array(bytes);
}

export interface ReaderCall {
  budget: ReaderBudget;
  signal?: AbortSignal;
}

/**
 * extract() (formats/index.ts) on a reader thread. The bytes are moved there: the caller must not
 * use them afterwards. A file over its budget, or one whose reader fails, comes back as
 * `{ ok: false, reason }`; a cancel rejects with E_CANCELLED.
 */
export async function extractInReader(name: string, bytes: Uint8Array, opts: ExtractOptions, call: ReaderCall): Promise<ExtractResult> {
  const own = movable(bytes);
  const transfer = own.byteLength ? [own.buffer as ArrayBuffer] : [];
  const o = await submit({ kind: 'extract', name, bytes: own, opts }, transfer, call.budget, call.signal);
  return o.ok ? (o.value as ExtractResult) : { ok: false, reason: o.reason };
}

/** htmlToText (html.ts) on a reader thread: the visible text of a page read as a stream. */
export async function htmlTextInReader(text: string, call: ReaderCall): Promise<{ ok: true; html: HtmlText } | { ok: false; reason: string }> {
  const o = await submit({ kind: 'html', text }, [], call.budget, call.signal);
  return o.ok ? { ok: true, html: o.value as HtmlText } : o;
}
