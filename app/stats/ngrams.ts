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
import { resolveHits, type HitOptions } from './hits.js';
import { checkCount } from './collocation.js';

function hitMarks(index: CorpusIndex, query: string, opts: HitOptions): Uint8Array {
  const { starts, ends } = resolveHits(index, query, opts);
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

/**
 * Open-addressing table of n-grams keyed by their word ids. Each n-gram is stored once as the
 * offset of its first occurrence in `stream` (the word ids of counted tokens, appended as the scan
 * goes), so a key costs four bytes however long n is, and no n-gram string is made until its row is.
 */
class GramTable {
  /** Offset + 1 of the n-gram's ids in the stream; 0 = empty slot. */
  at: Uint32Array;
  hash: Uint32Array;
  freq: Uint32Array;
  range: Uint32Array;
  lastDoc: Int32Array;
  size = 0;
  private mask: number;

  constructor(
    private readonly n: number,
    capacity = 1 << 16,
  ) {
    this.at = new Uint32Array(capacity);
    this.hash = new Uint32Array(capacity);
    this.freq = new Uint32Array(capacity);
    this.range = new Uint32Array(capacity);
    this.lastDoc = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Counts the n-gram stream[from .. from + n) seen in document d. */
  add(stream: Uint32Array, from: number, d: number): void {
    const n = this.n;
    let h = 0x9e3779b9;
    for (let j = 0; j < n; j++) {
      h = Math.imul(h ^ stream[from + j]!, 0x85ebca6b);
      h ^= h >>> 13;
    }
    h = Math.imul(h, 0xc2b2ae35) ^ (h >>> 16);
    h >>>= 0;
    const { at, hash, mask } = this;
    let slot = h & mask;
    for (;;) {
      const a = at[slot]!;
      if (a === 0) break;
      if (hash[slot] === h) {
        const o = a - 1;
        let same = true;
        for (let j = 0; j < n && same; j++) same = stream[o + j] === stream[from + j];
        if (same) {
          this.freq[slot]!++;
          if (this.lastDoc[slot] !== d) {
            this.lastDoc[slot] = d;
            this.range[slot]!++;
          }
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    at[slot] = from + 1;
    hash[slot] = h;
    this.freq[slot] = 1;
    this.range[slot] = 1;
    this.lastDoc[slot] = d;
    if (++this.size * 2 > at.length) this.grow();
  }

  private grow(): void {
    const { at, hash, freq, range, lastDoc } = this;
    const cap = at.length * 2;
    this.at = new Uint32Array(cap);
    this.hash = new Uint32Array(cap);
    this.freq = new Uint32Array(cap);
    this.range = new Uint32Array(cap);
    this.lastDoc = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < at.length; i++) {
      if (at[i] === 0) continue;
      let slot = hash[i]! & this.mask;
      while (this.at[slot] !== 0) slot = (slot + 1) & this.mask;
      this.at[slot] = at[i]!;
      this.hash[slot] = hash[i]!;
      this.freq[slot] = freq[i]!;
      this.range[slot] = range[i]!;
      this.lastDoc[slot] = lastDoc[i]!;
    }
  }
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
  const mark = req.query !== undefined ? hitMarks(index, req.query, req) : undefined;

  const table = new GramTable(n);
  const stream = new Uint32Array(index.countedTotal);
  let top = 0; // stream length
  const ring = new Uint32Array(n); // positions of the last n counted tokens of the current sentence
  const { word, counted, flags } = index;

  for (let d = 0; d < index.docs.length; d++) {
    let len = 0;
    for (let i = index.docStart[d]!, end = index.docStart[d + 1]!; i < end; i++) {
      if (flags[i]! & SENTENCE_START) len = 0;
      if (counted[i] === 0) continue;
      ring[len % n] = i;
      stream[top++] = word[i]!;
      len++;
      if (len < n) continue;
      if (mark) {
        const first = len - n; // segment index of the n-gram's first token
        let found = false;
        if (slot !== undefined) found = mark[ring[(first + slot - 1) % n]!] === 1;
        else for (let j = 0; j < n && !found; j++) found = mark[ring[(first + j) % n]!] === 1;
        if (!found) continue;
      }
      table.add(stream, top - n, d);
    }
  }

  // Rows that pass the filters, ordered by freq desc on a numeric sort; the ngram-string order
  // within a run of equal freq is settled only for the runs the page reaches.
  const { at, freq, range } = table;
  let m = 0;
  let maxF = 0;
  for (let i = 0; i < at.length; i++) {
    if (at[i] !== 0 && freq[i]! >= minFreq && range[i]! >= minRange) {
      m++;
      if (freq[i]! > maxF) maxF = freq[i]!;
    }
  }
  const cand = new Uint32Array(m);
  for (let i = 0, j = 0; i < at.length; i++) if (at[i] !== 0 && freq[i]! >= minFreq && range[i]! >= minRange) cand[j++] = i;
  let order: Uint32Array;
  if ((maxF + 1) * m < 2 ** 53) {
    const keys = new Float64Array(m);
    for (let j = 0; j < m; j++) keys[j] = (maxF - freq[cand[j]!]!) * m + j;
    keys.sort();
    order = new Uint32Array(m);
    for (let j = 0; j < m; j++) order[j] = cand[keys[j]! % m]!;
  } else order = cand.sort((a, b) => freq[b]! - freq[a]!);

  const words = index.words;
  const rank = index.wordRank;
  const byNgram = (a: number, b: number): number => {
    const oa = at[a]! - 1;
    const ob = at[b]! - 1;
    for (let j = 0; j < n; j++) {
      const x = stream[oa + j]!;
      const y = stream[ob + j]!;
      if (x === y) continue;
      const wx = words[x]!;
      const wy = words[y]!;
      // Joined with spaces, a word that is a prefix of the other is compared against ' ' (unless it is last).
      if (j < n - 1 && (wy.startsWith(wx) || wx.startsWith(wy))) return codePointOrder(gramText(a), gramText(b));
      return rank[x]! - rank[y]!;
    }
    return 0;
  };
  const gramText = (s: number): string => {
    const o = at[s]! - 1;
    let t = words[stream[o]!]!;
    for (let j = 1; j < n; j++) t += ' ' + words[stream[o + j]!]!;
    return t;
  };

  const end = limit > 0 ? Math.min(m, offset + limit) : m;
  let k = offset;
  while (k < end) {
    // Find the whole run of equal freq around k and put it in ngram order.
    const f = freq[order[k]!]!;
    let a = k;
    while (a > 0 && freq[order[a - 1]!]! === f) a--;
    let b = k + 1;
    while (b < m && freq[order[b]!]! === f) b++;
    if (b - a > 1) order.subarray(a, b).sort(byNgram);
    k = b;
  }
  const rows: NgramRow[] = [];
  for (let j = offset; j < end; j++) {
    const s = order[j]!;
    rows.push({ ngram: gramText(s), freq: freq[s]!, range: range[s]!, perMillion: perMillion(freq[s]!, index.countedTotal) });
  }
  return { n, total: m, rows };
}

const codePointOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
