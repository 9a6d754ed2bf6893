/**
 * wink-nlp, opened up for the tokeniser: each document's raw token data (wink's packed per-token
 * numbers) instead of the public `tokens().out(its.x)` arrays, and a cache that does not learn.
 *
 * Why reach inside: `out()` builds one array of strings per property per document and the tokeniser
 * then hashes those strings again; reading the packed numbers lets it intern by wink's own lexeme ids
 * (once per thread, not once per token). Why stop the learning: wink adds every out-of-vocabulary
 * token it meets to its lexicon, and its tokeniser looks raw text up in that lexicon before splitting
 * it, so what a text becomes depended on what the same thread had read before (`state's,` taught it
 * `state's`, after which `state's` was no longer split into `state` + `'s`). With learned words hidden
 * from that lookup, a text always tokenises as it would in a fresh process: the same on the worker
 * threads as in-thread, in a rebuild as in a first build. (A learned word met again with another
 * token type, `235` alone after `F.Supp.235`, likewise gets the type a fresh start would give it.)
 * The tokeniser's lookups also go through an intern table of the model's own words rather than
 * wink's hash object, which is faster.
 *
 * Everything used here is checked when the thread first loads wink; if a wink-nlp release moves any of
 * it, loading fails loudly (E_INTERNAL) rather than tokenising differently. Before that, the installed
 * versions of wink-nlp and its model are compared with the ones this file was written against
 * (WINK_VERSIONS, pinned exactly in package.json): a release can keep the layout checked below and
 * still change what the packed numbers mean, so any other version fails loudly too.
 */
import { createRequire } from 'node:module';
import type WinkNlp from 'wink-nlp';
import type WinkModel from 'wink-eng-lite-web-model';
import { LoupeFailure } from '../contract/errors.js';
import { InternTable } from '../structures/intern.js';

const require = createRequire(import.meta.url);

/** wink's packing of one token (wink-nlp/src/constants.js): 4 numbers per token. */
export const TK_SIZE = 4;
const PS_MASK = 0xffff;
const POS_MASK = 0x3f00000;
const BITS_FOR_LEMMA = 20;

/** The raw document data wink-nlp keeps for one `readDoc`. */
export interface RawDoc {
  /** TK_SIZE numbers per token: lexeme id, preceding spaces (| expansion pointer), pos + lemma, flags. */
  tokens: number[];
  numOfTokens: number;
  /** [first token, last token, ...] per sentence; a last before its first is an empty sentence. */
  sentences: number[][];
  /** Preceding whitespace of tokens whose count is stored as 0xFFFF (non-breaking spaces). */
  nonBreakingSpaces: Record<number, string>;
}

interface WinkCache {
  lookup(text: string): number[] | null;
  add(text: string, category: number): number;
  value(lex: number): string;
  property(lex: number, prop: string): unknown;
  valueOf(feature: string, index: number): string;
  intrinsicSize(): number;
  normal(lex: number): number;
  mappedSpelling(lex: number): number;
  hasSamePOS(text: string, pos: string): boolean;
}

/** The model's rule lemmatiser (wink-eng-lite-web-model's addons.lemmatize); it asks the cache only hasSamePOS. */
type Lemmatize = (value: string, pos: string, cache: Pick<WinkCache, 'hasSamePOS'>) => string;

export interface Wink {
  read(text: string): RawDoc;
  /** The text of lexeme `lex`. */
  value(lex: number): string;
  /** wink's token type of lexeme `lex` (word, punctuation, tabCRLF, ...). */
  type(lex: number): string;
  /** The POS tag name of token `i` (a UPOS name, as `its.pos` gives it). */
  posName(posIndex: number): string;
  /** The POS index packed into token `i`. */
  posIndex(doc: RawDoc, i: number): number;
  /** Spaces before token `i` as wink counted them. */
  spacesBefore(doc: RawDoc, i: number): number;
  /** wink's lemma of token `i` (`its.lemma`). */
  lemma(doc: RawDoc, i: number): string;

