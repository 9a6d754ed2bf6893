/**
 * Worker thread entry: tokenises documents sent by the pool and transfers the columns back.
 */
import { parentPort } from 'node:worker_threads';
import { tokenise } from './tokenise.js';

parentPort!.on('message', (msg: { id: number; text: string }) => {
  try {
    const b = tokenise(msg.text);
    parentPort!.postMessage({ id: msg.id, batch: b }, [
      b.form.buffer, b.lemma.buffer, b.pos.buffer, b.kind.buffer, b.start.buffer, b.end.buffer,
      b.sentenceStart.buffer, b.paragraphStart.buffer,
    ] as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message });
  }
});
