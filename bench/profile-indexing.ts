/**
 * Where indexing time goes after tokenising: tokenises a benchmark corpus folder on the worker pool,
 * then profiles the single-threaded part (merging the workers' batches into one index, and the word
 * postings) and prints the functions by self time.
 *
 *   node --import tsx bench/profile-indexing.ts bench/out/corpus-100000000-1000000
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { mergeBatches } from '../app/indexing/build.js';
import { tokeniseAll } from '../app/text/pool.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/profile-indexing.ts CORPUS_DIR');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const docs = files.map((f) => ({ name: f, path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
let t = performance.now();
const batches = await tokeniseAll(
  docs.map((d) => d.text),
  {},
);
const tokeniseMs = performance.now() - t;

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
t = performance.now();
const index = mergeBatches(docs, batches);
const mergeMs = performance.now() - t;
t = performance.now();
void index.byWord;
const postingsMs = performance.now() - t;
const { profile } = (await session.post('Profiler.stop')) as unknown as {
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
};

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const f = nodes.get(id)!.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}`;
  self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]! / 1000);
});
const ms = (x: number) => Math.round(x).toLocaleString('en');
process.stdout.write(
  `${index.tokenCount.toLocaleString('en')} tokens, ${index.forms.length.toLocaleString('en')} forms, ${index.lemmas.length.toLocaleString('en')} lemmas\n` +
    `tokenise ${ms(tokeniseMs)} ms (2 workers), merge ${ms(mergeMs)} ms, word postings ${ms(postingsMs)} ms\n\n` +
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => `${ms(v).padStart(8)} ms  ${k}`)
      .join('\n') +
    '\n',
);
process.exit(0);
