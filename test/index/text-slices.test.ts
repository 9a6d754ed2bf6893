/**
 * A KWIC line of a lazily opened index reads its few dozen characters from an ASCII source file by
 * position, not the whole file, while the file keeps the size and modification time it was indexed
 * with; otherwise (a changed file, a file with other characters) the text is read whole and checked
 * against its hash, as before.
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { savedCorpus, type SavedCorpus } from '../support/saved-index.js';

const LONG_S = 'The ſtate of the States is a State in name only; the ſtate ſays ſo.\n'.repeat(20);

let saved: SavedCorpus;
let whole: CorpusIndex;

beforeAll(async () => {
  saved = await savedCorpus('text-slices', 8, { 'long-s.txt': LONG_S });
  ({ whole } = saved);
}, 120_000);
afterAll(() => saved.remove());

/** The document holding the first hit of `query`, and its file. */
function firstDoc(index: CorpusIndex, query: string): { d: number; path: string } {
  const page = kwicPage(index, { query, limit: 1 });
  const d = page.lines[0]!.doc;
  return { d, path: index.docs[d]!.path };
}

describe('KWIC lines read from their source files', () => {
  it('read only their own characters from an ASCII file that has not changed', async () => {
    const lazy = await saved.lazily();
    const req = { query: 'government', limit: 30 };
    const { path } = firstDoc(whole, 'government');
    const bytes = readFileSync(path);
    const { mtime } = statSync(path);
    // A byte no line of the page shows, changed with the size and time kept: read whole, the file
    // would no longer match its hash; read by position, the lines are as indexed.
    const want = kwicPage(whole, req);
    const shown = want.lines.filter((l) => l.docName === whole.docs[whole.docOf(l.position)]!.name && whole.docs[l.doc]!.path === path);
    expect(shown.length).toBeGreaterThan(0);
    const lastShown = Math.max(...shown.map((l) => l.end + l.right.length));
    expect(lastShown + 10).toBeLessThan(bytes.length);
    const changed = Buffer.from(bytes);
    changed[bytes.length - 2] = changed[bytes.length - 2] === 0x58 ? 0x59 : 0x58;
    try {
      writeFileSync(path, changed);
      utimesSync(path, mtime, mtime);
      expect(kwicPage(lazy, req)).toEqual(want);
      // Read whole (its document view), the change is found.
      expect(() => lazy.docs[lazy.docOf(shown[0]!.position)]!.text).toThrow(expect.objectContaining({ code: 'E_INDEX' }));
    } finally {
      writeFileSync(path, bytes);
      utimesSync(path, mtime, mtime);
    }
  });

  it('read the text whole, and report it, once the file has another size or time', async () => {
    const lazy = await saved.lazily();
    const { path } = firstDoc(whole, 'government');
    const bytes = readFileSync(path);
    const { mtime } = statSync(path);
    try {
      writeFileSync(path, Buffer.concat([bytes, Buffer.from('More text.\n')]));
      expect(() => kwicPage(lazy, { query: 'government', limit: 30 })).toThrow(expect.objectContaining({ code: 'E_INDEX' }));
    } finally {
      writeFileSync(path, bytes);
      utimesSync(path, mtime, mtime);
    }
    // Restored, the lines come back.
    const again = await saved.lazily();
    expect(kwicPage(again, { query: 'government', limit: 30 })).toEqual(kwicPage(whole, { query: 'government', limit: 30 }));
  });

  it('read a file with other characters than ASCII whole, with the same lines', async () => {
    const lazy = await saved.lazily();
    const req = { query: 'ſtate', limit: 50 };
    const page = kwicPage(lazy, req);
    expect(page.lines.some((l) => l.node.includes('ſ'))).toBe(true);
    expect(page).toEqual(kwicPage(whole, req));
  });
});
