#!/usr/bin/env node
/**
 * `loupe`: the engine from a terminal. Exit codes: 0 done; 2 bad usage or a bad query (the message
 * and its code on stderr); 1 anything else.
 */
import { LoupeFailure, toLoupeError, unwrap } from '../contract/errors.js';
import { SORT_KEYS, type IndexProgress, type KwicRequest, type SortKey } from '../contract/types.js';
import { Engine } from '../engine.js';
import type { CorpusIndex } from '../index/store.js';
import { intOption, matchingOption, parseArgs, type ParsedArgs } from './args.js';
import { checkFormat, delimited, oneLine, textTable, type OutputFormat } from './format.js';
import { statsCommands } from './stats-commands.js';
import { dispersion } from '../stats/index.js';
import { projectCommand, watchCommand } from './project-commands.js';
import { TXT_WORD_WIDTH, writeTokens } from './tokens.js';

const USAGE_CODES = new Set(['E_USAGE', 'E_QUERY', 'E_PAYLOAD', 'E_PATH', 'E_PROJECT']);

const HELP = `loupe: a concordancer for your own texts

Usage: npm run -s loupe -- COMMAND [ARGS] [OPTIONS]

Commands:
  index [PATH...]      index a corpus (folder or files; default: the bundled corpus) and summarise it
  count QUERY          hits and documents for a query
  kwic QUERY           concordance lines (keyword in context)
  tokens [PATH...]     every token with its word, lemma, POS, kind and offsets, printed as it is read, so
                       a corpus of any size can be exported; txt aligns its columns as it goes: a column
                       widens where a later row needs it, and a word or lemma longer than ${TXT_WORD_WIDTH}
                       characters overflows its line
  search TEXT          passages ranked by relevance (FlexSearch)
  watch [PATH...]      re-index as files change; a line per update (--query Q adds its hits) until Ctrl-C
  project run FILE     open a project (*.loupe.json) and run its saved queries
  project save FILE    write a project: --corpus PATH... --query Q... [--view kwic|count|dispersion|colloc|compare]
  project lines FILE   the project's coded lines with categories and notes ([--category NAME], any --format)
  project list         projects in the data folder (LOUPE_DATA_DIR) and recently opened ones
${Object.entries(statsCommands)
  .map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`)
  .join('\n')}

