/** Helper thread for app/indexing/concat.ts: joins the document parts it is handed, then hands the columns back. */
import { parentPort } from 'node:worker_threads';
import { allocateColumns, joinPart, type DocumentPart, type JoinedColumns } from './concat.js';

let columns: JoinedColumns | undefined;

parentPort!.on('message', (m: { total?: number; part?: DocumentPart; finish?: boolean }) => {
  try {
    if (m.total !== undefined) columns = allocateColumns(m.total);
    else if (m.part) joinPart(columns!, m.part);
    else if (m.finish) {
      const c = columns!;
      parentPort!.postMessage(
        { columns: c },
        [c.form, c.lemma, c.pos, c.kind, c.start, c.end, c.flags].map((a) => a.buffer as ArrayBuffer),
      );
      parentPort!.close();
    }
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message });
  }
});
