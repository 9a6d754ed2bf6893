/**
 * Worker thread entry for PDF reading. pdfjs sometimes leaves an internal promise rejected with no
 * handler when a file is damaged; here, in a thread that does nothing else, that is harmless noise,
 * whereas in the engine's thread it would count as a crash.
 */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from './limits.js';
import { extractPdfInThread } from './pdf.js';

process.on('unhandledRejection', () => {});

parentPort!.on('message', async (msg: { id: number; bytes: Uint8Array }) => {
  let result;
  try {
    result = await extractPdfInThread(msg.bytes);
  } catch (e) {
    result = { ok: false as const, reason: `cannot read the PDF (${errorMessage(e)})` };
  }
  parentPort!.postMessage({ id: msg.id, result });
});
