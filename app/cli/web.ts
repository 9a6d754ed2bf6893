/**
 * `npm run web`: Loupe in the browser. Reads the options, builds the renderer if nobody has, starts
 * the web host (app/host/web-host.ts) and prints one line with its URL; SIGINT or SIGTERM closes the
 * host and its engine process.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureRendererBuilt } from '../host/renderer-dist.js';
import { startWebHost } from '../host/web-host.js';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      corpus: { type: 'string', multiple: true },
      index: { type: 'string' },
      data: { type: 'string' },
      language: { type: 'string' },
      stem: { type: 'boolean' },
      watch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: npm run web -- [--port N] [--corpus PATH]... [--language CODE] [--stem] [--index DIR] [--data DIR] [--watch]\n');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  await ensureRendererBuilt();
  const host = await startWebHost({
    port,
    ...(values.corpus ? { corpus: values.corpus } : {}),
    ...(values.index ? { indexDir: values.index } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values.language ? { language: values.language } : {}),
    ...(values.stem ? { stem: true } : {}),
    ...(values.watch ? { watch: true } : {}),
  });
  process.stdout.write(`Loupe is running at ${host.url}\n`);
  void host.ready.then((r) => {
    if (!r.ok) process.stderr.write(`Could not open the corpus: ${r.error.message}\n`);
  });
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`loupe web: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
