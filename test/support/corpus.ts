/**
 * Shared fixtures for the engine tests: the bundled chapter as raw text, temporary folders, the
 * token rows that the independent reference computations loop over, and Brown texts written out
 * as a corpus folder.
 *
 * "Independent" here means: expected figures come from the raw text (regular expressions), from the
 * Brown tagger's own word split, or from a plain loop over the token rows -- never from the query
 * engine, the KWIC builder or the persistence layer that a test is checking.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusIndex } from '../../app/index/store.js';
import { PARAGRAPH_START, SENTENCE_START } from '../../app/index/store.js';
import { kindName } from '../../app/text/tokenise.js';
import { brownTexts, type BrownText } from '../../scripts/brown.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHAPTER_NAME = 'cliff-russia-ch18-the-coming-russian-revolution.txt';
export const CHAPTER_PATH = join(ROOT, 'corpus', CHAPTER_NAME);
/** The chapter exactly as on disk (UTF-8 without BOM, so the decoded text is the file's text). */
export const CHAPTER_TEXT = readFileSync(CHAPTER_PATH, 'utf8');

/** A fresh folder under the OS temp dir; remove it with removeDir in afterAll. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `loupe-test-${label}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path -> text or bytes) under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
}

/** One token as a plain object, read straight from the index columns. */
export interface TokenRow {
  /** Global token position. */
  pos: number;
  doc: number;
  /** The source text of the token (slice of its document at start..end). */
  text: string;
  /** Stored exact form (NFC, apostrophes folded to '). */
  form: string;
  /** Lower-cased form. */
  word: string;
  lemma: string;
  tag: string;
  kind: string;
  counted: boolean;
  start: number;
  end: number;
  sentenceStart: boolean;
  paragraphStart: boolean;
}

export function tokenRows(index: CorpusIndex): TokenRow[] {
  const rows: TokenRow[] = [];
  for (let d = 0; d < index.docs.length; d++) {
    const text = index.docs[d]!.text;
    for (let p = index.docStart[d]!; p < index.docStart[d + 1]!; p++) {
      const form = index.forms[index.form[p]!]!;
      rows.push({
        pos: p,
        doc: d,
        text: text.slice(index.start[p]!, index.end[p]!),
        form,
        word: form.toLowerCase(),
        lemma: index.lemmas[index.lemma[p]!]!,
        tag: index.posName(index.pos[p]!),
        kind: kindName(index.kind[p]!),
        counted: index.counted[p] === 1,
        start: index.start[p]!,
        end: index.end[p]!,
        sentenceStart: (index.flags[p]! & SENTENCE_START) !== 0,
        paragraphStart: (index.flags[p]! & PARAGRAPH_START) !== 0,
      });
    }
  }
  return rows;
}

/** [start, end) character spans of every match of a global regex. */
export function regexSpans(text: string, re: RegExp): Array<[number, number]> {
  if (!re.global) throw new Error('regexSpans needs a global regex');
  return Array.from(text.matchAll(re), (m) => [m.index!, m.index! + m[0].length] as [number, number]);
}

/** Character spans of hits [start, end) token ranges, for comparing with regexSpans over one document. */
export function hitSpans(index: CorpusIndex, starts: ArrayLike<number>, ends: ArrayLike<number>): Array<[number, number]> {
  return Array.from({ length: starts.length }, (_, i) => [index.start[starts[i]!]!, index.end[ends[i]! - 1]!] as [number, number]);
}

/** Writes the first `n` Brown texts as `<id>.txt` into `dir` and returns them. */
export function writeBrownCorpus(dir: string, n: number): BrownText[] {
  const texts = brownTexts(n);
  mkdirSync(dir, { recursive: true });
  for (const t of texts) writeFileSync(join(dir, `${t.id}.txt`), t.text);
  return texts;
}

/** A deterministic byte stream (mulberry32), for binary files that must not look like text. */
export function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}
