/**
 * Statistics results as flat tables (columns + rows of strings and numbers): what TSV, CSV and
 * spreadsheet exports write. Numbers stay numbers at full precision; rounding is for display only.
 */
import type { CollocResult, CompareResult, DispersionResult, FreqResult, KeywordResult, NgramResult } from '../contract/stats.js';

export type Cell = string | number;
export interface FlatTable {
  columns: string[];
  rows: Cell[][];
}

const COLLOC_COLUMNS = ['term', 'observed', 'expected', 'termFreq', 'mi', 'mi3', 't', 'z', 'll', 'logDice', 'dice', 'deltaP'] as const;

export function freqTable(r: FreqResult): FlatTable {
  return {
    columns: ['rank', r.by, 'freq', 'perMillion', 'range'],
    rows: r.rows.map((x) => [x.rank, x.term, x.freq, x.perMillion, x.range]),
  };
}

export function ngramTable(r: NgramResult): FlatTable {
  return { columns: ['ngram', 'freq', 'range', 'perMillion'], rows: r.rows.map((x) => [x.ngram, x.freq, x.range, x.perMillion]) };
}

export function collocTable(r: CollocResult): FlatTable {
  return { columns: [...COLLOC_COLUMNS], rows: r.rows.map((x) => COLLOC_COLUMNS.map((c) => x[c])) };
}

export function dispersionTable(r: DispersionResult): FlatTable {
  const rows: Cell[][] = r.documents.map((d) => [d.doc, d.name, d.tokens, d.hits, d.perMillion]);
  rows.push(['', '(corpus)', r.corpusTokens, r.hits, r.perMillion]);
  return { columns: ['doc', 'name', 'tokens', 'hits', 'perMillion'], rows };
}

export function keywordTable(r: KeywordResult): FlatTable {
  const row =
    (list: string) =>
    (x: KeywordResult['positive'][number]): Cell[] => [list, x.term, x.freq, x.refFreq, x.perMillion, x.refPerMillion, x.ll, x.logRatio];
  return {
    columns: ['list', 'term', 'freq', 'refFreq', 'perMillion', 'refPerMillion', 'll', 'logRatio'],
    rows: [...r.positive.map(row('positive')), ...r.negative.map(row('negative'))],
  };
}

/** The side-by-side view unfolded: per query, its top collocates then its distinctive ones. */
export function compareTable(r: CompareResult): FlatTable {
  const rows: Cell[][] = [];
  for (const t of r.terms) {
    const head: Cell[] = [t.query, t.hits, t.perMillion, t.documents, t.dp];
    for (const c of t.collocates) rows.push([...head, 'collocate', c.term, c[r.measure], '', '', c.observed, c.shared ? 1 : 0]);
    for (const d of t.distinctive) rows.push([...head, 'distinctive', d.term, d.score, d.otherScore, d.difference, '', '']);
  }
  return {
    columns: [
      'query',
      'hits',
      'perMillion',
      'documents',
      'dp',
      'list',
      'term',
      r.measure,
      'otherScore',
      'difference',
      'observed',
      'shared',
    ],
    rows,
  };
}
