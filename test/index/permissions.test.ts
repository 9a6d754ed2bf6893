/**
 * The index cache holds the corpus's texts (those extracted from Word, HTML, ... are stored whole), so
 * it must be no more readable than the corpus: a folder readable by its owner only must not leak into
 * a cache other users can read. Folders Loupe makes are 0700, files 0600, whatever the umask.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCorpus } from '../../app/indexing/open.js';
import { indexFileIn } from '../../app/index/persist.js';
import { removeDir, tempDir, writeTree } from '../support/corpus.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

describe.runIf(posix)('index cache permissions', () => {
  let root: string;
  let corpus: string;
  let umask: number;

  beforeEach(() => {
    // A permissive umask, so the test shows the modes are chosen, not inherited.
    umask = process.umask(0o022);
    root = tempDir('perms');
    corpus = join(root, 'private-texts');
    writeTree(corpus, {
      'diary.html': '<html><body><p>The bureaucracy of my private diary.</p></body></html>',
      'notes.txt': 'Private notes on the bureaucracy.\n',
    });
    chmodSync(corpus, 0o700);
  });
  afterEach(() => {
    process.umask(umask);
    removeDir(root);
  });

  it('makes the cache folders 0700 and the index file 0600, leaving no temporary file', async () => {
    const cache = join(root, 'cache', 'loupe');
    const opened = await openCorpus([corpus], { indexDir: cache });
    expect(opened.notSaved).toBeUndefined();
    const [key] = readdirSync(cache);
    const indexFile = indexFileIn(join(cache, key!));
    expect(mode(join(root, 'cache'))).toBe(0o700);
    expect(mode(cache)).toBe(0o700);
    expect(mode(join(cache, key!))).toBe(0o700);
    expect(mode(indexFile)).toBe(0o600);
    expect(readdirSync(join(cache, key!))).toEqual(['index.loupe']);
  });

  it('narrows a corpus cache folder and index file an older version left readable to all', async () => {
    const cache = join(root, 'cache');
    await openCorpus([corpus], { indexDir: cache });
    const [key] = readdirSync(cache);
    const folder = join(cache, key!);
    chmodSync(folder, 0o755);
    chmodSync(indexFileIn(folder), 0o644);
    writeFileSync(join(corpus, 'more.html'), '<p>One more page.</p>'); // a change, so the index is saved again
    await openCorpus([corpus], { indexDir: cache });
    expect(mode(folder)).toBe(0o700);
    expect(mode(indexFileIn(folder))).toBe(0o600);
  });

  it('leaves a cache folder the reader chose as it was, and makes only what is missing', async () => {
    const chosen = join(root, 'shared-cache');
    mkdirSync(chosen, { mode: 0o755 });
    chmodSync(chosen, 0o755);
    await openCorpus([corpus], { indexDir: chosen });
    expect(mode(chosen)).toBe(0o755);
    const [key] = readdirSync(chosen);
    expect(mode(join(chosen, key!))).toBe(0o700);
  });
});
