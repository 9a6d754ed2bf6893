/**
 * Segments merged on disk make the file one build of the whole corpus saves: the same bytes in every
 * section, the same documents and facts. A block of the columns that begins in one segment ends in
 * the next (the segments are not multiples of a block), and one segment holds a single text. Words
 * where UTF-16 order is not code-point order, a long s and capitals without a lower-case form appear
 * in more than one segment, so the merged tables must order and number them as one build does.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus } from '../../app/indexing/open.js';
import { mergeSegments } from '../../app/index/merge.js';
import { LoadFailure, openSavedParts, readManifest } from '../../app/index/persist.js';
import { BLOCK } from '../../app/index/codec.js';
import { removeDir, tempDir, writeBrownCorpus } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

const dirs: string[] = [];
const dir = (label: string) => {
  const d = tempDir(label);
  dirs.push(d);
  return d;
};
let wholeFile: string;
let segmentFiles: string[];

beforeAll(async () => {
  const corpus = dir('merge-corpus');
  writeBrownCorpus(corpus, 24);
  const odd = 'Die Waſſer des Rheins. QUIXOTIC ZEPHYRS meet 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and \uE000private\uE001 marks; Ærø and ærø.\n';
  writeFileSync(join(corpus, 'aa-odd.txt'), odd);
  writeFileSync(join(corpus, 'zz-odd.txt'), `${odd}Then 𝔄𝔫𝔡 more: Straße, STRASSE, ǅemal.\n`);
  const files = readdirSync(corpus)
    .sort()
    .map((f) => join(corpus, f));
  const whole = dir('merge-whole');
  await openCorpus([corpus], { indexDir: whole, inThreadBelow: 50_000_000 });
  wholeFile = savedIndexFile(whole);
  segmentFiles = [];
  for (const group of [files.slice(0, 5), files.slice(5, 6), files.slice(6)]) {
    const cache = dir('merge-segment');
    await openCorpus(group, { indexDir: cache, inThreadBelow: 50_000_000 });
    segmentFiles.push(savedIndexFile(cache));
  }
});

afterAll(() => dirs.forEach(removeDir));

function sectionsOf(file: string): Map<string, Buffer> {
  const { sections } = openSavedParts(file);
  try {
    const out = new Map<string, Buffer>();
    for (const name of sectionNames(file)) out.set(name, sections.read(name));
    return out;
  } finally {
    sections.close();
  }
}

/** Section names from the header, read as persist.ts lays it out. */
function sectionNames(file: string): string[] {
  const bytes = readFileSync(file);
  const len = bytes.readUInt32LE(20);
  const header = JSON.parse(bytes.subarray(24, 24 + len).toString('utf8')) as { sections: Array<{ name: string }> };
  return header.sections.map((s) => s.name);
}

describe('merging saved segments', () => {
  it('writes the same sections, documents and facts as one build of every document', async () => {
    const tokens = segmentFiles.map((f) => {
      const s = openSavedParts(f);
      s.sections.close();
      return s.heading.facts.tokens;
    });
    expect(tokens.some((n) => n % BLOCK !== 0)).toBe(true);
    const out = join(dir('merge-out'), 'index.loupe');
    await mergeSegments(segmentFiles, out, readManifest(wholeFile)!);
    const want = sectionsOf(wholeFile);
    const got = sectionsOf(out);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    const differing = [...want].filter(([name, bytes]) => !bytes.equals(got.get(name)!)).map(([name]) => name);
    expect(differing).toEqual([]);
    const a = openSavedParts(wholeFile);
    const b = openSavedParts(out);
    a.sections.close();
    b.sections.close();
    expect(b.heading).toEqual(a.heading);
  });

  it('refuses a damaged segment and leaves the old index as it was', async () => {
    const cache = dir('merge-damaged');
    const damaged = segmentFiles.map((f, i) => {
      const copy = join(cache, `segment-${i}.loupe`);
      copyFileSync(f, copy);
      return copy;
    });
    const bytes = readFileSync(damaged[2]!);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff; // inside the last section
    writeFileSync(damaged[2]!, bytes);
    const out = join(cache, 'index.loupe');
    writeFileSync(out, 'the old index');
    await expect(mergeSegments(damaged, out, readManifest(wholeFile)!)).rejects.toThrow(LoadFailure);
    expect(readFileSync(out, 'utf8')).toBe('the old index');
    expect(readdirSync(cache).filter((n) => n.startsWith('merge.'))).toEqual([]);
    expect(existsSync(damaged[0]!)).toBe(true);
  });
});
