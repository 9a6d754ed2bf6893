/**
 * Files deleted, changed or added while a corpus is being indexed: no crash, a deleted file is skipped
 * with a reason, and the index ends consistent with what was read. Whatever happened, the next open
 * gives exactly the figures of a fresh build over the files as they now are.
 */
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../app/contract/types.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { OpenedCorpus } from '../../app/indexing/open.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_TEXT, open, removeDir, tempDir, writeFiles } from './support.js';

const PARAGRAPHS = CHAPTER_TEXT.split(/\n\s*\n/)
  .filter((p) => p.trim().length > 40)
  .slice(0, 40);
const NAMES = PARAGRAPHS.map((_, i) => `p${String(i).padStart(2, '0')}.txt`);

let dir: string;
let cache: string;
beforeEach(() => {
  dir = tempDir('changing');
  cache = tempDir('changing-cache');
  writeFiles(dir, Object.fromEntries(NAMES.map((n, i) => [n, PARAGRAPHS[i]! + '\n'])));
});
afterEach(() => {
  removeDir(dir);
  removeDir(cache);
});

/** The corpus as it is on disk now, built from scratch (no cache, no fingerprints). */
function freshFigures() {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort();
  const index = buildIndexSync(names.map((name) => ({ name, path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') })));
  return figures(index, names);
}

function figures(index: OpenedCorpus['index'], names = index.docs.map((d) => d.name)) {
  return {
    names,
    tokens: index.tokenCount,
    zebra: runQuery(index, 'zebra').starts.length,
    the: runQuery(index, 'the').starts.length,
  };
}

/** Runs `change` once, on the first progress event of the given phase. */
function onFirst(phase: IndexProgress['phase'], change: () => void) {
  let done = false;
  return (p: IndexProgress) => {
    if (!done && p.phase === phase) {
      done = true;
      change();
    }
  };
}

describe('files that change while the corpus is indexed', () => {
  it('a file deleted between listing and reading is skipped with a reason; the next open notices', async () => {
    const victim = NAMES.at(-1)!;
    const opened = await open([dir], cache, { onProgress: onFirst('reading', () => rmSync(join(dir, victim))) });
    expect(opened.info.skipped).toContainEqual({ name: victim, reason: expect.stringMatching(/disappeared/) });
    expect(opened.info.documents.map((d) => d.name)).toEqual(NAMES.slice(0, -1));
    const again = await open([dir], cache);
    expect(again.info.reused).toBe(false);
    expect(figures(again.index)).toEqual(freshFigures());
  });

  it('a file changed before it is read: the index holds the new text, and its fingerprint matches, so it is reused', async () => {
    const victim = NAMES.at(-2)!;
    const opened = await open([dir], cache, {
      onProgress: onFirst('reading', () => appendFileSync(join(dir, victim), 'A zebra appears.\n')),
    });
    expect(figures(opened.index)).toEqual(freshFigures());
    expect(figures(opened.index).zebra).toBe(1);
    const again = await open([dir], cache);
    expect(again.info.reused).toBe(true);
    expect(figures(again.index)).toEqual(freshFigures());
  });

  it('a file changed after it was read (while tokenising): the next open sees it and re-indexes', async () => {
    const victim = NAMES[3]!;
    const opened = await open([dir], cache, {
      onProgress: onFirst('tokenising', () => appendFileSync(join(dir, victim), 'A zebra and a zebra.\n')),
    });
    expect(figures(opened.index).zebra).toBe(0); // what was read
    const again = await open([dir], cache);
    expect(again.info.reused).toBe(false);
    expect(again.rebuiltBecause).toMatch(/changed/);
    expect(figures(again.index)).toEqual(freshFigures());
    expect(figures(again.index).zebra).toBe(2);
  });

  it('a file rewritten and one added while saving: the next open notices both', async () => {
    const victim = NAMES[0]!;
    const original = readFileSync(join(dir, victim), 'utf8');
    const opened = await open([dir], cache, {
      onProgress: onFirst('saving', () => {
        writeFileSync(join(dir, victim), original.replace(/^\S+/, 'zebra'));
        writeFileSync(join(dir, 'zz-new.txt'), 'A zebra arrived late.\n');
      }),
    });
    expect(opened.info.documents.map((d) => d.name)).toEqual(NAMES);
    const again = await open([dir], cache);
    expect(again.info.reused).toBe(false);
    expect(figures(again.index)).toEqual(freshFigures());
    expect(again.info.documents.map((d) => d.name)).toContain('zz-new.txt');
  });

  it('every file deleted while reading: a clear E_CORPUS, no crash; the folder refilled opens normally', async () => {
    const e = await open([dir], cache, {
      onProgress: onFirst('reading', () => {
        for (const n of NAMES) rmSync(join(dir, n), { force: true });
      }),
    }).then(
      () => undefined,
      (x) => x,
    );
    // The first reads may have finished before the deletion: either some documents or a clear failure.
    if (e) expect(e.code).toBe('E_CORPUS');
    writeFiles(dir, { 'back.txt': 'The zebra is back.\n' });
    const again = await open([dir], cache);
    expect(figures(again.index)).toEqual(freshFigures());
  });
});
