/**
 * The passage index of a saved corpus is saved beside it, in parts: searched across its parts it
 * ranks passages exactly as one FlexSearch index over every paragraph; a corpus opened again in a
 * fresh engine answers its first passage search from disk without building; saved passages that are
 * damaged, or that belong to another index, are built again rather than trusted.
 */
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine.js';
import { openCorpus } from '../../app/indexing/open.js';
import { passageFolderOf } from '../../app/index/passage-folder.js';
import { PassageSearch } from '../../app/index/passages.js';
import { partsOf, SavedPassageSearch } from '../../app/index/saved-passages.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { paragraphsOf } from '../../app/index/passages.js';
import { removeDir, tempDir, writeBrownCorpus } from '../support/corpus.js';

const QUERIES = ['grand jury election', 'atlanta', 'the president said', 'nuclear weapons', 'weapon', 'of the', 'gover'];

let corpus: string;
let cache: string;
let index: CorpusIndex;
let indexFile: string;
let fingerprint: string;
/** Rankings of one in-memory FlexSearch index over every paragraph: what the saved passages must answer. */
const expected = new Map<string, number[]>();

beforeAll(async () => {
  const root = tempDir('saved-passages');
  corpus = join(root, 'brown');
  cache = join(root, 'cache');
  writeBrownCorpus(corpus, 40);
  const opened = await openCorpus([corpus], { indexDir: cache });
  index = opened.index;
  indexFile = opened.indexFile!;
  fingerprint = opened.info.fingerprint;
  const live = new PassageSearch(index);
  for (const q of QUERIES)
    expected.set(
      q,
      live.search(q, 20).map((h) => h.paragraph),
    );
}, 60_000);

afterAll(() => removeDir(join(corpus, '..')));

const ranked = async (s: { search(t: string, l: number): Promise<Array<{ paragraph: number }>> }, q: string) =>
  (await s.search(q, 20)).map((h) => h.paragraph);

/** Each file of the saved passages with its inode and modification time: a rewrite changes them. */
function folderState(): Record<string, string> {
  const folder = passageFolderOf(indexFile);
  return Object.fromEntries(
    readdirSync(folder)
      .sort()
      .map((f) => {
        const st = statSync(join(folder, f));
        return [f, `${st.ino}:${st.mtimeMs}:${st.size}`];
      }),
  );
}

/** A saved passage search built in parts of about 6,000 tokens (several parts on this corpus). */
async function builtInParts(notices: string[] = []): Promise<SavedPassageSearch> {
  const s = new SavedPassageSearch(index, indexFile, { corpus: fingerprint, partTokens: 6000, onNotice: (m) => notices.push(m) });
  await s.ready();
  return s;
}

