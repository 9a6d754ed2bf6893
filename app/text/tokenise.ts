/**
 * Tokenising one document into columns. English goes through wink-nlp (tokens, lemmas, POS); every
 * other language through Unicode word segmentation (segment.ts), with the case-folded form as lemma
 * and no part of speech guessed (POS `X`, or PUNCT/NUM/SYM by character class). Words of another
 * script inside an English text, which wink cannot read, are segmented the same way. Whitespace
 * tokens are dropped (paragraph breaks are recovered from the gaps between tokens); every other
 * token keeps its surface form, lemma, POS, kind and character offsets into the document text.
 */
import { threadId } from 'node:worker_threads';
import { TOKEN_KINDS, type DocumentLanguage, type TokenKind } from '../contract/types.js';
import { exactKey, foldKey } from './normalise.js';
import { englishLemma } from './english-lemma.js';
import { segmentText, type Segments } from './segment.js';
import { openWink, TK_SIZE, type RawDoc, type Wink } from './wink.js';

export const UPOS_TAGS = [
  'ADJ',
  'ADP',
  'ADV',
  'AUX',
  'CCONJ',
  'DET',
  'INTJ',
  'NOUN',
  'NUM',
  'PART',
  'PRON',
  'PROPN',
  'PUNCT',
  'SCONJ',
  'SYM',
  'VERB',
  'X',
  'SPACE',
] as const;
const POS_ID = new Map<string, number>(UPOS_TAGS.map((t, i) => [t, i]));
const KIND_ID = new Map<string, number>(TOKEN_KINDS.map((t, i) => [t, i]));
const OTHER_KIND = KIND_ID.get('other')!;
const X_POS = POS_ID.get('X')!;
/** POS of a segmented token, from its kind alone: a class of characters, never a guess at grammar. */
const POS_OF_KIND = Uint8Array.from(TOKEN_KINDS, (k) =>
  k === 'punctuation'
    ? POS_ID.get('PUNCT')!
    : k === 'number'
      ? POS_ID.get('NUM')!
      : k === 'symbol' || k === 'emoji'
        ? POS_ID.get('SYM')!
        : X_POS,
);
/** A letter of a script other than Latin: wink-nlp reads only Latin letters as words. */
export const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;
/** The language code of a document whose language could not be told and that is not English. */
const UNDETERMINED = 'und';

/**
 * The language a document is tokenised as (see tokenise): its own; UNDETERMINED when it could not
 * be told; none, which is English, when it was never decided (an index built in memory).
 */
export function tokenisedAs(doc: DocumentLanguage): string | undefined {
  return doc.languageSource === 'undetermined' ? UNDETERMINED : doc.language;
}

/** Whether a document went through wink-nlp, as English. */
export function tokenisedAsEnglish(doc: DocumentLanguage): boolean {
  const language = tokenisedAs(doc);
  return language === undefined || language === 'en';
}

/**
 * Bumped whenever tokenising changes what a saved index would hold, so indexes made by an older
 * tokeniser are rebuilt rather than mixed with new ones.
 */
export const TOKENISER_VERSION = 4;

/** One document's tokens, column-wise, with document-local string tables. */
export interface TokenBatch {
  forms: string[]; // exact keys (NFC, apostrophes folded)
  form: Uint32Array;
  lemmas: string[]; // case-folded lemma keys
  lemma: Uint32Array;
  pos: Uint8Array;
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  sentenceStart: Uint8Array;
  paragraphStart: Uint8Array;
  /**
   * Where the local tables came from, when a tokenising thread made them: the thread's tables (see
   * threadTables) and, per local id, its entry there. Merging maps each entry once per thread instead
   * of hashing every document's strings again.
   */
  origin?: { thread: number; forms: Uint32Array; lemmas: Uint32Array };
}

/** Every form and lemma key this thread has produced, in entry order (entries never change). */
export function threadTables(): { thread: number; forms: readonly string[]; lemmas: readonly string[] } {
  const t = (tables ??= new ThreadTables());
  return { thread: threadId, forms: t.formKeys, lemmas: t.lemmaKeys };
}