  // The lexicon, for lemmatising a word apart from a document (english-lemma.ts). Only the model's own
  // words are seen: a word learned from text read earlier is not in the lexicon here, so an answer
  // never depends on what the thread has read.

  /** The model's own lexeme spelled exactly `text`, or undefined (unknown, learned, or a contraction). */
  lexiconEntry(text: string): number | undefined;
  /** The POS tags the lexicon allows lexeme `lex` (its POS cluster), e.g. NOUN and VERB for `cases`. */
  lexiconTags(lex: number): ReadonlySet<string>;
  /** The tag the lexicon gives lexeme `lex` out of context (its `pos` feature); X marks a foreign word. */
  lexiconTag(lex: number): string;
  /** Whether the lexicon marks lexeme `lex` as a base form (wink's rules only land on base forms). */
  isBaseForm(lex: number): boolean;
  /** What `its.lemma` gives a token of lexeme `lex` tagged `pos` (the lexicon's lemma, else wink's rules). */
  lexemeLemma(lex: number, pos: string): string;
  /**
   * wink's rule lemmatiser on lower-case `word` as `pos` (NOUN, VERB, ADJ; any other is the word itself):
   * its exception lists, then suffix rules that stop at a base form the lexicon allows that POS. `accept`
   * further limits which such base forms a rule may stop at.
   */
  ruleLemma(word: string, pos: string, accept?: (base: string) => boolean): string;
}

/**
 * The exact versions whose internals this file reads (the lexicon's hash and list, the token packing,
 * the `its` helpers, the model's core()). package.json pins the same versions; a test keeps them equal.
 * To move to another release: re-check everything openWink reaches into, then update both.
 */
export const WINK_VERSIONS: Readonly<Record<'wink-nlp' | 'wink-eng-lite-web-model', string>> = {
  'wink-nlp': '2.4.0',
  'wink-eng-lite-web-model': '1.8.1',
};

/** The installed version of each package in WINK_VERSIONS, from its package.json (undefined: unreadable). */
export function installedWinkVersions(): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of Object.keys(WINK_VERSIONS)) {
    try {
      const v = (require(`${name}/package.json`) as { version?: unknown }).version;
      out[name] = typeof v === 'string' ? v : undefined;
    } catch {
      out[name] = undefined;
    }
  }
  return out;
}

/** Fails (E_INTERNAL, naming both versions) unless every wink package installed is the pinned one. */
export function checkWinkVersions(installed: Record<string, string | undefined> = installedWinkVersions()): void {
  for (const [name, pinned] of Object.entries(WINK_VERSIONS)) {
    const found = installed[name];
    if (found === pinned) continue;
    throw new LoupeFailure(
      'E_INTERNAL',
      `${name} ${found ?? '(version unreadable)'} is installed, but the tokeniser reads its internals and was written ` +
        `for ${name} ${pinned} exactly (pinned in package.json): reinstall with npm ci, or check app/text/wink.ts ` +
        `against ${found ?? 'the installed version'} and update WINK_VERSIONS and the pin together.`,
    );
  }
}

function broken(what: string): never {
  throw new LoupeFailure('E_INTERNAL', `wink-nlp is not laid out as the tokeniser expects (${what}).`);
}

/** The unpacked model core() hands out; only the parts read here are typed. */
interface WinkCore {
  features?: { lexeme?: { hash?: Record<string, number>; list?: unknown }; posClusters?: { list?: unknown } };
  tcat?: { list?: string[] };
  pos?: { list?: unknown };
  packing?: { layout?: Record<string, unknown> };
}

type Nlp = ReturnType<typeof WinkNlp>;

/**
 * wink-nlp and its model, required when the tokeniser first needs them rather than imported: loading
 * the model takes a large share of a process's start, and a query on a saved index never needs it.
 */
