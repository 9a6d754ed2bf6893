/**
 * PDFs are read in one long-lived worker thread, one file at a time. The thread isolates pdfjs:
 * a file that makes it hang is stopped at a time limit, one that needs too much memory kills only
 * the thread, and its stray promise rejections stay there. The thread is made again on demand,
 * and lets the process exit while idle.
 *
 * A corpus is read on reader threads (../reader-pool.ts), which give every format this isolation;
 * there a PDF is read in that same thread instead, so this pool serves only direct calls of extract().
 */
import { Worker } from 'node:worker_threads';
import { MB, errorMessage } from './limits.js';
import { extractPdfInThread } from './pdf.js';
import type { ExtractResult } from './types.js';

export interface PdfPoolOptions {
  /** Time allowed for one file; default 120 s plus 2 s per MB. */
  timeoutMs?: number;
}

const IDLE_MS = 120_000;
const HEAP_MB = 2048;

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
let queue: Promise<unknown> = Promise.resolve();
let inThisThread = false;

/** Called by a reader thread: PDFs are read in the calling thread, which is already isolated and watched. */
export function readPdfsInThisThread(): void {
  inThisThread = true;
}

function workerUrl(): URL {
  // Under tsx or vitest the worker needs the TypeScript loader too: the .mjs bootstrap registers it.
  return new URL(import.meta.url.endsWith('.ts') ? './pdf-worker-boot.mjs' : './pdf-worker.js', import.meta.url);
}

function stop(w: Worker | undefined) {
  if (!w) return;
  if (worker === w) worker = undefined;
  void w.terminate().catch(() => {});
}

function run(bytes: Uint8Array, timeoutMs: number): Promise<ExtractResult> {
  if (idleTimer) clearTimeout(idleTimer);
  const w = (worker ??= new Worker(workerUrl(), { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } }));
  w.ref();
  const id = nextId++;
  return new Promise<ExtractResult>((resolve) => {
    const done = (r: ExtractResult, broken: boolean) => {
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if (broken) stop(w);
      else {
        w.unref();
        idleTimer = setTimeout(() => stop(w), IDLE_MS);
        idleTimer.unref();
      }
      resolve(r);
    };
    const onMessage = (m: { id: number; result: ExtractResult }) => {
      if (m.id === id) done(m.result, false);
    };
    const onError = (e: Error) => {
      const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      done({ ok: false, reason: oom ? `the PDF needs more than ${HEAP_MB} MB of memory to read` : `the PDF reader failed (${errorMessage(e)})` }, true);
    };
    const onExit = (code: number) => done({ ok: false, reason: `the PDF reader stopped unexpectedly (exit ${code})` }, true);
    const timer = setTimeout(
      () => done({ ok: false, reason: `reading the PDF took longer than ${Math.round(timeoutMs / 1000)} s; it was stopped` }, true),
      timeoutMs,
    );
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage({ id, bytes });
  });
}

/** Reads a PDF in the worker thread; calls are queued, so one file is read at a time. */
export function extractPdf(bytes: Uint8Array, opts: PdfPoolOptions = {}): Promise<ExtractResult> {
  if (inThisThread) return extractPdfInThread(bytes);
  const timeoutMs = opts.timeoutMs ?? 120_000 + (2000 * bytes.length) / MB;
  const job = queue.then(() => run(bytes, timeoutMs)).catch((e) => ({ ok: false as const, reason: `the PDF reader could not start (${errorMessage(e)})` }));
  queue = job;
  return job;
}
