/**
 * Tokenising across worker threads, so both cores work. Small inputs are tokenised in-thread:
 * starting a worker and loading the language model costs more than a chapter takes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LoupeFailure } from '../contract/errors.js';
import { tokenise, type TokenBatch } from './tokenise.js';
import type { WorkerReply } from './worker.js';

export interface TokeniseOptions {
  /** Called after each document with the number done. */
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
  /** Below this many characters in all, stay on this thread. */
  inThreadBelow?: number;
  threads?: number;
  /** Each text's language (see tokenise); absent: English. */
  languages?: ReadonlyArray<string | undefined>;
}

function workerUrl(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  const isTs = here.endsWith('.ts');
  // Under tsx or vitest the worker needs the TypeScript loader too: the .mjs bootstrap registers it.
  const url = new URL(isTs ? './worker-boot.mjs' : './worker.js', here);
  return { url, execArgv: [] };
}

export async function tokeniseAll(texts: string[], opts: TokeniseOptions = {}): Promise<TokenBatch[]> {
  const totalChars = texts.reduce((a, t) => a + t.length, 0);
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), texts.length));
  const out: TokenBatch[] = new Array(texts.length);
  if (totalChars < (opts.inThreadBelow ?? 2_000_000) || threads === 1) {
    for (let i = 0; i < texts.length; i++) {
      if (opts.signal?.aborted) throw new LoupeFailure('E_CANCELLED', 'Indexing was cancelled.');
      out[i] = tokenise(texts[i]!, opts.languages?.[i]);
      opts.onProgress?.(i + 1);
      // Let progress events and cancellation through between documents.
      if (i % 8 === 7) await new Promise((r) => setImmediate(r));
    }
    return out;
  }
  const { url, execArgv } = workerUrl();
  const workers = Array.from({ length: threads }, () => new Worker(url, { execArgv }));
  // Largest documents first keeps both threads busy to the end.
  const order = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            // Two documents in flight per worker: the next one is already queued when a worker replies,
            // so it never waits for this thread to handle the reply.
            let inFlight = 0;
            const send = () => {
              if (opts.signal?.aborted) return reject(new LoupeFailure('E_CANCELLED', 'Indexing was cancelled.'));
              while (inFlight < 2 && next < order.length) {
                const id = order[next++]!;
                inFlight++;
                w.postMessage({ id, text: texts[id], language: opts.languages?.[id] });
              }
              if (inFlight === 0) resolve();
            };
            // This worker's tables as far as its replies have told them.
            const forms: string[] = [];
            const lemmas: string[] = [];
            w.on('message', (m: WorkerReply) => {
              if (m.error || !m.batch || !m.batch.origin) return reject(new LoupeFailure('E_INTERNAL', `Tokeniser failed: ${m.error}`));
              for (const f of m.newForms ?? []) forms.push(f);
              for (const l of m.newLemmas ?? []) lemmas.push(l);
              const { origin } = m.batch;
              out[m.id] = {
                ...m.batch,
                forms: Array.from(origin.forms, (e) => forms[e]!),
                lemmas: Array.from(origin.lemmas, (e) => lemmas[e]!),
              };
              inFlight--;
              opts.onProgress?.(++done);
              send();
            });
            w.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
