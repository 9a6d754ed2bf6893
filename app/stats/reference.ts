/**
 * The bundled keyness reference: word (and lemma) frequencies of the whole Brown corpus, derived by
 * scripts/derive-brown-reference.ts with the same tokeniser and case-folding as any Loupe corpus,
 * so frequencies compare like with like. File format: a `#` header line carrying `tokens=N`
 * (counted tokens of the whole corpus, including words dropped from the list for rarity), then
 * `term<TAB>freq` lines sorted by frequency.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LoupeFailure } from '../contract/errors.js';
import type { FrequencyReference } from './keyness.js';

/**
 * The reference lists live in reference/ at the project root, beside (not inside) the bundled corpus
 * folder, which must hold only the corpus: any .tsv or .txt there would be read as a document.
 * main/build.mjs copies reference/ next to the compiled app/ so this relative path holds there too.
 */
export const BROWN_WORDS_PATH = fileURLToPath(new URL('../../reference/brown-words.tsv', import.meta.url));
export const BROWN_LEMMAS_PATH = fileURLToPath(new URL('../../reference/brown-lemmas.tsv', import.meta.url));

function parseFrequencyList(text: string, name: string): FrequencyReference {
  const lines = text.split(/\r?\n/);
  const header = lines[0] ?? '';
  const m = /(?:^|\s)tokens=(\d+)/.exec(header);
  if (!header.startsWith('#') || !m) throw new LoupeFailure('E_CORPUS', `${name}: the first line must be a # header with tokens=N`);
  const freq = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const tab = line.lastIndexOf('\t');
    const n = Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isInteger(n) || n < 0) throw new LoupeFailure('E_CORPUS', `${name}: line ${i + 1} is not term<TAB>frequency`);
    freq.set(line.slice(0, tab), n);
  }
  return { name, tokens: Number(m[1]), freq };
}

const loaded = new Map<string, FrequencyReference>();
export function loadBrownReference(by: 'word' | 'lemma' = 'word'): FrequencyReference {
  let ref = loaded.get(by);
  if (!ref) {
    const path = by === 'lemma' ? BROWN_LEMMAS_PATH : BROWN_WORDS_PATH;
    ref = parseFrequencyList(readFileSync(path, 'utf8'), by === 'lemma' ? 'brown (lemmas)' : 'brown');
    loaded.set(by, ref);
  }
  return ref;
}
