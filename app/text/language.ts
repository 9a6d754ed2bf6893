/**
 * Languages: one code per document, however it was given or found.
 *
 * Codes are ISO 639-1 where one exists, else ISO 639-3, lower case, with no region or script:
 * `en`, `ru`, `zh`, `ckb`. Declared languages (metadata, front matter, markup, `--language`) come as
 * codes of any shape or as names; `normaliseLanguage` maps them onto that form through the CLDR alias
 * data that Node's ICU carries (so `eng`, `ger`, `cmn`, `arb`, `iw`, `zh-Hans` all land where they
 * should) and through the languages' English and own names.
 *
 * Detection is eld (Nito-ELD, `eld` on npm), chosen over tinyld and franc-min by measuring on the
 * Universal Declaration of Human Rights in the common languages: it was the most accurate on short
 * paragraphs, knew every language we asked of it, and was the fastest per call. Its medium database
 * is the trade-off between accuracy on short texts (the smaller ones confuse Vietnamese) and memory
 * and load time (the large one costs far more of both for little gain). It is loaded on the first
 * detection, not on import, since most callers of this module never detect anything.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Detection

/** The part of eld's API used here (its own types describe the package, not the CJS view of it). */
interface EldResult {
  language: string;
  getScores(): Record<string, number>;
  isReliable(): boolean;
}
interface Eld {
  detect(text: string): EldResult;
  enableTextCleanup(on: boolean): void;
}

/**
 * eld's codes -> ours. All are ISO 639-1 already but one: eld's `ku` is Kurdish in Arabic script,
 * that is Central Kurdish (Sorani), whose code is `ckb` (`ku` alone is usually read as Kurmanji, in
 * Latin letters, and would be drawn left to right). eld's `sr` is Serbian in Cyrillic, `az`
 * Azerbaijani in Latin letters, `no` Norwegian (Bokmål, by its training texts).
 */
const ELD_CODES: Readonly<Record<string, string>> = {
  am: 'am',
  ar: 'ar',
  az: 'az',
  be: 'be',
  bg: 'bg',
  bn: 'bn',
  ca: 'ca',
  cs: 'cs',
  da: 'da',
  de: 'de',
  el: 'el',
  en: 'en',
  es: 'es',
  et: 'et',
  eu: 'eu',
  fa: 'fa',
  fi: 'fi',
  fr: 'fr',
  gu: 'gu',
  he: 'he',
  hi: 'hi',
  hr: 'hr',
  hu: 'hu',
  hy: 'hy',
  is: 'is',
  it: 'it',
  ja: 'ja',
  ka: 'ka',
  kn: 'kn',
  ko: 'ko',
  ku: 'ckb',
  lo: 'lo',
  lt: 'lt',
  lv: 'lv',
  ml: 'ml',
  mr: 'mr',
  ms: 'ms',
  nl: 'nl',
  no: 'no',
  or: 'or',
  pa: 'pa',
  pl: 'pl',
  pt: 'pt',
  ro: 'ro',
  ru: 'ru',
  sk: 'sk',
  sl: 'sl',
  sq: 'sq',
  sr: 'sr',
  sv: 'sv',
  ta: 'ta',
  te: 'te',
  th: 'th',
  tl: 'tl',
  tr: 'tr',
  uk: 'uk',
  ur: 'ur',
  vi: 'vi',
  yo: 'yo',
  zh: 'zh',
};

/** The languages detection can answer with (a text in any other language is taken for its nearest). */
export const DETECTABLE_LANGUAGES: readonly string[] = Object.values(ELD_CODES).sort();

let eld: Eld | undefined;

/** eld's medium database entry point, as an import of `eld/medium` would find it. */
function eldEntry(): string {
  const meta = import.meta as ImportMeta & { resolve?: (specifier: string) => string };
  if (typeof meta.resolve === 'function') return fileURLToPath(meta.resolve('eld/medium'));
  // Run as CommonJS (a transpiler's CJS mode), import.meta.resolve is missing: look for the package
  // where require would, and take the file that the pinned version's export map names.
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths('eld') ?? []) {
    const file = join(dir, 'eld', 'src', 'entries', 'static.medium.js');
    if (existsSync(file)) return file;
  }
  throw new Error('The language detector (the eld package) is not installed.');
}

