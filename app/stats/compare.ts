/**
 * Setting two or more queries side by side: hits, per million, documents, DP and dispersion on the
 * shared corpus axis, top collocates (shared ones marked: in the top list of at least two queries)
 * and each query's distinctive collocates.
 *
 * Distinctiveness of collocate c for query q = score(q, c) - max over the other queries of
 * score(other, c), by the chosen measure. Where c never occurs in another query's windows its
 * score there is worked out as if it occurred once (every measure grows with O), so the difference
 * is finite and never overstated. A shared collocate keeps company with several of the queries, so
 * it is distinctive of none of them, whatever the differences of its scores.
 */
import type { CorpusIndex } from '../index/store.js';
import type { CollocMeasure, CollocRow, CompareRequest, CompareResult, CompareTerm } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { perMillion } from './counts.js';
import { resolveHits } from './hits.js';
import {
  checkCount,
  checkMeasure,
  collocateCounts,
  collocRow,
  rankCandidates,
  scoredCandidates,
  stopwordTest,
  DEFAULT_SPAN,
  type CollocateCounts,
} from './collocation.js';
import { DEFAULT_PARTS, dispersionOfHits } from './dispersion.js';
import { checkSpan } from './windows.js';
import { measureScore } from './measures.js';

const COMPARE_MIN_OBSERVED = 2;

export function compareTerms(index: CorpusIndex, req: CompareRequest): CompareResult {
  const queries = req.queries;
  if (!Array.isArray(queries) || queries.length < 2) throw new LoupeFailure('E_USAGE', 'compare needs two or more queries');
  const span = req.span ?? DEFAULT_SPAN;
  checkSpan(span[0], span[1]);
  const measure = checkMeasure(req.measure ?? 'logDice', false) as CollocMeasure;
  const limit = checkCount('limit', req.limit ?? 20);
  const N = index.countedTotal;

  // Per query: its candidates (O >= 2) scored by the chosen measure only; full rows for its top list.
  const wordOf = (id: number) => index.wordAt(id);
  const skip = stopwordTest(wordOf, req.stoplist);
  const each = queries.map((query) => {
    const hits = resolveHits(index, query, req);
    const counts = collocateCounts(index, hits, span, 'word');
    const { cand, obs, score } = scoredCandidates(counts, COMPARE_MIN_OBSERVED, measure, skip);
    const order = rankCandidates(cand, score, obs, wordOf, limit);
    const top = Array.from(order, (id) => collocRow(index, counts, id));
    return { query, hits, counts, cand, score, top };
  });

  const listedBy = new Map<string, number>();
  for (const e of each) for (const r of e.top) listedBy.set(r.term, (listedBy.get(r.term) ?? 0) + 1);
  const shared = [...listedBy].filter(([, n]) => n >= 2).map(([t]) => t);
  const sharedSet = new Set(shared);

  const scoreIn = (c: CollocateCounts, id: number): number =>
    measureScore(measure, Math.max(1, c.observed[id]!), c.corpusFreq[id]!, c.windowTokens, c.corpusTokens, c.hits);

  const terms: CompareTerm[] = each.map((e, qi) => {
    const dispersion = dispersionOfHits(index, e.hits, e.query, DEFAULT_PARTS);
    const others = each.filter((o, oi) => oi !== qi && o.counts.windowTokens > 0);
    const distinctive: CompareTerm['distinctive'] = [];
    if (others.length > 0) {
      for (let i = 0; i < e.cand.length; i++) {
        const id = e.cand[i]!;
        if (sharedSet.has(wordOf(id))) continue;
        let otherScore = -Infinity;
        for (const o of others) otherScore = Math.max(otherScore, scoreIn(o.counts, id));
        const difference = e.score[i]! - otherScore;
        if (difference > 0) distinctive.push({ term: wordOf(id), score: e.score[i]!, otherScore, difference });
      }
    }
    distinctive.sort((a, b) => b.difference - a.difference || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return {
      query: e.query,
      hits: e.hits.starts.length,
      perMillion: perMillion(e.hits.starts.length, N),
      documents: index.documentCount(e.hits.starts),
      dp: dispersion.dp,
      dispersion,
      collocates: e.top.map((r: CollocRow) => ({ ...r, shared: sharedSet.has(r.term) })),
      distinctive: limit > 0 ? distinctive.slice(0, limit) : distinctive,
    };
  });
  return { measure, span: [span[0], span[1]], corpusTokens: N, terms, shared };
}
