/**
 * Word lists: counted tokens grouped by case-folded word, exact form, lemma or POS, with rank,
 * frequency, per million and range (documents containing the term). Optionally restricted to the
 * window set of a query (the same windows collocation uses), in which case the base of
 * `perMillion` and `corpusTokens` is the window set's size.
 */
import type { CorpusIndex } from '../index/store.js';
import type { FreqBy, FreqRequest, FreqResult, FreqRow } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { foldKey } from '../text/normalise.js';
import { groupColumn, perMillion } from './counts.js';
import { resolveHits } from './hits.js';
import { checkCount, DEFAULT_SPAN } from './collocation.js';
import { stopwordSet } from './stoplist.js';
import { windowPositions } from './windows.js';

const FREQ_BY: readonly FreqBy[] = ['word', 'form', 'lemma', 'pos'];
const FREQ_SORTS = ['freq', 'term', 'range', 'perMillion', 'rank'] as const;
type FreqSort = (typeof FREQ_SORTS)[number];

interface Tally {
  freq: Uint32Array;
  range: Uint32Array;
  base: number;
}

function tallyCorpus(index: CorpusIndex, ids: ArrayLike<number>, terms: number): Tally {
  const freq = new Uint32Array(terms);
  const range = new Uint32Array(terms);
  const lastDoc = new Int32Array(terms).fill(-1);
  const counted = index.counted;
  for (let d = 0; d < index.docs.length; d++) {
    for (let i = index.docStart[d]!, end = index.docStart[d + 1]!; i < end; i++) {
      if (counted[i] === 0) continue;
      const id = ids[i]!;
      freq[id]!++;
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        range[id]!++;
      }
    }
  }
  return { freq, range, base: index.countedTotal };
}

function tallyPositions(index: CorpusIndex, ids: ArrayLike<number>, terms: number, positions: Uint32Array): Tally {
  const sorted = Uint32Array.from(positions).sort();
  const freq = new Uint32Array(terms);
  const range = new Uint32Array(terms);
  const lastDoc = new Int32Array(terms).fill(-1);
  let d = 0;
  const lastD = index.docs.length - 1;
  for (let k = 0; k < sorted.length; k++) {
    const p = sorted[k]!;
    while (d < lastD && index.docStart[d + 1]! <= p) d++;
    const id = ids[p]!;
    freq[id]!++;
    if (lastDoc[id] !== d) {
      lastDoc[id] = d;
      range[id]!++;
    }
  }
  return { freq, range, base: sorted.length };
}

const codePointOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function frequencyList(index: CorpusIndex, req: FreqRequest = {}): FreqResult {
  const by = req.by ?? 'word';
  if (!FREQ_BY.includes(by)) throw new LoupeFailure('E_USAGE', `word lists group by ${FREQ_BY.join(', ')}, not ${String(by)}`);
  const sort: FreqSort = req.sort ?? 'freq';
  if (!FREQ_SORTS.includes(sort)) throw new LoupeFailure('E_USAGE', `sort by one of ${FREQ_SORTS.join(', ')}, not ${String(sort)}`);
  const minFreq = checkCount('minFreq', req.minFreq ?? 1);
  const offset = checkCount('offset', req.offset ?? 0);
  const limit = checkCount('limit', req.limit ?? 0);
  const { ids, names } = groupColumn(index, by);

  const tally =
    req.query !== undefined
      ? tallyPositions(
          index,
          ids,
          names.length,
          windowPositions(index, resolveHits(index, req.query, req.caseSensitive), ...(req.span ?? DEFAULT_SPAN)),
        )
      : tallyCorpus(index, ids, names.length);

  // POS tags are not words: a stoplist has nothing to remove from them.
  const useStoplist = by !== 'pos' && (req.stoplist ?? req.stopwords !== undefined);
  const stop = useStoplist ? stopwordSet(req.stopwords) : undefined;

  let types = 0;
  const rows: FreqRow[] = [];
  for (let id = 0; id < names.length; id++) {
    const f = tally.freq[id]!;
    if (f === 0) continue;
    types++;
    if (f < minFreq) continue;
    const term = names[id]!;
    if (stop && stop.has(foldKey(term))) continue;
    rows.push({ rank: 0, term, freq: f, perMillion: perMillion(f, tally.base), range: tally.range[id]! });
  }
  rows.sort((a, b) => b.freq - a.freq || codePointOrder(a.term, b.term));
  rows.forEach((r, i) => (r.rank = i + 1));

  const descending = req.descending ?? (sort === 'freq' || sort === 'range' || sort === 'perMillion');
  if (sort !== 'freq' || !descending) {
    const dir = descending ? -1 : 1;
    rows.sort((a, b) => {
      const primary = sort === 'term' ? codePointOrder(a.term, b.term) : a[sort] - b[sort];
      return dir * primary || a.rank - b.rank;
    });
  }
  return {
    by,
    corpusTokens: tally.base,
    types,
    total: rows.length,
    rows: limit > 0 ? rows.slice(offset, offset + limit) : rows.slice(offset),
  };
}
