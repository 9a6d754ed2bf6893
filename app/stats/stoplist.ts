/**
 * Stop words: the bundled plain English list (reference/stopwords-en.txt, one word a line,
 * `#` starts a comment), or a user's list in the same format. Words are compared case-folded
 * with apostrophes folded, like the corpus's words.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldKey } from '../text/normalise.js';

export const STOPWORDS_PATH = fileURLToPath(new URL('../../reference/stopwords-en.txt', import.meta.url));

export function parseStopwords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (line) out.push(foldKey(line));
  }
  return out;
}

let bundled: ReadonlySet<string> | undefined;
export function bundledStopwords(): ReadonlySet<string> {
  return (bundled ??= new Set(parseStopwords(readFileSync(STOPWORDS_PATH, 'utf8'))));
}

export function stopwordSet(words?: readonly string[]): ReadonlySet<string> {
  return words ? new Set(words.map(foldKey)) : bundledStopwords();
}
