/**
 * A saved index that is damaged in any way (truncated, a flipped byte, a missing section, another
 * format version, well-formed but inconsistent, not a file at all) is detected and rebuilt from the
 * sources; opening never crashes and never returns figures other than a fresh build's. A cache folder
 * that cannot be written (read-only, full) gives a clear notice, the corpus still opens, and an old
 * index stays as it was. CI runs as root, which ignores permissions, so "cannot write" is made real
 * in ways that bind root too: a path under a regular file, a path in /proc, and a file-size limit
 * (ulimit -f, EFBIG: what a full disk looks like to a writer) in a child process.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedCorpus } from '../../app/indexing/open.js';
import { FORMAT_VERSION } from '../../app/index/persist.js';
import { runQuery } from '../../app/query/run.js';
import { brownTexts } from '../../scripts/brown.js';
import { indexFilesIn, parseIndex, PREFIX, temporariesIn, withHeader, withSection } from './index-file.js';
import { open, removeDir, ROOT, tempDir, writeFiles } from './support.js';

let corpus: string;
let cache: string;
let good: Buffer;
let indexFile: string;
let reference: ReturnType<typeof figures>;

function figures(o: OpenedCorpus) {
  return {
    docs: o.info.documents.map((d) => [d.name, d.tokens]),
    tokens: o.info.tokens,
    types: o.info.types,
    the: runQuery(o.index, 'the').starts.length,
    phrase: runQuery(o.index, 'of the').starts.length,
    lemma: runQuery(o.index, 'lemma:be').starts.length,
  };
}

beforeAll(async () => {
  corpus = tempDir('damage');
  cache = tempDir('damage-cache');
  writeFiles(corpus, Object.fromEntries(brownTexts(4).map((b) => [`${b.id}.txt`, b.text])));
  const first = await open([corpus], cache);
  reference = figures(first);
  [indexFile] = indexFilesIn(cache) as [string];
  good = readFileSync(indexFile);
  const again = await open([corpus], cache);
  expect(again.info.reused).toBe(true);
});
afterAll(() => {
  removeDir(corpus);
  removeDir(cache);
});

/** Puts `bytes` in place of the index, opens, and checks: rebuilt (or, if `mayLoad`, loaded) with the right figures. */
async function openWith(bytes: Buffer | (() => void), mayLoad = false) {
  if (typeof bytes === 'function') bytes();
  else writeFileSync(indexFile, bytes);
  const notices: string[] = [];
  const o = await open([corpus], cache, { onNotice: (m) => notices.push(m) });
  if (!mayLoad) {
    expect(o.info.reused).toBe(false);
    expect(o.rebuiltBecause).toMatch(/damaged|version/);
    expect(notices.join(' ')).toMatch(/Re-indexing/);
  }
  expect(figures(o)).toEqual(reference);
  return o;
}

describe('a damaged saved index is rebuilt, never trusted', () => {
  it.each([0, 7, PREFIX - 1, PREFIX + 10, 0.5, -1])('truncated to %s bytes (fractions: of the file; -1: one byte short)', async (at) => {
    const n = at === -1 ? good.length - 1 : at > 0 && at < 1 ? Math.floor(good.length * at) : at;
    await openWith(good.subarray(0, n));
    // And the rebuilt index is saved whole: the next open reuses it.
    expect(readFileSync(indexFile).equals(good)).toBe(true);
  });

  it('a flipped byte anywhere that is checksummed is detected; figures are never wrong', async () => {
    const { header, base } = parseIndex(good);
    const places = [0, 9, 13, 17, 21, PREFIX + 5, base - 12];
    // Empty sections (no texts kept, no exceptions) hold no bytes to damage.
    for (const s of header.sections.filter((x) => x.length > 0))
      places.push(base + s.offset, base + s.offset + Math.floor(s.length / 2), base + s.offset + s.length - 1);
    for (const at of places) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ 0x10;
      await openWith(bad);
    }
    // Padding between sections carries no meaning and no checksum: damage there may load, but never wrongly.
    const padding = base + header.sections[0]!.offset + header.sections[0]!.length;
    if (padding % 8 !== 0) {
      const bad = Buffer.from(good);
      bad[padding] = 0xff;
      await openWith(bad, true);
    }
  });

  it('a missing section (header checksum valid) is detected', async () => {
    const { header } = parseIndex(good);
    for (const missing of ['lemmaOfForm', 'form.data', 'wordsSorted'])
      await openWith(withHeader(good, { ...header, sections: header.sections.filter((s) => s.name !== missing) }));
  });

  it('an older (or newer) format version is not read', async () => {
    for (const v of [0, FORMAT_VERSION - 1, FORMAT_VERSION + 1]) {
      const bad = Buffer.from(good);
      bad.writeUInt32LE(v, 8);
      await openWith(bad);
      const { header } = parseIndex(good);
      await openWith(withHeader(good, { ...header, formatVersion: v }));
    }
  });

  it('well-formed but inconsistent (checksums recomputed): ids past a table, offsets past a text', async () => {
    // Columns are varint blocks (app/index/codec.ts): bytes that decode to too many or too few values,
    // or to ids past a table, or offsets past a text.
    await openWith(withSection(good, 'form.data', (d) => d.writeUInt32LE(0xffffff, 4 * 10)));
    await openWith(withSection(good, 'form.data', (d) => (d[20] = 0x7f)));
    await openWith(withSection(good, 'len.data', (d) => (d[3] = 0x7f)));
    await openWith(withSection(good, 'textBytes', (d) => d.writeUInt32LE(d.readUInt32LE(0) + 1, 0)));
    await openWith(withSection(good, 'posFlags', (d) => (d[0] = 250)));
    await openWith(withSection(good, 'lemmaOfForm', (d) => d.writeUInt32LE(0x7fffffff, 0)));
    await openWith(withSection(good, 'wordOrder', (d) => d.writeUInt32LE(d.readUInt32LE(4), 0)));
  });

  it('garbage, a header that is not JSON, and a folder where the file should be', async () => {
    await openWith(Buffer.from('LOUPEIDX' + 'x'.repeat(200)));
    await openWith(createHash('sha512').update('noise').digest());
    const notJson = Buffer.from(good);
    notJson.fill(0x7b, PREFIX, PREFIX + 4);
    await openWith(notJson);
    const o = await openWith(() => {
      rmSync(indexFile);
      mkdirSync(join(indexFile, 'inside'), { recursive: true });
    });
    // It could not be saved over the folder: said so, and the corpus is open all the same.
    expect(o.notSaved).toMatch(/Cannot save the index/);
    rmSync(indexFile, { recursive: true });
    await open([corpus], cache);
    expect(readFileSync(indexFile).equals(good)).toBe(true);
  });
});

