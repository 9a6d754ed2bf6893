/**
 * The passage index of a saved corpus index, kept on disk beside it (passage-folder.ts) so a corpus
 * opened again answers its first passage search without building anything. It is built in parts of
 * consecutive paragraphs, one FlexSearch index at a time, each written out and dropped before the
 * next: the memory a build takes is one part's, whatever the size of the corpus. The build runs in
 * slices, yielding between them, so other requests are answered meanwhile. A search reads only the
 * shards of its own terms (passage-terms.ts), keeping the most recently read in memory.
 */
import { LoupeFailure } from '../contract/errors.js';
import type { PassageHit } from '../contract/types.js';
import {
  clearPassageFolder,
  fingerprintOf,
  passageFolderOf,
  PassagesUnusable,
  readSavedPassages,
  readShard,
  writePart,
  writeSavedPassages,
  type IndexFingerprint,
  type SavedPart,
  type SavedPassages,
} from './passage-folder.js';
import { engineSignature, joinSlots, rankPassages, SHARDS, shardOf, queryTerms, termsByShard, type Slots } from './passage-terms.js';
import {
  newPassageIndex,
  paragraphsOf,
  paragraphText,
  passageHit,
  PassageSearch,
  SLICE_MS,
  yieldToOthers,
  type Paragraphs,
  type Passages,
} from './passages.js';
import type { CorpusIndex } from './store.js';

/** Tokens of paragraphs per part: a part's FlexSearch index takes a few hundred MB while it is built. */
const PART_TOKENS = 1 << 22;
/** Bytes of shards kept parsed in memory for later searches. */
const SHARD_CACHE_BYTES = 64 << 20;

export interface SavedPassageOptions {
  /** The corpus fingerprint (CorpusInfo.fingerprint), saved with the passages. */
  corpus: string;
  /** Told why saved passages are built again, or why they could not be saved. */
  onNotice?: (message: string) => void;
  /** Stops a build in progress (another corpus opened, the engine closing). */
  signal?: AbortSignal;
  /** Tokens per part (tests lower it to have several parts). */
  partTokens?: number;
}

/** Consecutive runs of paragraphs of about `partTokens` tokens each: [first, end) pairs. */
export function partsOf(paras: Paragraphs, partTokens: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  const n = paras.starts.length;
  let first = 0;
  for (let i = 0; i < n; i++) {
    if (i + 1 === n || paras.ends[i]! - paras.starts[first]! >= partTokens) {
      parts.push([first, i + 1]);
      first = i + 1;
    }
  }
  return parts;
}

/** Reports how a build went, for tests and the benchmark: parts written since this search was made. */
interface BuildCounts {
  partsWritten: number;
}

export class SavedPassageSearch implements Passages {
  private parasRead?: Paragraphs;
  private readonly folder: string;
  private saved?: SavedPassages;
  /** The in-memory index used when the passages could not be saved. */
  private live?: PassageSearch;
  private preparing?: Promise<void>;
  private readonly shards = new Map<string, { terms: Map<string, Slots>; bytes: number }>();
  private shardBytes = 0;
  readonly counts: BuildCounts = { partsWritten: 0 };

  constructor(
    private readonly index: CorpusIndex,
    private readonly indexFile: string,
    private readonly options: SavedPassageOptions,
  ) {
    this.folder = passageFolderOf(indexFile);
  }

  /** Found on first use: it reads every token's flags, which opening a saved index does not. */
  private get paras(): Paragraphs {
    return (this.parasRead ??= paragraphsOf(this.index));
  }

  /** Reads the saved passages, or builds and saves them when they are missing, foreign or damaged. */
  ready(): Promise<void> {
    return (this.preparing ??= this.prepare().catch((e: unknown) => {
      // A cancelled build is tried again by the next caller; any other failure has been reported.
      this.preparing = undefined;
      throw e;
    }));
  }

  async search(text: string, limit = 20): Promise<PassageHit[]> {
    for (let attempt = 0; ; attempt++) {
      await this.ready();
      if (this.live) return this.live.search(text, limit);
      try {
        return await this.searchSaved(text, limit);
      } catch (e) {
        if (!(e instanceof PassagesUnusable)) throw e;
        // Damaged again right after it was written: the disk, not the index, is at fault.
        if (attempt > 0) throw new LoupeFailure('E_INDEX', `The passage index cannot be read back from ${this.folder}: ${e.message}.`);
        this.rebuildBecause(e);
      }
    }
  }

