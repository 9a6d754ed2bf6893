/**
 * What each export holds: the engine's results turned into tables with a record of the query, the
 * corpus (label and content fingerprint) and the settings, so a reader can cite how a concordance or
 * a list was made. File names carry what was exported and the query (`loupe-kwic-bureaucracy.csv`).
 */
import type { ExportRequest, ExportWhat, LoupeApi } from '../contract/api.js';
import { LoupeFailure, unwrap } from '../contract/errors.js';
import type { AcrossRequest, TrendsResult } from '../contract/stats.js';
import type { CorpusInfo, KwicLine } from '../contract/types.js';
import { collocTable, compareTable, freqTable, keywordTable, ngramTable, type Cell, type FlatTable } from '../stats/flat-tables.js';
import { slug, type ExportTable } from './formats.js';

/**
 * The engine's answers an export is made from, named by the contract: the engine calls this module
 * and passes itself, so this module never imports the engine.
 */
type ExportSource = Pick<LoupeApi, 'kwic' | 'freq' | 'colloc' | 'ngrams' | 'keywords' | 'compare' | 'trends' | 'dispersion'>;

/** Concordance exports are capped so that exporting `the` cannot exhaust memory. */
const MAX_EXPORT_LINES = 1_000_000;

/** Every export of concordance lines has these columns, empty for lines the open project has not coded. */
export const KWIC_COLUMNS = ['document', 'position', 'left', 'node', 'right', 'category', 'note'] as const;

function corpusMeta(corpus: CorpusInfo): Array<[string, string]> {
  return [
    ['corpus', corpus.label],
    ['corpus fingerprint', corpus.fingerprint],
    ['corpus tokens (counted)', String(corpus.counted)],
    ['exported by', 'Loupe'],
    ['exported at', new Date().toISOString()],
  ];
}

/** The subcorpus filter, when the export was made from one: counts mean nothing without it. */
function whereMeta(where: string | undefined): Array<[string, string]> {
  return where ? [['subcorpus', where]] : [];
}

/** `loupe-<what>` followed by the query's slug, when there is a query. */
function stemOf(what: ExportWhat, subject?: string): string {
  return subject && subject.trim() ? `loupe-${what}-${slug(subject)}` : `loupe-${what}`;
}

/** A line's categories as one cell: the names in the project's order, joined by "; ". */
const categoryCell = (l: KwicLine): string => (l.categories ?? []).join('; ');

function kwicRow(l: KwicLine): Cell[] {
  return [l.docName, l.position, l.left, l.node, l.right, categoryCell(l), l.note ?? ''];
}

function kwicJson(l: KwicLine) {
  return {
    doc: l.docName,
    position: l.position,
    left: l.left,
    node: l.node,
    right: l.right,
    category: categoryCell(l),
    categories: l.categories ?? [],
    note: l.note ?? '',
    // Text stays in reading order; a reader drawing the line needs to know which way it runs.
    ...(l.dir ? { dir: l.dir } : {}),
  };
}

/** Trends in long form, one row per query and bucket, as data-frame readers want them. */
/** One row per bucket, as the chart reads: its tokens, then each term's hits and rate per million. */
function trendsTable(r: TrendsResult): FlatTable {
  const rows: Cell[][] = r.buckets.map((b, i) => [b.label, b.tokens, ...r.series.flatMap((s) => [s.counts[i]!, s.perMillion[i]!])]);
  return { columns: ['bucket', 'tokens', ...r.series.flatMap((s) => [`${s.query} hits`, `${s.query} per million`])], rows };
}

