/**
 * Cold open, run as a fresh process by bench/run.ts: open the corpus through the Engine (which must
 * find the saved index) and answer one KWIC query (printing `answered`), then print one JSON line and exit.
 *
 *   node dist/cli/cold-open.js --corpus DIR --index-dir DIR --query QUERY [--case-sensitive] [--repeat]
 *
 * bench/run.ts runs it compiled, as the `loupe` command runs (scripts/build-cli.mjs builds it beside
 * the engine's bundle, dist/cli/engine.js, which the import below then loads); from the sources it
 * runs as `node --import tsx bench/cold-open.ts ...`. Times are from this process's start
 * (performance.now() counts from it), split into loading the engine's modules and the engine's own
 * work. If the engine starts tokenising (no usable saved index), it is cancelled: a cold open must
 * never re-index.
 *
 * With --repeat, the same query is timed once more in the same process (the repeat figure beside the
 * cold one). With --then-queries, after the first answer it runs every query of the benchmark once through the
 * same engine and reports the resident size then: memory while querying, as a reader's session has it
 * (the app always queries a saved index it opened; see bench/run.ts for why the building process is not
 * the measure).
 */
import { parseArgs } from 'node:util';

const atStart = performance.now();
const rssAtStart = process.memoryUsage().rss;

async function main(): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      'index-dir': { type: 'string' },
      query: { type: 'string' },
      'case-sensitive': { type: 'boolean' },
      repeat: { type: 'boolean' },
      'then-queries': { type: 'boolean' },
    },
  });
  if (!values.corpus || !values['index-dir'] || !values.query) throw new Error('usage: --corpus DIR --index-dir DIR --query WORD');
  const { Engine } = await import('../app/engine.js');
  const imported = performance.now();
  const rssAfterImports = process.memoryUsage().rss;
  const engine = new Engine({ indexDir: values['index-dir'] });
  let reindexing = false;
  engine.onProgress((p) => {
    if (p.phase === 'tokenising' && !reindexing) {
      reindexing = true;
      void engine.cancelIndexing();
    }
  });
  const opened = await engine.openCorpus({ paths: [values.corpus] });
  const openedAt = performance.now();
  if (!opened.ok) return { ok: false, error: reindexing ? 'no usable saved index: the engine started re-indexing' : opened.error.message };
  if (!opened.value.reused) return { ok: false, error: 'the saved index was not reused' };
  const request = { query: values.query, limit: 50, ...(values['case-sensitive'] ? { caseSensitive: true } : {}) };
  const page = await engine.kwic(request);
  const answered = performance.now();
  if (!page.ok) return { ok: false, error: page.error.message };
  let repeatQueryMs: number | undefined;
  if (values.repeat) {
    // The same query again in the same process: what the reader's second look costs.
    const t = performance.now();
    const again = await engine.kwic(request);
    repeatQueryMs = performance.now() - t;
    if (!again.ok) return { ok: false, error: again.error.message };
  }
  // The parent times spawn-to-answer from this line; the figures follow after the query set.
  process.stdout.write('answered\n');
  const rss = process.memoryUsage().rss;
  let afterQueries: Record<string, number> = {};
  if (values['then-queries']) {
    const t0 = performance.now();
    const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    for (const q of ['the', 'irregularities', 'of the', 'in order to', 'inter*', '/.*ness/'])
      must(await engine.kwic({ query: q, limit: 50 }));
    must(await engine.colloc({ query: 'the' }));
    must(await engine.colloc({ query: 'said' }));
    must(await engine.kwic({ query: 'the', sort: ['R1'], limit: 50 }));
    must(await engine.freq({ limit: 0 }));
    must(await engine.kwic({ query: 'the', offset: 500_000, limit: 50 }));
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    afterQueries = {
      queriesMs: performance.now() - t0,
      rssAfterQueriesBytes: m.rss,
      residentDeltaAfterQueriesBytes: m.rss - rssAfterImports,
      arrayBuffersAfterQueriesBytes: m.arrayBuffers,
      heapUsedAfterQueriesBytes: m.heapUsed,
    };
  }
  return {
    ...afterQueries,
    ok: true,
    query: values.query,
    hits: page.value.hits,
    lines: page.value.lines.length,
    tokens: opened.value.tokens,
    scriptStartMs: atStart,
    importMs: imported - atStart,
    openMs: openedAt - imported,
    firstQueryMs: answered - openedAt,
    ...(repeatQueryMs !== undefined ? { repeatQueryMs } : {}),
    openAndQueryMs: answered - imported,
    processStartToAnswerMs: answered,
    rssAtStartBytes: rssAtStart,
    rssAfterImportsBytes: rssAfterImports,
    rssBytes: rss,
    residentDeltaBytes: rss - rssAfterImports,
  };
}

main().then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (e: unknown) => {
    process.stdout.write(JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) }) + '\n');
    process.exit(1);
  },
);
