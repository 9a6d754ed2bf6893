/**
 * Paths the engine refuses (E_PATH) or skips: NUL bytes, `..` in an absolute path, and symbolic links
 * that lead out of the chosen corpus folder. (The main process also refuses renderer-supplied paths;
 * that is tested with main/.)
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCorpusPath, listCorpus } from '../../app/corpus/read.js';
import { openCorpus } from '../../app/indexing/open.js';
import { Engine } from '../../app/engine.js';
import { removeDir, tempDir, thrown, writeFiles } from './support.js';

let root: string;
let corpus: string;
let outside: string;
let cache: string;

beforeAll(() => {
  root = tempDir('paths');
  corpus = join(root, 'corpus');
  outside = join(root, 'secret');
  cache = join(root, 'cache');
  writeFiles(corpus, { 'a.txt': 'Inside the corpus.\n', 'sub/b.txt': 'Also inside.\n' });
  writeFiles(outside, { 'private.txt': 'A private diary, outside the corpus.\n' });
  mkdirSync(cache);
  symlinkSync(join(outside, 'private.txt'), join(corpus, 'link-to-file.txt'));
  symlinkSync(outside, join(corpus, 'link-to-folder'));
  symlinkSync(join(corpus, 'a.txt'), join(corpus, 'sub', 'link-inside.txt'));
  symlinkSync('/etc/passwd', join(corpus, 'passwd.txt'));
});
afterAll(() => removeDir(root));

describe('corpus paths', () => {
  it.each([
    ['a NUL byte', () => `${corpus}\0/a.txt`],
    ['.. in an absolute path', () => `${corpus}/../secret`],
    ['.. at the end', () => `${corpus}/sub/..`],
    ['an empty path', () => ''],
  ])('%s: E_PATH from listCorpus, openCorpus and the Engine', async (_label, path) => {
    expect((await thrown(() => checkCorpusPath(path()))).code).toBe('E_PATH');
    expect((await thrown(listCorpus([path()]))).code).toBe('E_PATH');
    expect((await thrown(openCorpus([path()], { indexDir: cache }))).code).toBe('E_PATH');
    const r = await new Engine({ indexDir: cache }).openCorpus({ paths: [path()] });
    expect(r.ok ? 'opened' : r.error.code).toBe('E_PATH');
  });

  it("a relative ../ path (typed in a shell) is the reader's own and is allowed", () => {
    expect(() => checkCorpusPath('../texts')).not.toThrow();
    expect(() => checkCorpusPath('corpus/../texts')).not.toThrow();
  });

  it('symbolic links leading out of the folder are skipped with a reason; links inside are followed once', async () => {
    const listing = await listCorpus([corpus]);
    expect(listing.files.map((f) => f.name)).toEqual(['a.txt', 'sub/b.txt']);
    const reasons = Object.fromEntries(listing.skipped.map((s) => [s.name, s.reason]));
    expect(reasons['link-to-file.txt']).toMatch(/outside the corpus folder/);
    expect(reasons['link-to-folder']).toMatch(/outside the corpus folder/);
    expect(reasons['passwd.txt']).toMatch(/outside the corpus folder/);
    // The opened corpus holds no text from outside.
    const o = await openCorpus([corpus], { indexDir: cache, inThreadBelow: 1e9 });
    expect(o.index.docs.map((d) => d.text).join('')).not.toMatch(/diary|root:/);
  });
});
