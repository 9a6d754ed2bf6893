/**
 * Fixtures for the living-corpus tests: a folder of Brown texts (plus a CSV of several documents),
 * private cache folders, and the whole of an index as plain values so two indexes compare exactly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusIndex } from '../../app/index/store.js';
import { runQuery } from '../../app/query/run.js';
import { brownTexts } from '../../scripts/brown.js';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `loupe-living-${label}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

const BROWN = brownTexts(24);

/** Brown texts as `name -> text`, 20 files by default. */
export function brownFiles(count = 20, from = 0): Record<string, string> {
  return Object.fromEntries(BROWN.slice(from, from + count).map((t) => [`${t.id}.txt`, t.text]));
}

/** A CSV whose rows are three documents (Brown paragraphs), with an author column as metadata. */
export function csvFile(): string {
  const paras = BROWN[22]!.text
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .slice(0, 3);
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['author,text', ...paras.map((p, i) => `${quote(`Writer ${i}`)},${quote(p.trim())}`)].join('\n') + '\n';
}

export function writeAll(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

/** Everything an index holds, as plain values (ids included: an incremental build must give the same ids). */
export function snapshot(index: CorpusIndex) {
  return {
    forms: index.forms,
    lemmas: index.lemmas,
    form: Array.from(index.form),
    lemma: Array.from(index.lemma),
    pos: Array.from(index.pos),
    kind: Array.from(index.kind),
    flags: Array.from(index.flags),
    start: Array.from(index.start),
    end: Array.from(index.end),
    docStart: Array.from(index.docStart),
    docs: index.docs.map((d) => ({ ...d })),
  };
}

const QUERIES = ['the', 'government', '[pos="NOUN"] of the', 'said', '[lemma="be"]', 'zebra'];

export function counts(index: CorpusIndex, queries = QUERIES): Record<string, number> {
  return Object.fromEntries(queries.map((q) => [q, runQuery(index, q).starts.length]));
}

/** Resolves with the first value for which `take` returns something, or rejects after `ms`. */
export function nextEvent<T, R>(
  subscribe: (listener: (x: T) => void) => () => void,
  take: (x: T) => R | undefined,
  ms = 20_000,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching event within ${ms} ms`));
    }, ms);
    const off = subscribe((x) => {
      const r = take(x);
      if (r === undefined) return;
      clearTimeout(timer);
      off();
      resolve(r);
    });
  });
}