describe('saved passages', () => {
  it('ranks passages across its parts exactly as one index over every paragraph', async () => {
    const parts = partsOf(paragraphsOf(index), 6000);
    expect(parts.length).toBeGreaterThan(5);
    const saved = await builtInParts();
    expect(saved.counts.partsWritten).toBe(parts.length);
    for (const q of QUERIES) {
      expect(expected.get(q)!.length, q).toBeGreaterThan(0);
      expect(await ranked(saved, q), q).toEqual(expected.get(q));
    }
    // Every passage, not just the first page: 'the' is in nearly every paragraph.
    const live = new PassageSearch(index);
    const all = (hits: Array<{ paragraph: number }>) => hits.map((h) => h.paragraph);
    expect(all(await saved.search('the', 100_000))).toEqual(all(live.search('the', 100_000)));
    expect((await saved.search('the', 100_000)).length).toBeGreaterThan(parts.length * 10);
  });

  it('a corpus opened again in a fresh engine answers from the saved passages, without building', async () => {
    const root = tempDir('saved-passages-engine');
    try {
      const first = new Engine({ indexDir: root });
      expect((await first.openCorpus({ paths: [corpus] })).ok).toBe(true);
      const built = await first.passages({ text: 'grand jury election', limit: 20 });
      expect(built.ok && built.value.map((h) => h.paragraph)).toEqual(expected.get('grand jury election'));
      await first.close();
      const file = readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('index.loupe'))!;
      const folder = passageFolderOf(join(root, file));
      const stateOf = () =>
        Object.fromEntries(readdirSync(folder).map((f) => [f, `${statSync(join(folder, f)).ino}:${statSync(join(folder, f)).mtimeMs}`]));
      const before = stateOf();
      expect(Object.keys(before)).toContain('passages.json');

      const notices: string[] = [];
      const second = new Engine({ indexDir: root, onNotice: (m) => notices.push(m) });
      const opened = await second.openCorpus({ paths: [corpus] });
      expect(opened.ok && opened.value.reused).toBe(true);
      for (const q of QUERIES) {
        const r = await second.passages({ text: q, limit: 20 });
        expect(r.ok && r.value.map((h) => h.paragraph), q).toEqual(expected.get(q));
      }
      const hit = await second.passages({ text: 'atlanta', limit: 1 });
      expect(hit.ok && hit.value[0]!.text).toMatch(/atlanta/i);
      expect(stateOf()).toEqual(before);
      expect(notices).toEqual([]);
      await second.close();
    } finally {
      removeDir(root);
    }
  }, 60_000);

  it('builds in the background when the corpus opens, if the host asks', async () => {
    const root = tempDir('saved-passages-background');
    try {
      const engine = new Engine({ indexDir: root, passagesOnOpen: true });
      expect((await engine.openCorpus({ paths: [corpus] })).ok).toBe(true);
      const file = readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('index.loupe'))!;
      const manifest = join(passageFolderOf(join(root, file)), 'passages.json');
      // Concordances are answered while the passages are built.
      expect((await engine.count({ query: 'jury' })).ok).toBe(true);
      for (let waited = 0; !exists(manifest) && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(exists(manifest)).toBe(true);
      await engine.close();
    } finally {
      removeDir(root);
    }
  }, 60_000);

  it('rebuilds a part whose bytes were altered, when a search reads them, and answers as before', async () => {
    await builtInParts();
    const folder = passageFolderOf(indexFile);
    const part = savedParts()[0]!;
    const bytes = readFileSync(join(folder, part.file));
    // The largest shard of part 0, and a word it holds: a search for that word reads this shard.
    const [offset, length] = [...part.shards].sort((x, y) => y[1]! - x[1]!)[0]!;
    const entries = JSON.parse(bytes.subarray(offset, offset! + length!).toString('utf8')) as Array<[string, unknown]>;
    const word = entries.map((e) => e[0]).find((t) => /^[a-z]{4,}$/.test(t))!;
    expect(word).toBeDefined();
    const want = new PassageSearch(index).search(word, 20).map((h) => h.paragraph);
    expect(want.length).toBeGreaterThan(0);
    const at = bytes.indexOf('1', offset);
    expect(at).toBeLessThan(offset! + length!);
    bytes[at] = '2'.charCodeAt(0);
    writeFileSync(join(folder, part.file), bytes);

    const notices: string[] = [];
    const s = new SavedPassageSearch(index, indexFile, { corpus: fingerprint, partTokens: 6000, onNotice: (m) => notices.push(m) });
    await s.ready();
    expect(s.counts.partsWritten).toBe(0);
    expect(await ranked(s, word)).toEqual(want);
    expectRebuiltOnce(s, notices, /part-0\.bin .*damaged/);
    for (const q of QUERIES) expect(await ranked(s, q), q).toEqual(expected.get(q));
  }, 60_000);

  it('rebuilds when a shard does not parse although its checksum was made to match', async () => {
    await builtInParts();
    const folder = passageFolderOf(indexFile);
    const manifestFile = join(folder, 'passages.json');
    const saved = { ...savedManifest(), parts: savedParts() };
    // Part 0 becomes garbage of its own length, and passages.json is rewritten to vouch for it.
    const part = saved.parts[0]!;
    const garbage = Buffer.alloc(part.bytes, '[');
    writeFileSync(join(folder, part.file), garbage);
    for (const s of part.shards) s[2] = crc32(garbage.subarray(s[0], s[0]! + s[1]!));
    const body = JSON.stringify(saved);
    writeFileSync(manifestFile, `${crc32(body).toString(16)}\n${body}`);

    const notices: string[] = [];
    const s = new SavedPassageSearch(index, indexFile, { corpus: fingerprint, partTokens: 6000, onNotice: (m) => notices.push(m) });
    await s.ready();
    expect(s.counts.partsWritten).toBe(0);
    expect(await ranked(s, 'grand jury election')).toEqual(expected.get('grand jury election'));
    expectRebuiltOnce(s, notices, /damaged/);
  }, 60_000);

  it('rebuilds when passages.json is damaged', async () => {
    await builtInParts();
    const manifestFile = join(passageFolderOf(indexFile), 'passages.json');
    const text = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, text.slice(0, text.length - 10));
    const notices: string[] = [];
    const s = await builtInParts(notices);
    expect(s.counts.partsWritten).toBeGreaterThan(0);
    expect(notices.join('\n')).toMatch(/damaged/);
    expect(await ranked(s, 'nuclear weapons')).toEqual(expected.get('nuclear weapons'));
  }, 60_000);

  it('rebuilds passages that belong to another write of the index', async () => {
    await builtInParts();
    const before = folderState();
    // The index file rewritten (same corpus, a new save): its paragraphs may be numbered otherwise.
    const st = statSync(indexFile);
    utimesSync(indexFile, st.atime, new Date(st.mtimeMs + 5000));
    try {
      const notices: string[] = [];
      const s = await builtInParts(notices);
      expect(s.counts.partsWritten).toBeGreaterThan(0);
      expect(notices.join('\n')).toMatch(/another index/);
      expect(folderState()['passages.json']).not.toBe(before['passages.json']);
      expect(await ranked(s, 'atlanta')).toEqual(expected.get('atlanta'));
    } finally {
      utimesSync(indexFile, st.atime, st.mtime);
    }
  }, 60_000);

  it('a cancelled build leaves no passages.json, and the next search builds them', async () => {
    const folder = passageFolderOf(indexFile);
    const abort = new AbortController();
    const s = new SavedPassageSearch(index, indexFile, { corpus: 'another corpus', partTokens: 6000, signal: abort.signal });
    const building = s.ready();
    setImmediate(() => abort.abort());
    await expect(building).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(exists(join(folder, 'passages.json'))).toBe(false);
    const again = await builtInParts();
    expect(again.counts.partsWritten).toBeGreaterThan(0);
    expect(await ranked(again, 'the president said')).toEqual(expected.get('the president said'));
  }, 60_000);
});

type SavedPartJson = { file: string; bytes: number; shards: number[][] };

function savedManifest(): Record<string, unknown> {
  const text = readFileSync(join(passageFolderOf(indexFile), 'passages.json'), 'utf8');
  return JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, unknown>;
}

function savedParts(): SavedPartJson[] {
  return savedManifest().parts as SavedPartJson[];
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function expectRebuiltOnce(s: SavedPassageSearch, notices: string[], why: RegExp): void {
  expect(s.counts.partsWritten).toBe(partsOf(paragraphsOf(index), 6000).length);
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(why);
}
