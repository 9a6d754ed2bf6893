/**
 * Lemmas the reader supplies: a lemma list (AntConc's format) or a Snowball stemmer, applied to one
 * tokenised document in place of the lemmas the tokeniser gave it.
 *
 * AntConc (3.x and 4.x) reads one lemma per line: the headword, `->`, then its word forms separated
 * by commas or tabs, with or without spaces around them (`be -> am, are, is`; its own BNC list is
 * `abandon<TAB>-><TAB>abandon<TAB>abandoned<TAB>...`). WordSmith writes the same arrow form in capitals.
 * Other lists leave the arrow out and give the headword and its forms separated by tabs or spaces;
 * both are read here. Blank lines and lines starting with `#` are skipped.
 *
 * A headword counts as one of its own forms, as AntConc counts it, unless some line lists that word
 * as a form of another headword: a form written out wins over a headword's implicit one.
 */
import { createRequire } from 'node:module';
import type { TokenBatch } from './tokenise.js';
import { foldKey } from './normalise.js';
import { normaliseLanguage } from './language.js';

export interface LemmaList {
  /** Case-folded form -> case-folded headword. */
  byForm: Map<string, string>;
  /** Lines that were skipped or only partly used, as `name:line: what`. */
  warnings: string[];
}

/** The key a form or headword is matched and stored by: the tokeniser's folded key. */
export const lemmaListKey = foldKey;

/** A list with thousands of broken lines says so once, not thousands of times. */
const MAX_WARNINGS = 50;

const ARROW = /->|→/;
/** AntConc separates forms by commas or tabs; a line with neither, and no arrow, by spaces. */
const LIST_SEPARATOR = /[,\t]/;
const fields = (s: string) =>
  s
    .split(LIST_SEPARATOR)
    .map((f) => f.trim())
    .filter(Boolean);

export function parseLemmaList(text: string, name: string): LemmaList {
  const byForm = new Map<string, string>();
  const warnings: string[] = [];
  let unreported = 0;
  const warn = (line: number, message: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(`${name}:${line}: ${message}`);
    else unreported++;
  };
  /** Line of the first listing of each form, for the warning about a second headword. */
  const listedAt = new Map<string, number>();
  const headwords: string[] = [];

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    let headword: string;
    let forms: string[];
    const parts = line.split(ARROW);
    if (parts.length > 2) {
      warn(lineNo, `more than one "->"; line skipped`);
      continue;
    }
    if (parts.length === 2) {
      headword = parts[0]!.trim();
      forms = fields(parts[1]!);
      if (!headword) {
        warn(lineNo, `no headword before "->"; line skipped`);
        continue;
      }
    } else if (LIST_SEPARATOR.test(line)) {
      [headword = '', ...forms] = fields(line);
    } else {
      [headword = '', ...forms] = line.split(/\s+/);
    }
    const words = forms.filter((form) => {
      if (!/\s/.test(form)) return true;
      warn(lineNo, `"${form}" has a space in it, but a word form is one word (separate forms with commas or tabs); left out`);
      return false;
    });
    if (words.length === 0) {
      if (forms.length === 0)
        warn(
          lineNo,
          `"${headword}" has no word forms (expected "headword -> form, form" or the headword and its forms separated by tabs or spaces); line skipped`,
        );
      continue;
    }
    forms = words;
    const head = lemmaListKey(headword);
    headwords.push(head);
    for (const form of forms) {
      const key = lemmaListKey(form);
      const already = byForm.get(key);
      if (already === undefined) {
        byForm.set(key, head);
        listedAt.set(key, lineNo);
      } else if (already !== head) {
        warn(lineNo, `"${form}" is already a form of "${already}" (line ${listedAt.get(key)}); kept there, not under "${head}"`);
      }
    }
  }
  for (const head of headwords) if (!byForm.has(head)) byForm.set(head, head);
  if (unreported > 0) warnings.push(`${name}: ${unreported} more warning${unreported === 1 ? '' : 's'} like these`);
  return { byForm, warnings };
}

/**
 * `batch` with new lemmas: `lemmaOf(f)` for each local form id f, or the token's own lemma where it
 * gives undefined. The lemma table is rebuilt in order of first use (as the tokeniser builds it), so
 * lemmas no token uses any more are dropped. When the table changes, the batch loses `origin`: its
 * lemma entries would no longer match, and merging then interns the document's strings itself.
 */
