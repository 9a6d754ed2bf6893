/**
 * Incremental re-indexing: after a file is edited, added or removed, only that file is tokenised, and
 * the index equals (column for column, id for id) a fresh full build over the files as they now are.
 */
import { appendFileSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus, type OpenedCorpus } from '../../app/indexing/open.js';
import { brownFiles, counts, csvFile, removeDir, snapshot, tempDir, writeAll } from './support.js';

let dir: string;
let cache: string;
const fresh: string[] = [];

beforeAll(() => {
  dir = tempDir('inc');
  cache = tempDir('inc-cache');
  writeAll(dir, { ...brownFiles(20), 'zz-rows.csv': csvFile() });
});
afterAll(() => {
  removeDir(dir);
  removeDir(cache);
  for (const d of fresh) removeDir(d);
});

async function open(notices: string[] = []): Promise<OpenedCorpus> {
  return openCorpus([dir], { indexDir: cache, onNotice: (m) => notices.push(m) });
}

/** The same folder indexed from nothing, in a cache of its own. */
async function fullBuild(): Promise<OpenedCorpus> {
  const own = tempDir('inc-fresh');
  fresh.push(own);
  const o = await openCorpus([dir], { indexDir: own });
  expect(o.info.reused).toBe(false);
  return o;
}

describe('incremental re-indexing', () => {
  it('the first open tokenises every document; the second reuses the saved index', async () => {
    const first = await open();
    // 20 texts + 3 CSV rows
    expect(first.info.documents).toHaveLength(23);
    expect(first.tokenised).toBe(23);
    const again = await open();
    expect(again.info.reused).toBe(true);
    expect(again.tokenised).toBe(0);
  });

  it('one edited file: only it is tokenised, and the index equals a full build', async () => {
    const before = (await open()).index;
    const victim = join(dir, 'ca05.txt');
    appendFileSync(victim, '\nThe zebra crossed the government square. A zebra said nothing.\n');
    const notices: string[] = [];
    const o = await open(notices);
    expect(o.info.reused).toBe(false);
    expect(o.tokenised).toBe(1);
    expect(notices).toContain('Re-indexed 1 changed file; 20 reused.');
    expect(counts(o.index).zebra).toBe(2);
    expect(counts(o.index).government).toBe(counts(before).government! + 1);
    const full = await fullBuild();
    expect(snapshot(o.index)).toEqual(snapshot(full.index));
    expect(counts(o.index)).toEqual(counts(full.index));
    expect(o.info.fingerprint).toBe(full.info.fingerprint);
    // What was saved is the new index, and it is reused as it is.
    const again = await open();
    expect(again.info.reused).toBe(true);
    expect(snapshot(again.index)).toEqual(snapshot(full.index));
  });

  it('one file added and one removed: only the new one is tokenised', async () => {
    writeFileSync(join(dir, 'cb01.txt'), Object.values(brownFiles(1, 21))[0]!);
    rmSync(join(dir, 'ca02.txt'));
    const notices: string[] = [];
    const o = await open(notices);
    expect(o.tokenised).toBe(1);
    expect(notices).toContain('Re-indexed 1 added, 1 removed files; 20 reused.');
    expect(o.info.documents.map((d) => d.name)).not.toContain('ca02.txt');
    expect(o.info.documents.map((d) => d.name)).toContain('cb01.txt');
    const full = await fullBuild();
    expect(snapshot(o.index)).toEqual(snapshot(full.index));
    expect(counts(o.index)).toEqual(counts(full.index));
  });

  it('a file of several documents (CSV rows) is reused whole, and re-tokenised whole when it changes', async () => {
    const csv = join(dir, 'zz-rows.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8') + '"Writer 9","A zebra in a table row."\n');
    const o = await open();
    expect(o.tokenised).toBe(4);
    expect(o.info.documents.filter((d) => d.name.startsWith('zz-rows.csv'))).toHaveLength(4);
    expect(o.info.documents.at(-1)!.meta).toEqual({ author: 'Writer 9' });
    const full = await fullBuild();
    expect(snapshot(o.index)).toEqual(snapshot(full.index));
  });

  it('a touched but unchanged file costs a read, not a tokenisation', async () => {
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'ca01.txt'), later, later);
    const o = await open();
    expect(o.tokenised).toBe(0);
    expect(o.info.reused).toBe(true);
    const full = await fullBuild();
    expect(snapshot(o.index)).toEqual(snapshot(full.index));
  });

  it('a touched file and a changed one: the touched file is reused, the changed one tokenised', async () => {
    const later = new Date(Date.now() + 10_000);
    utimesSync(join(dir, 'ca03.txt'), later, later);
    appendFileSync(join(dir, 'ca04.txt'), '\nOne more zebra.\n');
    const o = await open();
    expect(o.tokenised).toBe(1);
    const full = await fullBuild();
    expect(snapshot(o.index)).toEqual(snapshot(full.index));
    expect(counts(o.index)).toEqual(counts(full.index));
  });
});
