/**
 * The bundled corpus folder is a corpus and nothing else: opened as a folder (`--corpus corpus`) it
 * gives exactly what the bundled default gives (the chapter alone), not the chapter plus the keyness
 * reference lists and stoplist read as documents (they live in reference/, outside the folder).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWN_LEMMAS_PATH, BROWN_WORDS_PATH } from '../../app/stats/reference.js';
import { STOPWORDS_PATH } from '../../app/stats/stoplist.js';
import { CHAPTER_NAME, removeDir, ROOT, tempDir } from '../support/corpus.js';
import { runAll, type CliRun } from '../support/cli.js';

interface IndexSummary {
  documents: Array<{ name: string; tokens: number; counted: number }>;
  skipped: Array<{ name: string; reason: string }>;
  tokens: number;
  counted: number;
  types: number;
}

let indexDir: string;
let runs: CliRun[];

beforeAll(async () => {
  indexDir = tempDir('bundled-folder-index');
  runs = await runAll([
    ['count', 'bureaucracy', '--corpus', 'corpus', '--format', 'json', '--quiet', '--index', indexDir],
    ['count', 'bureaucracy', '--format', 'json', '--quiet', '--index', indexDir],
    ['index', 'corpus', '--format', 'json', '--quiet', '--index', indexDir],
    ['index', '--format', 'json', '--quiet', '--index', indexDir],
  ]);
  for (const r of runs) expect(r.code, `${r.args.join(' ')}\n${r.stderr}`).toBe(0);
}, 120_000);

afterAll(() => removeDir(indexDir));

describe('the bundled corpus folder', () => {
  it('holds only manifest.json and the files the manifest lists', () => {
    const dir = join(ROOT, 'corpus');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: string[] };
    expect(manifest.files).toEqual([CHAPTER_NAME]);
    const entries = readdirSync(dir).filter((n) => !n.startsWith('.'));
    expect(entries.sort()).toEqual(['manifest.json', ...manifest.files].sort());
  });

  it('keeps the reference lists and stoplist outside it, where the code reads them', () => {
    for (const path of [BROWN_WORDS_PATH, BROWN_LEMMAS_PATH, STOPWORDS_PATH]) {
      expect(path.startsWith(join(ROOT, 'corpus'))).toBe(false);
      expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0);
    }
  });

  it("`count bureaucracy --corpus corpus` gives the chapter's 36 hits, as the default does", () => {
    const [asFolder, asDefault] = runs.map((r) => JSON.parse(r.stdout) as { hits: number; documents: number });
    expect(asFolder).toEqual({ query: 'bureaucracy', hits: 36, documents: 1 });
    expect(asDefault).toEqual(asFolder);
  });

  it('indexes as the same one document with the same tokens as the bundled default', () => {
    const asFolder = JSON.parse(runs[2]!.stdout) as IndexSummary;
    const asDefault = JSON.parse(runs[3]!.stdout) as IndexSummary;
    expect(asFolder.documents).toEqual(asDefault.documents);
    expect(asFolder.documents.map((d) => d.name)).toEqual([CHAPTER_NAME]);
    expect({ tokens: asFolder.tokens, counted: asFolder.counted, types: asFolder.types }).toEqual({
      tokens: asDefault.tokens,
      counted: asDefault.counted,
      types: asDefault.types,
    });
    // manifest.json is not a document: at most it is listed as skipped, never read.
    for (const s of asFolder.skipped) expect(s.name).toBe('manifest.json');
  });
});