function relemmatise(batch: TokenBatch, lemmaOf: (form: number) => string | undefined): TokenBatch {
  const newOfForm: Array<string | undefined> = batch.forms.map((_, f) => lemmaOf(f));
  if (newOfForm.every((l) => l === undefined)) return { ...batch };

  const lemmas: string[] = [];
  const idOf = new Map<string, number>();
  const intern = (s: string) => {
    let id = idOf.get(s);
    if (id === undefined) {
      id = lemmas.length;
      lemmas.push(s);
      idOf.set(s, id);
    }
    return id;
  };
  // Per local id, the new lemma id + 1 (0: not decided yet), so each id is interned once, not each token.
  const byForm = new Int32Array(batch.forms.length);
  const byOldLemma = new Int32Array(batch.lemmas.length);
  const n = batch.form.length;
  const lemma = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const f = batch.form[i]!;
    const replaced = newOfForm[f];
    if (replaced !== undefined) {
      let id = byForm[f]! - 1;
      if (id < 0) byForm[f] = (id = intern(replaced)) + 1;
      lemma[i] = id;
    } else {
      const old = batch.lemma[i]!;
      let id = byOldLemma[old]! - 1;
      if (id < 0) byOldLemma[old] = (id = intern(batch.lemmas[old]!)) + 1;
      lemma[i] = id;
    }
  }

  const sameTable = lemmas.length === batch.lemmas.length && lemmas.every((l, i) => l === batch.lemmas[i]);
  if (!sameTable) {
    const out: TokenBatch = { ...batch, lemmas, lemma };
    delete out.origin;
    return out;
  }
  const sameColumn = lemma.every((l, i) => l === batch.lemma[i]);
  return { ...batch, lemma: sameColumn ? batch.lemma : lemma };
}

/**
 * Every token whose case-folded form the list names gets the list's headword (case-folded) as its
 * lemma; other tokens keep theirs. Works per local form id, not per token string; returns a new batch
 * (the typed arrays it does not change are shared with `batch`).
 */
export function applyLemmaList(batch: TokenBatch, list: LemmaList): TokenBatch {
  if (list.byForm.size === 0) return { ...batch };
  return relemmatise(batch, (f) => list.byForm.get(lemmaListKey(batch.forms[f]!)));
}

// ---------------------------------------------------------------------------------------------
// Stemmers

/**
 * Language code -> Snowball algorithm in snowball-stemmers. That package (a plain-JavaScript build of
 * the Snowball stemmers) was chosen over @orama/stemmers, the better-kept alternative: where both
 * come from Snowball they stem alike, but Orama's English is a hand-written Porter variant that
 * departs from Porter (`adoption` -> `adop`) and its Bulgarian throws on ordinary words. The other
 * alternative with many languages, multilingual-stemmer (Snowball in WebAssembly), needs Node 22.
 * English here is Porter2, Snowball's "english".
 */
const ALGORITHMS: Readonly<Record<string, string>> = {
  ar: 'arabic',
  ca: 'catalan',
  cs: 'czech',
  da: 'danish',
  de: 'german',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hu: 'hungarian',
  hy: 'armenian',
  it: 'italian',
  nb: 'norwegian',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sl: 'slovene',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
};

/** The language codes `stemmerFor` has a stemmer for. */
export const STEMMER_LANGUAGES: readonly string[] = Object.keys(ALGORITHMS).sort();

interface SnowballStemmers {
  newStemmer(algorithm: string): { stem(word: string): string };
}

let snowball: SnowballStemmers | undefined;
const stemmers = new Map<string, (word: string) => string>();

/** Past this many words a stemmer's cache starts again, so a huge vocabulary cannot grow it forever. */
const CACHE_WORDS = 500_000;

/**
 * A stemmer for the language (a code, tag or name: `de`, `deu`, `de-AT`, `German`), or undefined when
 * there is none for it. It expects a case-folded word. Each language's stemmer is made once and
 * remembers its words, since every document of a corpus asks again for the same common ones.
 */
export function stemmerFor(code: string): ((word: string) => string) | undefined {
  const language = normaliseLanguage(code);
  const algorithm = language && ALGORITHMS[language];
  if (!language || !algorithm) return undefined;
  const made = stemmers.get(language);
  if (made) return made;
  snowball ??= createRequire(import.meta.url)('snowball-stemmers') as SnowballStemmers;
  const stemmer = snowball.newStemmer(algorithm);
  const cache = new Map<string, string>();
  const stem = (word: string): string => {
    let s = cache.get(word);
    if (s === undefined) {
      s = stemmer.stem(word);
      if (cache.size >= CACHE_WORDS) cache.clear();
      cache.set(word, s);
    }
    return s;
  };
  stemmers.set(language, stem);
  return stem;
}

/** Lemma of every token = stem of its case-folded form (per local form id). */
export function applyStemmer(batch: TokenBatch, stem: (w: string) => string): TokenBatch {
  return relemmatise(batch, (f) => stem(lemmaListKey(batch.forms[f]!)));
}
