/** Query hits as the statistics consume them: runQuery's columns, sorted by start, ends exclusive. */
import type { CorpusIndex } from '../index/store.js';
import { runQuery } from '../query/run.js';
import { LoupeFailure } from '../contract/errors.js';

export interface Hits {
  starts: Uint32Array;
  ends: Uint32Array;
}

export function resolveHits(index: CorpusIndex, query: string, caseSensitive = false): Hits {
  if (typeof query !== 'string' || query.trim() === '') throw new LoupeFailure('E_USAGE', 'a query is required');
  return runQuery(index, query, { caseSensitive });
}
