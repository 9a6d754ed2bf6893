/**
 * Watching: an edit to a watched corpus re-indexes just that file and tells the listeners, with the
 * new figures; hidden and unreadable files are ignored. Every wait is for an event, with a timeout.
 */
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../app/contract/errors.js';
import type { IndexProgress } from '../../app/contract/types.js';
import { watchCorpus, type CorpusChangeBatch } from '../../app/corpus/watch.js';
import { Engine, type CorpusChange } from '../../app/engine.js';
import { brownFiles, nextEvent, removeDir, tempDir, writeAll } from './support.js';

let dir: string;
let cache: string;
let engine: Engine | undefined;
beforeEach(() => {
  dir = tempDir('watch');
  cache = tempDir('watch-cache');
  writeAll(dir, brownFiles(8));
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  removeDir(dir);
  removeDir(cache);
});

const changed = (e: Engine) => (l: (r: Result<CorpusChange>) => void) => e.onCorpusChanged(l);
const okValue = (r: Result<CorpusChange>) => {
  if (!r.ok) throw new Error(`re-index failed: ${r.error.message}`);
  return r.value;
};

async function hits(e: Engine, query: string): Promise<number> {
  const r = await e.count({ query });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.hits;
}

describe('watching a corpus', () => {
  it('an edited file: one document re-tokenised, hits updated, progress shown, listeners told', async () => {
    engine = new Engine({ indexDir: cache });
    const opened = await engine.openCorpus({ paths: [dir] });
    expect(opened.ok).toBe(true);
    expect(await hits(engine, 'zebra')).toBe(0);
    const theBefore = await hits(engine, 'the');
    expect((await engine.watch()).ok).toBe(true);
    const phases: string[] = [];
    engine.onProgress((p: IndexProgress) => phases.push(p.phase));

    const next = nextEvent(changed(engine), okValue);
    appendFileSync(join(dir, 'ca03.txt'), '\nThe zebra and the other zebra.\n');
    const change = await next;
    expect(change.tokenised).toBe(1);
    expect(change.notices).toContain('Re-indexed 1 changed file; 7 reused.');
    expect(change.info.documents).toHaveLength(8);
    expect(await hits(engine, 'zebra')).toBe(2);
    expect(await hits(engine, 'the')).toBe(theBefore + 2);
    expect(phases).toContain('tokenising');
    const info = await engine.corpusInfo();
    expect(info.ok && info.value.fingerprint).toBe(change.info.fingerprint);
  });

  it('a removed file and an added one are seen', async () => {
    engine = new Engine({ indexDir: cache });
    await engine.openCorpus({ paths: [dir] });
    await engine.watch();
    let next = nextEvent(changed(engine), okValue);
    rmSync(join(dir, 'ca01.txt'));
    let change = await next;
    expect(change.tokenised).toBe(0);
    expect(change.info.documents.map((d) => d.name)).not.toContain('ca01.txt');

    next = nextEvent(changed(engine), okValue);
    writeFileSync(join(dir, 'new.txt'), 'A zebra arrived.\n');
    change = await next;
    expect(change.tokenised).toBe(1);
    expect(change.info.documents.map((d) => d.name)).toContain('new.txt');
    expect(await hits(engine, 'zebra')).toBe(1);
  });

  it('after unwatch, nothing is re-indexed (the corpus stays as it was)', async () => {
    engine = new Engine({ indexDir: cache });
    await engine.openCorpus({ paths: [dir] });
    await engine.watch();
    await engine.unwatch();
    let heard = 0;
    engine.onCorpusChanged(() => heard++);
    // A second watcher on the same folder, slower to report, tells us when the edit has surely been seen
    // (and, were the engine still watching, re-indexed).
    const seen = new Promise<void>((resolve) => {
      const w = watchCorpus([dir], () => void w.close().then(resolve), { debounceMs: 1500 });
      void w.ready.then(() => appendFileSync(join(dir, 'ca02.txt'), '\nzebra\n'));
    });
    await seen;
    expect(heard).toBe(0);
    expect(await hits(engine, 'zebra')).toBe(0);
  });

  it('hidden files and files Loupe does not read cause no callback', async () => {
    const batches: CorpusChangeBatch[] = [];
    let resolveFirst: () => void = () => {};
    const first = new Promise<void>((r) => (resolveFirst = r));
    const w = watchCorpus([dir], (b) => {
      batches.push(b);
      resolveFirst();
    });
    try {
      await w.ready;
      writeFileSync(join(dir, '.ca01.txt.swp'), 'zebra');
      writeFileSync(join(dir, 'notes.bin'), 'zebra');
      appendFileSync(join(dir, 'ca04.txt'), '\nzebra\n');
      await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('no callback')), 20_000))]);
      const paths = batches.flatMap((b) => b.changes.map((c) => c.path));
      expect(paths).toEqual([join(dir, 'ca04.txt')]);
    } finally {
      await w.close();
    }
  });
});
