/**
 * Joining the tokeniser's per-document columns into the corpus's, on a helper thread while the
 * merging thread interns forms and lemmas. The merging thread hands each document over as soon as
 * its form and lemma ids are known; the helper maps and copies it. Most of the copying's cost is the
 * kernel supplying fresh pages (1.9 GB of columns at 100M tokens), which the second core, idle after
 * tokenising, now pays.
 */
import { Worker } from 'node:worker_threads';
import { LoupeFailure } from '../contract/errors.js';
import type { TokenBatch } from '../text/tokenise.js';
import { PARAGRAPH_START, SENTENCE_START } from '../index/flags.js';
// Types only: the helper thread must not load the store (and with it wink-nlp).
import type { StoreColumns } from '../index/store.js';

/** One document's columns as the tokeniser made them, with its local -> corpus id maps. */
export type DocumentPart = Pick<TokenBatch, 'form' | 'lemma' | 'pos' | 'kind' | 'start' | 'end' | 'sentenceStart' | 'paragraphStart'> & {
  /** Where the document's first token goes. */
  at: number;
  formMap: Uint32Array;
  lemmaMap: Uint32Array;
};

export type JoinedColumns = Pick<StoreColumns, 'form' | 'lemma' | 'pos' | 'kind' | 'start' | 'end' | 'flags'>;

export function allocateColumns(total: number): JoinedColumns {
  return {
    form: new Uint32Array(total),
    lemma: new Uint32Array(total),
    pos: new Uint8Array(total),
    kind: new Uint8Array(total),
    start: new Uint32Array(total),
    end: new Uint32Array(total),
    flags: new Uint8Array(total),
  };
}

export function joinPart(cols: JoinedColumns, p: DocumentPart): void {
  copyMapped(cols.form, p.at, p.form, p.formMap);
  copyMapped(cols.lemma, p.at, p.lemma, p.lemmaMap);
  cols.pos.set(p.pos, p.at);
  cols.kind.set(p.kind, p.at);
  cols.start.set(p.start, p.at);
  cols.end.set(p.end, p.at);
  joinFlags(cols.flags, p.at, p.sentenceStart, p.paragraphStart);
}

function copyMapped(dst: Uint32Array, at: number, src: Uint32Array, map: Uint32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) dst[at + i] = map[src[i]!]!;
}

function joinFlags(dst: Uint8Array, at: number, sentence: Uint8Array, paragraph: Uint8Array): void {
  const n = sentence.length;
  for (let i = 0; i < n; i++) dst[at + i] = (sentence[i] ? SENTENCE_START : 0) | (paragraph[i] ? PARAGRAPH_START : 0);
}

/** An array whose buffer is its own can be handed over; a view into a larger one is copied first. */
function ownBuffer<A extends Uint8Array | Uint32Array>(a: A): A {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice()) as A;
}

const PART_ARRAYS = ['form', 'lemma', 'formMap', 'lemmaMap', 'pos', 'kind', 'start', 'end', 'sentenceStart', 'paragraphStart'] as const;

function workerUrl(): URL {
  // Under tsx or vitest the helper needs the TypeScript loader too: the .mjs bootstrap registers it.
  return new URL(import.meta.url.endsWith('.ts') ? './concat-worker-boot.mjs' : './concat-worker.js', import.meta.url);
}

/**
 * joinPart on a helper thread. Each part's buffers are handed over (the caller must not use them
 * again); the joined columns come back the same way, without a copy.
 */
export class ColumnJoiner {
  private readonly worker: Worker;
  private readonly done: Promise<JoinedColumns>;

  constructor(total: number) {
    this.worker = new Worker(workerUrl());
    this.done = new Promise((resolve, reject) => {
      const fail = (why: string) => reject(new LoupeFailure('E_INTERNAL', `Joining the index columns failed: ${why}`));
      this.worker.once('message', (m: { columns?: JoinedColumns; error?: string }) => {
        if (m.columns) resolve(m.columns);
        else fail(m.error ?? 'no columns');
      });
      this.worker.once('error', (e) => fail(e.message));
      this.worker.once('exit', (code) => fail(`the helper thread stopped (${code})`));
    });
    // Nobody may be waiting yet when the helper fails; finish() reports it.
    this.done.catch(() => undefined);
    this.worker.postMessage({ total });
  }

  add(part: DocumentPart): void {
    const owned = { ...part };
    for (const k of PART_ARRAYS) (owned as Record<string, unknown>)[k] = ownBuffer(part[k]);
    // A buffer behind two of the arrays is handed over once.
    const transfer = new Set(PART_ARRAYS.map((k) => owned[k].buffer as ArrayBuffer));
    this.worker.postMessage({ part: owned }, [...transfer]);
  }

  /** Stops the helper when the merge fails before finishing. */
  abandon(): void {
    void this.worker.terminate();
  }

  async finish(): Promise<JoinedColumns> {
    this.worker.postMessage({ finish: true });
    try {
      return await this.done;
    } finally {
      void this.worker.terminate();
    }
  }
}