function loadEld(): Eld {
  if (eld) return eld;
  // eld is ES modules only and exports no `require` condition, so its file is required by path
  // (Node >= 20.19 and Electron's Node load ES modules that way, synchronously).
  const require = createRequire(import.meta.url);
  const loaded = (require(eldEntry()) as { eld: Eld }).eld;
  // Drops URLs, e-mail addresses and codes with digits, which say nothing of the language around them.
  loaded.enableTextCleanup(true);
  eld = loaded;
  return loaded;
}

/** eld reads no more than ~350 UTF-8 bytes of a call's text, so a text is judged in windows this long. */
const WINDOW_CHARS = 200;
/** A long text is sampled: this many slices of SLICE_CHARS, spread evenly from its start to its end. */
const SLICES = 5;
const SLICE_CHARS = 10_000;
/** Fewer letters than this, in a window or in the whole text, tell too little to vote on. */
const MIN_LETTERS = 20;
/**
 * A window votes only when its best language's raw score beats the runner-up's by this ratio. eld's
 * scores are squashed towards 1 (score = raw / (raw + 25)); the ratio is taken on the raw scores, so
 * it means the same at every level. A near tie on a lone short text then gives no answer rather than
 * a wrong one (Norwegian/Danish, Hindi/Marathi), while long texts, many windows, are barely touched.
 */
const MIN_MARGIN = 1.01;
/** The winner must have at least this share of the windows that voted. */
const MIN_SHARE = 0.5;

/** Letters, and the vowel signs that are most of the characters of Indic words (marks, not letters). */
const LETTER = /[\p{L}\p{M}]/gu;

function letterCount(s: string): number {
  LETTER.lastIndex = 0;
  let n = 0;
  while (LETTER.exec(s)) n++;
  return n;
}

/** Cuts `s` into windows of about WINDOW_CHARS, at a space when one is near the end. */
function windowsOf(s: string, out: string[]): void {
  let at = 0;
  while (at < s.length) {
    let end = Math.min(s.length, at + WINDOW_CHARS);
    if (end < s.length) {
      const space = s.lastIndexOf(' ', end);
      if (space > at + WINDOW_CHARS / 2) end = space;
    }
    out.push(s.slice(at, end));
    at = end;
  }
}

/** The language of one window, or undefined when eld is not sure of it. */
function windowLanguage(detector: Eld, window: string): string | undefined {
  const r = detector.detect(window);
  if (!r.language || !r.isReliable()) return undefined;
  // isReliable does not compare the two best scores (it reads the runner-up's language index where
  // its score should be), so that check is made here.
  const scores = Object.values(r.getScores());
  if (scores.length > 1) {
    const raw = (s: number) => s / (1 - s);
    if (raw(scores[0]!) < raw(scores[1]!) * MIN_MARGIN) return undefined;
  }
  return r.language;
}

/**
 * The language of `text` (see the codes above), or undefined when the text is too short to tell, no
 * language has most of its windows, or it has no letters. A long text is judged on a few slices
 * spread through it, so the time does not grow with its length.
 */
export function detectLanguage(text: string): string | undefined {
  const windows: string[] = [];
  if (text.length <= SLICES * SLICE_CHARS) windowsOf(text, windows);
  else {
    for (let i = 0; i < SLICES; i++) {
      const from = Math.floor(((text.length - SLICE_CHARS) * i) / (SLICES - 1));
      windowsOf(text.slice(from, from + SLICE_CHARS), windows);
    }
  }
  const detector = loadEld();
  const votes = new Map<string, number>();
  let voted = 0;
  for (const w of windows) {
    if (letterCount(w) < MIN_LETTERS) continue;
    const language = windowLanguage(detector, w);
    if (!language) continue;
    votes.set(language, (votes.get(language) ?? 0) + 1);
    voted++;
  }
  let best: string | undefined;
  let most = 0;
  for (const [language, n] of votes) {
    if (n > most) {
      best = language;
      most = n;
    }
  }
  if (!best || most < voted * MIN_SHARE) return undefined;
  return ELD_CODES[best] ?? normaliseLanguage(best);
}