/** Compare across: per query and subcorpus, its counts and dispersion; a filter that fails leaves its row empty. */
async function acrossTable(source: ExportSource, a: AcrossRequest): Promise<FlatTable & { json: unknown[] }> {
  const rows: Cell[][] = [];
  const json: unknown[] = [];
  for (const query of a.queries) {
    for (const where of a.wheres) {
      const r = await source.dispersion({
        query,
        ...(where.trim() ? { where } : {}),
        ...(a.caseSensitive ? { caseSensitive: true } : {}),
        ...(a.matching ? { matching: a.matching } : {}),
      });
      if (!r.ok) {
        rows.push([query, where, '', '', '', '', '', '']);
        json.push({ query, subcorpus: where, error: r.error });
        continue;
      }
      const d = r.value;
      const withHits = d.documents.filter((doc) => doc.hits > 0).length;
      rows.push([query, where, d.hits, d.perMillion, withHits, d.documents.length, d.corpusTokens, d.dp]);
      json.push({
        query,
        subcorpus: where,
        hits: d.hits,
        perMillion: d.perMillion,
        documentsWithHits: withHits,
        documents: d.documents.length,
        tokens: d.corpusTokens,
        dp: d.dp,
      });
    }
  }
  return { columns: ['query', 'subcorpus', 'hits', 'perMillion', 'documentsWithHits', 'documents', 'tokens', 'dp'], rows, json };
}

export async function exportTableFor(source: ExportSource, req: ExportRequest, corpus: CorpusInfo): Promise<ExportTable> {
  const table = await contentFor(source, req, corpus);
  return req.provenance ? { ...table, provenanceFile: true } : table;
}

