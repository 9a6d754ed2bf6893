/**
 * A CorpusIndex as the sections of its saved file (format 8), compact enough for 100M tokens to fit
 * in well under 8 bytes a token:
 *
 *   form                 varint blocks (codec.ts) of exact-form ids (frequent words get small ids)
 *   len, start           varint blocks of each token's length and its gap after the previous token
 *   posFlags             one byte a token: UPOS id | sentence/paragraph flags << 5
 *   lemma, kind          what the token's form usually has (lemmaOfForm, kindOfForm) plus the
 *                        positions where it differs: a few percent of tokens; the forms of each
 *                        lemma (lemmaForms) and of each word (wordForms), for a first query
 *   wordPostings         per case-folded word, varint gaps between its positions, the words in
 *                        code-point order with their tables by that rank (wordRank maps an id to
 *                        it), so the words of a prefix are one range of the file; where each
 *                        word's postings are and how many, also by rank spelled backwards, so the
 *                        words of a suffix are one range of those
 *   formPostings         per exact form that is not its word's usual spelling (postings.ts), the
 *                        same; formCount holds every form's frequency
 *   posPostings          per UPOS tag, the same: no query condition reads a whole column first
 *   wordCounted, wordRange  each word's counted tokens and the documents they are in: the word list
 *   formCounts, lemmaCounts, posCounts  the same per exact form, lemma and tag, as varints
 *   vocabulary           case-folded words, exact forms and lemmas, each in code-point order as one
 *                        NUL-separated UTF-8 blob with offsets and ids, searched in place; the words
 *                        spelled backwards the same way, for patterns with a literal end
 *   texts                only texts that cannot be read back from their source file: a plain-text
 *                        document whose file decodes to exactly its text is read from the file (its
 *                        hash is checked), so the index does not hold a second copy of the corpus
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { decodeBytes } from '../corpus/decode.js';
import { hashBytes } from '../corpus/read.js';
import { encodeColumn, encodePostings, encodeVarints, HELD_POSITIONS } from './codec.js';
import { buildPostings, countedTally, usualForms, type Postings } from './postings.js';
import { codePointOrder, reversed, sortedStringSections } from './sorted-strings.js';
import type { CorpusIndex, StoredDocument } from './store.js';

export type SectionType = 'u8' | 'u32' | 'f64' | 'json' | 'utf8';
export interface SectionData {
  name: string;
  type: SectionType;
  data: Uint8Array;
}

/** What a document saved without its text keeps, to find and check the text later. */
export interface TextSource {
  hash: string;
  chars: number;
  /**
   * For a file of ASCII bytes (one byte a character): its size and modification time when indexed.
   * While the file keeps both, a KWIC line reads its few dozen characters by position instead of the
   * whole file, which it could otherwise only check against `hash` whole.
   */
  slices?: { size: number; mtimeMs: number };
}

export const POS_BITS = 5;

/** The string tables of an index: what the vocabulary sections are made of. */
export type Vocabulary = Pick<CorpusIndex, 'words' | 'forms' | 'lemmas' | 'formToWord' | 'wordCount'>;

