/**
 * What each export holds: the engine's results turned into tables with a header that records the
 * query, the corpus (label and content fingerprint) and the settings, so a reader can cite how a
 * concordance or a list was made.
 */
import type { ExportRequest } from '../contract/api.js';
import { LoupeFailure, type Result } from '../contract/errors.js';
import type { CorpusInfo } from '../contract/types.js';
import type { Engine } from '../engine.js';
import { collocTable, compareTable, freqTable, keywordTable, ngramTable } from '../stats/tables.js';
import type { Table } from './table.js';

/** Concordance exports are capped so that exporting `the` cannot exhaust memory. */
export const MAX_EXPORT_LINES = 1_000_000;

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new LoupeFailure(r.error.code, r.error.message, r.error.position);
  return r.value;
}

function corpusMeta(corpus: CorpusInfo): Array<[string, string]> {
  return [
    ['corpus', corpus.label],
    ['corpus fingerprint', corpus.fingerprint],
    ['corpus tokens (counted)', String(corpus.counted)],
    ['exported by', 'Loupe'],
    ['exported at', new Date().toISOString()],
  ];
}

export async function tableFor(engine: Engine, req: ExportRequest, corpus: CorpusInfo): Promise<Table> {
  switch (req.what) {
    case 'kwic': {
      const k = req.kwic;
      if (!k) throw new LoupeFailure('E_USAGE', 'A concordance export needs its query.');
      const first = unwrap(await engine.kwic({ ...k, offset: 0, limit: 0 }));
      const page = unwrap(await engine.kwic({ ...k, offset: 0, limit: Math.min(first.hits, MAX_EXPORT_LINES) }));
      const settings = [
        `context ${k.context ?? 8}`,
        `sort ${(k.sort ?? []).join(',') || 'corpus order'}`,
        `case ${k.caseSensitive ? 'sensitive' : 'insensitive'}`,
        ...(k.filter ? [`filter "${k.filter}" within ${k.filterSpan ?? 5}`] : []),
        ...(k.sample ? [`sample ${k.sample} (seed ${k.seed ?? 1})`] : []),
      ].join('; ');
      return {
        name: 'concordance',
        title: `Concordance of ${k.query}`,
        meta: [['query', k.query], ['settings', settings], ['hits', String(page.hits)], ['documents', String(page.documents)], ...corpusMeta(corpus)],
        columns: ['document', 'position', 'left', 'node', 'right'],
        rows: page.lines.map((l) => [l.docName, l.position, l.left, l.node, l.right]),
        json: { query: k.query, settings, hits: page.hits, documents: page.documents, lines: page.lines.map((l) => ({ doc: l.docName, position: l.position, left: l.left, node: l.node, right: l.right })) },
      };
    }
    case 'freq': {
      const r = unwrap(await engine.freq({ ...(req.freq ?? {}), offset: 0, limit: 0 }));
      return {
        name: 'wordlist',
        title: `Word list by ${r.by}`,
        meta: [['by', r.by], ['settings', JSON.stringify(req.freq ?? {})], ...corpusMeta(corpus)],
        ...freqTable(r),
        json: r,
      };
    }
    case 'colloc': {
      const c = req.colloc;
      if (!c) throw new LoupeFailure('E_USAGE', 'A collocation export needs its query.');
      const r = unwrap(await engine.colloc(c));
      return {
        name: 'collocates',
        title: `Collocates of ${c.query}`,
        meta: [['query', c.query], ['settings', JSON.stringify({ span: c.span ?? [5, 5], by: c.by ?? 'word', minObserved: c.minObserved ?? 2 })], ['hits', String(r.hits)], ['window tokens (R1)', String(r.windowTokens)], ...corpusMeta(corpus)],
        ...collocTable(r),
        json: r,
      };
    }
    case 'ngrams': {
      const r = unwrap(await engine.ngrams(req.ngrams ?? { n: 2 }));
      return {
        name: 'ngrams',
        title: `${r.n}-grams`,
        meta: [['settings', JSON.stringify(req.ngrams ?? {})], ...corpusMeta(corpus)],
        ...ngramTable(r),
        json: r,
      };
    }
    case 'keywords': {
      const r = unwrap(await engine.keywords(req.keywords ?? {}));
      return {
        name: 'keywords',
        title: 'Keywords',
        meta: [['reference', r.reference], ['reference tokens', String(r.referenceTokens)], ...corpusMeta(corpus)],
        ...keywordTable(r),
        json: r,
      };
    }
    case 'compare': {
      const c = req.compare;
      if (!c) throw new LoupeFailure('E_USAGE', 'A comparison export needs its queries.');
      const r = unwrap(await engine.compare(c));
      return {
        name: 'compare',
        title: `Comparison of ${c.queries.join(' / ')}`,
        meta: [['queries', c.queries.join(' | ')], ['measure', r.measure], ['span', r.span.join(',')], ...corpusMeta(corpus)],
        ...compareTable(r),
        json: r,
      };
    }
  }
}
