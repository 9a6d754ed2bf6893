/**
 * Test corpora for the statistics suite: the bundled chapter and Brown texts, indexed with the
 * project's own index builder (the same path the app takes), plus the token rows the reference
 * implementations in the tests iterate one by one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { SENTENCE_START } from '../../app/index/store.js';
import { brownTexts } from '../../scripts/brown.js';

const CHAPTER_PATH = fileURLToPath(new URL('../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt', import.meta.url));

export interface Doc {
  name: string;
  path: string;
  text: string;
}

function indexOf(docs: Doc[]): CorpusIndex {
  return buildIndexSync(docs);
}

let chapter: CorpusIndex | undefined;
export function chapterIndex(): CorpusIndex {
  return (chapter ??= indexOf([
    { name: 'cliff-russia-ch18-the-coming-russian-revolution.txt', path: CHAPTER_PATH, text: readFileSync(CHAPTER_PATH, 'utf8') },
  ]));
}

let brown: CorpusIndex | undefined;
/** The first 40 Brown texts, one document each. */
export function brownIndex(): CorpusIndex {
  return (brown ??= indexOf(brownTexts(40).map((t) => ({ name: t.id, path: `/brown/${t.id}`, text: t.text }))));
}

/** One token as a plain object: what the reference implementations read. */
export interface Row {
  pos: number;
  doc: number;
  word: string;
  form: string;
  lemma: string;
  tag: string;
  counted: boolean;
  sentenceStart: boolean;
}

export function rowsOf(index: CorpusIndex): Row[] {
  const rows: Row[] = [];
  for (let d = 0; d < index.docs.length; d++) {
    for (let i = index.docStart[d]!; i < index.docStart[d + 1]!; i++) {
      const form = index.forms[index.form[i]!]!;
      rows.push({
        pos: i,
        doc: d,
        word: form.toLowerCase(),
        form,
        lemma: index.lemmas[index.lemma[i]!]!,
        tag: index.posName(index.pos[i]!),
        counted: index.counted[i] === 1,
        sentenceStart: (index.flags[i]! & SENTENCE_START) !== 0,
      });
    }
  }
  return rows;
}

/** Relative closeness, with an absolute floor for values at or near zero. */
export function close(a: number, b: number, rel = 1e-9): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(rel * Math.max(Math.abs(a), Math.abs(b)), 1e-12);
}

/** Hits of a literal token sequence (case-folded words, punctuation included), found row by row. */
export function refHits(rows: Row[], seq: string[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let i = 0; i + seq.length <= rows.length; i++) {
    let ok = true;
    for (let j = 0; j < seq.length && ok; j++) ok = rows[i + j]!.word === seq[j] && rows[i + j]!.doc === rows[i]!.doc;
    if (ok) out.push({ start: i, end: i + seq.length });
  }
  return out;
}
