/**
 * Worker thread entry: tokenises documents sent by the pool and transfers the columns back. The
 * strings of a batch's local tables are not sent with it: the pool keeps a copy of this thread's
 * tables, so each message carries only the keys the thread has made since its last one.
 */
import { parentPort } from 'node:worker_threads';
import { threadTables, tokenise, type TokenBatch } from './tokenise.js';

/** What one message from a tokenising worker holds. */
export interface WorkerReply {
  id: number;
  batch?: Omit<TokenBatch, 'forms' | 'lemmas'> & { forms: []; lemmas: [] };
  /** Keys added to the thread's tables since the previous reply, in entry order. */
  newForms?: string[];
  newLemmas?: string[];
  error?: string;
}

let sentForms = 0;
let sentLemmas = 0;

parentPort!.on('message', (msg: { id: number; text: string; language?: string }) => {
  try {
    const b = tokenise(msg.text, msg.language);
    const t = threadTables();
    const reply: WorkerReply = {
      id: msg.id,
      batch: { ...b, forms: [], lemmas: [] },
      newForms: t.forms.slice(sentForms),
      newLemmas: t.lemmas.slice(sentLemmas),
    };
    sentForms = t.forms.length;
    sentLemmas = t.lemmas.length;
    const transfer = [b.form, b.lemma, b.pos, b.kind, b.start, b.end, b.sentenceStart, b.paragraphStart];
    if (b.origin) transfer.push(b.origin.forms, b.origin.lemmas);
    parentPort!.postMessage(
      reply,
      transfer.map((a) => a.buffer as ArrayBuffer),
    );
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message } satisfies WorkerReply);
  }
});
