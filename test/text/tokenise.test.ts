/**
 * Tokenising: every token of the chapter keeps its source text, its kind says whether it counts
 * (docs/statistics.md: words and numbers count, punctuation and symbols never do), lemma and POS are there,
 * sentence and paragraph boundaries are kept, and the worker-thread path gives the same columns as the
 * in-thread one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_KINDS, type TokenKind } from '../../app/contract/types.js';
import { buildIndex, buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { runQuery } from '../../app/query/run.js';
import { exactKey } from '../../app/text/normalise.js';
import { kindName, tokenise, UPOS_TAGS } from '../../app/text/tokenise.js';
import { brownTexts } from '../../scripts/brown.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, regexSpans, tokenRows, type TokenRow } from '../support/corpus.js';

let index: CorpusIndex;
let rows: TokenRow[];

beforeAll(() => {
  index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
  rows = tokenRows(index);
});

describe('offsets', () => {
  it('every token of the chapter slices back to its own text', () => {
    expect(rows.length).toBeGreaterThan(4000);
    for (const r of rows) {
      expect(r.end, `token ${r.pos}`).toBeGreaterThan(r.start);
      expect(exactKey(r.text), `token ${r.pos} at ${r.start}`).toBe(r.form);
    }
  });

  it('tokens are in text order and only whitespace lies between them: nothing is lost', () => {
    let at = 0;
    for (const r of rows) {
      expect(CHAPTER_TEXT.slice(at, r.start), `before token ${r.pos}`).toMatch(/^\s*$/);
      at = r.end;
    }
    expect(CHAPTER_TEXT.slice(at)).toMatch(/^\s*$/);
  });

  it('a document longer than one tokeniser chunk keeps exact offsets across the cuts', () => {
    // 8 copies of the chapter: about 217,000 characters, cut into chunks at blank lines.
    const text = Array.from({ length: 8 }, () => CHAPTER_TEXT).join('\n\n');
    const big = buildIndexSync([{ name: 'big', path: '/big', text }]);
    const n = big.tokenCount;
    for (let p = 0; p < n; p++) {
      const slice = text.slice(big.start[p]!, big.end[p]!);
      if (exactKey(slice) !== big.forms[big.form[p]!]) throw new Error(`token ${p} at ${big.start[p]} is ${JSON.stringify(slice)}`);
    }
    expect(n).toBe(8 * index.tokenCount);
    expect(runQuery(big, 'bureaucracy').starts.length).toBe(regexSpans(text, /\bbureaucracy\b/gi).length);
  });

  it('cutting into chunks at blank lines changes nothing: each paragraph tokenises as it does alone', () => {
    // wink-nlp ends a sentence at a blank line, so a paragraph's tokens, lemmas and tags cannot depend
    // on whether the text was cut before it.
    const paragraphs = CHAPTER_TEXT.split(/\n\n+/).filter((p) => p.trim() !== '');
    const whole = tokenise(CHAPTER_TEXT);
    const rowsOf = (b: ReturnType<typeof tokenise>, offset: number) =>
      Array.from(b.form, (f, i) => `${b.start[i]! + offset} ${b.forms[f]} ${b.lemmas[b.lemma[i]!]} ${b.pos[i]} ${b.kind[i]}`);
    const alone: string[] = [];
    let at = 0;
    for (const p of paragraphs) {
      at = CHAPTER_TEXT.indexOf(p, at);
      alone.push(...rowsOf(tokenise(p), at));
      at += p.length;
    }
    expect(CHAPTER_TEXT.length).toBeGreaterThan(20_000); // longer than one chunk
    expect(rowsOf(whole, 0)).toEqual(alone);
  });

  it('a long text without blank lines is cut at line breaks and keeps exact offsets', () => {
    const oneCopy = CHAPTER_TEXT.replace(/\n\s*\n/g, '\n');
    const text = Array.from({ length: 9 }, () => oneCopy).join('\n');
    expect(text.length).toBeGreaterThan(200_000);
    expect(text).not.toContain('\n\n');
    const b = tokenise(text);
    for (let i = 0; i < b.form.length; i++) {
      const slice = text.slice(b.start[i]!, b.end[i]!);
      if (exactKey(slice) !== b.forms[b.form[i]!]) throw new Error(`token ${i} at ${b.start[i]} is ${JSON.stringify(slice)}`);
    }
    expect(b.form.length).toBe(9 * tokenise(oneCopy).form.length);
  });

  it('empty and whitespace-only texts have no tokens (and do not throw)', () => {
    for (const t of ['', ' ', '   ', '\n\n', ' \t \n']) expect(tokenise(t).form.length, JSON.stringify(t)).toBe(0);
  });
});

describe('kinds and what counts', () => {
  it('counted follows the kind, as the contract defines it, for every token', () => {
    for (const r of rows) expect(r.counted, `${r.text} (${r.kind})`).toBe(COUNTED_KINDS.has(r.kind as TokenKind));
  });

  it('on the chapter: a token counts exactly when it has a letter or a digit; punctuation never counts', () => {
    for (const r of rows) {
      const hasAlnum = /[\p{L}\p{N}]/u.test(r.text);
      expect(r.counted, JSON.stringify(r.text)).toBe(hasAlnum);
      if (/^\p{P}+$/u.test(r.text)) expect(r.kind, JSON.stringify(r.text)).toBe('punctuation');
    }
    expect(index.countedTotal).toBe(rows.filter((r) => /[\p{L}\p{N}]/u.test(r.text)).length);
  });

  it('other kinds: numbers, ordinals, emails, URLs, hashtags, emoji count; symbols and currency signs do not', () => {
    const b = tokenise('Mail ann@example.com or see https://example.org/x #loupe 😀 on the 1st: $5 costs 50% + 10.5 more.');
    const kindOf = new Map<string, TokenKind>();
    for (let i = 0; i < b.form.length; i++) kindOf.set(b.forms[b.form[i]!]!, kindName(b.kind[i]!));
    const expectKind = (text: string, kind: TokenKind, counted: boolean) => {
      expect(kindOf.get(text), text).toBe(kind);
      expect(COUNTED_KINDS.has(kind), text).toBe(counted);
    };
    expectKind('Mail', 'word', true);
    expectKind('10.5', 'number', true);
    expectKind('1st', 'ordinal', true);
    expectKind('ann@example.com', 'email', true);
    expectKind('https://example.org/x', 'url', true);
    expectKind('#loupe', 'hashtag', true);
    expectKind('😀', 'emoji', true);
    expectKind('$', 'currency', false);
    expectKind('%', 'symbol', false);
    expectKind('+', 'symbol', false);
    expectKind(':', 'punctuation', false);
    expectKind('.', 'punctuation', false);
  });
});

describe('lemma and part of speech', () => {
  it('every token has a lemma and a Universal POS tag; punctuation is PUNCT', () => {
    for (const r of rows) {
      expect(r.lemma.length, `lemma of ${r.text}`).toBeGreaterThan(0);
      expect(UPOS_TAGS as readonly string[]).toContain(r.tag);
      if (r.kind === 'punctuation') expect(r.tag, r.text).toBe('PUNCT');
    }
  });

  it('inflected words of the chapter get their dictionary lemma', () => {
    const lemmaOf = (word: string) => new Set(rows.filter((r) => r.word === word && r.tag !== 'PROPN').map((r) => r.lemma));
    expect(lemmaOf('workers')).toEqual(new Set(['worker']));
    expect(lemmaOf('classes')).toEqual(new Set(['class']));
    expect(lemmaOf('was')).toEqual(new Set(['be']));
    // Lemmas are stored case-folded.
    for (const r of rows) expect(r.lemma).toBe(r.lemma.toLowerCase());
  });
});

describe('sentence and paragraph boundaries', () => {
  it('paragraph starts are exactly the first tokens of the blank-line separated blocks of the text', () => {
    const blockStarts: number[] = [];
    const re = /(?:^|\n[ \t]*\n)\s*(\S)/g;
    for (const m of CHAPTER_TEXT.matchAll(re)) blockStarts.push(m.index! + m[0].length - 1);
    expect(blockStarts.length).toBeGreaterThan(50);
    expect(rows.filter((r) => r.paragraphStart).map((r) => r.start)).toEqual(blockStarts);
  });

  it('every paragraph starts a sentence; every other sentence follows sentence-final punctuation', () => {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.paragraphStart) expect(r.sentenceStart).toBe(true);
      else if (r.sentenceStart) expect(rows[i - 1]!.text, `before ${r.text} at ${r.start}`).toMatch(/^[.!?…”"’)\]]+$/);
    }
  });

  it('a full stop followed by a capitalised word inside a paragraph starts a sentence', () => {
    let seen = 0;
    for (let i = 0; i + 1 < rows.length; i++) {
      if (rows[i]!.text === '.' && /^\p{Lu}/u.test(rows[i + 1]!.text) && !rows[i + 1]!.paragraphStart) {
        seen++;
        expect(rows[i + 1]!.sentenceStart, `at ${rows[i + 1]!.start}`).toBe(true);
      }
    }
    expect(seen).toBeGreaterThan(100);
  });
});

describe('history', () => {
  const show = (text: string) => {
    const b = tokenise(text);
    return Array.from(b.form, (f, i) => `${b.forms[f]}/${b.lemmas[b.lemma[i]!]}/${UPOS_TAGS[b.pos[i]!]}/${kindName(b.kind[i]!)}`);
  };

  it('a possessive is split the same before and after the thread has read it before a comma', () => {
    // wink-nlp learns `Zorbington's` as one word from `Zorbington's,` and would then stop splitting it.
    const text = "The Zorbington's hat cost less, said Zorbington's aunt.";
    const before = show(text);
    expect(before).toContain("'s/'s/PART/word");
    show("Ask Zorbington's, then the Zorbington's cousin.");
    expect(show(text)).toEqual(before);
  });

  it('a number is a number whether or not the thread met it inside a citation first', () => {
    // Inside `F.Supp.4412` wink-nlp adds `4412` as a word; alone it is a number. Two different numbers,
    // so neither is met alone before the citation: the first shows the fresh reading.
    const fresh = show('The lake lies 4411 feet below sea level.');
    show('See 126 F.Supp.4412, below.');
    const after = show('The lake lies 4412 feet below sea level.');
    expect(fresh[3]).toBe('4411/4411/NUM/number');
    expect(after.map((r) => r.replaceAll('4412', '4411'))).toEqual(fresh);
  });
});

describe('worker threads', () => {
  const docs = brownTexts(4).map((t) => ({ name: t.id, path: `/brown/${t.id}`, text: t.text }));

  function columnsOf(ix: CorpusIndex) {
    const n = ix.tokenCount;
    return {
      form: Array.from({ length: n }, (_, i) => ix.forms[ix.form[i]!]),
      lemma: Array.from({ length: n }, (_, i) => ix.lemmas[ix.lemma[i]!]),
      pos: Array.from(ix.pos),
      kind: Array.from(ix.kind),
      start: Array.from(ix.start),
      end: Array.from(ix.end),
      flags: Array.from(ix.flags),
      docStart: Array.from(ix.docStart),
    };
  }

  it('tokenising in worker threads gives the same columns as in this thread', async () => {
    let progress = 0;
    const threaded = await buildIndex(docs, { inThreadBelow: 0, threads: 2, onProgress: () => progress++ });
    const inThread = buildIndexSync(docs);
    expect(progress).toBe(docs.length);
    expect(threaded.tokenCount).toBeGreaterThan(5000);
    expect(columnsOf(threaded)).toEqual(columnsOf(inThread));
  });
});

describe('words of other scripts inside English', () => {
  it('segments and counts them as ICU does, with no English part of speech', () => {
    const text = 'The Russian term бюрократия, and the Chinese 官僚主义和工人委员会, quoted in an English text.';
    const b = tokenise(text);
    const rows = Array.from(b.form, (f, i) => ({
      form: b.forms[f]!,
      pos: UPOS_TAGS[b.pos[i]!]!,
      kind: kindName(b.kind[i]!),
      start: b.start[i]!,
      end: b.end[i]!,
    }));
    for (const r of rows) expect(text.slice(r.start, r.end)).toBe(r.form);
    const foreign = rows.filter((r) => /[\p{Script=Cyrillic}\p{Script=Han}]/u.test(r.form));
    const icu = [...new Intl.Segmenter('zh', { granularity: 'word' }).segment('бюрократия 官僚主义和工人委员会')]
      .filter((s) => s.isWordLike)
      .map((s) => s.segment);
    expect(foreign.map((r) => r.form)).toEqual(icu);
    for (const r of foreign) expect([r.kind, r.pos]).toEqual(['word', 'X']);
    // The English words around them keep wink-nlp's tags.
    expect(rows.find((r) => r.form === 'quoted')!.pos).toBe('VERB');
  });
});