async function contentFor(source: ExportSource, req: ExportRequest, corpus: CorpusInfo): Promise<ExportTable> {
  switch (req.what) {
    case 'kwic': {
      const k = req.kwic;
      if (!k) throw new LoupeFailure('E_USAGE', 'A concordance export needs its query.');
      const first = unwrap(await source.kwic({ ...k, offset: 0, limit: 0 }));
      const page = unwrap(await source.kwic({ ...k, offset: 0, limit: Math.min(first.hits, MAX_EXPORT_LINES) }));
      const settings = [
        `context ${k.context ?? 8}`,
        `sort ${(k.sort ?? []).join(',') || 'corpus order'}`,
        `case ${k.caseSensitive ? 'sensitive' : 'insensitive'}`,
        ...(k.matching === 'standard' ? ['matching standard'] : []),
        ...(k.filter ? [`filter "${k.filter}" within ${k.filterSpan ?? 5}`] : []),
        ...(k.sample ? [`sample ${k.sample} (seed ${k.seed ?? 1})`] : []),
        ...(k.range ? [`tokens ${k.range[0]} to ${k.range[1]}`] : []),
        ...(k.codes ? [`coded ${k.codes.length ? k.codes.map((c) => c || '(none)').join(',') : '(any)'}`] : []),
      ].join('; ');
      return {
        name: 'concordance',
        stem: stemOf('kwic', k.query),
        title: `Concordance of ${k.query}`,
        meta: [
          ['query', k.query],
          ...whereMeta(k.where),
          ['settings', settings],
          ['hits', String(page.hits)],
          ['documents', String(page.documents)],
          ...corpusMeta(corpus),
        ],
        columns: [...KWIC_COLUMNS],
        rows: page.lines.map(kwicRow),
        kwic: {
          left: KWIC_COLUMNS.indexOf('left'),
          node: KWIC_COLUMNS.indexOf('node'),
          right: KWIC_COLUMNS.indexOf('right'),
          rtl: page.lines.map((l) => l.dir === 'rtl'),
        },
        json: { query: k.query, settings, hits: page.hits, documents: page.documents, lines: page.lines.map(kwicJson) },
      };
    }
    case 'freq': {
      const f = req.freq ?? {};
      const r = unwrap(await source.freq({ ...f, offset: 0, limit: 0 }));
      return {
        name: 'wordlist',
        stem: stemOf('freq', f.query),
        title: `Word list by ${r.by}`,
        meta: [['by', r.by], ...whereMeta(f.where), ['settings', JSON.stringify(f)], ...corpusMeta(corpus)],
        ...freqTable(r),
        json: r,
      };
    }
    case 'colloc': {
      const c = req.colloc;
      if (!c) throw new LoupeFailure('E_USAGE', 'A collocation export needs its query.');
      const r = unwrap(await source.colloc(c));
      return {
        name: 'collocates',
        stem: stemOf('colloc', c.query),
        title: `Collocates of ${c.query}`,
        meta: [
          ['query', c.query],
          ...whereMeta(c.where),
          [
            'settings',
            JSON.stringify({
              span: c.span ?? [5, 5],
              by: c.by ?? 'word',
              minObserved: c.minObserved ?? 2,
              ...(c.matching ? { matching: c.matching } : {}),
            }),
          ],
          ['hits', String(r.hits)],
          ['window tokens (R1)', String(r.windowTokens)],
          ...corpusMeta(corpus),
        ],
        ...collocTable(r),
        json: r,
      };
    }
    case 'ngrams': {
      const n = req.ngrams ?? { n: 2 };
      const r = unwrap(await source.ngrams(n));
      return {
        name: 'ngrams',
        stem: stemOf('ngrams', [String(r.n), n.query ?? ''].join(' ')),
        title: `${r.n}-grams`,
        meta: [
          ...(n.query ? [['query', n.query] as [string, string]] : []),
          ...whereMeta(n.where),
          ['settings', JSON.stringify(n)],
          ...corpusMeta(corpus),
        ],
        ...ngramTable(r),
        json: r,
      };
    }
    case 'keywords': {
      const k = req.keywords ?? {};
      const r = unwrap(await source.keywords(k));
      return {
        name: 'keywords',
        stem: stemOf('keywords'),
        title: 'Keywords',
        meta: [
          ...whereMeta(k.where),
          ['reference', r.reference],
          ['reference tokens', String(r.referenceTokens)],
          ...(r.notes?.length ? [['notes', r.notes.join(' ')] as [string, string]] : []),
          ...corpusMeta(corpus),
        ],
        ...keywordTable(r),
        json: r,
      };
    }
    case 'compare': {
      const c = req.compare;
      if (!c) throw new LoupeFailure('E_USAGE', 'A comparison export needs its queries.');
      const r = unwrap(await source.compare(c));
      return {
        name: 'compare',
        stem: stemOf('compare', c.queries.join(' vs ')),
        title: `Comparison of ${c.queries.join(' / ')}`,
        meta: [
          ['queries', c.queries.join(' | ')],
          ...whereMeta(c.where),
          ['measure', r.measure],
          ['span', r.span.join(',')],
          ...(c.matching === 'standard' ? [['matching', 'standard'] as [string, string]] : []),
          ...corpusMeta(corpus),
        ],
        ...compareTable(r),
        json: r,
      };
    }
    case 'trends': {
      const t = req.trends;
      if (!t) throw new LoupeFailure('E_USAGE', 'A trends export needs its queries.');
      const r = unwrap(await source.trends(t));
      const by = r.by === 'field' ? `field ${r.field ?? ''}` : r.by;
      return {
        name: 'trends',
        stem: stemOf('trends', t.queries.join(' vs ')),
        title: `Trends of ${t.queries.join(' / ')} by ${by}`,
        meta: [
          ['queries', t.queries.join(' | ')],
          ...whereMeta(t.where),
          ['by', by],
          ['settings', JSON.stringify(t)],
          ...corpusMeta(corpus),
        ],
        ...trendsTable(r),
        json: r,
      };
    }
    case 'across': {
      const a = req.across;
      if (!a) throw new LoupeFailure('E_USAGE', 'A comparison across subcorpora needs its queries and subcorpora.');
      return {
        name: 'across',
        stem: `loupe-compare-across-${slug(a.queries.join(' vs '))}`,
        title: `${a.queries.join(' / ')} across ${a.wheres.join(' / ')}`,
        meta: [
          ['queries', a.queries.join(' | ')],
          ['subcorpora', a.wheres.join(' | ')],
          ['settings', JSON.stringify(a)],
          ...corpusMeta(corpus),
        ],
        ...(await acrossTable(source, a)),
      };
    }
  }
}
