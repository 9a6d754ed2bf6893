/**
 * The statistics commands of `loupe`: freq, ngrams, colloc, dispersion, keywords, compare.
 * app/cli/main.ts parses the command line and hands each command the open corpus, its positional
 * arguments, its raw options and the output format; a command returns the text to print.
 */
import { readFileSync } from 'node:fs';
import { delimitedRows } from '../export/formats.js';
import { fixed, textTable } from './format.js';
import { matchingOption } from './args.js';
import type { CorpusIndex } from '../index/store.js';
import { LoupeFailure } from '../contract/errors.js';
import {
  COLLOC_MEASURES,
  type CollocMeasure,
  type CompareResult,
  type DispersionResult,
  type FreqBy,
  type FreqRequest,
} from '../contract/stats.js';
import { frequencyList } from '../stats/frequency.js';
import { ngramList } from '../stats/ngrams.js';
import { collocations } from '../stats/collocation.js';
import { dispersion } from '../stats/dispersion.js';
import { keywords, referenceFromIndex } from '../stats/keyness.js';
import { compareTerms } from '../stats/compare.js';
import { parseStopwords } from '../stats/stoplist.js';
import { loadBrownReference } from '../stats/reference.js';
import { collocTable, compareTable, dispersionTable, freqTable, keywordTable, ngramTable, type FlatTable } from '../stats/flat-tables.js';

export type OutputFormat = 'txt' | 'tsv' | 'csv' | 'json';

export interface StatsContext {
  index: CorpusIndex;
  args: string[];
  options: Record<string, string | boolean>;
  format: OutputFormat;
  /** Opens (indexing if need be) another corpus, for `keywords --reference PATH`. */
  openReference?: (paths: string[]) => Promise<CorpusIndex>;
}

export type StatsCommand = {
  summary: string;
  usage: string;
  run(ctx: StatsContext): Promise<string>;
};

// ---- options -------------------------------------------------------------------------------

function str(ctx: StatsContext, name: string): string | undefined {
  const v = ctx.options[name];
  if (v === undefined || v === false) return undefined;
  if (v === true) throw new LoupeFailure('E_USAGE', `--${name} needs a value`);
  return v;
}

function int(ctx: StatsContext, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = str(ctx, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) {
    throw new LoupeFailure('E_USAGE', `--${name} must be a whole number ${min}..${max === Number.MAX_SAFE_INTEGER ? '' : max}, got ${v}`);
  }
  return Number(v);
}

function flag(ctx: StatsContext, name: string): boolean {
  const v = ctx.options[name];
  if (v === undefined || v === false) return false;
  if (v === true) return true;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new LoupeFailure('E_USAGE', `--${name} is a flag, got ${v}`);
}

function oneOf<T extends string>(ctx: StatsContext, name: string, allowed: readonly T[], fallback: T): T {
  const v = str(ctx, name);
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T)) throw new LoupeFailure('E_USAGE', `--${name} must be one of ${allowed.join(', ')}, got ${v}`);
  return v as T;
}

function span(ctx: StatsContext): [number, number] {
  const v = str(ctx, 'span');
  if (v === undefined) return [5, 5];
  const m = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(v);
  if (!m) throw new LoupeFailure('E_USAGE', `--span must be L,R (counted tokens left and right) or N, got ${v}`);
  const l = Number(m[1]);
  const r = m[2] === undefined ? l : Number(m[2]);
  if (l > 100 || r > 100) throw new LoupeFailure('E_USAGE', `--span allows at most 100 tokens a side, got ${v}`);
  return [l, r];
}

function caseSensitive(ctx: StatsContext): boolean {
  return flag(ctx, 'case');
}

function oneQuery(ctx: StatsContext, command: string): string {
  if (ctx.args.length !== 1 || !ctx.args[0]!.trim()) {
    throw new LoupeFailure('E_USAGE', `${command} takes one query (quote a phrase: "workers' councils")`);
  }
  return ctx.args[0]!;
}

// ---- output --------------------------------------------------------------------------------

/** Delimited text, with the same cell rules (one line, formulas neutralised) as every export. */
export function delimited(t: FlatTable, format: 'tsv' | 'csv'): string {
  return delimitedRows(t.columns, t.rows, format === 'tsv' ? '\t' : ',');
}

function output(ctx: StatsContext, json: unknown, table: FlatTable, txt: () => string): string {
  switch (ctx.format) {
    case 'json':
      return JSON.stringify(json, null, 2) + '\n';
    case 'tsv':
    case 'csv':
      return delimited(table, ctx.format);
    case 'txt':
      return txt().replace(/\n*$/, '\n');
    default:
      throw new LoupeFailure('E_USAGE', `unknown format ${String(ctx.format)}`);
  }
}

