/**
 * wink-nlp tokenising of one document into columns. Whitespace tokens are dropped (paragraph
 * breaks are recovered from the gaps between tokens); every other token keeps its surface form,
 * lemma, POS, kind and character offsets into the document text.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { TOKEN_KINDS, type TokenKind } from '../contract/types.js';
import { exactKey, foldKey } from './normalise.js';

export const UPOS_TAGS = [
  'ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'DET', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN',
  'PUNCT', 'SCONJ', 'SYM', 'VERB', 'X', 'SPACE',
] as const;
const POS_ID = new Map<string, number>(UPOS_TAGS.map((t, i) => [t, i]));
const KIND_ID = new Map<string, number>(TOKEN_KINDS.map((t, i) => [t, i]));
const OTHER_KIND = KIND_ID.get('other')!;
const X_POS = POS_ID.get('X')!;

/**
 * Bumped whenever tokenising changes what a saved index would hold, so indexes made by an older
 * tokeniser are rebuilt rather than mixed with new ones.
 */
export const TOKENISER_VERSION = 2;

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
}

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;
function getNlp(): Nlp {
  // Loading the model costs ~0.3 s; do it once per thread, on first use. Only sentence boundaries and
  // POS (which lemmas need) are run: the default pipeline's NER, negation and sentiment cost ~30% of
  // the time and nothing here reads them.
  nlp ??= winkNLP(model, ['sbd', 'pos']);
  return nlp;
}

/** wink-nlp is happiest with moderate inputs; long texts are cut at paragraph gaps into chunks. */
const CHUNK_CHARS = 200_000;

function chunkRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let from = 0;
  while (text.length - from > CHUNK_CHARS) {
    let cut = text.indexOf('\n\n', from + CHUNK_CHARS);
    if (cut < 0 || cut - from > CHUNK_CHARS * 4) cut = text.indexOf('\n', from + CHUNK_CHARS);
    if (cut < 0 || cut - from > CHUNK_CHARS * 4) cut = text.indexOf(' ', from + CHUNK_CHARS);
    if (cut < 0) break;
    ranges.push([from, cut]);
    from = cut;
  }
  ranges.push([from, text.length]);
  return ranges;
}

class Growable {
  form: number[] = [];
  lemma: number[] = [];
  pos: number[] = [];
  kind: number[] = [];
  start: number[] = [];
  end: number[] = [];
  sent: number[] = [];
}

export function tokenise(text: string): TokenBatch {
  const n = getNlp();
  const its = n.its;
  const forms: string[] = [];
  const formIds = new Map<string, number>();
  const lemmas: string[] = [];
  const lemmaIds = new Map<string, number>();
  const g = new Growable();
  // Interned by the raw string, so normalising (NFC, apostrophes, case) runs once per distinct string.
  // Two raw strings with the same key get two local ids; merging into the corpus tables unifies them.
  const intern = (table: string[], ids: Map<string, number>, raw: string, key: (s: string) => string): number => {
    let id = ids.get(raw);
    if (id === undefined) {
      id = table.length;
      table.push(key(raw));
      ids.set(raw, id);
    }
    return id;
  };

  // wink-nlp does not count Latin Extended letters (ř ğ Ł ễ ...) as letters and splits words at them.
  // It reads a same-length shadow with those letters replaced by a/A; each token's text is then taken
  // from the real text by its offsets.
  const shadow = /[\u0100-\u024F\u1E00-\u1EFF]/.test(text)
    ? text.replace(/[\u0100-\u024F\u1E00-\u1EFF]/g, (c) => (c === c.toLowerCase() ? 'a' : 'A'))
    : text;
  for (const [from, to] of chunkRanges(shadow)) {
    const doc = n.readDoc(shadow.slice(from, to));
    const tokens = doc.tokens();
    const values = tokens.out(its.value) as string[];
    const types = tokens.out(its.type) as string[];
    const poses = tokens.out(its.pos) as string[];
    const lems = tokens.out(its.lemma as never) as unknown as string[];
    const spaces = tokens.out(its.precedingSpaces) as string[];
    // Sentence starts as token indexes within this chunk.
    const sentStarts = new Set<number>();
    doc.sentences().each((s: any) => {
      const first = s.tokens().length() > 0 ? s.tokens().itemAt(0) : undefined; // whitespace-only text: an empty sentence
      if (first) sentStarts.add(first.index());
    });
    let cursor = from;
    let pendingSentence = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      cursor += spaces[i]!.length;
      let s = cursor;
      if (shadow.startsWith(v, s) === false) {
        // wink-nlp is lossless in practice; if it ever is not, find the token rather than drift.
        const found = shadow.indexOf(v, s - spaces[i]!.length);
        s = found >= 0 && found < to ? found : s;
      }
      cursor = s + v.length;
      if (sentStarts.has(i)) pendingSentence = true;
      const type = types[i]!;
      if (type === 'tabCRLF' || v.trim() === '') continue;
      const surface = shadow === text ? v : text.slice(s, s + v.length);
      g.form.push(intern(forms, formIds, surface, exactKey));
      g.lemma.push(intern(lemmas, lemmaIds, surface === v ? lems[i] || v : surface, foldKey));
      g.pos.push(POS_ID.get(poses[i]!) ?? X_POS);
      g.kind.push(KIND_ID.get(type) ?? OTHER_KIND);
      g.start.push(s);
      g.end.push(s + v.length);
      g.sent.push(pendingSentence ? 1 : 0);
      pendingSentence = false;
    }
  }
  const count = g.form.length;
  const paragraphStart = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (i === 0) paragraphStart[i] = 1;
    else if (g.start[i]! - g.end[i - 1]! >= 2) {
      const gap = text.slice(g.end[i - 1]!, g.start[i]!);
      if (/\n[ \t\r\f\v]*\n|\r[ \t\f\v]*\r/.test(gap)) paragraphStart[i] = 1;
    }
  }
  const sentenceStart = Uint8Array.from(g.sent);
  // A paragraph always opens a sentence.
  for (let i = 0; i < count; i++) if (paragraphStart[i]) sentenceStart[i] = 1;
  return {
    forms,
    form: Uint32Array.from(g.form),
    lemmas,
    lemma: Uint32Array.from(g.lemma),
    pos: Uint8Array.from(g.pos),
    kind: Uint8Array.from(g.kind),
    start: Uint32Array.from(g.start),
    end: Uint32Array.from(g.end),
    sentenceStart,
    paragraphStart,
  };
}

export function kindName(id: number): TokenKind {
  return TOKEN_KINDS[id] ?? 'other';
}
