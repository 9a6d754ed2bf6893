/**
 * Word segmentation for every document that wink-nlp's English tokeniser should not read: all
 * non-English documents, and runs of non-Latin script inside English ones.
 *
 * The reference is UAX #29 (word boundaries) as ICU implements it, which is what Node's
 * `Intl.Segmenter(locale, { granularity: 'word' })` runs. Iterating Intl.Segmenter costs an object per
 * segment and a call across into ICU, so it is used only where ICU needs a dictionary (Han, kana, Thai,
 * Lao, Khmer, Myanmar and the other scripts written without spaces). Everything else goes through a
 * hand-written scanner over UTF-16 code units with a per-code-point class table, which gives the same
 * word boundaries and the same word-like/not decision as ICU, so word counts agree with Intl.Segmenter's
 * `isWordLike` segments. Facts about ICU's behaviour that the scanner copies (checked against this
 * Node's ICU, see test/text/segment.test.ts):
 *
 *  - Letters, digits, marks and connector punctuation (`_`, and U+202F NARROW NO-BREAK SPACE) join
 *    freely: `a1b`, `1a`, `foo_bar_` and `1 000` (with U+202F) are one word each.
 *  - One MidLetter (`:` `·` `·` `״` `‧` `：` ...) or MidNumLet (`.` `‘` `’` `'` `．` ...) joins two
 *    letters: `a:b`, `l'homme`, `don't`, `U.S.A`, `l·l` are single words; `'tis`, `dogs'` and `a''b`
 *    are not (the quote stands alone). `U.S.A.` is `U.S.A` then `.`.
 *  - One MidNum (`,` `;` `٬` ...) or MidNumLet joins two digits: `1,000.5`, `1;2`; but `12:30`, `a.1`
 *    and `1.a` split (`:` joins letters only; a letter and a digit need no joiner).
 *  - Hebrew: a letter takes a following apostrophe (`ש'`), and `"` joins two Hebrew letters (`צה"ל`).
 *  - Combining marks, ZWJ, ZWNJ and format characters (soft hyphen, bidi marks) stay inside the
 *    character before them; at the start of a range or after a space they stand alone (kind `other`).
 *  - A lone `_` is not word-like, `__` is. ICU's rule statuses also make a segment not word-like when
 *    marks follow a final `_` (`b_\u0301`) or the apostrophe a Hebrew letter kept (`א'\u05bc`), or when
 *    ZWJ joins a word to a pictograph (`a\u200d😀`); the scanner copies that.
 *  - Arabic number signs (U+0600..U+0605 and kin) are digits; some modifier symbols (U+00B8, tone
 *    letters U+02E5..U+02EB, U+A708..U+A716) are letters; U+FE10/U+FE14 are not MidNum.
 *  - Hangul syllables are in ICU's dictionary set: a run of them is one word, split from letters and
 *    digits beside it (`1948년` is `1948` `년`). Only a run touching marks, kana or Han needs ICU.
 *  - Thai and the other Complex_Context scripts join letters and digits of any script around them
 *    before the dictionary cuts them, so a dictionary run takes in the whole word-like stretch.
 *  - Emoji: a ZWJ sequence, a base with skin-tone modifiers, and a pair of regional indicators (flag)
 *    are one segment each; two emoji side by side are two.
 *  - The locale does not change word boundaries outside the dictionary scripts (only the POSIX
 *    variant, which no document gets, drops `:` and `.` as joiners).
 *
 * Deliberate departures from ICU (none changes which words are counted in ordinary text):
 *  - U+202F is ExtendNumLet in UAX #29, so ICU keeps it at a word's edge (`mot\u202f` before a French
 *    `:`). Here it joins only between two word characters (`1\u202f000`) and is otherwise a space, so
 *    the word is `mot`.
 *  - U+200B ZERO WIDTH SPACE and a U+FEFF that starts a token are dropped like whitespace (ICU makes
 *    them non-word segments; the boundaries are the same).
 *  - A run of the same punctuation or symbol character (`...`, `--`, `!!`) is one token; ICU gives one
 *    segment per character. Neither counts.
 *  - A Khitan filler mark after a space: ICU makes the space and the mark one word-like segment.
 */
