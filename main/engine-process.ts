/**
 * Entry point of the engine's utility process: one Engine, the shared handlers (payloads are
 * validated again here: main's check is not the only one), answering main over process.parentPort.
 * Main passes the index folder in LOUPE_CACHE_DIR and the bundled corpus in LOUPE_BUNDLED_CORPUS
 * (both read by app/indexing/open.ts), and the folder for projects in LOUPE_DATA_DIR (Electron's
 * userData, which only main can ask for), so nothing here depends on how the child's argv is laid out.
 */
import { Engine } from '../app/engine.js';
import { createHandlers } from '../app/host/handlers.js';
import { serveEngine } from '../app/host/engine-link.js';

const parentPort = process.parentPort;
if (!parentPort) {
  process.stderr.write('engine-process: run this through Electron utilityProcess.fork\n');
  process.exit(2);
}
const engine = new Engine({ dataDir: process.env.LOUPE_DATA_DIR, passagesOnOpen: true });
serveEngine(
  {
    send: (message) => parentPort.postMessage(message),
    receive: (listener) => parentPort.on('message', (event) => listener(event.data)),
  },
  createHandlers(engine),
  (listener) => engine.onProgress(listener),
);
