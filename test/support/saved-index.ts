/**
 * A corpus of Brown texts and the bundled chapter (plus any extra files) indexed into a cache folder:
 * its saved index file, the index loaded whole, and the same file opened lazily, as a large corpus
 * is. For tests that compare what a lazily opened index reads with the columns.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openCorpus } from '../../app/indexing/open.js';
import { loadIndex } from '../../app/index/persist.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { CHAPTER_NAME, CHAPTER_TEXT, removeDir, tempDir, writeBrownCorpus } from './corpus.js';

export interface SavedCorpus {
  /** The saved index file. */
  file: string;
  /** The index loaded whole from that file. */
  whole: CorpusIndex;
  /** The file opened lazily, afresh: nothing read beyond the header. */
  lazily(): Promise<CorpusIndex>;
  remove(): void;
}

export async function savedCorpus(label: string, brownTexts: number, extra: Record<string, string> = {}): Promise<SavedCorpus> {
  const corpus = tempDir(label);
  const cache = tempDir(`${label}-cache`);
  writeBrownCorpus(corpus, brownTexts);
  writeFileSync(join(corpus, CHAPTER_NAME), CHAPTER_TEXT);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(corpus, name), text);
  await openCorpus([corpus], { indexDir: cache, inThreadBelow: 50_000_000 });
  const file = savedIndexFile(cache);
  const whole = (await loadIndex(file)).index;
  expect(whole.lazy).toBe(false);
  return {
    file,
    whole,
    async lazily() {
      const { index } = await loadIndex(file, { lazyAbove: 0 });
      expect(index.lazy).toBe(true);
      return index;
    },
    remove() {
      removeDir(corpus);
      removeDir(cache);
    },
  };
}

/** The one index file saved in a cache folder (each corpus's under a folder of its own). */
export function savedIndexFile(cache: string): string {
  const found = readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.loupe'));
  expect(found).toHaveLength(1);
  return join(cache, found[0]!);
}

/** The whole columns an index has loaded (each 1 or 4 bytes a token). */
export function columnsRead(index: CorpusIndex): string[] {
  const fields = index as unknown as Record<string, unknown>;
  return ['_form', '_lemma', '_pos', '_kind', '_counted', '_start', '_end', '_flags'].filter((f) => fields[f] !== undefined);
}
