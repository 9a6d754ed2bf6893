/**
 * Timing, not a test: the statistics over a saved bench index (bench/out, built by `npm run bench`),
 * without re-indexing. Prints one line per measurement (first run, median and p95 of the rest) and,
 * with --json, one JSON object.
 *
 *   node --import tsx bench/stats.ts [--tokens 1e7] [--corpus DIR] [--index-dir DIR] [--runs 11] [--only colloc.mid,freq.all] [--json]
 *
 * --index-dir defaults to bench/out/index-TOKENS; the corpus folder is bench/out/corpus-TOKENS-1000000
 * (the saved index is keyed by it). If no usable saved index is there, openCorpus indexes again.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCorpus } from '../app/indexing/open.js';
import { runQuery } from '../app/query/run.js';
import { collocations, collocationsOfHits, compareTerms, dispersion, frequencyList, keywords, ngramList } from '../app/stats/index.js';
import { loadBrownReference } from '../app/stats/reference.js';
import { timeRuns } from './timing.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '1e7' },
    'index-dir': { type: 'string' },
    corpus: { type: 'string' },
    runs: { type: 'string', default: '11' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const tokens = Math.round(Number(values.tokens));
const runs = Number(values.runs);
const only = values.only ? new Set(values.only.split(',')) : undefined;
const corpusDir = values.corpus ?? join(root, 'bench/out', `corpus-${tokens}-1000000`);
const indexDir = values['index-dir'] ?? join(root, 'bench/out', `index-${tokens}`);

const t0 = performance.now();
const { index } = await openCorpus([corpusDir], { indexDir });
process.stderr.write(`opened ${index.tokenCount} tokens, ${index.words.length} word types in ${(performance.now() - t0).toFixed(0)} ms\n`);
// Postings are built on first use and belong to the query engine, not to the statistics: pay them here.
runQuery(index, 'the');

const out: Record<string, { firstMs: number; medianMs: number; p95Ms: number; cpuMedianMs: number; result: unknown }> = {};
function measure(id: string, fn: () => unknown, n = runs): void {
  if (only && !only.has(id)) return;
  const { timing, cpu, result } = timeRuns(n, fn);
  out[id] = { firstMs: timing.firstMs, medianMs: timing.medianMs, p95Ms: timing.p95Ms, cpuMedianMs: cpu.medianMs, result };
  process.stderr.write(
    `${id.padEnd(22)} first ${timing.firstMs.toFixed(1).padStart(8)}  median ${timing.medianMs.toFixed(1).padStart(8)}  p95 ${timing.p95Ms.toFixed(1).padStart(8)}  cpu median ${cpu.medianMs.toFixed(1).padStart(8)} ms  ${JSON.stringify(result)}\n`,
  );
}

measure('colloc.the', () => collocations(index, { query: 'the' }).rows.length);
measure('colloc.mid', () => collocations(index, { query: 'said' }).rows.length);
const saidHits = runQuery(index, 'said');
const theHits = runQuery(index, 'the');
measure('colloc.the.hits', () => collocationsOfHits(index, theHits, { query: 'the' }).rows.length);
measure('colloc.mid.hits', () => collocationsOfHits(index, saidHits, { query: 'said' }).rows.length);
measure('colloc.mid.all', () => collocations(index, { query: 'said', limit: 0 }).rows.length);
measure('colloc.mid.lemma', () => collocations(index, { query: 'said', by: 'lemma', sort: 'll' }).rows.length);
measure('freq.all', () => frequencyList(index, { limit: 0 }).rows.length);
measure('freq.100', () => frequencyList(index, { limit: 100 }).rows.length);
measure('freq.lemma.100', () => frequencyList(index, { by: 'lemma', limit: 100 }).rows.length);
measure('freq.term.100', () => frequencyList(index, { sort: 'term', limit: 100, offset: 1000 }).rows.length);
measure('freq.stop.100', () => frequencyList(index, { stoplist: true, limit: 100 }).rows.length);
measure('ngrams.2.100', () => ngramList(index, { n: 2, limit: 100 }).total, 3);
measure('dispersion.the', () => dispersion(index, { query: 'the' }).range);
measure('dispersion.mid', () => dispersion(index, { query: 'said' }).range);
const brown = loadBrownReference();
measure('keywords', () => keywords(index, {}, brown).positive.length);
measure('compare', () => compareTerms(index, { queries: ['said', 'government'] }).shared.length);

if (values.json) process.stdout.write(JSON.stringify({ tokens: index.tokenCount, types: index.words.length, runs, results: out }) + '\n');
