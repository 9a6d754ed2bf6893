/**
 * Word lists: counted tokens grouped by case-folded word, exact form, lemma or POS, with rank,
 * frequency, per million and range (documents containing the term). Optionally restricted to the
 * window set of a query (the same windows collocation uses), in which case the base of
 * `perMillion` and `corpusTokens` is the window set's size.
 */
import { firstAtLeast, type CorpusIndex } from '../index/store.js';
import type { FreqBy, FreqRequest, FreqResult, FreqRow } from '../contract/stats.js';
import { LoupeFailure } from '../contract/errors.js';
import { foldKey } from '../text/normalise.js';
import { countedFrequencies, countedRange, groupColumn, perMillion, tables, termRank } from './counts.js';
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

function tallyPositions(
  index: CorpusIndex,
  ids: ArrayLike<number>,
  fold: Uint32Array | undefined,
  terms: number,
  positions: Uint32Array,
): Tally {
  const sorted = Uint32Array.from(positions).sort();
  const freq = new Uint32Array(terms);
  const range = new Uint32Array(terms);
  const lastDoc = new Int32Array(terms).fill(-1);
  let d = 0;
  const lastD = index.docs.length - 1;
  for (let k = 0; k < sorted.length; k++) {
    const p = sorted[k]!;
    while (d < lastD && index.docStart[d + 1]! <= p) d++;
    const id = fold === undefined ? ids[p]! : fold[ids[p]!]!;
    freq[id]!++;
    if (lastDoc[id] !== d) {
      lastDoc[id] = d;
      range[id]!++;
    }
  }
  return { freq, range, base: sorted.length };
}

/*
 * Orders of a word list are Uint32Arrays of the ids with freq > 0. Ties are broken by rank (freq
 * desc, then term in code-point order), so every order is a numeric sort: keys pack the primary
 * value and a tie-break position into one double (both well under 2^53 together) and are sorted
 * by the typed array's own sort, with no comparator and no strings. The corpus-wide orders are
 * cached beside the index; filters (minFreq, stop list) and paging walk an order without re-sorting.
 */

/** Ids by term in code-point order (inverse of termRank), all ids. */
function alphabetical(index: CorpusIndex, by: FreqBy): Uint32Array {
  const cache = tables(index).orders;
  const key = `${by}:alphaAll`;
  let out = cache.get(key);
  if (!out) {
    const rank = termRank(index, by);
    out = new Uint32Array(rank.length);
    for (let id = 0; id < rank.length; id++) out[rank[id]!] = id;
    cache.set(key, out);
  }
  return out;
}

/** Sorts `n` items by the packed key (primary * scale + tie), returning `decode(tie)` in that order. */
function packedOrder(
  n: number,
  scale: number,
  primary: (i: number) => number,
  tie: (i: number) => number,
  decode: (t: number) => number,
): Uint32Array {
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = primary(i) * scale + tie(i);
  keys.sort();
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = decode(keys[i]! % scale);
  return out;
}

const SAFE = 2 ** 53;

/** Rank order: freq desc, then term. */
function freqDescending(freq: Uint32Array, alpha: Uint32Array): Uint32Array {
  let n = 0;
  let maxF = 0;
  for (let id = 0; id < freq.length; id++) {
    const f = freq[id]!;
    if (f > 0) n++;
    if (f > maxF) maxF = f;
  }
  // Walk terms alphabetically so the tie-break is the alphabetical position itself.
  const byAlpha = new Uint32Array(n);
  for (let r = 0, j = 0; r < alpha.length; r++) if (freq[alpha[r]!]! > 0) byAlpha[j++] = alpha[r]!;
  if ((maxF + 1) * n < SAFE)
    return packedOrder(
      n,
      n,
      (i) => maxF - freq[byAlpha[i]!]!,
      (i) => i,
      (t) => byAlpha[t]!,
    );
  // Out of packing room (never at corpus sizes Loupe handles): a stable comparator sort keeps the tie order.
  return Uint32Array.from(Array.from(byAlpha).sort((a, b) => freq[b]! - freq[a]!));
}

/** freq asc, then rank asc: the runs of equal freq of the rank order, last run first. */
function freqAscending(desc: Uint32Array, freq: Uint32Array): Uint32Array {
  const out = new Uint32Array(desc.length);
  let j = 0;
  let end = desc.length;
  while (end > 0) {
    const f = freq[desc[end - 1]!]!;
    let start = end - 1;
    while (start > 0 && freq[desc[start - 1]!]! === f) start--;
    for (let i = start; i < end; i++) out[j++] = desc[i]!;
    end = start;
  }
  return out;
}

