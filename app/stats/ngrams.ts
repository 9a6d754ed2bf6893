/**
 * N-grams (clusters) of case-folded words over counted tokens: punctuation is skipped, but an
 * n-gram never runs across a sentence start (a token flagged SENTENCE_START, counted or not) or
 * a document boundary. With a query, only n-grams holding one of its hits (at slot `position`,
 * or anywhere) are kept; the query's hits must each cover one counted token.
 */
import { SENTENCE_START, type CorpusIndex } from '../index/store.js';
import type { NgramRequest, NgramResult, NgramRow } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { perMillion } from './counts.js';
import { resolveHits } from './hits.js';
import { checkCount } from './collocation.js';

function hitMarks(index: CorpusIndex, query: string, caseSensitive?: boolean): Uint8Array {
  const { starts, ends } = resolveHits(index, query, caseSensitive);
  const mark = new Uint8Array(index.tokenCount);
  for (let k = 0; k < starts.length; k++) {
    let at = -1;
    for (let p = starts[k]!; p < ends[k]!; p++) {
      if (index.counted[p] === 0) continue;
      if (at >= 0) throw new LoupeFailure('E_USAGE', `n-grams filter on a single word; "${query}" matches several words`);
      at = p;
    }
    if (at >= 0) mark[at] = 1;
  }
  return mark;
}

export function ngramList(index: CorpusIndex, req: NgramRequest): NgramResult {
  const n = req.n;
  if (!Number.isInteger(n) || n < 2 || n > 6) throw new LoupeFailure('E_USAGE', `n must be 2..6, got ${String(n)}`);
  const minFreq = checkCount('minFreq', req.minFreq ?? 2);
  const minRange = checkCount('minRange', req.minRange ?? 1);
  const offset = checkCount('offset', req.offset ?? 0);
  const limit = checkCount('limit', req.limit ?? 0);
  const slot = req.position;
  if (slot !== undefined && (!Number.isInteger(slot) || slot < 1 || slot > n)) {
    throw new LoupeFailure('E_USAGE', `position must be 1..${n}, got ${String(slot)}`);
  }
  const mark = req.query !== undefined ? hitMarks(index, req.query, req.caseSensitive) : undefined;

  const entry = new Map<string, number>();
  const freq: number[] = [];
  const range: number[] = [];
  const lastDoc: number[] = [];
  const ring = new Uint32Array(n); // positions of the last n counted tokens of the current sentence
  const words = index.words;
  const { word, counted, flags } = index;
  const parts: string[] = new Array<string>(n);

  for (let d = 0; d < index.docs.length; d++) {
    let len = 0;
    for (let i = index.docStart[d]!, end = index.docStart[d + 1]!; i < end; i++) {
      if (flags[i]! & SENTENCE_START) len = 0;
      if (counted[i] === 0) continue;
      ring[len % n] = i;
      len++;
      if (len < n) continue;
      const first = len - n; // segment index of the n-gram's first token
      if (mark) {
        let found = false;
        if (slot !== undefined) found = mark[ring[(first + slot - 1) % n]!] === 1;
        else for (let j = 0; j < n && !found; j++) found = mark[ring[(first + j) % n]!] === 1;
        if (!found) continue;
      }
      for (let j = 0; j < n; j++) parts[j] = words[word[ring[(first + j) % n]!]!]!;
      const key = parts.join(' ');
      let e = entry.get(key);
      if (e === undefined) {
        e = freq.length;
        entry.set(key, e);
        freq.push(0);
        range.push(0);
        lastDoc.push(-1);
      }
      freq[e]!++;
      if (lastDoc[e] !== d) {
        lastDoc[e] = d;
        range[e]!++;
      }
    }
  }

  const rows: NgramRow[] = [];
  for (const [ngram, e] of entry) {
    const f = freq[e]!;
    if (f < minFreq || range[e]! < minRange) continue;
    rows.push({ ngram, freq: f, range: range[e]!, perMillion: perMillion(f, index.countedTotal) });
  }
  rows.sort((a, b) => b.freq - a.freq || (a.ngram < b.ngram ? -1 : a.ngram > b.ngram ? 1 : 0));
  return { n, total: rows.length, rows: limit > 0 ? rows.slice(offset, offset + limit) : rows.slice(offset) };
}