let wink: Wink | undefined;
function getWink(): Wink {
  // Loading the model is slow: do it once per thread, on first use.
  wink ??= openWink();
  return wink;
}

/**
 * wink-nlp reads a text in chunks cut at blank lines, where its sentences end anyway (so cutting there
 * changes nothing it produces). Small chunks keep its per-token arrays in the CPU caches, which makes
 * them faster to read than large ones. A text with no blank line for long stretches is cut at a line
 * break, or failing that a space, and only every FALLBACK_CHUNK_CHARS: there the cut may fall inside a
 * sentence.
 */
const CHUNK_CHARS = 20_000;
const FALLBACK_CHUNK_CHARS = 200_000;

function chunkRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let from = 0;
  while (text.length - from > CHUNK_CHARS) {
    let cut = text.indexOf('\n\n', from + CHUNK_CHARS);
    if (cut < 0 || cut - from > FALLBACK_CHUNK_CHARS * 4) {
      if (text.length - from <= FALLBACK_CHUNK_CHARS) break;
      cut = text.indexOf('\n', from + FALLBACK_CHUNK_CHARS);
      if (cut < 0 || cut - from > FALLBACK_CHUNK_CHARS * 4) cut = text.indexOf(' ', from + FALLBACK_CHUNK_CHARS);
    }
    if (cut < 0) break;
    ranges.push([from, cut]);
    from = cut;
  }
  ranges.push([from, text.length]);
  return ranges;
}

/** A wink lexeme that is whitespace only: dropped, like the tabCRLF tokens. */
const SKIP = 254;
/**
 * A wink lexeme of another script (Cyrillic, Greek, Arabic, Han ...) that wink leaves unsplit and
 * uncounted: its text is segmented like a document in another language.
 */
const SEGMENT = 253;

/**
 * What the thread knows of each wink lexeme, side by side (LEX_STRIDE numbers per lexeme) so that a
 * token costs one cache line of this table: over a large corpus a thread meets far more lexemes than
 * the caches hold, and facts kept in separate arrays, or a length read from the lexeme's string, would
 * each cost a miss of their own.
 */
const LEX_STRIDE = 8;
/** Form entry + 1 (0: the lexeme is not known yet). */
const LX_FORM = 0;
/** Kind id, or SKIP or SEGMENT. */
const LX_KIND = 1;
/** The lexeme's text length << 16 | its first UTF-16 unit (LONG_LEXEME when it does not fit). */
const LX_SHAPE = 2;
/** POS index + 1 of the lexeme's latest use, and the lemma entry it had then. */
const LX_LEMMA_POS = 3;
const LX_LEMMA = 4;
/** The document (tokenise call) whose local ids the next two hold, and those ids + 1 (0: none). */
const LX_DOC = 5;
const LX_LOCAL_FORM = 6;
const LX_LOCAL_LEMMA = 7;
const LONG_LEXEME = -1;

/**
 * What this thread has worked out about wink's lexemes, kept across documents: each lexeme's form
 * entry (its exact key, computed once), kind, and lemma per POS. Entries are unique by key, so a
 * document's local table is built from integer lookups, not by hashing strings per token.
 */
class ThreadTables {
  formKeys: string[] = [];
  formByKey = new Map<string, number>();
  lemmaKeys: string[] = [];
  lemmaByKey = new Map<string, number>();
  lex = new Int32Array(LEX_STRIDE << 16);
  /** lexeme * 64 + POS index -> lemma entry; wink's lemma depends on nothing else. */
  lemmaOfLexPos = new Map<number, number>();
  /** Contraction parts carry their lemma as a lexeme: lemma lexeme -> lemma entry. */
  lemmaOfLemmaLex = new Map<number, number>();
  /** Per document: entry -> local id + 1 (reset after each document). */
  localForm = new Int32Array(1 << 16);
  localLemma = new Int32Array(1 << 16);
  /** Serial of the document being tokenised (LX_DOC). */
  doc = 0;
  /** Segmented tokens: surface text -> form entry, and form entry -> lemma entry + 1. */
  surfaceForm = new Map<string, number>();
  lemmaOfForm = new Int32Array(1 << 16);