export function winkModules(): { winkNLP: typeof WinkNlp; model: typeof WinkModel } {
  return { winkNLP: require('wink-nlp') as typeof WinkNlp, model: require('wink-eng-lite-web-model') as typeof WinkModel };
}
type ItsLemma = (i: number, rdd: RawDoc, addons: unknown) => string;
type RawDocWithCache = RawDoc & { cache: WinkCache };

/** The wink modules and model parts read here, each checked; any that moved fails loudly. */
function winkInternals(): {
  allowed: { its4tokens: Set<unknown> };
  its: object;
  itsLemma: ItsLemma;
  addons: unknown;
  lemmatize: Lemmatize;
} {
  const allowed = require('wink-nlp/src/allowed.js') as { its4tokens?: Set<unknown> };
  const its = require('wink-nlp/src/its.js') as { lemma?: ItsLemma };
  const consts = require('wink-nlp/src/constants.js') as Record<string, number>;
  if (consts.tkSize !== TK_SIZE || consts.psMask !== PS_MASK || consts.posMask !== POS_MASK || consts.bits4lemma !== BITS_FOR_LEMMA) {
    broken('token packing');
  }
  if (!(allowed.its4tokens instanceof Set) || typeof its.lemma !== 'function') broken('its helpers');
  const addons = (winkModules().model as unknown as { addons?: { lemmatize?: unknown } }).addons;
  if (typeof addons?.lemmatize !== 'function') broken('model lemmatiser');
  return { allowed: allowed as { its4tokens: Set<unknown> }, its, itsLemma: its.lemma, addons, lemmatize: addons.lemmatize as Lemmatize };
}

/**
 * wink with only sentence boundaries and POS (which lemmas need): the default pipeline's NER, negation
 * and sentiment take much of the time and nothing here reads them. The model is handed over through a
 * copy whose core() keeps what it unpacked: the lexicon's hash of words, which the cache needs reached.
 */
function openPipeline(its: object): { nlp: Nlp; core: WinkCore } {
  let core: WinkCore | undefined;
  const { winkNLP, model } = winkModules();
  const source = model as unknown as { core: () => WinkCore };
  const opened = { ...source, core: () => (core = source.core()) };
  const nlp = winkNLP(opened as unknown as typeof model, ['sbd', 'pos']);
  if (!core?.features?.lexeme?.hash || !Array.isArray(core.tcat?.list)) broken('core model');
  if (nlp.its !== (its as unknown)) broken('its module');
  return { nlp, core };
}

/**
 * Reads a document's raw data through an `its` function that hands it back instead of a property,
 * and the thread's lexeme cache, found the same way on a probe document.
 */
function rawDocReader(nlp: Nlp, allowed: { its4tokens: Set<unknown> }): { rawOf: (text: string) => RawDocWithCache; cache: WinkCache } {
  let captured: RawDocWithCache | undefined;
  const capture = (_i: number, rdd: RawDocWithCache) => {
    captured = rdd;
    return 0;
  };
  allowed.its4tokens.add(capture);
  nlp
    .readDoc('Probe.')
    .tokens()
    .itemAt(0)
    .out(capture as never);
  if (!captured || !Array.isArray(captured.tokens) || !captured.cache) broken('raw document data');
  const cache: WinkCache = captured.cache;
  const methods = ['lookup', 'add', 'value', 'property', 'valueOf', 'intrinsicSize', 'normal', 'mappedSpelling', 'hasSamePOS'] as const;
  for (const m of methods) {
    if (typeof cache[m] !== 'function') broken(`cache.${m}`);
  }
  const rawOf = (text: string): RawDocWithCache => {
    const items = nlp.readDoc(text).tokens();
    // An empty document has no token to call `capture` on; its raw data is empty anyway.
    if (items.length() === 0) return { tokens: [], numOfTokens: 0, sentences: [], nonBreakingSpaces: {}, cache };
    captured = undefined;
    items.itemAt(0).out(capture as never);
    if (!captured) broken('raw document data');
    return captured;
  };
  return { rawOf, cache };
}