// ---------------------------------------------------------------------------------------------
// Codes and names

/** ICU's English language names, made on first use: making them is a noticeable part of a process's start. */
let englishNamesMade: Intl.DisplayNames | undefined;
const englishNames = {
  of: (code: string) => (englishNamesMade ??= new Intl.DisplayNames('en', { type: 'language', fallback: 'none' })).of(code),
};

/** Codes that are no language: undetermined, multiple, no linguistic content, not yet coded. */
const NOT_A_LANGUAGE = new Set(['und', 'mul', 'zxx', 'mis']);

/** Where CLDR's aliases part from ISO 639-1: it folds Tagalog (`tl`) into Filipino (`fil`). */
const OWN_ALIASES: Readonly<Record<string, string>> = { tl: 'tl', tgl: 'tl' };

/** The language part of a tag in canonical form, if ICU knows it as a language; else undefined. */
function canonicalCode(primary: string): string | undefined {
  const lower = primary.toLowerCase();
  if (NOT_A_LANGUAGE.has(lower) || /^q[a-t][a-z]$/.test(lower)) return undefined;
  const own = OWN_ALIASES[lower];
  if (own) return own;
  let code: string;
  try {
    code = new Intl.Locale(Intl.getCanonicalLocales(lower)[0]!).language;
  } catch {
    return undefined;
  }
  return englishNames.of(code) === undefined ? undefined : code;
}

/** Names not covered by ICU's English and native names, as they turn up in metadata. */
const EXTRA_NAMES: Readonly<Record<string, string>> = {
  farsi: 'fa',
  mandarin: 'zh',
  castilian: 'es',
  flemish: 'nl',
  tagalog: 'tl',
  filipino: 'tl',
  'modern greek': 'el',
  'standard arabic': 'ar',
  'modern standard arabic': 'ar',
  'scottish gaelic': 'gd',
  gaelic: 'gd',
  kurdish: 'ku',
  sorani: 'ckb',
  kurmanji: 'ku',
  moldavian: 'ro',
  'serbo-croatian': 'sh',
  'high german': 'de',
  'standard german': 'de',
  'old norse': 'non',
  'middle english': 'enm',
  'old french': 'fro',
  'middle french': 'frm',
  'old high german': 'goh',
  'middle high german': 'gmh',
};

/**
 * Languages without a two-letter code that corpora do come in, so their names are known too (all
 * three-letter codes are accepted as codes; these are only for matching names).
 */
const THREE_LETTER_NAMED = [
  'ang',
  'arc',
  'ast',
  'ckb',
  'dsb',
  'enm',
  'fil',
  'frm',
  'fro',
  'frr',
  'fur',
  'gmh',
  'goh',
  'got',
  'grc',
  'gsw',
  'haw',
  'hsb',
  'lad',
  'lij',
  'lmo',
  'nap',
  'nds',
  'non',
  'ota',
  'peo',
  'pms',
  'sco',
  'scn',
  'sga',
  'syr',
  'vec',
  'yue',
  'chr',
  'mfe',
  'pcm',
  'zgh',
  'kmr',
  'sah',
  'tzm',
  'hil',
  'ceb',
];

let namesToCodes: Map<string, string> | undefined;

const nameKey = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

/** English and native names of every two-letter language and of THREE_LETTER_NAMED, to codes. */
function names(): Map<string, string> {
  if (namesToCodes) return namesToCodes;
  const map = new Map<string, string>();
  const add = (name: string | undefined, code: string) => {
    if (!name) return;
    const key = nameKey(name);
    if (!map.has(key)) map.set(key, code);
    // "Serbian (Latin)" is also plain "Serbian", unless that is some other code's name.
    const bare = key.replace(/\s*\(.*\)$/, '');
    if (bare && !map.has(bare)) map.set(bare, code);
  };
  const candidates: string[] = [...THREE_LETTER_NAMED];
  for (let a = 97; a < 123; a++) for (let b = 97; b < 123; b++) candidates.push(String.fromCharCode(a, b));
  for (const raw of candidates) {
    const code = canonicalCode(raw);
    if (!code) continue;
    add(englishNames.of(raw), code);
    add(englishNames.of(code), code);
    try {
      add(new Intl.DisplayNames([code], { type: 'language', fallback: 'none' }).of(code), code);
    } catch {
      // ICU has no locale data for it: its English name is enough.
    }
  }
  for (const [name, code] of Object.entries(EXTRA_NAMES)) map.set(name, canonicalCode(code) ?? code);
  namesToCodes = map;
  return map;
}

