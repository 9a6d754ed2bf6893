/**
 * Where tokenising time goes, in three steps measured the same way: two worker threads take the
 * documents largest first and tokenise them in 20,000-character chunks, keeping nothing.
 *   stock    wink-nlp as shipped (sentence boundaries and POS, the least that gives lemmas and tags)
 *   wink     wink-nlp as Loupe opens it (app/text/wink.ts: learned words hidden from its lookups, so
 *            a text always tokenises the same way)
 *   tokenise Loupe's tokeniser (app/text/tokenise.ts): the above plus columns, lemmas, tables
 * The engine's indexing adds to the last the pool's messages and, on one thread, the merge and postings.
 *
 *   node --import tsx bench/tokeniser-floor.ts CORPUS_DIR [stock|wink|tokenise ...] [--files N]
 */
import { availableParallelism } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && !['stock', 'wink', 'tokenise'].includes(a));
if (!dir) throw new Error('usage: bench/tokeniser-floor.ts CORPUS_DIR [stock|wink|tokenise ...] [--files N]');
const modes = args.filter((a) => ['stock', 'wink', 'tokenise'].includes(a));
const filesAt = args.indexOf('--files');
const limit = filesAt >= 0 ? Number(args[filesAt + 1]) : Infinity;
const texts = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .slice(0, limit)
  .map((f) => readFileSync(join(dir, f), 'utf8'))
  .sort((a, b) => b.length - a.length);

async function measure(mode: string): Promise<object> {
  const workers = Array.from(
    { length: availableParallelism() },
    () => new Worker(new URL('./floor-worker.mjs', import.meta.url), { workerData: { mode } }),
  );
  // Each thread loads the model before the clock starts.
  await Promise.all(workers.map((w) => new Promise((r) => (w.once('message', r), w.postMessage('Warm up.')))));
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let next = 0;
  let tokens = 0;
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          const send = () => (next < texts.length ? w.postMessage(texts[next++]) : resolve());
          w.on('message', (n: number) => {
            tokens += n;
            send();
          });
          send();
        }),
    ),
  );
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(workers.map((w) => w.terminate()));
  return {
    mode,
    threads: workers.length,
    documents: texts.length,
    tokens,
    wallMs: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    tokensPerSecond: Math.round((tokens / ms) * 1000),
  };
}

for (const mode of modes.length ? modes : ['stock', 'wink', 'tokenise']) process.stdout.write(`${JSON.stringify(await measure(mode))}\n`);