/** range desc (or asc), then rank asc. */
function byRange(desc: Uint32Array, range: Uint32Array, descending: boolean): Uint32Array {
  const n = desc.length;
  let maxR = 0;
  for (let i = 0; i < n; i++) maxR = Math.max(maxR, range[desc[i]!]!);
  const primary = descending ? (i: number) => maxR - range[desc[i]!]! : (i: number) => range[desc[i]!]!;
  if ((maxR + 1) * n < SAFE)
    return packedOrder(
      n,
      n,
      primary,
      (i) => i,
      (t) => desc[t]!,
    );
  const pos = Array.from({ length: n }, (_, i) => i).sort((a, b) => primary(a) - primary(b) || a - b);
  return Uint32Array.from(pos, (i) => desc[i]!);
}

type OrderName = 'freqDesc' | 'freqAsc' | 'alpha' | 'rangeDesc' | 'rangeAsc' | 'rankPos';

interface Orders {
  get(name: OrderName): Uint32Array;
}

function ordersOf(tally: Tally, alphaAll: Uint32Array, cache?: { map: Map<string, Uint32Array>; prefix: string }): Orders {
  const local = new Map<string, Uint32Array>();
  const get = (name: OrderName): Uint32Array => {
    const key = cache ? `${cache.prefix}:${name}` : name;
    const store = cache ? cache.map : local;
    let o = store.get(key);
    if (o) return o;
    switch (name) {
      case 'freqDesc':
        o = freqDescending(tally.freq, alphaAll);
        break;
      case 'freqAsc':
        o = freqAscending(get('freqDesc'), tally.freq);
        break;
      case 'alpha': {
        const f = tally.freq;
        let n = 0;
        for (let r = 0; r < alphaAll.length; r++) if (f[alphaAll[r]!]! > 0) n++;
        o = new Uint32Array(n);
        for (let r = 0, j = 0; r < alphaAll.length; r++) if (f[alphaAll[r]!]! > 0) o[j++] = alphaAll[r]!;
        break;
      }
      case 'rangeDesc':
        o = byRange(get('freqDesc'), tally.range, true);
        break;
      case 'rangeAsc':
        o = byRange(get('freqDesc'), tally.range, false);
        break;
      case 'rankPos': {
        // Not an order: position of each id (by id) in the rank order.
        const desc = get('freqDesc');
        o = new Uint32Array(tally.freq.length);
        for (let i = 0; i < desc.length; i++) o[desc[i]!] = i;
        break;
      }
    }
    store.set(key, o);
    return o;
  };
  return { get };
}

/** Stop flags per term id for a stop list, and the ids flagged; cached per index, grouping and list. */
function stopFlags(
  index: CorpusIndex,
  by: FreqBy,
  names: readonly string[],
  stopwords: readonly string[] | undefined,
): { flags: Uint8Array; ids: Uint32Array } {
  const stop = stopwordSet(stopwords);
  const cache = tables(index).stopFlags;
  const key = `${by}:${stopwords ? [...stop].sort().join('\n') : '(bundled)'}`;
  let flags = cache.get(key);
  if (!flags) {
    flags = new Uint8Array(names.length);
    for (let id = 0; id < names.length; id++) if (stop.has(foldKey(names[id]!))) flags[id] = 1;
    // A few user lists at most are worth keeping.
    if (cache.size >= 8) cache.delete(cache.keys().next().value!);
    cache.set(key, flags);
  }
  let ids = stopIds.get(flags);
  if (!ids) {
    const list: number[] = [];
    for (let id = 0; id < flags.length; id++) if (flags[id] === 1) list.push(id);
    stopIds.set(flags, (ids = Uint32Array.from(list)));
  }
  return { flags, ids };
}
const stopIds = new WeakMap<Uint8Array, Uint32Array>();

