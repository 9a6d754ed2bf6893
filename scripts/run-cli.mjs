/**
 * `npm run loupe` and `npm run web`: runs the compiled command from dist/cli, compiling it first
 * (scripts/build-cli.mjs) when it is missing or any of its sources changed since.
 *
 *   node scripts/run-cli.mjs loupe|web [ARGS...]
 *
 * The command runs in this process, as if started as `node dist/cli/NAME.js ARGS...`. If it cannot
 * be compiled here (esbuild missing, dist/ not writable), it says why in one line and runs from the
 * TypeScript sources through tsx instead.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureCliBuilt } from './build-cli.mjs';

const SOURCES = { loupe: 'app/cli/main.ts', web: 'app/cli/web.ts' };
const [name, ...args] = process.argv.slice(2);
if (!Object.hasOwn(SOURCES, name)) {
  process.stderr.write(`usage: node scripts/run-cli.mjs ${Object.keys(SOURCES).join('|')} [ARGS...]\n`);
  process.exit(2);
}

let entry;
try {
  entry = (await ensureCliBuilt({ quiet: false }))[name];
} catch (e) {
  const why = String(e instanceof Error ? e.message : e).split('\n')[0];
  process.stderr.write(`Could not compile the command line (${why}); running it from the sources through tsx.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(fileURLToPath(new URL('..', import.meta.url)), SOURCES[name]);
}
// The entry sees the command line it would see when started directly (web.ts checks argv[1] is itself).
entry = realpathSync(entry);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
