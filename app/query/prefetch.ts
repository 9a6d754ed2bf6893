/**
 * Before a query runs: the postings its patterns will read that lie scattered over the saved file
 * (the words of a literal end, `/.*ness/`, are in hundreds of places) are read several at once in the
 * background threads. The query itself runs synchronously and would wait on each read in turn;
 * afterwards it takes the union made from them (or, for a union too dense for a list, finds them in
 * the page cache). A query that fails to parse or resolve here is left for the run to report.
 */
import type { CorpusIndex } from '../index/store.js';
import type { Condition } from './ast.js';
import { parseQuery, type RunOptions } from './run.js';
import { resolveTerms } from './terms.js';

export async function prefetchQuery(index: CorpusIndex, query: string, opts: RunOptions): Promise<void> {
  const reads: Array<Promise<void>> = [];
  try {
    const parsed = parseQuery(query, { english: index.hasEnglish, ...opts });
    const visit = (c: Condition, position: number): void => {
      if (c.type === 'and' || c.type === 'or') for (const item of c.items) visit(item, position);
      else if (c.type === 'not') visit(c.item, position);
      else if (c.type === 'test' && c.match.kind !== 'literal') {
        const prefetch = resolveTerms(index, c.attr, c.match, !!c.caseInsensitive, position).prefetch;
        if (prefetch) reads.push(prefetch());
      }
    };
    for (const t of parsed.tokens) visit(t.condition, t.position);
  } catch {
    return;
  }
  await Promise.all(reads);
}