const bytesOf = (a: Uint8Array | Uint32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Plain-text files whose decoded content is the document's text exactly (checked here, by reading). */
export function textSourceOf(doc: StoredDocument): TextSource | undefined {
  if (extname(doc.path).toLowerCase() !== '.txt' || doc.name !== basename(doc.path)) return undefined;
  try {
    const { mtimeMs } = statSync(doc.path);
    const bytes = readFileSync(doc.path);
    const decoded = decodeBytes(bytes);
    if (!decoded.ok || decoded.text !== doc.text) return undefined;
    const source: TextSource = { hash: hashBytes(bytes), chars: doc.text.length };
    if (bytes.length === doc.text.length && isAscii(bytes)) source.slices = { size: bytes.length, mtimeMs };
    return source;
  } catch {
    return undefined;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** The value most tokens of each form carry (the first seen), and the positions where it differs. */
function byFormWithExceptions(
  ids: ArrayLike<number>,
  form: Uint32Array,
  forms: number,
): { usual: Uint32Array; at: Uint32Array; value: Uint32Array } {
  const usual = new Uint32Array(forms).fill(0xffffffff);
  const at: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < form.length; i++) {
    const f = form[i]!;
    const v = ids[i]!;
    const u = usual[f]!;
    if (u === 0xffffffff) usual[f] = v;
    else if (u !== v) {
      at.push(i);
      value.push(v);
    }
  }
  for (let f = 0; f < forms; f++) if (usual[f] === 0xffffffff) usual[f] = 0;
  return { usual, at: Uint32Array.from(at), value: Uint32Array.from(value) };
}

export function encodeIndex(index: CorpusIndex, sources: Array<TextSource | undefined>): SectionData[] {
  const n = index.tokenCount;
  const form = index.form;
  const start = index.start;
  const end = index.end;
  const pos = index.pos;
  const flags = index.flags;
  const posFlags = new Uint8Array(n);
  for (let i = 0; i < n; i++) posFlags[i] = pos[i]! | (flags[i]! << POS_BITS);
  const lemma = byFormWithExceptions(index.lemma, form, index.forms.length);
  const kind = byFormWithExceptions(index.kind, form, index.forms.length);
  const formCol = encodeColumn(form, 'plain');
  const lenCol = encodeColumn(end, 'length', start);
  const startCol = encodeColumn(start, 'start', end);
  const wordOrder = wordOrderOf(index);
  const reversedOrder = codePointOrder(index.words.map(reversed));
  const texts = textSections(index, sources);
  return [
    ...vocabularySections(index, wordOrder, reversedOrder),
    { name: 'docStart', type: 'u32', data: bytesOf(index.docStart) },
    { name: 'form.data', type: 'u8', data: formCol.data },
    { name: 'form.blocks', type: 'f64', data: bytesOf(formCol.blockAt) },
    { name: 'len.data', type: 'u8', data: lenCol.data },
    { name: 'len.blocks', type: 'f64', data: bytesOf(lenCol.blockAt) },
    { name: 'start.data', type: 'u8', data: startCol.data },
    { name: 'start.blocks', type: 'f64', data: bytesOf(startCol.blockAt) },
    { name: 'posFlags', type: 'u8', data: posFlags },
    { name: 'lemmaOfForm', type: 'u32', data: bytesOf(lemma.usual) },
    ...groupSections('lemmaForms', buildPostings(lemma.usual, index.lemmas.length)),
    { name: 'lemmaExceptAt', type: 'u32', data: bytesOf(lemma.at) },
    { name: 'lemmaExcept', type: 'u32', data: bytesOf(lemma.value) },
    { name: 'kindOfForm', type: 'u8', data: Uint8Array.from(kind.usual) },
    { name: 'kindExceptAt', type: 'u32', data: bytesOf(kind.at) },
    { name: 'kindExcept', type: 'u8', data: Uint8Array.from(kind.value) },
    ...texts,
    ...wordPostingSections(index, wordOrder, reversedOrder),
    ...wordCountSections(index),
    ...groupCountSections(index),
    ...formPostingSections(index),
    ...posPostingSections(index),
  ];
}

/** Word ids by rank in code-point order. */
function wordOrderOf(index: Pick<CorpusIndex, 'wordRank'>): Uint32Array {
  const rank = index.wordRank;
  const order = new Uint32Array(rank.length);
  for (let id = 0; id < rank.length; id++) order[rank[id]!] = id;
  return order;
}

/**
 * The word postings and their tables in rank order, and each word's rank; and where each word's
 * postings are by its rank among the words spelled backwards, so the words of a literal end (whose
 * ranks are scattered) are located by one range of those tables too. A word of one or two tokens
 * (most of a literal end's words) has its positions in those two entries instead: a suffix then
 * reads the postings of its more frequent words only, not one scattered read for each rare one.
 */
function wordPostingSections(index: CorpusIndex, order: Uint32Array, reversedOrder: Uint32Array): SectionData[] {
  const byId = index.byWord.offsets;
  const offsets = new Uint32Array(byId.length);
  for (let r = 0; r < order.length; r++) offsets[r + 1] = offsets[r]! + byId[order[r]! + 1]! - byId[order[r]!]!;
  const encoded = encodePostings(byId, index.byWord.positions, order);
  const positions = index.byWord.positions;
  const { at, length, counts } = reversedPostingTables(
    reversedOrder,
    index.wordRank,
    (id) => byId[id + 1]! - byId[id]!,
    (id, k) => positions[byId[id]! + k]!,
    encoded.termAt,
  );
  return [
    { name: 'wordRank', type: 'u32', data: bytesOf(index.wordRank) },
    { name: 'wordPostingsOffsets', type: 'u32', data: bytesOf(offsets) },
    { name: 'wordPostings.data', type: 'u8', data: encoded.data },
    { name: 'wordPostings.terms', type: 'f64', data: bytesOf(encoded.termAt) },
    { name: 'wordsReversedPostingsAt', type: 'f64', data: bytesOf(at) },
    { name: 'wordsReversedPostingsLength', type: 'u32', data: bytesOf(length) },
    { name: 'wordsReversedCounts', type: 'u32', data: bytesOf(counts) },
  ];
}

/**
 * Where each word's postings lie, by its rank among the words spelled backwards: its place and byte
 * length, or for a word of at most HELD_POSITIONS tokens the positions themselves; and the running
 * count of positions.
 */
export function reversedPostingTables(
  reversedOrder: Uint32Array,
  rank: Uint32Array,
  countOf: (id: number) => number,
  positionOf: (id: number, k: number) => number,
  termAt: Float64Array,
): { at: Float64Array; length: Uint32Array; counts: Uint32Array } {
  const at = new Float64Array(reversedOrder.length);
  const length = new Uint32Array(reversedOrder.length);
  const counts = new Uint32Array(reversedOrder.length + 1);
  for (let k = 0; k < reversedOrder.length; k++) {
    const id = reversedOrder[k]!;
    const r = rank[id]!;
    const count = countOf(id);
    if (count <= HELD_POSITIONS) {
      at[k] = count > 0 ? positionOf(id, 0) : 0;
      length[k] = count > 1 ? positionOf(id, 1) : 0;
    } else {
      at[k] = termAt[r]!;
      length[k] = termAt[r + 1]! - termAt[r]!;
    }
    counts[k + 1] = counts[k]! + count;
  }
  return { at, length, counts };
}

/**
 * Each word's counted tokens and the documents it occurs in among them: the corpus's word list, which
 * would otherwise decode the form column and derive the counted flags of every token.
 */
function wordCountSections(index: CorpusIndex): SectionData[] {
  const { freq, range } = countedTally(index.form, index.formToWord, index.wordCount, index.counted, index.docStart);
  return [
    { name: 'wordCounted', type: 'u32', data: bytesOf(freq) },
    { name: 'wordRange', type: 'u32', data: bytesOf(range) },
  ];
}

/**
 * The same counts for exact forms, lemmas and POS tags (their word lists): each table's counted
 * tokens and then its documents, as varints, since most forms and lemmas occur once.
 */
function groupCountSections(index: CorpusIndex): SectionData[] {
  const groups = [
    ['formCounts', index.form, index.forms.length],
    ['lemmaCounts', index.lemma, index.lemmas.length],
    ['posCounts', index.pos, index.posTags.length],
  ] as const;
  return groups.map(([name, column, size]) => {
    const { freq, range } = countedTally(column, undefined, size, index.counted, index.docStart);
    const both = new Uint32Array(2 * size);
    both.set(freq);
    both.set(range, size);
    return { name, type: 'u8' as const, data: encodeVarints(both) };
  });
}

/** Every form's frequency, and the positions of the forms that are not their word's usual spelling. */
function formPostingSections(index: CorpusIndex): SectionData[] {
  const form = index.form;
  const forms = index.forms.length;
  const count = new Uint32Array(forms);
  for (let i = 0; i < form.length; i++) count[form[i]!]!++;
  const usual = usualForms(count, index.formToWord, index.wordCount);
  const formToWord = index.formToWord;
  const offsets = new Uint32Array(forms + 1);
  for (let f = 0; f < forms; f++) offsets[f + 1] = offsets[f]! + (usual[formToWord[f]!] === f ? 0 : count[f]!);
  const positions = new Uint32Array(offsets[forms]!);
  const fill = offsets.slice(0, forms);
  for (let i = 0; i < form.length; i++) {
    const f = form[i]!;
    if (usual[formToWord[f]!] !== f) positions[fill[f]!++] = i;
  }
  const encoded = encodePostings(offsets, positions);
  return [
    { name: 'formCount', type: 'u32', data: bytesOf(count) },
    { name: 'formPostings.data', type: 'u8', data: encoded.data },
    { name: 'formPostings.terms', type: 'f64', data: bytesOf(encoded.termAt) },
  ];
}

function posPostingSections(index: CorpusIndex): SectionData[] {
  const byPos = buildPostings(index.pos, index.posTags.length);
  const encoded = encodePostings(byPos.offsets, byPos.positions);
  return [
    { name: 'posPostingsOffsets', type: 'u32', data: bytesOf(byPos.offsets) },
    { name: 'posPostings.data', type: 'u8', data: encoded.data },
    { name: 'posPostings.terms', type: 'f64', data: bytesOf(encoded.termAt) },
  ];
}

/** Texts not read back from their files, as UTF-8 one after another, with their byte lengths (0 for those that are). */
function textSections(index: CorpusIndex, sources: Array<TextSource | undefined>): SectionData[] {
  const encoded = index.docs.map((d, i) => (sources[i] ? Buffer.alloc(0) : Buffer.from(d.text, 'utf8')));
  const lengths = Uint32Array.from(encoded, (b) => b.byteLength);
  return [
    { name: 'texts', type: 'utf8', data: Buffer.concat(encoded) },
    { name: 'textBytes', type: 'u32', data: bytesOf(lengths) },
  ];
}

/**
 * The case-folded words, exact forms and lemmas as sorted tables (sorted-strings.ts), searched in
 * place by a first query, and each form's word.
 */
function vocabularySections(index: Vocabulary, wordOrder: Uint32Array, reversedOrder: Uint32Array): SectionData[] {
  return [
    ...sortedStringSections('words', index.words, wordOrder),
    ...sortedStringSections('forms', index.forms, codePointOrder(index.forms)),
    ...sortedStringSections('lemmas', index.lemmas, codePointOrder(index.lemmas)),
    ...sortedStringSections('wordsReversed', index.words.map(reversed), reversedOrder),
    { name: 'formToWord', type: 'u32', data: bytesOf(index.formToWord) },
    ...groupSections('wordForms', buildPostings(index.formToWord, index.wordCount)),
  ];
}

/** A grouping (the forms of each word, of each lemma) as offsets and members, read by range. */
export function groupSections(name: 'wordForms' | 'lemmaForms', groups: Postings): SectionData[] {
  return [
    { name: `${name}Offsets`, type: 'u32', data: bytesOf(groups.offsets) },
    { name, type: 'u32', data: bytesOf(groups.positions) },
  ];
}