  /** Form and lemma entries of a segmented token's surface text (its lemma is its folded form). */
  segmentEntry(surface: string): number {
    let f = this.surfaceForm.get(surface);
    if (f === undefined) {
      f = this.formEntry(exactKey(surface));
      this.surfaceForm.set(surface, f);
      if (f >= this.lemmaOfForm.length) this.lemmaOfForm = grow(this.lemmaOfForm, f);
      if (this.lemmaOfForm[f] === 0) this.lemmaOfForm[f] = this.lemmaEntry(surface) + 1;
    }
    return f;
  }

  formEntry(key: string): number {
    let e = this.formByKey.get(key);
    if (e === undefined) {
      e = this.formKeys.length;
      this.formKeys.push(key);
      this.formByKey.set(key, e);
      if (e >= this.localForm.length) this.localForm = grow(this.localForm, e);
    }
    return e;
  }

  lemmaEntry(raw: string): number {
    const key = foldKey(raw);
    let e = this.lemmaByKey.get(key);
    if (e === undefined) {
      e = this.lemmaKeys.length;
      this.lemmaKeys.push(key);
      this.lemmaByKey.set(key, e);
      if (e >= this.localLemma.length) this.localLemma = grow(this.localLemma, e);
    }
    return e;
  }

  /** Learns lexeme `lex`; returns the lexeme table, which may have grown. */
  lexeme(w: Wink, lex: number): Int32Array {
    if ((lex + 1) * LEX_STRIDE > this.lex.length) this.lex = grow(this.lex, (lex + 1) * LEX_STRIDE);
    const v = w.value(lex);
    const type = w.type(lex);
    const at = lex * LEX_STRIDE;
    const kind = type === 'tabCRLF' || v.trim() === '' ? SKIP : (KIND_ID.get(type) ?? OTHER_KIND);
    this.lex[at + LX_KIND] = kind === OTHER_KIND && NON_LATIN_LETTER.test(v) ? SEGMENT : kind;
    this.lex[at + LX_SHAPE] = v.length > 0 && v.length < 0x8000 ? (v.length << 16) | v.charCodeAt(0) : LONG_LEXEME;
    this.lex[at + LX_FORM] = this.formEntry(exactKey(v)) + 1;
    return this.lex;
  }
}

function grow<T extends Int32Array>(a: T, atLeast: number): T {
  let n = a.length;
  while (n <= atLeast) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b as T;
}

let tables: ThreadTables | undefined;

/** Whether `text` has `token` at `at` (a loop: faster than startsWith for the short strings tokens are). */
function textAt(text: string, token: string, at: number): boolean {
  const n = token.length;
  if (at + n > text.length) return false;
  for (let k = 0; k < n; k++) if (text.charCodeAt(at + k) !== token.charCodeAt(k)) return false;
  return true;
}

/**
 * This document's local id of thread entry `e`, made on first use: `local` maps entries to local
 * ids + 1, `table` and `entries` are the document's keys and their entries in local id order.
 */
function localId(local: Int32Array, keys: readonly string[], table: string[], entries: number[], e: number): number {
  let id = local[e]! - 1;
  if (id < 0) {
    id = table.length;
    table.push(keys[e]!);
    entries.push(e);
    local[e] = id + 1;
  }
  return id;
}

/** wink's cap on a token's count of preceding spaces: a longer run must be found in the text. */
const CAPPED_SPACES = 0xfffe;