import { TOKEN_KINDS, type TokenKind } from '../contract/types.js';

export interface Segments {
  count: number;
  /** UTF-16 offsets into the original text (not relative to `from`). */
  start: Uint32Array;
  end: Uint32Array;
  /** Index into TOKEN_KINDS. */
  kind: Uint8Array;
  /** 1 where a sentence starts (the first token of the range counts as a start). */
  sentenceStart: Uint8Array;
}

const kindId = (k: TokenKind): number => TOKEN_KINDS.indexOf(k);
const K_WORD = kindId('word');
const K_NUMBER = kindId('number');
const K_EMOJI = kindId('emoji');
const K_PUNCT = kindId('punctuation');
const K_SYMBOL = kindId('symbol');
const K_OTHER = kindId('other');

// Character classes (low 5 bits of the table entry). 0 means "not classified yet".
const SPACE = 1;
const AL = 2; // ALetter
const HL = 3; // Hebrew_Letter
const NUM = 4; // Numeric
const ENL = 5; // ExtendNumLet (connector punctuation)
const NNBSP = 6; // U+202F: ExtendNumLet between word characters, else a space
const EXTEND = 7; // Extend, ZWJ, Format
const MIDLETTER = 8;
const MIDNUMLET = 9;
const MIDNUM = 10;
const SQ = 11; // '
const DQ = 12; // "
const PUNCT = 13;
const SYMBOL = 14;
const PICT = 15; // Extended_Pictographic shown as emoji by default
const PICT_TEXT = 16; // Extended_Pictographic shown as text by default (© ™ ‼ ↔)
const RI = 17; // Regional_Indicator
const OTHER = 18;
// Scripts ICU segments with a dictionary; a run of them goes to Intl.Segmenter.
const DICT_HAN = 19;
const DICT_KANA = 20;
const DICT_THAI = 21;
const DICT_LAO = 22;
const DICT_KHMER = 23;
const DICT_MYANMAR = 24;
const DICT_SA = 25; // other South-East Asian scripts written without spaces
// Hangul syllables: ICU keeps a run of them as one word (Korean is written with spaces) but splits
// it from letters and digits beside it, and hands it to the dictionary engine when it touches marks
// or other dictionary scripts; only the latter cases go to Intl.Segmenter.
const HANGUL = 26;
const CLASS_MASK = 31;
// Flags (high bits), meaningful on punctuation.
const TERM = 32; // ends a sentence
const CLOSE = 64; // closing bracket or quote (Pe, Pf)
const QUOTE = 128; // quotation mark that may open or close: closing only when touching the previous token

/** Class of every code point, filled on first sight (one regex pass per distinct character). */
const TABLE = new Uint8Array(0x110000);

const RE_SPACE = /^\p{White_Space}$/u;
const RE_EXTEND = /^[\p{Grapheme_Extend}\p{Mc}\p{Emoji_Modifier}\p{Cf}]$/u;
const RE_HIRA = /^\p{sc=Hiragana}$/u;
const RE_KANA = /^\p{sc=Katakana}$/u;
const RE_HAN = /^[\p{Ideographic}\p{sc=Han}\p{sc=Khitan_Small_Script}]$/u;
// Signs and symbols of South-East Asian scripts that are Complex_Context for line breaking (so ICU
// sends them to its dictionary engine) although they are not letters.
const RE_SA_SIGNS = /^[\u109e\u109f\uaa77-\uaa79\u1aa0-\u1aad\u19da\u19de\u19df\uaade\uaadf\u{1173a}\u{1173b}\u{1173f}]$/u;
const RE_LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const RE_THAI = /^\p{sc=Thai}$/u;
const RE_LAO = /^\p{sc=Lao}$/u;
const RE_KHMER = /^\p{sc=Khmer}$/u;
const RE_MYANMAR = /^\p{sc=Myanmar}$/u;
const RE_SA = /^[\p{sc=Tai_Le}\p{sc=New_Tai_Lue}\p{sc=Tai_Tham}\p{sc=Tai_Viet}\p{sc=Ahom}]$/u;
const RE_HEBREW_LETTER = /^\p{sc=Hebrew}$/u;
const RE_LO = /^\p{Lo}$/u;
const RE_ND = /^\p{Nd}$/u;
const RE_ALPHA = /^\p{Alphabetic}$/u;
const RE_PC = /^\p{Pc}$/u;
const RE_RI = /^\p{Regional_Indicator}$/u;
const RE_PICT = /^\p{Extended_Pictographic}$/u;
const RE_EMOJI_PRES = /^\p{Emoji_Presentation}$/u;
const RE_P = /^\p{P}$/u;
const RE_S = /^\p{S}$/u;
const RE_STERM = /^\p{Sentence_Terminal}$/u;
const RE_CLOSE = /^[\p{Pe}\p{Pf}]$/u;
const RE_QUOTE = /^\p{Quotation_Mark}$/u;

