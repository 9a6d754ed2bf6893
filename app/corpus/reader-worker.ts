/**
 * A reader thread (see reader-pool.ts): reads one file at a time with the format extractors and
 * replies with the result, which the pool copies back. The pool watches the time and the heap; this
 * side only reads.
 */
import { parentPort } from 'node:worker_threads';
import { extract } from './formats/index.js';
import { readPdfsInThisThread } from './formats/pdf-pool.js';
import { htmlToText } from './html.js';
import type { ReaderReply, ReaderRequest } from './reader-pool.js';

// pdfjs can leave an internal promise rejected with no handler on a damaged file; in a thread that
// only reads, that is noise, not a reason to stop.
process.on('unhandledRejection', () => {});
// This thread is already isolated and watched: a PDF is read here rather than on a thread of its own.
readPdfsInThisThread();

const port = parentPort!;
const reply = (m: ReaderReply) => port.postMessage(m);

port.on('message', async (m: ReaderRequest & { id: number }) => {
  let result: unknown;
  try {
    result = m.kind === 'extract' ? await extract(m.name, m.bytes, m.opts) : htmlToText(m.text);
  } catch (e) {
    return reply({ id: m.id, failed: `cannot read: ${e instanceof Error ? e.message : String(e)}` });
  }
  try {
    reply({ id: m.id, result });
  } catch (e) {
    reply({ id: m.id, failed: `the reader's result could not be passed on (${e instanceof Error ? e.message : String(e)}); skipped` });
  }
});

reply({ ready: true });