/** Columns of one document, grown as tokens come. */
class Columns {
  n = 0;
  form: Uint32Array;
  lemma: Uint32Array;
  pos: Uint8Array;
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  sent: Uint8Array;
  constructor(capacity: number) {
    this.form = new Uint32Array(capacity);
    this.lemma = new Uint32Array(capacity);
    this.pos = new Uint8Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.sent = new Uint8Array(capacity);
  }
  /** Appends one token. */
  push(form: number, lemma: number, pos: number, kind: number, start: number, end: number, sent: number): void {
    if (this.n === this.form.length) this.grow();
    const k = this.n++;
    this.form[k] = form;
    this.lemma[k] = lemma;
    this.pos[k] = pos;
    this.kind[k] = kind;
    this.start[k] = start;
    this.end[k] = end;
    this.sent[k] = sent;
  }
  grow(): void {
    const c = this.form.length * 2;
    const up = <A extends Uint32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(c);
      b.set(a);
      return b;
    };
    this.form = up(this.form, (n) => new Uint32Array(n));
    this.lemma = up(this.lemma, (n) => new Uint32Array(n));
    this.pos = up(this.pos, (n) => new Uint8Array(n));
    this.kind = up(this.kind, (n) => new Uint8Array(n));
    this.start = up(this.start, (n) => new Uint32Array(n));
    this.end = up(this.end, (n) => new Uint32Array(n));
    this.sent = up(this.sent, (n) => new Uint8Array(n));
  }
}

/** A document's tables and columns while it is tokenised. */
class DocumentTables {
  forms: string[] = [];
  lemmas: string[] = [];
  formEntries: number[] = [];
  lemmaEntries: number[] = [];
  constructor(readonly t: ThreadTables) {}
  localForm(e: number): number {
    return localId(this.t.localForm, this.t.formKeys, this.forms, this.formEntries, e);
  }
  localLemma(e: number): number {
    return localId(this.t.localLemma, this.t.lemmaKeys, this.lemmas, this.lemmaEntries, e);
  }
  /** Appends segmented tokens k in [from, to) of `seg`; the first opens a sentence when `sentence`. */
  pushSegments(g: Columns, text: string, seg: Segments, sentence: boolean): void {
    for (let k = 0; k < seg.count; k++) {
      const s = seg.start[k]!;
      const e = seg.end[k]!;
      const f = this.t.segmentEntry(text.slice(s, e));
      const kind = seg.kind[k]!;
      const sent = seg.sentenceStart[k]! && (k > 0 || sentence) ? 1 : 0;
      g.push(this.localForm(f), this.localLemma(this.t.lemmaOfForm[f]! - 1), POS_OF_KIND[kind]!, kind, s, e, sent);
    }
  }
  /** Clears the thread's per-document lookups. */
  release(): void {
    for (const e of this.formEntries) this.t.localForm[e] = 0;
    for (const e of this.lemmaEntries) this.t.localLemma[e] = 0;
  }
}

/**
 * Tokenises `text` written in `language` (ISO 639-1): English (or no language given) through
 * wink-nlp, anything else by Unicode segmentation (UNDETERMINED: by script alone).
 */
export function tokenise(text: string, language?: string): TokenBatch {
  if (language !== undefined && language !== 'en') return tokeniseSegmented(text, language);
  return tokeniseEnglish(text);
}

function tokeniseSegmented(text: string, language: string): TokenBatch {
  const t = (tables ??= new ThreadTables());
  const d = new DocumentTables(t);
  const seg = segmentText(text, language === UNDETERMINED ? undefined : language);
  const g = new Columns(Math.max(64, seg.count));
  try {
    d.pushSegments(g, text, seg, true);
  } finally {
    d.release();
  }
  return finishBatch(text, g, d);
}

function tokeniseEnglish(text: string): TokenBatch {
  const w = getWink();
  const t = (tables ??= new ThreadTables());
  const serial = ++t.doc;
  const d = new DocumentTables(t);
  // About one token per five characters in English prose; the columns double if not.
  const g = new Columns(Math.max(64, Math.ceil(text.length / 4)));
  const shadow = latinShadow(text);
  const reading: EnglishReading = { w, t, d, g, text, shadow, shadowed: shadow !== text, serial, posOfIndex: [] };
  try {
    for (const [from, to] of chunkRanges(shadow)) readChunk(reading, from, to);
  } finally {
    d.release();
  }
  return finishBatch(text, g, d);
}

const LATIN_EXTENDED = /[\u0100-\u024F\u1E00-\u1EFF]/;

/**
 * The text wink-nlp is given: wink-nlp does not count Latin Extended letters (ř ğ Ł ễ ...) as letters
 * and splits words at them, so it reads a same-length shadow with those letters replaced by a/A; each
 * token's text is then taken from the real text by its offsets. A text without them is its own shadow.
 */