/** The tag names of each of the lexicon's POS clusters (sets of tag indexes), by cluster id. */
function lexiconClusterTags(core: WinkCore): Array<ReadonlySet<string>> {
  const posClusters = core.features?.posClusters?.list;
  const tagNames = core.pos?.list;
  const layout = core.packing?.layout;
  if (!Array.isArray(posClusters) || !posClusters.every((c) => c instanceof Set)) broken('POS clusters');
  if (!Array.isArray(tagNames) || !tagNames.every((t) => typeof t === 'string')) broken('POS tag list');
  // The per-lexeme properties the lemma lookups read.
  for (const prop of ['lexemeCID', 'pos', 'lemma', 'isSLemma', 'isBaseForm', 'isContraction']) {
    if (!Array.isArray(layout?.[prop])) broken(`lexicon property ${prop}`);
  }
  return (posClusters as Array<Set<number>>).map((c) => new Set([...c].map((t) => (tagNames as string[])[t]!)));
}

/**
 * Makes `cache.add` give a learned word the token type it was first added with, and counts the adds in
 * progress in `state.adding`. Without it, `235` met inside `F.Supp.235` is a word, met alone a number,
 * and whichever came first in the thread would have won. A word met again with another type becomes a
 * lexeme of its own, so each type gets the features a fresh start gives.
 */
function keepLearnedTypes(cache: WinkCache, core: WinkCore, state: { adding: number }): void {
  const lexemeHash = core.features!.lexeme!.hash!;
  const categoryNames = core.tcat!.list!;
  const intrinsic = cache.intrinsicSize();
  const fullAdd = cache.add;
  const guardedAdd = (text: string, category: number): number => {
    state.adding++;
    try {
      return fullAdd(text, category);
    } finally {
      state.adding--;
    }
  };
  const alternates = new Map<string, number>();
  // The category each learned lexeme was added with, + 1 (0: not yet read back from wink).
  let learnedCategory = new Uint8Array(1 << 16);
  const categoryOf = (known: number): number => {
    const at = known - intrinsic;
    if (at >= learnedCategory.length) {
      const grown = new Uint8Array(Math.max(at + 1, learnedCategory.length * 2));
      grown.set(learnedCategory);
      learnedCategory = grown;
    }
    let c = learnedCategory[at]!;
    if (c === 0) learnedCategory[at] = c = categoryNames.indexOf(String(cache.property(known, 'tokenType'))) + 1;
    return c - 1;
  };
  cache.add = (text, category) => {
    const known = lexemeHash[text];
    if (known === undefined || known < intrinsic) return guardedAdd(text, category);
    // Met again with the type it was learned with, a word is already all wink's `add` would make of it
    // (its lower-case form was learned with it), so its id is the answer: wink's `add` would hash the
    // text twice to find that out.
    if (categoryOf(known) === category) return known;
    const key = `${category}\u0001${text}`;
    let alternate = alternates.get(key);
    if (alternate === undefined) {
      delete lexemeHash[text];
      try {
        alternate = guardedAdd(text, category);
      } finally {
        lexemeHash[text] = known;
      }
      alternates.set(key, alternate);
    }
    return alternate;
  };
}

/**
 * Makes the tokeniser's `cache.lookup` see only the model's own words (learned lexemes are hidden),
 * through a table of them (structures/intern.ts) that hashes a token's text as it is, where the model's
 * hash object first interns every looked-up string (a large share of wink's tokenising time); the table
 * is faster than a Map too. Contractions expand through wink's own lookup, and so does every lookup
 * made inside `add`: wink's feature extraction for a word being added looks its lower-cased form up and
 * needs to find it.
 */