/** A strip of `width` cells over the counted-token axis: `.` no hit, 1-9 hits, `*` ten or more. */
export function dispersionStrip(positions: readonly number[], width = 60): string {
  const cells = new Array<number>(width).fill(0);
  for (const p of positions) cells[Math.min(width - 1, Math.floor(p * width))]!++;
  return cells.map((n) => (n === 0 ? '.' : n < 10 ? String(n) : '*')).join('');
}

// ---- commands ------------------------------------------------------------------------------

const freq: StatsCommand = {
  summary: 'word list: frequency, rank, per million and range by word, form, lemma or POS',
  usage:
    'loupe freq [QUERY] [--by word|form|lemma|pos] [--stoplist] [--stopwords FILE] [--min-freq N]\n' +
    '           [--sort freq|term|range|perMillion|rank] [--ascending|--descending] [--span L,R] [--limit N] [--case]\n' +
    '           [--matching shortest|standard]\n' +
    "  With QUERY, counts only the counted tokens inside its hits' context windows (--span, default 5,5).",
  async run(ctx) {
    if (ctx.args.length > 1) throw new LoupeFailure('E_USAGE', 'freq takes at most one query');
    const file = str(ctx, 'stopwords');
    const req: FreqRequest = {
      by: oneOf<FreqBy>(ctx, 'by', ['word', 'form', 'lemma', 'pos'], 'word'),
      stoplist: flag(ctx, 'stoplist') || file !== undefined,
      minFreq: int(ctx, 'min-freq', 1),
      sort: oneOf(ctx, 'sort', ['freq', 'term', 'range', 'perMillion', 'rank'] as const, 'freq'),
      limit: int(ctx, 'limit', 0),
      caseSensitive: caseSensitive(ctx),
      matching: matchingOption(ctx.options),
    };
    if (flag(ctx, 'ascending')) req.descending = false;
    if (flag(ctx, 'descending')) req.descending = true;
    if (file !== undefined) {
      try {
        req.stopwords = parseStopwords(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new LoupeFailure('E_USAGE', `cannot read stopword file ${file}: ${(e as Error).message}`);
      }
    }
    if (ctx.args[0] !== undefined) {
      req.query = ctx.args[0];
      req.span = span(ctx);
    }
    const r = frequencyList(ctx.index, req);
    return output(ctx, r, freqTable(r), () => {
      const where = req.query ? ` in the context windows of ${JSON.stringify(req.query)} (span ${req.span!.join(',')})` : '';
      const head =
        `Word list by ${r.by}${where}: ${r.corpusTokens} counted tokens, ${r.types} types` +
        `${req.stoplist ? ', stoplist applied' : ''}; ${r.total} rows${r.rows.length < r.total ? `, showing ${r.rows.length}` : ''}`;
      const t = freqTable(r);
      return `${head}\n\n${textTable(t.columns, t.rows, { perMillion: 2 })}`;
    });
  },
};

const ngrams: StatsCommand = {
  summary: 'n-grams (clusters) of 2 to 6 words, within sentences',
  usage:
    'loupe ngrams [QUERY] [--n 2..6] [--position K] [--min-freq N] [--min-range N] [--limit N] [--case]\n' +
    '             [--matching shortest|standard]\n' +
    '  With QUERY (a single word or pattern), only n-grams holding it, at slot K when --position is given.',
  async run(ctx) {
    if (ctx.args.length > 1) throw new LoupeFailure('E_USAGE', 'ngrams takes at most one query');
    const n = int(ctx, 'n', 3, 2, 6);
    const position = str(ctx, 'position') === undefined ? undefined : int(ctx, 'position', 1, 1, n);
    const r = ngramList(ctx.index, {
      n,
      query: ctx.args[0],
      position,
      minFreq: int(ctx, 'min-freq', 2),
      minRange: int(ctx, 'min-range', 1),
      limit: int(ctx, 'limit', 0),
      caseSensitive: caseSensitive(ctx),
      matching: matchingOption(ctx.options),
    });
    return output(ctx, r, ngramTable(r), () => {
      const q = ctx.args[0] ? ` holding ${JSON.stringify(ctx.args[0])}${position ? ` at slot ${position}` : ''}` : '';
      const t = ngramTable(r);
      return `${n}-grams${q}: ${r.total} rows${r.rows.length < r.total ? `, showing ${r.rows.length}` : ''}\n\n${textTable(t.columns, t.rows, { perMillion: 2 })}`;
    });
  },
};

const MEASURE_CHOICES = [...COLLOC_MEASURES, 'observed'] as const;

const colloc: StatsCommand = {
  summary: 'collocates of a query with O, E, C and MI, MI3, T, z, log-likelihood, logDice, Dice, deltaP',
  usage:
    'loupe colloc QUERY [--span L,R] [--by word|lemma] [--min-observed N] [--limit N] [--sort MEASURE] [--stoplist] [--case]\n' +
    '             [--matching shortest|standard]\n' +
    `  MEASURE: ${MEASURE_CHOICES.join(', ')} (default logDice; --measure is the same as --sort). --limit 0 = all.`,
  async run(ctx) {
    const query = oneQuery(ctx, 'colloc');
    const sort = oneOf(ctx, 'sort', MEASURE_CHOICES, oneOf(ctx, 'measure', MEASURE_CHOICES, 'logDice'));
    const sp = span(ctx);
    const r = collocations(ctx.index, {
      query,
      span: sp,
      by: oneOf(ctx, 'by', ['word', 'lemma'] as const, 'word'),
      minObserved: int(ctx, 'min-observed', 2),
      limit: int(ctx, 'limit', 50),
      sort,
      caseSensitive: caseSensitive(ctx),
      matching: matchingOption(ctx.options),
      stoplist: flag(ctx, 'stoplist'),
    });
    return output(ctx, r, collocTable(r), () => {
      const head =
        `Collocates of ${JSON.stringify(query)}: ${r.hits} hits, span ${sp.join(',')}, ` +
        `window set R1 = ${r.windowTokens} of N = ${r.corpusTokens} counted tokens; sorted by ${sort}` +
        `${r.truncated ? `; first ${r.rows.length} shown (--limit 0 for all)` : ''}\n` +
        'E = R1 * C / N; O = observed in the windows, C = termFreq (docs/statistics.md)';
      const t = collocTable(r);
      return `${head}\n\n${textTable(t.columns, t.rows)}`;
    });
  },
};

function dispersionText(r: DispersionResult): string {
  const lines = [
    `Dispersion of ${JSON.stringify(r.query)}: ${r.hits} hits in ${r.corpusTokens} counted tokens (${fixed(r.perMillion, 2)} per million)`,
    `range ${r.range} of ${r.documents.length > 1 ? `${r.documents.length} documents` : `${r.parts} parts`}` +
      `   DP ${fixed(r.dp)}   DPnorm ${fixed(r.dpNorm)}   Juilland's D ${fixed(r.juillandD)} (${r.parts} equal parts)`,
    '',
    `corpus  |${dispersionStrip(r.corpusPositions)}|`,
    '',
  ];
  const t = dispersionTable(r);
  lines.push(textTable(t.columns, t.rows, { perMillion: 2 }));
  return lines.join('\n');
}

const dispersionCmd: StatsCommand = {
  summary: "where a query occurs: range, DP, DPnorm, Juilland's D, per million per document, a strip plot",
  usage:
    "loupe dispersion QUERY [--parts N] [--case] [--matching shortest|standard]\n  --parts: equal parts of the text for Juilland's D (and for range and DP in a one-document corpus); default 10.",
  async run(ctx) {
    const query = oneQuery(ctx, 'dispersion');
    const r = dispersion(ctx.index, {
      query,
      parts: int(ctx, 'parts', 10, 2, 10_000),
      caseSensitive: caseSensitive(ctx),
      matching: matchingOption(ctx.options),
    });
    return output(ctx, r, dispersionTable(r), () => dispersionText(r));
  },
};

const keywordsCmd: StatsCommand = {
  summary: 'keywords: this corpus against a reference (default: the bundled Brown list), log-likelihood and Log Ratio',
  usage:
    'loupe keywords [--reference brown|PATH[,PATH...]] [--by word|lemma] [--min-freq N] [--limit N]\n' +
    '  Positive keywords are overused here (freq >= --min-freq, default 3); negative ones are overused in the reference.',
  async run(ctx) {
    if (ctx.args.length > 0) throw new LoupeFailure('E_USAGE', 'keywords takes no query; give --reference PATH for another corpus');
    const by = oneOf(ctx, 'by', ['word', 'lemma'] as const, 'word');
    const refOpt = str(ctx, 'reference') ?? 'brown';
    let reference;
    if (refOpt === 'brown') reference = loadBrownReference(by);
    else {
      if (!ctx.openReference) throw new LoupeFailure('E_USAGE', 'this host cannot open a reference corpus');
      const paths = refOpt
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      reference = referenceFromIndex(await ctx.openReference(paths), paths.join(', '), by);
    }
    const r = keywords(ctx.index, { by, minFreq: int(ctx, 'min-freq', 3), limit: int(ctx, 'limit', 50) }, reference);
    return output(ctx, r, keywordTable(r), () => {
      const cols = ['term', 'freq', 'refFreq', 'perMillion', 'refPerMillion', 'll', 'logRatio'];
      const rows = (list: typeof r.positive) =>
        list.map((x) => [x.term, x.freq, x.refFreq, x.perMillion, x.refPerMillion, x.ll, x.logRatio]);
      const digits = { perMillion: 2, refPerMillion: 2, ll: 2, logRatio: 3 };
      return [
        `Keywords: ${r.corpusTokens} counted tokens against ${r.reference} (${r.referenceTokens}); signed log-likelihood and Log Ratio`,
        '',
        `Positive (${r.positive.length})`,
        textTable(cols, rows(r.positive), digits),
        '',
        `Negative (${r.negative.length})`,
        textTable(cols, rows(r.negative), digits),
      ].join('\n');
    });
  },
};

function side(cells: string[][], widths: number[]): string[] {
  const rows = Math.max(...cells.map((c) => c.length));
  const out: string[] = [];
  for (let i = 0; i < rows; i++)
    out.push(
      cells
        .map((c, k) => (c[i] ?? '').padEnd(widths[k]!))
        .join(' | ')
        .trimEnd(),
    );
  return out;
}

function compareText(r: CompareResult): string {
  const m = r.measure;
  const q = r.terms.map((t) => t.query);
  const label = 14;
  const colW = Math.max(18, ...q.map((s) => s.length + 2));
  const row = (name: string, values: string[]) => name.padEnd(label) + values.map((v) => v.padStart(colW)).join('');
  const lines: string[] = [
    `Compare ${q.map((s) => JSON.stringify(s)).join(' with ')}`,
    `corpus: ${r.corpusTokens} counted tokens; collocates in a span of ${r.span.join(',')} ranked by ${m}`,
    '',
    row('', q),
    row(
      'hits',
      r.terms.map((t) => String(t.hits)),
    ),
    row(
      'per million',
      r.terms.map((t) => fixed(t.perMillion, 2)),
    ),
    row(
      'documents',
      r.terms.map((t) => String(t.documents)),
    ),
    row(
      'range',
      r.terms.map((t) => String(t.dispersion.range)),
    ),
    row(
      'DP',
      r.terms.map((t) => fixed(t.dp)),
    ),
    row(
      'DPnorm',
      r.terms.map((t) => fixed(t.dispersion.dpNorm)),
    ),
    row(
      "Juilland's D",
      r.terms.map((t) => fixed(t.dispersion.juillandD)),
    ),
    '',
    'Dispersion on a shared axis (the whole corpus, start to end; . = none, 1-9 hits, * = 10+)',
  ];
  const nameW = Math.max(...q.map((s) => s.length));
  for (const t of r.terms) lines.push(`${t.query.padEnd(nameW)}  |${dispersionStrip(t.dispersion.corpusPositions)}|`);

  const cell = (term: string, score: number, extra: string) => `${term} ${fixed(score)} ${extra}`;
  lines.push('', `Top collocates (${m}, O = observed; * = shared with another query)`);
  const top = r.terms.map((t) => [t.query, ...t.collocates.map((c) => cell(`${c.shared ? '*' : ' '}${c.term}`, c[m], `O=${c.observed}`))]);
  const topW = top.map((c) => Math.max(...c.map((s) => s.length)));
  lines.push(...side(top, topW));
  lines.push('', `Distinctive collocates (${m} here minus the best among the others)`);
  const dist = r.terms.map((t) => [
    t.query,
    ...t.distinctive.map((d) => cell(d.term, d.difference, `(${fixed(d.score)} vs ${fixed(d.otherScore)})`)),
  ]);
  const distW = dist.map((c) => Math.max(...c.map((s) => s.length)));
  lines.push(...side(dist, distW));
  if (r.shared.length) lines.push('', `Shared: ${r.shared.join(', ')}`);
  return lines.join('\n');
}

const compare: StatsCommand = {
  summary: 'two or more queries side by side: frequency, dispersion, shared and distinctive collocates',
  usage:
    `loupe compare QUERY QUERY... [--span L,R] [--measure ${COLLOC_MEASURES.join('|')}] [--limit N] [--stoplist] [--case]\n` +
    '              [--matching shortest|standard]',
  async run(ctx) {
    if (ctx.args.length < 2) throw new LoupeFailure('E_USAGE', 'compare needs two or more queries');
    const r = compareTerms(ctx.index, {
      queries: ctx.args,
      span: span(ctx),
      measure: oneOf<CollocMeasure>(ctx, 'measure', COLLOC_MEASURES, 'logDice'),
      limit: int(ctx, 'limit', 20),
      caseSensitive: caseSensitive(ctx),
      matching: matchingOption(ctx.options),
      stoplist: flag(ctx, 'stoplist'),
    });
    return output(ctx, r, compareTable(r), () => compareText(r));
  },
};

export const statsCommands: Record<string, StatsCommand> = {
  freq,
  ngrams,
  colloc,
  dispersion: dispersionCmd,
  keywords: keywordsCmd,
  compare,
};