function latinShadow(text: string): string {
  if (!LATIN_EXTENDED.test(text)) return text;
  return text.replace(/[\u0100-\u024F\u1E00-\u1EFF]/g, (c) => (c === c.toLowerCase() ? 'a' : 'A'));
}

/** What every chunk of one English document shares while it is read. */
interface EnglishReading {
  w: Wink;
  t: ThreadTables;
  d: DocumentTables;
  g: Columns;
  text: string;
  /** The text wink reads (latinShadow), and whether it differs from the text. */
  shadow: string;
  shadowed: boolean;
  /** The document's serial (LX_DOC). */
  serial: number;
  /** wink's POS index -> index in UPOS_TAGS. */
  posOfIndex: number[];
}

/**
 * Reads shadow[from, to) through wink and appends its tokens to the document's columns. The loop is
 * kept whole because it runs once per token of the corpus: the steps taken out of it are those a token
 * rarely needs (a lemma not met yet, a drifted offset) and small ones the compiler inlines.
 */
function readChunk(r: EnglishReading, from: number, to: number): void {
  const { w, t, d, g, text, shadow, shadowed, serial, posOfIndex } = r;
  const doc = w.read(shadow.slice(from, to));
  const raw = doc.tokens;
  const count = doc.numOfTokens;
  // Sentence starts, in token order: wink's sentences are consecutive.
  const sentences = doc.sentences;
  let nextSentence = 0;
  let cursor = from;
  let pendingSentence = false;
  let lx: Int32Array = t.lex;
  for (let i = 0; i < count; i++) {
    const lex = raw[i * TK_SIZE]!;
    const packed = raw[i * TK_SIZE + 1]!;
    const at = lex * LEX_STRIDE;
    if (at >= lx.length || lx[at + LX_FORM] === 0) lx = t.lexeme(w, lex);
    const spaces = w.spacesBefore(doc, i);
    cursor += spaces;
    let s = cursor;
    const shape = lx[at + LX_SHAPE]!;
    let length = shape >>> 16;
    // The lexeme's text, read from wink only where it is needed.
    let v = '';
    // A token wink looked up or learned is exactly the text it was given, so it sits at the cursor.
    // A contraction's parts (whose text comes from wink's lexicon), a capped run of spaces or a very
    // long token are checked against the text; every token's first character is compared, so a
    // drift could not go unnoticed.
    if (packed > 0xffff || spaces >= CAPPED_SPACES || shape === LONG_LEXEME || shadow.charCodeAt(s) !== (shape & 0xffff) || shadowed) {
      v = w.value(lex);
      if (!textAt(shadow, v, s)) s = driftedTo(shadow, v, s - spaces, s, to);
      length = v.length;
    }
    cursor = s + length;
    while (nextSentence < sentences.length && sentences[nextSentence]![0]! <= i) {
      const sentence = sentences[nextSentence++]!;
      if (sentence[0] === i && sentence[1]! >= i) pendingSentence = true; // an empty sentence starts nothing
    }
    const kind = lx[at + LX_KIND]!;
    if (kind === SKIP) continue;
    if (kind === SEGMENT) {
      d.pushSegments(g, text, segmentText(text, undefined, s, s + length), pendingSentence);
      pendingSentence = false;
      continue;
    }
    const p = w.posIndex(doc, i);
    let posId = posOfIndex[p];
    if (posId === undefined) posId = posOfIndex[p] = POS_ID.get(w.posName(p)) ?? X_POS;

    let fl: number;
    let ll: number;
    // A shadowed document always takes the check above, so `v` is read there.
    const surface = shadowed ? text.slice(s, s + length) : '';
    if (shadowed && surface !== v) {
      fl = d.localForm(t.formEntry(exactKey(surface)));
      ll = d.localLemma(t.lemmaEntry(surface));
    } else {
      // Local ids are kept beside the lexeme for the rest of this document.
      if (lx[at + LX_DOC] !== serial) {
        lx[at + LX_DOC] = serial;
        lx[at + LX_LOCAL_FORM] = d.localForm(lx[at + LX_FORM]! - 1) + 1;
        lx[at + LX_LOCAL_LEMMA] = 0;
      }
      fl = lx[at + LX_LOCAL_FORM]! - 1;
      if (packed > 0xffff) {
        ll = d.localLemma(contractionLemma(w, t, doc, i, lex));
      } else if (lx[at + LX_LEMMA_POS] === p + 1) {
        ll = lx[at + LX_LOCAL_LEMMA]! - 1;
        if (ll < 0) {
          ll = d.localLemma(lx[at + LX_LEMMA]!);
          lx[at + LX_LOCAL_LEMMA] = ll + 1;
        }
      } else {
        // Most words keep one POS: the last one is kept beside the lexeme, the others by key.
        const e = lemmaAsTagged(w, t, doc, i, lex, p);
        ll = d.localLemma(e);
        lx[at + LX_LEMMA_POS] = p + 1;
        lx[at + LX_LEMMA] = e;
        lx[at + LX_LOCAL_LEMMA] = ll + 1;
      }
    }
    g.push(fl, ll, posId, kind, s, s + length, pendingSentence ? 1 : 0);
    pendingSentence = false;
  }
}