describe('a cache folder that cannot be written', () => {
  it('a cache path under a regular file: a clear notice, the corpus opens with the right figures', async () => {
    const file = join(cache, 'plain-file');
    writeFileSync(file, 'not a folder');
    const notices: string[] = [];
    const o = await open([corpus], join(file, 'cache'), { onNotice: (m) => notices.push(m) });
    expect(figures(o)).toEqual(reference);
    expect(o.notSaved).toMatch(/Cannot create the index folder/);
    expect(notices).toContain(o.notSaved);
  });

  // Node's mkdir({recursive: true}) spins forever on both of these (its ENOENT means "make the parent").
  it('a cache path in /proc (read-only even for root), or through a dangling symlink: the same, at once', async () => {
    const o = await open([corpus], '/proc/loupe-cache-test/deeper');
    expect(figures(o)).toEqual(reference);
    expect(o.notSaved).toMatch(/Cannot create the index folder/);
    const link = join(cache, 'dangling');
    symlinkSync(join(cache, 'nowhere'), link);
    const d = await open([corpus], join(link, 'cache'));
    expect(figures(d)).toEqual(reference);
    expect(d.notSaved).toMatch(/Cannot create the index folder/);
  }, 20_000);

  it('no space (file-size limit in a child): a notice, the corpus opens, the old index is untouched and no temporary is left', async () => {
    const sub = tempDir('nospace');
    const subCache = join(sub, 'cache');
    const folder = join(sub, 'corpus');
    try {
      writeFiles(folder, Object.fromEntries(brownTexts(6).map((b) => [`${b.id}.txt`, b.text])));
      await open([folder], subCache);
      const [file] = indexFilesIn(subCache) as [string];
      const before = readFileSync(file);
      expect(before.length).toBeGreaterThan(200 * 1024);
      appendFileSync(join(folder, 'ca01.txt'), '\nA zebra changes everything.\n');
      const script = join(ROOT, 'test/reliability/fixtures/open-once.ts');
      // ulimit -f counts 1024-byte blocks in bash: 150 KB, more than any module cache file, less than the index.
      const r = spawnSync(
        'bash',
        ['-c', `ulimit -f 150 && exec "${process.execPath}" --import tsx "${script}" "${folder}" "${subCache}"`],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { notSaved?: string; zebra: number; tokens: number };
      expect(out.notSaved).toMatch(/EFBIG|too large/i);
      expect(out.zebra).toBe(1);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(temporariesIn(subCache)).toEqual([]);
      // And afterwards, with room again: the change is noticed and the figures are the child's.
      const o = await open([folder], subCache);
      expect(o.info.reused).toBe(false);
      expect([o.info.tokens, runQuery(o.index, 'zebra').starts.length]).toEqual([out.tokens, out.zebra]);
    } finally {
      removeDir(sub);
    }
  }, 60_000);
});