/** How many leading entries of a freq-descending order have freq >= minFreq. */
function countAtLeast(desc: Uint32Array, freq: Uint32Array, minFreq: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (freq[desc[mid]!]! >= minFreq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function frequencyList(index: CorpusIndex, req: FreqRequest = {}): FreqResult {
  const by = req.by ?? 'word';
  if (!FREQ_BY.includes(by)) throw new LoupeFailure('E_USAGE', `word lists group by ${FREQ_BY.join(', ')}, not ${String(by)}`);
  const sort: FreqSort = req.sort ?? 'freq';
  if (!FREQ_SORTS.includes(sort)) throw new LoupeFailure('E_USAGE', `sort by one of ${FREQ_SORTS.join(', ')}, not ${String(sort)}`);
  const minFreq = checkCount('minFreq', req.minFreq ?? 1);
  const offset = checkCount('offset', req.offset ?? 0);
  const limit = checkCount('limit', req.limit ?? 0);
  const group = groupColumn(index, by);
  const names = group.names;

  const windowed = req.query !== undefined;
  const tally: Tally = windowed
    ? tallyPositions(
        index,
        group.ids,
        group.fold,
        names.length,
        windowPositions(index, resolveHits(index, req.query!, req), ...(req.span ?? DEFAULT_SPAN)),
      )
    : { freq: countedFrequencies(index, by), range: countedRange(index, by), base: index.countedTotal };
  const orders = ordersOf(tally, alphabetical(index, by), windowed ? undefined : { map: tables(index).orders, prefix: by });

  // POS tags are not words: a stoplist has nothing to remove from them.
  const useStoplist = by !== 'pos' && (req.stoplist ?? req.stopwords !== undefined);
  const stopList = useStoplist ? stopFlags(index, by, names, req.stopwords) : undefined;
  const stop = stopList?.flags;
  const freq = tally.freq;
  const filtered = stop !== undefined || minFreq > 1;
  const keeps = (id: number): boolean => freq[id]! >= minFreq && (stop === undefined || stop[id] === 0);

  const descending = req.descending ?? (sort === 'freq' || sort === 'range' || sort === 'perMillion');
  const rankOrder = orders.get('freqDesc');
  let order: Uint32Array;
  let reverse = false;
  if (sort === 'term') [order, reverse] = [orders.get('alpha'), descending];
  else if (sort === 'rank') [order, reverse] = [rankOrder, descending];
  else if (sort === 'range') order = orders.get(descending ? 'rangeDesc' : 'rangeAsc');
  // perMillion has the same base for every row, so it orders exactly as freq does.
  else order = descending ? rankOrder : orders.get('freqAsc');

  // The rows on the page: walk the order, skipping what the filters drop, until the page is full.
  // The total needs no walk: terms at or above minFreq (a prefix of the rank order) less the
  // stopped ones among them.
  const n = order.length;
  const end = limit > 0 ? offset + limit : Infinity;
  const page: number[] = [];
  let total = n;
  if (!filtered) {
    for (let k = offset; k < Math.min(n, end); k++) page.push(order[reverse ? n - 1 - k : k]!);
  } else {
    total = countAtLeast(rankOrder, freq, Math.max(1, minFreq));
    if (stopList) for (const id of stopList.ids) if (freq[id]! >= Math.max(1, minFreq)) total--;
    let kept = 0;
    for (let k = 0; k < n && kept < end; k++) {
      const id = order[reverse ? n - 1 - k : k]!;
      if (!keeps(id)) continue;
      if (kept >= offset) page.push(id);
      kept++;
    }
  }

  // Ranks: position in the (filtered) rank order. Page rows pass the filters, and every term that
  // minFreq drops comes after them in rank order, so only stopped terms ranked earlier shift a rank.
  const ranks = new Array<number>(page.length);
  if (order === rankOrder) {
    for (let i = 0; i < page.length; i++) ranks[i] = reverse ? total - offset - i : offset + i + 1;
  } else if (page.length > 0) {
    const pos = orders.get('rankPos');
    let stopped: Float64Array | undefined;
    if (stopList) {
      const at: number[] = [];
      for (const id of stopList!.ids) if (freq[id]! > 0) at.push(pos[id]!);
      stopped = Float64Array.from(at).sort();
    }
    for (let i = 0; i < page.length; i++) {
      const p = pos[page[i]!]!;
      // Less the stopwords ranked above it: those of `stopped` below p.
      ranks[i] = p + 1 - (stopped ? firstAtLeast(stopped, p) : 0);
    }
  }

  const rows: FreqRow[] = page.map((id, i) => {
    const f = freq[id]!;
    return { rank: ranks[i]!, term: names[id]!, freq: f, perMillion: perMillion(f, tally.base), range: tally.range[id]! };
  });
  return { by, corpusTokens: tally.base, types: rankOrder.length, total, rows };
}
