/**
 * Statistics shapes (docs/statistics.md gives every formula). JSON field names match the CLI's JSON.
 */
import type { Matching } from './types.js';

export type FreqBy = 'word' | 'form' | 'lemma' | 'pos';
export type CollocMeasure = 'mi' | 'mi3' | 't' | 'z' | 'll' | 'logDice' | 'dice' | 'deltaP';
export const COLLOC_MEASURES: readonly CollocMeasure[] = ['mi', 'mi3', 't', 'z', 'll', 'logDice', 'dice', 'deltaP'];

export interface FreqRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  by?: FreqBy; // default 'word'
  stoplist?: boolean; // default false
  stopwords?: string[]; // replaces the bundled list when given
  minFreq?: number; // default 1
  sort?: 'freq' | 'term' | 'range' | 'perMillion' | 'rank';
  descending?: boolean;
  /** Restrict to the context windows of this query's hits (span each side). */
  query?: string;
  span?: [number, number];
  caseSensitive?: boolean;
  matching?: Matching;
  offset?: number;
  limit?: number; // 0 = all
}
export interface FreqRow {
  rank: number;
  term: string;
  freq: number;
  perMillion: number;
  range: number;
}
export interface FreqResult {
  by: FreqBy;
  corpusTokens: number;
  types: number;
  total: number; // rows before paging
  rows: FreqRow[];
}

export interface NgramRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  n: number; // 2..6
  query?: string; // only n-grams containing the query's (single-token) hits
  position?: number; // 1-based slot of the query inside the n-gram; any when absent
  minFreq?: number; // default 2
  minRange?: number; // default 1
  caseSensitive?: boolean;
  matching?: Matching;
  offset?: number;
  limit?: number; // 0 = all
}
export interface NgramRow {
  ngram: string;
  freq: number;
  range: number;
  perMillion: number;
}
export interface NgramResult {
  n: number;
  total: number;
  rows: NgramRow[];
}

export interface CollocRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  query: string;
  span?: [number, number]; // default [5, 5]
  by?: 'word' | 'lemma'; // default 'word'
  minObserved?: number; // default 2
  limit?: number; // 0 = all; default 50
  sort?: CollocMeasure | 'observed';
  caseSensitive?: boolean;
  matching?: Matching;
  /** Leave out the bundled stopwords (function words) as collocates. Default false. */
  stoplist?: boolean;
}
export interface CollocRow {
  term: string;
  observed: number;
  expected: number;
  termFreq: number;
  mi: number;
  mi3: number;
  t: number;
  z: number;
  ll: number;
  logDice: number;
  dice: number;
  deltaP: number;
}
export interface CollocResult {
  query: string;
  hits: number;
  windowTokens: number; // R1
  corpusTokens: number; // N
  truncated: boolean;
  rows: CollocRow[];
}

export interface DispersionRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  query: string;
  parts?: number; // default 10, for Juilland's D
  caseSensitive?: boolean;
  matching?: Matching;
}
export interface DispersionDoc {
  doc: number;
  name: string;
  tokens: number; // counted tokens
  hits: number;
  perMillion: number;
  /** Hit positions as fractions 0..1 of the document's length (for a barcode plot). */
  positions: number[];
}
export interface DispersionResult {
  query: string;
  hits: number;
  corpusTokens: number;
  perMillion: number;
  range: number;
  parts: number;
  dp: number;
  dpNorm: number;
  juillandD: number;
  /** Hit positions as fractions 0..1 of the whole corpus (counted-token axis). */
  corpusPositions: number[];
  documents: DispersionDoc[];
}

export interface KeywordRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  /** Reference: 'brown' (bundled list) or paths of another corpus. */
  reference?: 'brown' | string[];
  by?: 'word' | 'lemma';
  minFreq?: number; // default 3 in target
  limit?: number; // default 50 each side
}
export interface KeywordRow {
  term: string;
  freq: number; // a
  refFreq: number; // b
  perMillion: number;
  refPerMillion: number;
  ll: number; // signed
  logRatio: number;
}
export interface KeywordResult {
  corpusTokens: number; // c
  referenceTokens: number; // d
  reference: string;
  /**
   * What the comparison left out and why: documents in a language the reference is not in (the
   * bundled reference is English), named by language.
   */
  notes?: string[];
  positive: KeywordRow[];
  negative: KeywordRow[];
}

export interface CompareRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  queries: string[]; // two or more
  span?: [number, number];
  measure?: CollocMeasure; // default 'logDice'
  limit?: number; // collocates per query, default 20
  caseSensitive?: boolean;
  matching?: Matching;
  /** Leave out the bundled stopwords as collocates. Default false. */
  stoplist?: boolean;
}
export interface CompareTerm {
  query: string;
  hits: number;
  perMillion: number;
  documents: number;
  dp: number;
  dispersion: DispersionResult;
  collocates: Array<CollocRow & { shared: boolean }>;
  /** Collocates most distinctive for this query: score here minus best score among the others. */
  distinctive: Array<{ term: string; score: number; otherScore: number; difference: number }>;
}
export interface CompareResult {
  measure: CollocMeasure;
  span: [number, number];
  corpusTokens: number;
  terms: CompareTerm[];
  shared: string[];
}

/**
 * Trends: the relative frequency of one or more queries across the corpus's documents, equal
 * segments of its counted-token axis, or the values of a metadata field (e.g. `year`).
 */
export type TrendsBy = 'document' | 'segment' | 'field';

/** The same queries in several subcorpora (Compare across): one row per query and subcorpus. */
export interface AcrossRequest {
  queries: string[];
  /** Subcorpus filters, one per column of the comparison (see KwicRequest.where). */
  wheres: string[];
  caseSensitive?: boolean;
  matching?: Matching;
}
export interface TrendsRequest {
  /** Restrict to a subcorpus (see KwicRequest.where). */
  where?: string;
  queries: string[]; // 1..10
  by: TrendsBy;
  /** Number of equal segments when by = 'segment'; default 10. */
  segments?: number;
  /** The metadata field when by = 'field' (`year`, `author`, any metadata column). */
  field?: string;
  caseSensitive?: boolean;
  matching?: Matching;
}
/** One point of the x axis: a document, a segment or a field value. */
export interface TrendsBucket {
  label: string;
  /** Counted tokens in the bucket (the per-million base). */
  tokens: number;
  /** How to show this bucket's lines in the concordance: a subcorpus clause to add, a token range, or both. */
  where?: string;
  range?: [number, number];
}
export interface TrendsSeries {
  query: string;
  hits: number;
  /** Per bucket, in bucket order. */
  counts: number[];
  perMillion: number[];
}
export interface TrendsResult {
  by: TrendsBy;
  field?: string;
  corpusTokens: number;
  buckets: TrendsBucket[];
  series: TrendsSeries[];
}