// UAX #29 lists these by code point (WordBreakProperty.txt).
const MIDLETTER_CPS = new Set([0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const MIDNUMLET_CPS = new Set([0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const MIDNUM_CPS = new Set([0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe50, 0xfe54, 0xff0c, 0xff1b]);
// Prepended number signs (format characters) that UAX #29 counts as Numeric.
const NUMBER_SIGNS = new Set([0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6dd, 0x70f, 0x890, 0x891, 0x8e2, 0x110bd, 0x110cd]);
const KATAKANA_EXTRA = new Set([0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309b, 0x309c, 0x30a0, 0x30fc, 0xff70]);
// Modifier letters and symbols that UAX #29 counts as ALetter although they are not Alphabetic.
function isExtraALetter(cp: number): boolean {
  return (
    cp === 0xb8 ||
    (cp >= 0x2c2 && cp <= 0x2c5) ||
    (cp >= 0x2d2 && cp <= 0x2d7) ||
    cp === 0x2de ||
    cp === 0x2df ||
    (cp >= 0x2e5 && cp <= 0x2eb) ||
    cp === 0x2ed ||
    (cp >= 0x2ef && cp <= 0x2ff) ||
    (cp >= 0xa708 && cp <= 0xa716) ||
    (cp >= 0x55a && cp <= 0x55c) ||
    cp === 0x55e ||
    cp === 0x58a ||
    cp === 0x5f3 ||
    cp === 0xa720 ||
    cp === 0xa721 ||
    cp === 0xa789 ||
    cp === 0xa78a ||
    cp === 0xab5b
  );
}

function baseClass(cp: number, s: string): number {
  if (cp === 0x202f) return NNBSP;
  if (cp === 0x200b) return SPACE;
  if (RE_SPACE.test(s)) return SPACE;
  if (cp === 0x27) return SQ;
  if (cp === 0x22) return DQ;
  if (MIDLETTER_CPS.has(cp)) return MIDLETTER;
  if (MIDNUMLET_CPS.has(cp)) return MIDNUMLET;
  if (MIDNUM_CPS.has(cp)) return MIDNUM;
  if (NUMBER_SIGNS.has(cp)) return NUM;
  if (cp >= 0xac00 && cp <= 0xd7a3) return HANGUL;
  // Every character of these scripts (radicals, circled kana and Khitan's filler too) is in ICU's
  // dictionary set, marks included; combining marks of no script (kana voicing marks) are Extend.
  if (KATAKANA_EXTRA.has(cp) || RE_HIRA.test(s) || RE_KANA.test(s)) return DICT_KANA;
  if (RE_HAN.test(s)) return DICT_HAN;
  if (RE_EXTEND.test(s)) return EXTEND;
  if (RE_SA_SIGNS.test(s)) return DICT_SA;
  if (RE_LETTER_OR_MARK.test(s)) {
    if (RE_THAI.test(s)) return DICT_THAI;
    if (RE_LAO.test(s)) return DICT_LAO;
    if (RE_KHMER.test(s)) return DICT_KHMER;
    if (RE_MYANMAR.test(s)) return DICT_MYANMAR;
    if (RE_SA.test(s)) return DICT_SA;
  }
  if (RE_HEBREW_LETTER.test(s) && RE_LO.test(s)) return HL;
  if (RE_ND.test(s) || cp === 0x66b) return NUM;
  if (RE_ALPHA.test(s) || isExtraALetter(cp)) return AL;
  if (RE_PC.test(s)) return ENL;
  if (RE_RI.test(s)) return RI;
  if (RE_PICT.test(s)) return cp >= 0x1f000 || RE_EMOJI_PRES.test(s) ? PICT : PICT_TEXT;
  return punctOrOther(s);
}

function punctOrOther(s: string): number {
  if (RE_P.test(s)) return PUNCT;
  if (RE_S.test(s)) return SYMBOL;
  return OTHER;
}

function classify(cp: number): number {
  const s = String.fromCodePoint(cp);
  let v = baseClass(cp, s);
  if (RE_STERM.test(s) || cp === 0x2026) v |= TERM;
  if (RE_CLOSE.test(s)) v |= CLOSE;
  else if (RE_QUOTE.test(s)) v |= QUOTE;
  TABLE[cp] = v;
  return v;
}

/** The code point at i (a lone surrogate stands for itself); `to` bounds the low half. */
function cpAt(t: string, i: number, to: number): number {
  const c = t.charCodeAt(i);
  if ((c & 0xfc00) !== 0xd800 || i + 1 >= to) return c;
  const d = t.charCodeAt(i + 1);
  return (d & 0xfc00) === 0xdc00 ? ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000 : c;
}

function entry(cp: number): number {
  const v = TABLE[cp]!;
  return v !== 0 ? v : classify(cp);
}

/** Index after the Extend/Format/ZWJ characters starting at j (UAX #29 WB4). */
function skipExtend(t: string, j: number, to: number): number {
  while (j < to) {
    const cp = cpAt(t, j, to);
    if ((entry(cp) & CLASS_MASK) !== EXTEND) break;
    j += cp > 0xffff ? 2 : 1;
  }
  return j;
}

const isWordClass = (k: number): boolean => k >= AL && k <= ENL;
const isDict = (k: number): boolean => k >= DICT_HAN && k <= DICT_SA;
/** Characters a dictionary run extends over: what ICU may join to a dictionary-script word. */
const inDictRun = (k: number): boolean => (k >= AL && k <= DQ && k !== NNBSP) || k >= DICT_HAN;

/** Output columns, grown by doubling, plus the sentence-start state. */
class Sink {
  n = 0;
  start: Uint32Array;
  end: Uint32Array;
  kind: Uint8Array;
  sent: Uint8Array;
  /** 0: inside a sentence; 1: the next token starts one; 2: after a sentence-final mark. */
  state = 1;
  prevEnd = -1;

  constructor(
    capacity: number,
    private readonly text: string,
    private readonly greekQuestion: boolean,
  ) {
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.sent = new Uint8Array(capacity);
  }

  push(s: number, e: number, k: number): void {
    const n = this.n;
    if (n === this.start.length) this.grow();
    this.start[n] = s;
    this.end[n] = e;
    this.kind[n] = k;
    let st: number;
    if (k === K_PUNCT) {
      const cp = cpAt(this.text, s, e);
      const f = entry(cp);
      const term = (f & TERM) !== 0 || (this.greekQuestion && cp === 0x3b);
      if (this.state === 2 && (term || (f & CLOSE) !== 0 || ((f & QUOTE) !== 0 && this.prevEnd === s))) {
        st = 0; // more of the same ending: `?!`, `."`, `.)`
      } else {
        st = this.state !== 0 ? 1 : 0;
        this.state = term ? 2 : 0;
      }
    } else {
      st = this.state !== 0 ? 1 : 0;
      this.state = 0;
    }
    this.sent[n] = st;
    this.prevEnd = e;
    this.n = n + 1;
  }

  private grow(): void {
    const cap = this.start.length * 2;
    const start = new Uint32Array(cap);
    start.set(this.start);
    this.start = start;
    const end = new Uint32Array(cap);
    end.set(this.end);
    this.end = end;
    const kind = new Uint8Array(cap);
    kind.set(this.kind);
    this.kind = kind;
    const sent = new Uint8Array(cap);
    sent.set(this.sent);
    this.sent = sent;
  }

  result(): Segments {
    const n = this.n;
    const fit = n === this.start.length;
    return {
      count: n,
      start: fit ? this.start : this.start.slice(0, n),
      end: fit ? this.end : this.end.slice(0, n),
      kind: fit ? this.kind : this.kind.slice(0, n),
      sentenceStart: fit ? this.sent : this.sent.slice(0, n),
    };
  }
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenterFor(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}

// Scripts present in a dictionary run, as bits.
const S_HAN = 1;
const S_KANA = 2;
const S_THAI = 4;
const S_LAO = 8;
const S_KHMER = 16;
const S_MYANMAR = 32;
const S_SA = 64;
const S_HANGUL = 128;
const SCRIPT_BIT = [S_HAN, S_KANA, S_THAI, S_LAO, S_KHMER, S_MYANMAR, S_SA, S_HANGUL];
const HAN_LANGUAGES = new Set(['zh', 'ja', 'ko', 'vi']);

/** The locale for a dictionary run: the document's language when it writes these scripts, else the script's own. */
function runLocale(scripts: number, language: string | undefined): string {
  if (scripts & S_KANA) return 'ja';
  if (scripts & S_HAN) return language !== undefined && HAN_LANGUAGES.has(language) ? language : scripts & S_HANGUL ? 'ko' : 'zh';
  if (scripts & S_HANGUL) return 'ko';
  if (scripts & S_THAI) return 'th';
  if (scripts & S_LAO) return 'lo';
  if (scripts & S_KHMER) return 'km';
  if (scripts & S_MYANMAR) return 'my';
  return language ?? 'und';
}

/** Kind of a token that starts with code point cp and is not a word or number. */
function standaloneKind(k: number, cp: number): number {
  switch (k) {
    case PICT:
    case RI:
      return K_EMOJI;
    case PUNCT:
    case SQ:
    case DQ:
    case MIDLETTER:
    case MIDNUMLET:
    case ENL:
      return K_PUNCT;
    case MIDNUM:
      return cp === 0x2044 ? K_SYMBOL : K_PUNCT;
    case SYMBOL:
      return K_SYMBOL;
    case PICT_TEXT:
      return RE_P.test(String.fromCodePoint(cp)) ? K_PUNCT : K_SYMBOL;
    default:
      return K_OTHER;
  }
}

/** Hands text[s, e) to Intl.Segmenter and pushes its segments. */
function segmentDictRun(out: Sink, text: string, s: number, e: number, scripts: number, language: string | undefined): void {
  const segmenter = segmenterFor(runLocale(scripts, language));
  let lastPunctCp = -1;
  for (const seg of segmenter.segment(text.slice(s, e))) {
    const a = s + seg.index;
    const b = a + seg.segment.length;
    if (seg.isWordLike) {
      let allDigits = true;
      for (let j = a; j < b;) {
        const cp = cpAt(text, j, b);
        const k = entry(cp) & CLASS_MASK;
        if (k !== NUM && k !== EXTEND && k !== MIDNUM && k !== MIDNUMLET && k !== SQ) {
          allDigits = false;
          break;
        }
        j += cp > 0xffff ? 2 : 1;
      }
      out.push(a, b, allDigits ? K_NUMBER : K_WORD);
      lastPunctCp = -1;
      continue;
    }
    const cp = cpAt(text, a, b);
    const k = entry(cp) & CLASS_MASK;
    if (k === SPACE) continue;
    const kind = standaloneKind(k, cp);
    if (kind === K_PUNCT && cp === lastPunctCp && out.end[out.n - 1] === a) {
      out.end[out.n - 1] = b; // a run of the same punctuation is one token
      out.prevEnd = b;
      continue;
    }
    out.push(a, b, kind);
    lastPunctCp = kind === K_PUNCT ? cp : -1;
  }
}

/**
 * Segments text[from, to). `language` is an ISO 639-1 code (e.g. 'ru','zh','ja','th','ar') or
 * undefined. Whitespace is dropped.
 */
export function segmentText(text: string, language?: string, from = 0, to = text.length): Segments {
  from = Math.max(0, Math.min(from, text.length));
  to = Math.max(from, Math.min(to, text.length));
  const lang = language ? language.toLowerCase().split(/[-_]/)[0] : undefined;
  const out = new Sink(Math.max(16, (to - from) >> 2), text, lang === 'el');
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    const cp = c < 0xd800 ? c : cpAt(text, i, to);
    const k = entry(cp) & CLASS_MASK;
    const w = cp > 0xffff ? 2 : 1;

    if (k === SPACE || k === NNBSP || cp === 0xfeff) {
      i += w;
      continue;
    }

    let runStart = -1; // set when the token turns out to need the dictionary
    if (isWordClass(k)) {
      // UAX #29 WB5-WB13b, with WB4 (Extend/Format/ZWJ are skipped after any character).
      let last = k;
      let lastEnd = i + w; // end of the last base character, before its marks
      let letters = k !== NUM;
      let pictAfterZwj = false;
      let wb7a = -1; // WB7a: a Hebrew letter keeps a following apostrophe; the word then ends at wb7a
      let j = skipExtend(text, lastEnd, to);
      let end = j;
      while (j < to) {
        const cp2 = cpAt(text, j, to);
        const k2 = entry(cp2) & CLASS_MASK;
        const w2 = cp2 > 0xffff ? 2 : 1;
        if (isWordClass(k2)) {
          if (k2 !== NUM) letters = true;
          last = k2;
          lastEnd = j + w2;
          j = skipExtend(text, lastEnd, to);
          end = j;
          continue;
        }
        if (isDict(k2)) {
          runStart = i;
          break;
        }
        if ((k2 === PICT || k2 === PICT_TEXT) && text.charCodeAt(j - 1) === 0x200d) {
          // WB3c joins ZWJ to a pictograph, and ICU then calls the whole segment not word-like.
          end = emojiEnd(text, j, w2, to);
          pictAfterZwj = true;
          break;
        }
        if (k2 < NNBSP || k2 > DQ || k2 === EXTEND) break;
        // A joiner: it holds only with the right character after it.
        const m = skipExtend(text, j + w2, to);
        if (m >= to) {
          if (k2 === SQ && last === HL) wb7a = m;
          break;
        }
        const cp3 = cpAt(text, m, to);
        const k3 = entry(cp3) & CLASS_MASK;
        const lastLetter = last === AL || last === HL;
        const nextLetter = k3 === AL || k3 === HL;
        const joins =
          (k2 === NNBSP && isWordClass(k3)) ||
          ((k2 === MIDLETTER || k2 === MIDNUMLET || k2 === SQ) && lastLetter && nextLetter) ||
          (k2 === DQ && last === HL && k3 === HL) ||
          ((k2 === MIDNUM || k2 === MIDNUMLET || k2 === SQ) && last === NUM && k3 === NUM);
        if (joins) {
          if (k3 !== NUM) letters = true;
          last = k3;
          lastEnd = m + (cp3 > 0xffff ? 2 : 1);
          j = skipExtend(text, lastEnd, to);
          end = j;
          continue;
        }
        if (isDict(k3) && k2 !== NNBSP) {
          runStart = i;
          break;
        }
        if (k2 === SQ && last === HL) wb7a = m;
        break;
      }
      if (runStart < 0) {
        // ICU calls a lone connector (`_`) not word-like (two or more are), nor a segment ending in
        // a connector with marks after it (`b_\u0301`).
        let kind = letters ? K_WORD : K_NUMBER;
        if (wb7a >= 0) {
          // ICU calls the segment not word-like when marks follow that apostrophe.
          if (wb7a > end + 1) kind = K_OTHER;
          end = wb7a;
        }
        if (pictAfterZwj || (last === ENL && end > lastEnd)) kind = K_OTHER;
        else if (k === ENL && end === lastEnd && lastEnd === i + w) kind = K_PUNCT;
        out.push(i, end, kind);
        i = end;
        continue;
      }
    } else if (isDict(k)) {
      runStart = i;
    } else if (k === HANGUL) {
      let j = i + 1;
      while (j < to && (entry(text.charCodeAt(j)) & CLASS_MASK) === HANGUL) j++;
      const next = j < to ? entry(cpAt(text, j, to)) & CLASS_MASK : SPACE;
      if (next !== EXTEND && !isDict(next)) {
        out.push(i, j, K_WORD);
        i = j;
        continue;
      }
      runStart = i;
    }

    if (runStart >= 0) {
      let scripts = 0;
      let j = runStart;
      while (j < to) {
        const cp2 = cpAt(text, j, to);
        const k2 = entry(cp2) & CLASS_MASK;
        const w2 = cp2 > 0xffff ? 2 : 1;
        if (!inDictRun(k2)) {
          // A pictograph after ZWJ joins the segment before it (WB3c); let ICU decide what that is.
          if ((k2 === PICT || k2 === PICT_TEXT) && text.charCodeAt(j - 1) === 0x200d) {
            j = emojiEnd(text, j, w2, to);
            continue;
          }
          break;
        }
        if (k2 >= DICT_HAN) scripts |= SCRIPT_BIT[k2 - DICT_HAN]!;
        j += w2;
      }
      segmentDictRun(out, text, runStart, j, scripts, lang);
      i = j;
      continue;
    }

    // Not a word: punctuation, symbol, emoji or other.
    let j = skipExtend(text, i + w, to);
    let kind: number;
    if (k === PICT || k === PICT_TEXT) {
      // An emoji with its modifiers and ZWJ-joined followers (WB3c); a text-default pictograph
      // shown as emoji (followed by U+FE0F, a modifier or ZWJ) counts as emoji too.
      kind = k === PICT || (j > i + w && hasEmojiMarker(text, i + w, j)) ? K_EMOJI : standaloneKind(k, cp);
      const e = emojiEnd(text, i, w, to);
      if (e > j) kind = K_EMOJI;
      j = e;
    } else if (k === RI) {
      kind = K_EMOJI;
      if (j < to) {
        const cp2 = cpAt(text, j, to);
        if ((entry(cp2) & CLASS_MASK) === RI) j = skipExtend(text, j + 2, to);
      }
    } else {
      kind = standaloneKind(k, cp);
      if (kind === K_PUNCT || kind === K_SYMBOL) {
        // A keycap (`#️⃣`) is an emoji; otherwise a run of one character is one token.
        if (j > i + w && hasEmojiMarker(text, i + w, j)) kind = K_EMOJI;
        else {
          while (j < to && cpAt(text, j, to) === cp) j = skipExtend(text, j + w, to);
        }
      }
    }
    out.push(i, j, kind);
    i = j;
  }
  return out.result();
}

/** End of the emoji at i (width w): its marks and modifiers, and pictographs joined by ZWJ (WB3c). */
function emojiEnd(t: string, i: number, w: number, to: number): number {
  let j = skipExtend(t, i + w, to);
  while (j < to && t.charCodeAt(j - 1) === 0x200d) {
    const cp = cpAt(t, j, to);
    const k = entry(cp) & CLASS_MASK;
    if (k !== PICT && k !== PICT_TEXT) break;
    j = skipExtend(t, j + (cp > 0xffff ? 2 : 1), to);
  }
  return j;
}

/** Whether text[a, b) (the marks after a base) asks for emoji display: VS16, keycap, ZWJ or a skin tone. */
function hasEmojiMarker(t: string, a: number, b: number): boolean {
  for (let j = a; j < b; j++) {
    const c = t.charCodeAt(j);
    if (c === 0xfe0f || c === 0x20e3 || c === 0x200d) return true;
    if (c === 0xd83c && j + 1 < b) {
      const d = t.charCodeAt(j + 1);
      if (d >= 0xdffb && d <= 0xdfff) return true;
    }
  }
  return false;
}
