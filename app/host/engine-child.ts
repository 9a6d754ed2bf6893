/**
 * Entry point of the web host's engine process (forked by engine-fork.ts): one Engine, the shared
 * handlers (payloads are validated again here: the host's check is not the only one), answering
 * the host over the IPC channel with the shared engine link. It leaves when that channel closes,
 * so a host that dies without closing it leaves no engine behind.
 */
import { Engine } from '../engine.js';
import { serveEngine } from './engine-link.js';
import type { EngineChildOptions } from './engine-fork.js';
import { createHandlers } from './handlers.js';

const send = process.send?.bind(process);
if (!send) {
  process.stderr.write('engine-child: start this with child_process.fork (see app/host/engine-fork.ts)\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));

const opts = JSON.parse(process.argv[2] ?? '{}') as EngineChildOptions;
const engine = new Engine({
  passagesOnOpen: true,
  ...(opts.indexDir === undefined ? {} : { indexDir: opts.indexDir }),
  ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
});
const handlers = createHandlers(engine);
if (opts.watch) {
  // Watching starts with the first corpus that opens (the engine moves it to any corpus opened
  // later), and is in place before that openCorpus answers. A restarted process watches again.
  let watching = false;
  const open = handlers.openCorpus;
  handlers.openCorpus = async (payload) => {
    const result = await open(payload);
    if (result.ok && !watching) watching = (await engine.watch()).ok;
    return result;
  };
}
serveEngine(
  {
    send: (message) => {
      if (process.connected) send(message);
    },
    receive: (listener) => process.on('message', listener),
  },
  handlers,
  (listener) => engine.onProgress(listener),
  (listener) => engine.onCorpusChanged(listener),
);
