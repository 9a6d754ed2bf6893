/**
 * Fixtures for the reliability tests: temporary folders, the bundled chapter, a few Brown texts, and
 * one-call corpus opening with a private cache folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCorpus, type OpenedCorpus, type OpenOptions } from '../../app/indexing/open.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHAPTER_PATH = join(ROOT, 'corpus', 'cliff-russia-ch18-the-coming-russian-revolution.txt');
export const CHAPTER_TEXT = readFileSync(CHAPTER_PATH, 'utf8');

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `loupe-rel-${label}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** Opens a corpus with its own cache folder, tokenising in-thread (the inputs here are small). */
export function open(paths: string[], indexDir: string, opts: OpenOptions = {}): Promise<OpenedCorpus> {
  return openCorpus(paths, { indexDir, inThreadBelow: 50_000_000, ...opts });
}

/** Resolves to the thrown value (or fails the test when nothing is thrown), whose `code` the tests read. */
export async function thrown(p: Promise<unknown> | (() => unknown)): Promise<{ code?: unknown }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as { code?: unknown };
  }
  throw new Error('expected a failure, but it succeeded');
}