Options:
  --corpus PATH        corpus folder or file (repeatable); default: the bundled corpus
  --index DIR          where to keep the index (default: the user's cache folder)
  --language CODE      the language of every document that does not declare its own (en, de, ru, zh, ...);
                       default: each document's metadata, markup or detected language
  --stem               lemmas outside English are Snowball stems (where no lemmas.txt list applies)
  --format F           txt | tsv | csv | json (default txt)
  --context N          counted tokens of context each side (default 8)
  --sort KEYS          e.g. R1,R2 or L1,node: L5..L1, node, R1..R5, doc, random
  --seed N             seed for random order and sampling (default 1)
  --offset N --limit N page of lines (default 0 and 50; --limit 0 = all)
  --filter QUERY       keep lines with QUERY within --filter-span N tokens (default 5)
  --sample N           keep a seeded random sample of N hits
  --case               match case exactly
  --matching M         shortest (default): the shortest match from each start; standard: also drop a match
                       that ends where an earlier one ends (Corpus Workbench's default)
  --where EXPR         restrict to a subcorpus by metadata, e.g. "year < 1950 & author = Cliff"
  --across EXPR        (compare, repeatable) compare the queries across subcorpora
  --quiet              no progress on stderr

The query language: see README.md ("Query language").
`;

function stderrProgress(quiet: boolean): (p: IndexProgress) => void {
  let last = 0;
  let lastPhase = '';
  return (p) => {
    if (quiet || p.phase === 'loading') return;
    const now = Date.now();
    if (p.phase === lastPhase && now - last < 500 && p.done !== p.total) return;
    last = now;
    lastPhase = p.phase;
    const segment = p.segment ? ` (segment ${p.segment.at} of ${p.segment.of})` : '';
    process.stderr.write(`loupe: ${p.phase} ${p.done}/${p.total}${p.file ? ` ${p.file}` : ''}${segment}\n`);
  };
}

function kwicRequest(query: string, o: ParsedArgs['options']): KwicRequest {
  const req: KwicRequest = {
    query,
    caseSensitive: o.case === true,
    matching: matchingOption(o),
    context: intOption(o, 'context', 8),
    offset: intOption(o, 'offset', 0),
    limit: intOption(o, 'limit', 50),
    seed: intOption(o, 'seed', 1),
  };
  if (typeof o.sort === 'string') {
    const keys = o.sort
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    for (const k of keys)
      if (!(SORT_KEYS as readonly string[]).includes(k))
        throw new LoupeFailure('E_USAGE', `Unknown sort key "${k}": use ${SORT_KEYS.join(', ')}.`);
    req.sort = keys as SortKey[];
  }
  if (typeof o.filter === 'string') {
    req.filter = o.filter;
    req.filterSpan = intOption(o, 'filter-span', 5, 1);
  }
  if (o.sample !== undefined) req.sample = intOption(o, 'sample', 0, 1);
  if (typeof o.where === 'string') req.where = o.where;
  return req;
}

function needQuery(args: string[], what: string): string {
  const q = args.join(' ');
  if (!q.trim()) throw new LoupeFailure('E_USAGE', `${what} needs a query, e.g. loupe ${what} bureaucracy`);
  return q;
}

/** What a command prints: the whole text, or a writer that prints it piece by piece. */
type Output = string | ((write: (chunk: string) => Promise<void>) => Promise<void>);

async function run(argv: string[]): Promise<Output> {
  const parsed = parseArgs(argv);
  const { command, args, options } = parsed;
  if (!command || options.help) {
    const stats = command ? statsCommands[command] : undefined;
    return stats ? `${stats.summary}\n\n${stats.usage}\n` : HELP;
  }
  const format: OutputFormat = checkFormat(options.format);
  const indexDir = typeof options.index === 'string' ? options.index : undefined;
  const engine = new Engine({
    ...(indexDir ? { indexDir } : {}),
    onNotice: (m) => {
      if (options.quiet !== true) process.stderr.write(`loupe: ${m}\n`);
    },
  });
  engine.onProgress(stderrProgress(options.quiet === true));
  const languageOption = {
    ...(typeof options.language === 'string' ? { language: options.language } : {}),
    ...(options.stem === true ? { stem: true } : {}),
  };
  if (command === 'project') return projectCommand(engine, args, options, parsed.lists, format);
  if (command === 'watch') {
    const paths = args.length ? args : parsed.lists.corpus;
    return watchCommand(engine, unwrap(await engine.openCorpus({ ...(paths?.length ? { paths } : {}), ...languageOption })), options);
  }
  const known = ['index', 'count', 'kwic', 'tokens', 'search', ...Object.keys(statsCommands)];
  if (!known.includes(command)) throw new LoupeFailure('E_USAGE', `Unknown command "${command}". Commands: ${known.join(', ')}.`);
  // `index` and `tokens` take no query, so their arguments are the corpus.
  const corpusPaths = (command === 'index' || command === 'tokens') && args.length ? args : parsed.lists.corpus;
  const info = unwrap(await engine.openCorpus({ ...(corpusPaths?.length ? { paths: corpusPaths } : {}), ...languageOption }));

  switch (command) {
    case 'index': {
      if (format === 'json') return JSON.stringify(info, null, 2) + '\n';
      const rows = info.documents.map((d) => [
        d.name,
        d.tokens,
        d.counted,
        d.language ?? '',
        d.languageSource ?? '',
        d.encoding,
        d.warnings.join('; '),
      ]);
      const columns = ['document', 'tokens', 'counted', 'language', 'decided by', 'encoding', 'warnings'];
      const lines = [
        `${info.label}: ${info.documents.length} ${info.documents.length === 1 ? 'document' : 'documents'}, ${info.tokens} tokens (${info.counted} counted), ${info.types} word types${info.reused ? ' (saved index reused)' : ''}`,
      ];
      for (const s of info.skipped) lines.push(`skipped ${s.name}: ${s.reason}`);
      if (format === 'txt') return lines.join('\n') + '\n\n' + textTable(columns, rows) + '\n';
      return delimited(columns, rows, format);
    }
    case 'count': {
      const query = needQuery(args, 'count');
      const r = unwrap(
        await engine.count({
          query,
          caseSensitive: options.case === true,
          matching: matchingOption(options),
          ...(typeof options.where === 'string' ? { where: options.where } : {}),
        }),
      );
      if (format === 'json') return JSON.stringify(r) + '\n';
      if (format === 'txt') return `${r.hits} hits in ${r.documents} ${r.documents === 1 ? 'document' : 'documents'}\n`;
      return delimited(['query', 'hits', 'documents'], [[r.query, r.hits, r.documents]], format);
    }
    case 'kwic': {
      const req = kwicRequest(needQuery(args, 'kwic'), options);
      if (req.limit === 0 || (req.limit ?? 0) > KWIC_PAGE) return kwicStream(engine, req, format);
      const page = unwrap(await engine.kwic(req));
      if (format === 'json') {
        const lines = page.lines.map((l) => ({ doc: l.docName, position: l.position, left: l.left, node: l.node, right: l.right }));
        return JSON.stringify({ query: page.query, hits: page.hits, offset: page.offset, lines }, null, 1) + '\n';
      }
      if (format === 'txt') {
        const head = `${page.hits} hits in ${page.documents} ${page.documents === 1 ? 'document' : 'documents'}; lines ${page.lines.length ? page.offset + 1 : 0}-${page.offset + page.lines.length}\n`;
        const lefts = page.lines.map((l) => oneLine(l.left).trim());
        const width = Math.min(70, Math.max(0, ...lefts.map((s) => [...s].length)));
        const body = page.lines.map((l, i) => {
          let left = lefts[i]!;
          if ([...left].length > width) left = '…' + [...left].slice(-(width - 1)).join('');
          return `${left.padStart(width)}  [${oneLine(l.node)}]  ${oneLine(l.right).trim()}`;
        });
        return head + body.join('\n') + (body.length ? '\n' : '');
      }
      return delimited(
        ['doc', 'position', 'left', 'node', 'right'],
        page.lines.map((l) => [l.docName, l.position, l.left, l.node, l.right]),
        format,
      );
    }
    case 'tokens':
      return tokensCommand(engine.index, options, format);
    case 'search': {
      const text = needQuery(args, 'search');
      const hits = unwrap(await engine.passages({ text, limit: intOption(options, 'limit', 10) }));
      if (format === 'json') return JSON.stringify(hits, null, 1) + '\n';
      if (format === 'txt') return hits.map((h, i) => `${i + 1}. ${h.docName} ¶${h.paragraph + 1}\n   ${oneLine(h.text)}\n`).join('\n');
      return delimited(
        ['rank', 'doc', 'paragraph', 'text'],
        hits.map((h, i) => [i + 1, h.docName, h.paragraph + 1, h.text]),
        format,
      );
    }
    default: {
      if (command === 'compare' && parsed.lists.across?.length) return compareAcross(engine, args, parsed.lists.across, options, format);
      const cmd = statsCommands[command]!;
      return cmd.run({
        index: engine.indexFor(typeof options.where === 'string' ? options.where : undefined),
        args,
        options,
        format,
        openReference: (paths: string[]) => engine.referenceIndex(paths),
      });
    }
  }
}

/** Concordance lines read and printed at a time when more are asked for (--limit 0: all of them). */
const KWIC_PAGE = 10_000;

/**
 * A long concordance, printed a page at a time as the engine makes each, so exporting every line of a
 * frequent word holds one page of lines, not all of them. TSV and CSV print as one page would; JSON
 * the same object, one line per concordance line; the text table takes the width of its left column
 * from the first page (a longer left context is cut at its start, as always).
 */
function kwicStream(engine: Engine, req: KwicRequest, format: OutputFormat): Output {
  const wanted = req.limit === 0 ? Infinity : req.limit!;
  const from = req.offset ?? 0;
  return async (write) => {
    let printed = 0;
    let width = 0;
    for (let offset = from; ;) {
      const page = unwrap(await engine.kwic({ ...req, offset, limit: Math.min(KWIC_PAGE, wanted - printed) }));
      const lines = page.lines;
      if (offset === from) {
        const count = Math.max(0, Math.min(wanted, page.hits - from));
        if (format === 'json') await write(`{"query":${JSON.stringify(page.query)},"hits":${page.hits},"offset":${from},"lines":[`);
        if (format === 'txt') {
          await write(
            `${page.hits} hits in ${page.documents} ${page.documents === 1 ? 'document' : 'documents'}; lines ${count ? from + 1 : 0}-${from + count}\n`,
          );
          width = Math.min(70, Math.max(0, ...lines.map((l) => [...oneLine(l.left).trim()].length)));
        }
      }
      if (format === 'json') {
        const objects = lines.map((l) =>
          JSON.stringify({ doc: l.docName, position: l.position, left: l.left, node: l.node, right: l.right }),
        );
        if (objects.length) await write((printed ? ',\n' : '\n') + objects.join(',\n'));
      } else if (format === 'txt') {
        const body = lines.map((l) => {
          let left = oneLine(l.left).trim();
          if ([...left].length > width) left = '…' + [...left].slice(-(width - 1)).join('');
          return `${left.padStart(width)}  [${oneLine(l.node)}]  ${oneLine(l.right).trim()}\n`;
        });
        if (body.length) await write(body.join(''));
      } else {
        const rows = lines.map((l) => [l.docName, l.position, l.left, l.node, l.right]);
        if (rows.length || offset === from)
          await write(delimited(offset === from ? ['doc', 'position', 'left', 'node', 'right'] : null, rows, format));
      }
      printed += lines.length;
      offset += lines.length;
      if (lines.length === 0 || printed >= wanted || offset >= page.hits) break;
    }
    if (format === 'json') await write('\n]}\n');
  };
}

/** Every token, or --offset/--limit of them, printed as it is read (tokens.ts). */
function tokensCommand(index: CorpusIndex, options: ParsedArgs['options'], format: OutputFormat): Output {
  const from = Math.min(intOption(options, 'offset', 0), index.tokenCount);
  const limit = intOption(options, 'limit', 0);
  const to = limit > 0 ? Math.min(index.tokenCount, from + limit) : index.tokenCount;
  return writeTokens(index, from, to, format);
}

/** The same queries in several subcorpora: hits, per million, documents and DP side by side. */
function compareAcross(engine: Engine, queries: string[], across: string[], options: ParsedArgs['options'], format: OutputFormat): string {
  if (queries.length === 0) throw new LoupeFailure('E_USAGE', 'compare --across needs at least one query.');
  const caseSensitive = options.case === true;
  const matching = matchingOption(options);
  const rows: Array<Array<string | number>> = [];
  const json: Array<Record<string, unknown>> = [];
  for (const where of across) {
    const index = engine.indexFor(where);
    for (const query of queries) {
      const d = dispersion(index, { query, caseSensitive, matching });
      // Dispersion's range counts parts, which are segments in a one-document subcorpus: count documents.
      const withHits = d.documents.filter((doc) => doc.hits > 0).length;
      rows.push([where, query, d.hits, d.perMillion, withHits, index.docs.length, d.dp]);
      json.push({
        subcorpus: where,
        query,
        hits: d.hits,
        perMillion: d.perMillion,
        documents: withHits,
        subcorpusDocuments: index.docs.length,
        corpusTokens: d.corpusTokens,
        dp: d.dp,
      });
    }
  }
  const columns = ['subcorpus', 'query', 'hits', 'per million', 'documents with hits', 'documents', 'DP'];
  if (format === 'json') return JSON.stringify({ queries, subcorpora: across, rows: json }, null, 1) + '\n';
  if (format === 'txt') return textTable(columns, rows) + '\n';
  return delimited(columns, rows, format);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const out = await run(argv);
    const write = (chunk: string) =>
      new Promise<void>((resolve) => {
        // Waits for the pipe to drain, so a slow reader holds back the writer instead of memory filling.
        if (process.stdout.write(chunk)) resolve();
        else process.stdout.once('drain', resolve);
      });
    if (typeof out === 'string') await write(out);
    else await out(write);
    return 0;
  } catch (e) {
    const err = toLoupeError(e);
    process.stderr.write(`loupe: ${err.code}: ${err.message}\n`);
    return USAGE_CODES.has(err.code) ? 2 : 1;
  }
}

// `loupe tokens | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