  private rebuildBecause(why: PassagesUnusable): void {
    this.saved = undefined;
    this.forgetShards();
    this.preparing = this.build(why).catch((e: unknown) => {
      this.preparing = undefined;
      throw e;
    });
  }

  private async expected(): Promise<IndexFingerprint> {
    return fingerprintOf(this.indexFile, this.options.corpus, this.index.tokenCount, this.paras.starts.length);
  }

  private async prepare(): Promise<void> {
    try {
      this.saved = await readSavedPassages(this.folder, await this.expected(), await engineSignature());
    } catch (e) {
      // The index file itself unreadable is handled as the build finds it.
      await this.build(e instanceof PassagesUnusable ? e : new PassagesUnusable((e as Error).message));
    }
  }

  private async build(why: PassagesUnusable): Promise<void> {
    // Missing passages are simply built; replaced ones are worth a word.
    if (!why.missing) this.options.onNotice?.(`Building the passage index again: ${why.message}.`);
    try {
      const fingerprint = await this.expected();
      const signature = await engineSignature();
      await clearPassageFolder(this.folder);
      const parts: SavedPart[] = [];
      for (const [first, end] of partsOf(this.paras, this.options.partTokens ?? PART_TOKENS)) {
        parts.push(await this.buildPart(parts.length, first, end));
        this.counts.partsWritten++;
      }
      await writeSavedPassages(this.folder, { signature, fingerprint, parts });
      this.saved = await readSavedPassages(this.folder, fingerprint, signature);
    } catch (e) {
      if (e instanceof LoupeFailure && e.code === 'E_CANCELLED') throw e;
      // A full disk or an unwritable folder costs speed next time, not the search now.
      this.options.onNotice?.(`The passage index could not be saved (${(e as Error).message}); it is kept in memory.`);
      this.live = new PassageSearch(this.index);
      await this.live.ready();
    }
  }

  private checkCancelled(): void {
    if (this.options.signal?.aborted) throw new LoupeFailure('E_CANCELLED', 'Building the passage index was cancelled.');
  }

  /** Indexes paragraphs `first` to `end` in slices, then writes that part's terms by shard. */
  private async buildPart(n: number, first: number, end: number): Promise<SavedPart> {
    const flex = newPassageIndex();
    let until = performance.now() + SLICE_MS;
    for (let i = first; i < end; i++) {
      flex.add(i, paragraphText(this.index, this.paras, i).text);
      if ((i & 63) === 0 && performance.now() > until) {
        await yieldToOthers();
        this.checkCancelled();
        until = performance.now() + SLICE_MS;
      }
    }
    const shards = await termsByShard(flex);
    const texts: Buffer[] = [];
    for (let s = 0; s < SHARDS; s++) {
      texts.push(Buffer.from(JSON.stringify(shards[s]), 'utf8'));
      shards[s] = [];
      if ((s & 15) === 15) await yieldToOthers();
    }
    this.checkCancelled();
    return writePart(this.folder, n, first, end, texts);
  }

  private async searchSaved(text: string, limit: number): Promise<PassageHit[]> {
    const saved = this.saved!;
    const postings = new Map<string, Slots>();
    for (const term of queryTerms(text)) {
      const shard = shardOf(term);
      const perPart = await Promise.all(saved.parts.map((part, p) => this.termsOf(part, p, shard)));
      postings.set(term, joinSlots(perPart.map((terms) => terms.get(term) ?? [])));
    }
    return rankPassages(text, postings, limit).map((i) => passageHit(this.index, this.paras, i));
  }

  /** A shard of a part's terms, from memory when read recently. */
  private async termsOf(part: SavedPart, p: number, shard: number): Promise<Map<string, Slots>> {
    const key = `${p}:${shard}`;
    const cached = this.shards.get(key);
    if (cached) {
      // Most recently used last: the first entries are the ones dropped.
      this.shards.delete(key);
      this.shards.set(key, cached);
      return cached.terms;
    }
    const entries = await readShard(this.folder, part, shard);
    const terms = new Map(entries);
    const bytes = part.shards[shard]![1];
    this.shards.set(key, { terms, bytes });
    this.shardBytes += bytes;
    for (const [k, v] of this.shards) {
      if (this.shardBytes <= SHARD_CACHE_BYTES || k === key) break;
      this.shards.delete(k);
      this.shardBytes -= v.bytes;
    }
    return terms;
  }

  private forgetShards(): void {
    this.shards.clear();
    this.shardBytes = 0;
  }
}
