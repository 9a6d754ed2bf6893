/** Query hits as the statistics consume them: runQuery's columns, sorted by start, ends exclusive. */
import type { CorpusIndex } from '../index/store.js';
import { runQuery, type RunOptions } from '../query/run.js';
import { LoupeFailure } from '../contract/errors.js';

export interface Hits {
  starts: Uint32Array;
  ends: Uint32Array;
}

/** How a request's query is matched: its `caseSensitive` and `matching`, as every statistic's request names them. */
export type HitOptions = Pick<RunOptions, 'caseSensitive' | 'matching'>;

export function resolveHits(index: CorpusIndex, query: string, opts: HitOptions = {}): Hits {
  if (typeof query !== 'string' || query.trim() === '') throw new LoupeFailure('E_USAGE', 'a query is required');
  return runQuery(index, query, { caseSensitive: !!opts.caseSensitive, matching: opts.matching ?? 'shortest' });
}