function lookOnlyInLexicon(cache: WinkCache, core: WinkCore, state: { adding: number }): void {
  const lexemeHash = core.features!.lexeme!.hash!;
  const intrinsic = cache.intrinsicSize();
  const fullLookup = cache.lookup;
  const words = core.features!.lexeme!.list as string[] | undefined;
  if (!Array.isArray(words) || words.length < intrinsic) broken('lexeme list');
  const table = new InternTable();
  /** Table entry -> wink lexeme id (duplicate spellings are skipped, so the two differ). */
  const lexemeOf: number[] = [];
  const expands = new Uint8Array(intrinsic);
  for (let i = 0; i < intrinsic; i++) {
    const word = words[i]!;
    if (lexemeHash[word] !== i) continue; // a duplicate spelling: wink's hash keeps another id
    lexemeOf[table.intern(word)] = i;
    const found = fullLookup(word);
    if (found === null || found[0] === undefined) broken('lexeme lookup');
    if (found.length > 1 || found[0] !== i) expands[i] = 1;
  }
  const lexemeIds = Int32Array.from(lexemeOf);
  cache.lookup = (text) => {
    if (state.adding > 0) return fullLookup(text);
    const entry = table.get(text);
    if (entry === undefined) return null;
    const id = lexemeIds[entry]!;
    return expands[id] ? fullLookup(text) : [id];
  };
}

export function openWink(): Wink {
  checkWinkVersions();
  const { allowed, its, itsLemma, addons, lemmatize } = winkInternals();
  const { nlp, core } = openPipeline(its);
  const { rawOf, cache } = rawDocReader(nlp, allowed);
  const clusterTags = lexiconClusterTags(core);
  const state = { adding: 0 };
  keepLearnedTypes(cache, core, state);
  lookOnlyInLexicon(cache, core, state);

  // Lexicon properties of the model's own lexemes: cache.property reads them straight from the packed
  // lexicon. (For a learned lexeme wink would answer 0 for most of them; lexiconEntry never returns one.)
  const lexemeHash = core.features!.lexeme!.hash!;
  const intrinsic = cache.intrinsicSize();
  const noTags: ReadonlySet<string> = new Set();
  const lexiconEntry = (text: string): number | undefined => {
    const id = lexemeHash[text];
    if (id === undefined || id >= intrinsic || cache.property(id, 'isContraction') === 1) return undefined;
    return id;
  };
  const ruleLemma = (word: string, pos: string, accept?: (base: string) => boolean): string =>
    lemmatize(word, pos, accept ? { hasSamePOS: (t, p) => cache.hasSamePOS(t, p) && accept(t) } : cache);

  const posNames: string[] = [];
  return {
    read: rawOf,
    value: (lex) => cache.value(lex),
    type: (lex) => String(cache.property(lex, 'tokenType')),
    posName(p) {
      return (posNames[p] ??= cache.valueOf('pos', p));
    },
    posIndex: (doc, i) => (doc.tokens[i * TK_SIZE + 2]! & POS_MASK) >>> BITS_FOR_LEMMA,
    spacesBefore(doc, i) {
      const n = doc.tokens[i * TK_SIZE + 1]! & PS_MASK;
      return n < PS_MASK ? n : (doc.nonBreakingSpaces[i]?.length ?? 0);
    },
    lemma: (doc, i) => itsLemma(i, doc, addons),
    lexiconEntry,
    lexiconTags: (lex) => clusterTags[Number(cache.property(lex, 'lexemeCID'))] ?? noTags,
    lexiconTag: (lex) => String(cache.property(lex, 'pos')),
    isBaseForm: (lex) => cache.property(lex, 'isBaseForm') === 1,
    lexemeLemma(lex, pos) {
      // its.lemma without a token: a spelling variant is lemmatised as the spelling it maps to; a
      // lexeme with a single lemma has it in the lexicon, any other goes through the rules.
      const mapped = cache.mappedSpelling(lex);
      if (cache.property(mapped, 'isSLemma') === 1) return cache.value(Number(cache.property(mapped, 'lemma')));
      return ruleLemma(cache.value(cache.normal(lex)), pos);
    },
    ruleLemma,
  };
}
