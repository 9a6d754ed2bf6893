/**
 * A passage index as its terms: FlexSearch scores a paragraph by where a term stands in it, never by
 * the rest of the corpus, so a term's postings in an index over all paragraphs are its postings in
 * indexes over consecutive runs of them, joined in order. The saved passage index keeps each part's
 * terms in shards by a hash of the term; a search reads only the shards of its own terms, joins each
 * term's postings across parts, and lets FlexSearch rank them in an index that holds just those terms.
 */
import { createHash } from 'node:crypto';
import type { Index } from 'flexsearch';
import { newPassageIndex, passageEncoder, yieldToOthers } from './passages.js';

/** A term's paragraphs by score, best first, as FlexSearch exports them (a slot may be empty). */
export type Slots = Array<number[] | null | undefined>;
export type TermEntry = [term: string, slots: Slots];

/** Shards per part: a search reads one per term and part, so each stays a small read. */
export const SHARDS = 256;

/** FNV-1a over UTF-16 code units: the same shard for a term in every process and version of Node. */
export function shardOf(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SHARDS;
}

/** The terms FlexSearch looks up for `text` (encoded as the index encodes paragraphs). */
export function queryTerms(text: string): string[] {
  return [...new Set(passageEncoder().encode(text))];
}

/** Whether `x` has the shape of exported FlexSearch postings: `[term, slots]` pairs. */
export function isTermEntries(x: unknown): x is TermEntry[] {
  return (
    Array.isArray(x) &&
    x.every(
      (e) =>
        Array.isArray(e) &&
        e.length === 2 &&
        typeof e[0] === 'string' &&
        Array.isArray(e[1]) &&
        (e[1] as unknown[]).every((s) => s === null || (Array.isArray(s) && s.every((id) => typeof id === 'number'))),
    )
  );
}

/**
 * A built part's terms by shard, through FlexSearch's export (its `map` keys hold the postings). The
 * handler returns a promise, so other requests are answered between chunks of a large part.
 */
export async function termsByShard(flex: Index): Promise<TermEntry[][]> {
  const shards: TermEntry[][] = Array.from({ length: SHARDS }, () => []);
  let malformed: string | undefined;
  await flex.export(async (key: string, data: string) => {
    if (key.split('.')[1] !== 'map') return;
    const entries: unknown = JSON.parse(data);
    if (!isTermEntries(entries)) malformed = key;
    else for (const e of entries) shards[shardOf(e[0])]!.push(e);
    await yieldToOthers();
  });
  if (malformed !== undefined) throw new Error(`FlexSearch exported ${malformed} in a shape this version cannot read`);
  return shards;
}

/** One term's postings from consecutive parts, joined as one index over all their paragraphs holds them. */
export function joinSlots(parts: Slots[]): Slots {
  const joined: Slots = [];
  for (const slots of parts) {
    slots.forEach((ids, score) => {
      if (!ids || !ids.length) return;
      const to = joined[score];
      joined[score] = to ? to.concat(ids) : ids.slice();
    });
  }
  return joined;
}

/** Paragraphs ranked by FlexSearch for `text`, given every part's postings of its terms. */
export function rankPassages(text: string, postings: Map<string, Slots>, limit: number): number[] {
  const flex = newPassageIndex();
  const entries = [...postings].filter(([, slots]) => slots.length > 0);
  // FlexSearch's import takes the parsed entries as well as their JSON text (it parses strings
  // first); passing them parsed spares writing and reparsing the postings of common words.
  (flex.import as (key: string, data: unknown) => void)('map', entries);
  return flex.search(text, { limit, suggest: true }) as number[];
}

/**
 * Postings of a fixed text through this FlexSearch: saved with a passage index and compared on
 * reading, so a FlexSearch that encodes, scores or exports differently rebuilds rather than misreads.
 */
export async function engineSignature(): Promise<string> {
  const flex = newPassageIndex();
  flex.add(0, 'The grand jury commented on a number of other topics, among them the Atlanta police.');
  flex.add(1, "Mérida's weavers worked; ΑΘΗΝΑ and Zürich, 1961 — the jury's report.");
  const h = createHash('sha256');
  await flex.export((key: string, data: string) => {
    h.update(`${key}=${data}\n`);
  });
  return h.digest('hex');
}