/**
 * The code for a language given as a code or tag (`en`, `eng`, `EN`, `en-GB`, `en_GB`, `de-1901`,
 * `zh-Hans`, `cmn`, `arb`) or a name in English or in the language itself (`English`, `Deutsch`,
 * `русский`); undefined when it is none that ICU knows.
 */
export function normaliseLanguage(input: string): string | undefined {
  const s = input.normalize('NFC').trim();
  if (!s) return undefined;
  const tag = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$/.exec(s);
  if (tag) {
    const code = canonicalCode(tag[1]!);
    if (code) return code;
  }
  const key = nameKey(s);
  // "German (Standard)", "Chinese (Simplified)": the language is before the brackets.
  return names().get(key) ?? names().get(key.replace(/\s*\(.*\)$/, ''));
}

/** Where ICU's English names fall short for our codes. */
const OWN_NAMES: Readonly<Record<string, string>> = { tl: 'Tagalog' };

/** The English name of a language (`ru` -> `Russian`), or the code itself when it has none. */
export function languageName(code: string): string {
  const own = OWN_NAMES[code];
  if (own) return own;
  try {
    return new Intl.DisplayNames('en', { type: 'language', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Scripts written right to left, living and historical (ISO 15924). */
const RTL_SCRIPTS = new Set([
  'Adlm',
  'Arab',
  'Aran',
  'Armi',
  'Avst',
  'Chrs',
  'Cprt',
  'Elym',
  'Hatr',
  'Hebr',
  'Hung',
  'Khar',
  'Lydi',
  'Mand',
  'Mani',
  'Mend',
  'Narb',
  'Nbat',
  'Nkoo',
  'Orkh',
  'Ougr',
  'Palm',
  'Phli',
  'Phlp',
  'Phnx',
  'Prti',
  'Rohg',
  'Samr',
  'Sarb',
  'Sogd',
  'Sogo',
  'Syrc',
  'Thaa',
  'Yezi',
]);

/**
 * Languages written right to left, should ICU not say: its likely-script data gives the rest (and
 * an explicit script in a tag, `az-Arab`, `pa-Arab`, wins over both).
 */
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ckb', 'syr', 'ks', 'arc', 'nqo']);

/**
 * Answers by code: a concordance asks once per line, and a corpus has few languages. Common codes
 * written left to right are answered from the start, without ICU, whose locale data takes a
 * noticeable time to load for a process's first page.
 */
const rtlByCode = new Map<string, boolean>(
  ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'ru', 'pl', 'sv', 'da', 'no', 'fi', 'cs', 'el', 'tr', 'zh', 'ja', 'ko', 'th'].map((code) => [
    code,
    false,
  ]),
);

/** Whether text in this language (a code, tag or name) is written right to left; false when unknown. */
export function isRightToLeft(code: string | undefined): boolean {
  if (!code) return false;
  let rtl = rtlByCode.get(code);
  if (rtl === undefined) rtlByCode.set(code, (rtl = rightToLeft(code)));
  return rtl;
}

function rightToLeft(code: string): boolean {
  try {
    // An explicit script decides: `az-Arab` is right to left, `ku-Latn` is not.
    const script = new Intl.Locale(code.replace(/_/g, '-')).script;
    if (script) return RTL_SCRIPTS.has(script);
  } catch {
    // Not a tag; perhaps a name.
  }
  const language = normaliseLanguage(code);
  if (!language) return false;
  if (RTL_LANGUAGES.has(language)) return true;
  const likely = new Intl.Locale(language).maximize().script;
  return likely !== undefined && RTL_SCRIPTS.has(likely);
}
