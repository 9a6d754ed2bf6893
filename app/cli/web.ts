/**
 * `npm run web`: Loupe in the browser. Reads the options, builds the renderer if nobody has, starts
 * the web host (app/host/web-host.ts) and prints one line with its URL; SIGINT or SIGTERM closes the
 * host and its engine process.
 */
import { pathToFileURL } from 'node:url';
import { ensureRendererBuilt } from '../host/renderer-dist.js';
import { startWebHost, type WebHostOptions } from '../host/web-host.js';
import { parseArgs, type OptionGrammar } from './args.js';

const USAGE = 'Usage: npm run web -- [--port N] [--corpus PATH]... [--language CODE] [--stem] [--index DIR] [--data DIR] [--watch]\n';

const WEB_GRAMMAR: OptionGrammar = {
  flags: new Set(['help', 'stem', 'watch']),
  lists: new Set(['corpus']),
  values: new Set(['port', 'index', 'data', 'language']),
};

/** The host's options from the command line; null when it asks for help. */
export function webHostOptions(argv: string[]): WebHostOptions | null {
  const { options, lists } = parseArgs(argv, WEB_GRAMMAR);
  if (options.help === true) return null;
  const text = (name: string): string | undefined => {
    const v = options[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${String(options.port)}`);
  const indexDir = text('index');
  const dataDir = text('data');
  const language = text('language');
  return {
    port,
    ...(lists.corpus ? { corpus: lists.corpus } : {}),
    ...(indexDir ? { indexDir } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(language ? { language } : {}),
    ...(options.stem === true ? { stem: true } : {}),
    ...(options.watch === true ? { watch: true } : {}),
  };
}

async function main(argv: string[]): Promise<void> {
  const options = webHostOptions(argv);
  if (options === null) {
    process.stdout.write(USAGE);
    return;
  }
  await ensureRendererBuilt();
  const host = await startWebHost(options);
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