/**
 * Where token text `v`, expected at `at`, really is: wink-nlp is lossless in practice; if it ever is
 * not, the token is looked for from before its spaces (`from`) rather than let the offsets drift.
 */
function driftedTo(shadow: string, v: string, from: number, at: number, to: number): number {
  const found = shadow.indexOf(v, from);
  return found >= 0 && found < to ? found : at;
}

/** The lemma entry of token `i`, a contraction's part: its lemma is packed with it as a lexeme. */
function contractionLemma(w: Wink, t: ThreadTables, doc: RawDoc, i: number, lex: number): number {
  const lemmaLex = doc.tokens[i * TK_SIZE + 2]! & 0xfffff;
  let e = t.lemmaOfLemmaLex.get(lemmaLex);
  if (e === undefined) {
    e = t.lemmaEntry(w.lemma(doc, i) || w.value(lex));
    t.lemmaOfLemmaLex.set(lemmaLex, e);
  }
  return e;
}

/** The lemma entry of token `i`, of lexeme `lex` tagged with wink's POS index `p`. */
function lemmaAsTagged(w: Wink, t: ThreadTables, doc: RawDoc, i: number, lex: number, p: number): number {
  const key = lex * 64 + p;
  let e = t.lemmaOfLexPos.get(key);
  if (e === undefined) {
    e = t.lemmaEntry(englishLemma(w, w.value(lex), w.posName(p), w.lemma(doc, i) || w.value(lex)));
    t.lemmaOfLexPos.set(key, e);
  }
  return e;
}

/** The batch of a document's columns: paragraph starts from the gaps between tokens. */
function finishBatch(text: string, g: Columns, d: DocumentTables): TokenBatch {
  const count = g.n;
  const start = g.start.slice(0, count);
  const end = g.end.slice(0, count);
  const paragraphStart = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (i === 0) paragraphStart[i] = 1;
    else if (start[i]! - end[i - 1]! >= 2) {
      const gap = text.slice(end[i - 1]!, start[i]!);
      if (/\n[ \t\r\f\v]*\n|\r[ \t\f\v]*\r/.test(gap)) paragraphStart[i] = 1;
    }
  }
  const sentenceStart = g.sent.slice(0, count);
  // A paragraph always opens a sentence.
  for (let i = 0; i < count; i++) if (paragraphStart[i]) sentenceStart[i] = 1;
  return {
    forms: d.forms,
    form: g.form.slice(0, count),
    lemmas: d.lemmas,
    lemma: g.lemma.slice(0, count),
    pos: g.pos.slice(0, count),
    kind: g.kind.slice(0, count),
    start,
    end,
    sentenceStart,
    paragraphStart,
    origin: { thread: threadId, forms: Uint32Array.from(d.formEntries), lemmas: Uint32Array.from(d.lemmaEntries) },
  };
}

export function kindName(id: number): TokenKind {
  return TOKEN_KINDS[id] ?? 'other';
}
