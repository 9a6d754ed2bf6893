/**
 * Saved segments (indexes of consecutive runs of a corpus's documents) merged into the index of the
 * whole corpus, reading the segments part by part, so memory follows the size of the largest segment
 * and of the vocabulary, never of the corpus.
 *
 * The merged file is the file one build of all the documents would save, section for section:
 * - forms and lemmas get their ids in order of first use over the documents, which is each segment's
 *   ids in turn, new ones appended; the words, ranks and usual spellings follow from those tables;
 * - columns are re-encoded in blocks of the whole corpus, and a lemma or kind differs from its form's
 *   usual one where it differs from the first token of that form in the corpus;
 * - postings of a word or tag are its segments' postings one after another: the bytes are copied as
 *   they are but for the first gap of each segment's part, which now counts from the previous part.
 * The segments are only read: until the new file is renamed into place, the old index and the
 * segments stay as they were.
 */
import { mkdirSync, rmSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BLOCK, decodePostingsInto, encodePostings, HELD_POSITIONS, readVarints } from './codec.js';
import { groupSections, POS_BITS, reversedPostingTables } from './encode.js';
import { LoadFailure } from './lazy.js';
import { writeIndexFile, type IndexHeading, type SavedManifest } from './persist.js';
import { f64Section, MinHeap, SectionStream, u32Section, withSegment, withSegments } from './merge-read.js';
import { buildPostings, usualForms } from './postings.js';
import { spoolsIn, type SectionOut, type SpoolFile, type Spools } from './spool.js';
import { mergeVocabulary, type MergedVocabulary } from './merge-vocabulary.js';
import { UPOS_TAGS } from '../text/tokenise.js';
import { processAlive } from '../fs/atomic.js';

export interface MergeProgress {
  (step: 'vocabulary' | 'columns' | 'postings' | 'writing', done: number, total: number): void;
}

const bytesOf = (a: Uint32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const NONE = 0xffffffff;

/** The corpus-wide tables, each segment's ids in them, and the counts per table summed. */
interface Tables extends MergedVocabulary {
  formCount: Uint32Array;
  /** Tokens of each word (every form of it). */
  wordTotal: Uint32Array;
  /** Sections of the vocabulary and the counts. */
  sections: SectionOut[];
}

/** The vocabulary merged (merge-vocabulary.ts); the counts per table summed through the id maps. */
function mergeTables(files: string[], spools: Spools): Tables {
  const v = withSegments(files, (segments) =>
    mergeVocabulary(
      segments.map((s) => s.sections),
      spools,
    ),
  );
  const { formMaps, lemmaMaps, wordMaps, formToWord, wordCount } = v;
  const formCount = new Uint32Array(v.forms);
  const wordCounted = new Uint32Array(wordCount);
  const wordRange = new Uint32Array(wordCount);
  const groups = {
    formCounts: { map: formMaps, size: v.forms },
    lemmaCounts: { map: lemmaMaps, size: v.lemmas },
    posCounts: { map: undefined, size: UPOS_TAGS.length },
  };
  const groupTotals = Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, new Uint32Array(2 * g.size)])) as Record<
    keyof typeof groups,
    Uint32Array
  >;
  files.forEach((file, s) => {
    withSegment(file, ({ sections }) => {
      const fMap = formMaps[s]!;
      const localCount = u32Section(sections, 'formCount');
      for (let f = 0; f < localCount.length; f++) formCount[fMap[f]!]! += localCount[f]!;
      const wMap = wordMaps[s]!;
      const localWordCounted = u32Section(sections, 'wordCounted');
      const localWordRange = u32Section(sections, 'wordRange');
      if (localWordCounted.length !== wMap.length || localWordRange.length !== wMap.length)
        throw new LoadFailure('the word counts do not match the words');
      for (let w = 0; w < wMap.length; w++) {
        wordCounted[wMap[w]!]! += localWordCounted[w]!;
        wordRange[wMap[w]!]! += localWordRange[w]!;
      }
      for (const [name, g] of Object.entries(groups) as Array<[keyof typeof groups, (typeof groups)[keyof typeof groups]]>) {
        const size = g.map ? g.map[s]!.length : g.size;
        const local = new Uint32Array(2 * size);
        if (readVarints(sections.read(name), 0, 2 * size, local, 0) < 0) throw new LoadFailure(`bad counts in section ${name}`);
        const total = groupTotals[name];
        for (let i = 0; i < size; i++) {
          const to = g.map ? g.map[s]![i]! : i;
          total[to]! += local[i]!;
          total[g.size + to]! += local[size + i]!;
        }
      }
    });
  });
  const wordTotal = new Uint32Array(wordCount);
  for (let f = 0; f < v.forms; f++) wordTotal[formToWord[f]!]! += formCount[f]!;
  return {
    ...v,
    formCount,
    wordTotal,
    sections: [
      ...v.sections,
      ...groupSections('wordForms', buildPostings(formToWord, wordCount)).map((x) => spools.now(x.name, x.type, x.data)),
      spools.now('wordCounted', 'u32', bytesOf(wordCounted)),
      spools.now('wordRange', 'u32', bytesOf(wordRange)),
      ...Object.entries(groupTotals).map(([name, total]) => spools.now(name, 'u8', encodeVarintsOf(total))),
    ],
  };
}

function encodeVarintsOf(values: Uint32Array): Uint8Array {
  const out = new Uint8Array(values.length * 5);
  let p = 0;
  for (let i = 0; i < values.length; i++) p = putVarint(out, p, values[i]!);
  return out.slice(0, p);
}

function putVarint(out: Uint8Array, p: number, v: number): number {
  let x = v >>> 0;
  while (x >= 0x80) {
    out[p++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  out[p++] = x;
  return p;
}

const zig = (d: number): number => (d >= 0 ? d * 2 : -d * 2 - 1);

/** Growing typed arrays of a segment's exceptions, written to their spools at its end. */
class Exceptions {
  at = new Uint32Array(1024);
  value = new Uint32Array(1024);
  n = 0;
  push(at: number, value: number): void {
    if (this.n === this.at.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.at = grow(this.at);
      this.value = grow(this.value);
    }
    this.at[this.n] = at;
    this.value[this.n++] = value;
  }
}

/** The token columns of every segment, in turn, re-encoded as the whole corpus's. */
function mergeColumns(files: string[], t: Tables, spools: Spools): SectionOut[] {
  const formSpool = spools.open('form.data', 'u8');
  const lenSpool = spools.open('len.data', 'u8');
  const startSpool = spools.open('start.data', 'u8');
  const posFlagsSpool = spools.open('posFlags', 'u8');
  const textSpool = spools.open('texts', 'utf8');
  const ex = {
    lemmaAt: spools.open('lemmaExceptAt', 'u32'),
    lemma: spools.open('lemmaExcept', 'u32'),
    kindAt: spools.open('kindExceptAt', 'u32'),
    kind: spools.open('kindExcept', 'u8'),
  };
  const forms = t.forms;
  const lemmaUsual = new Uint32Array(forms).fill(NONE);
  const kindUsual = new Uint32Array(forms).fill(NONE);
  // Positions of the forms that are not their word's usual spelling, by form (formPostingSections).
  const usual = usualForms(t.formCount, t.formToWord, t.wordCount);
  const unusualAt = new Uint32Array(forms + 1);
  for (let f = 0; f < forms; f++) unusualAt[f + 1] = unusualAt[f]! + (usual[t.formToWord[f]!] === f ? 0 : t.formCount[f]!);
  const unusual = new Uint32Array(unusualAt[forms]!);
  const fill = unusualAt.slice(0, forms);
  const blocks: number[][] = [[], [], []];
  const docStart: number[] = [0];
  const textBytes: number[] = [];
  const scratch = new Uint8Array(5 * BLOCK);
  let base = 0;
  let carriedEnd = 0;
  files.forEach((file, s) => {
    withSegment(file, ({ index, sections }) => {
      const { form, lemma, pos, kind, flags, start, end } = index;
      const fMap = t.formMaps[s]!;
      const lMap = t.lemmaMaps[s]!;
      const n = form.length;
      const globalForm = new Uint32Array(n);
      const lemmaEx = new Exceptions();
      const kindEx = new Exceptions();
      for (let i = 0; i < n; i++) {
        const g = fMap[form[i]!]!;
        globalForm[i] = g;
        if (usual[t.formToWord[g]!] !== g) unusual[fill[g]!++] = base + i;
        const l = lMap[lemma[i]!]!;
        if (lemmaUsual[g] === NONE) lemmaUsual[g] = l;
        else if (lemmaUsual[g] !== l) lemmaEx.push(base + i, l);
        const k = kind[i]!;
        if (kindUsual[g] === NONE) kindUsual[g] = k;
        else if (kindUsual[g] !== k) kindEx.push(base + i, k);
      }
      // Blocks of the whole corpus: one may begin in this segment and end in the next.
      for (let lo = 0; lo < n;) {
        const g = base + lo;
        const hi = Math.min(n, lo + BLOCK - (g % BLOCK));
        if (g % BLOCK === 0) {
          blocks[0]!.push(formSpool.length);
          blocks[1]!.push(lenSpool.length);
          blocks[2]!.push(startSpool.length);
        }
        let p = 0;
        for (let i = lo; i < hi; i++) p = putVarint(scratch, p, globalForm[i]!);
        formSpool.write(scratch.subarray(0, p));
        p = 0;
        for (let i = lo; i < hi; i++) p = putVarint(scratch, p, end[i]! - start[i]!);
        lenSpool.write(scratch.subarray(0, p));
        p = 0;
        // A block's first token counts from 0; one that began in the previous segment goes on from its last token.
        let prevEnd = g % BLOCK === 0 ? 0 : carriedEnd;
        for (let i = lo; i < hi; i++) {
          p = putVarint(scratch, p, zig(start[i]! - prevEnd));
          prevEnd = end[i]!;
        }
        carriedEnd = prevEnd;
        startSpool.write(scratch.subarray(0, p));
        lo = hi;
      }
      const posFlags = new Uint8Array(n);
      for (let i = 0; i < n; i++) posFlags[i] = pos[i]! | (flags[i]! << POS_BITS);
      posFlagsSpool.write(posFlags);
      ex.lemmaAt.write(bytesOf(lemmaEx.at.subarray(0, lemmaEx.n)));
      ex.lemma.write(bytesOf(lemmaEx.value.subarray(0, lemmaEx.n)));
      ex.kindAt.write(bytesOf(kindEx.at.subarray(0, kindEx.n)));
      ex.kind.write(Uint8Array.from(kindEx.value.subarray(0, kindEx.n)));
      const segmentStarts = index.docStart;
      for (let d = 1; d < segmentStarts.length; d++) docStart.push(base + segmentStarts[d]!);
      textSpool.write(sections.read('texts'));
      for (const b of u32Section(sections, 'textBytes')) textBytes.push(b);
      base += n;
    });
  });
  const blockTables = [formSpool, lenSpool, startSpool].map((sp, c) => Float64Array.from([...blocks[c]!, sp.length]));
  for (const u of [lemmaUsual, kindUsual]) for (let f = 0; f < forms; f++) if (u[f] === NONE) u[f] = 0;
  const encodedUnusual = encodePostings(unusualAt, unusual);
  return [
    spools.now('docStart', 'u32', bytesOf(Uint32Array.from(docStart))),
    formSpool.finish(),
    spools.now('form.blocks', 'f64', bytesOf(blockTables[0]!)),
    lenSpool.finish(),
    spools.now('len.blocks', 'f64', bytesOf(blockTables[1]!)),
    startSpool.finish(),
    spools.now('start.blocks', 'f64', bytesOf(blockTables[2]!)),
    posFlagsSpool.finish(),
    spools.now('lemmaOfForm', 'u32', bytesOf(lemmaUsual)),
    ...groupSections('lemmaForms', buildPostings(lemmaUsual, t.lemmas)).map((x) => spools.now(x.name, x.type, x.data)),
    ex.lemmaAt.finish(),
    ex.lemma.finish(),
    spools.now('kindOfForm', 'u8', Uint8Array.from(kindUsual)),
    ex.kindAt.finish(),
    ex.kind.finish(),
    textSpool.finish(),
    spools.now('textBytes', 'u32', bytesOf(Uint32Array.from(textBytes))),
    spools.now('formCount', 'u32', bytesOf(t.formCount)),
    spools.now('formPostings.data', 'u8', encodedUnusual.data),
    spools.now('formPostings.terms', 'f64', bytesOf(encodedUnusual.termAt)),
  ];
}

/** Bytes of the varint at the start of `bytes`. */
function varintLength(bytes: Uint8Array): number {
  let k = 0;
  while (bytes[k]! >= 0x80) k++;
  return k + 1;
}

/**
 * Appends one segment's part of a term's postings: its first gap rewritten to count from `prevLast`
 * (the term's last position so far, 0 before any), its other gaps copied. Returns the part's positions,
 * global, in `scratch` (which it may grow) and the term's new last position.
 */
class PostingsAppender {
  scratch = new Uint32Array(1 << 16);
  private readonly head = new Uint8Array(5);

  constructor(private readonly out: SpoolFile) {}

  append(bytes: Uint8Array, count: number, base: number, segmentTokens: number, prevLast: number, what: string): number {
    if (count === 0) return prevLast;
    if (this.scratch.length < count) this.scratch = new Uint32Array(Math.max(count, this.scratch.length * 2));
    if (decodePostingsInto(bytes, 0, bytes.length, count, this.scratch, 0, segmentTokens) !== bytes.length)
      throw new LoadFailure(`bad postings of ${what}`);
    const first = this.scratch[0]! + base;
    this.out.write(this.head.subarray(0, putVarint(this.head, 0, first - prevLast)));
    this.out.write(bytes.subarray(varintLength(bytes)));
    return this.scratch[count - 1]! + base;
  }
}

/** Every word's postings in code-point order of the words, each the segments' parts in turn. */
function mergeWordPostings(files: string[], t: Tables, spools: Spools): SectionOut[] {
  const out = spools.open('wordPostings.data', 'u8');
  const appender = new PostingsAppender(out);
  const W = t.wordCount;
  const termAt = new Float64Array(W + 1);
  const heldFirst = new Float64Array(W);
  const heldSecond = new Uint32Array(W);
  withSegments(files, (segments) => {
    let base = 0;
    const parts = segments.map(({ sections, heading }, s) => {
      const order = u32Section(sections, 'wordOrder');
      const wMap = t.wordMaps[s]!;
      const globalRank = new Uint32Array(order.length);
      for (let r = 0; r < order.length; r++) globalRank[r] = t.wordRank[wMap[order[r]!]!]!;
      const part = {
        order,
        globalRank,
        offsets: u32Section(sections, 'wordPostingsOffsets'),
        terms: f64Section(sections, 'wordPostings.terms'),
        stream: new SectionStream(sections, 'wordPostings.data'),
        base,
        tokens: heading.facts.tokens,
        next: 0,
      };
      base += heading.facts.tokens;
      return part;
    });
    // Segments by the rank of their next word, then in document order.
    const key = (s: number) => parts[s]!.globalRank[parts[s]!.next]!;
    const heap = new MinHeap<number>((a, b) => key(a) < key(b) || (key(a) === key(b) && a < b));
    parts.forEach((p, s) => p.order.length && heap.push(s));
    let rank = -1;
    let prevLast = 0;
    let seen = 0;
    while (heap.size) {
      const s = heap.pop();
      const p = parts[s]!;
      const r = p.next++;
      const gr = p.globalRank[r]!;
      if (gr !== rank) {
        if (gr !== rank + 1) throw new LoadFailure('the segments do not hold every word of the merged vocabulary');
        rank = gr;
        termAt[gr] = out.length;
        prevLast = 0;
        seen = 0;
      }
      const count = p.offsets[r + 1]! - p.offsets[r]!;
      const at = p.terms[r]!;
      const bytes = p.stream.take(at, p.terms[r + 1]! - at);
      prevLast = appender.append(bytes, count, p.base, p.tokens, prevLast, 'a word');
      const id = t.wordMaps[s]![p.order[r]!]!;
      if (t.wordTotal[id]! <= HELD_POSITIONS)
        for (let k = 0; k < count && seen + k < HELD_POSITIONS; k++) {
          if (seen + k === 0) heldFirst[id] = appender.scratch[k]! + p.base;
          else heldSecond[id] = appender.scratch[k]! + p.base;
        }
      seen += count;
      if (p.next < p.order.length) heap.push(s);
    }
    if (rank !== W - 1) throw new LoadFailure('the segments do not hold every word of the merged vocabulary');
    for (const p of parts) p.stream.finish();
  });
  termAt[W] = out.length;
  const order = t.wordOrder;
  const offsets = new Uint32Array(W + 1);
  for (let r = 0; r < W; r++) offsets[r + 1] = offsets[r]! + t.wordTotal[order[r]!]!;
  const { at, length, counts } = reversedPostingTables(
    t.reversedOrder,
    t.wordRank,
    (id) => t.wordTotal[id]!,
    (id, k) => (k === 0 ? heldFirst[id]! : heldSecond[id]!),
    termAt,
  );
  return [
    spools.now('wordRank', 'u32', bytesOf(t.wordRank)),
    spools.now('wordPostingsOffsets', 'u32', bytesOf(offsets)),
    out.finish(),
    spools.now('wordPostings.terms', 'f64', bytesOf(termAt)),
    spools.now('wordsReversedPostingsAt', 'f64', bytesOf(at)),
    spools.now('wordsReversedPostingsLength', 'u32', bytesOf(length)),
    spools.now('wordsReversedCounts', 'u32', bytesOf(counts)),
  ];
}

/** Each tag's postings, the segments' parts in turn. */
function mergePosPostings(files: string[], spools: Spools): SectionOut[] {
  const out = spools.open('posPostings.data', 'u8');
  const appender = new PostingsAppender(out);
  const tags = UPOS_TAGS.length;
  const offsets = new Uint32Array(tags + 1);
  const termAt = new Float64Array(tags + 1);
  withSegments(files, (segments) => {
    const parts = segments.map(({ sections, heading }) => ({
      offsets: u32Section(sections, 'posPostingsOffsets'),
      terms: f64Section(sections, 'posPostings.terms'),
      stream: new SectionStream(sections, 'posPostings.data'),
      tokens: heading.facts.tokens,
    }));
    for (const p of parts) if (p.offsets.length !== tags + 1) throw new LoadFailure('a segment has another set of POS tags');
    for (let tag = 0; tag < tags; tag++) {
      termAt[tag] = out.length;
      let prevLast = 0;
      let base = 0;
      let count = 0;
      for (const p of parts) {
        const n = p.offsets[tag + 1]! - p.offsets[tag]!;
        const bytes = p.stream.take(p.terms[tag]!, p.terms[tag + 1]! - p.terms[tag]!);
        prevLast = appender.append(bytes, n, base, p.tokens, prevLast, `tag ${UPOS_TAGS[tag]}`);
        count += n;
        base += p.tokens;
      }
      offsets[tag + 1] = offsets[tag]! + count;
    }
    for (const p of parts) p.stream.finish();
  });
  termAt[tags] = out.length;
  return [spools.now('posPostingsOffsets', 'u32', bytesOf(offsets)), out.finish(), spools.now('posPostings.terms', 'f64', bytesOf(termAt))];
}

/** Folders of merges whose process is gone (killed mid-merge): their spools are of no use to anyone. */
function removeStaleMerges(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^merge\.(\d+)\./.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Merges saved segments, in document order, into one index file at `file` with `manifest`. A failure
 * leaves `file` as it was; a segment found damaged is reported by LoadFailure.
 */
export async function mergeSegments(files: string[], file: string, manifest: SavedManifest, progress?: MergeProgress): Promise<void> {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStaleMerges(dir);
  const work = join(dir, `merge.${process.pid}.${Math.random().toString(36).slice(2, 10)}`);
  mkdirSync(work, { mode: 0o700 });
  const spools = spoolsIn(work);
  try {
    const headings: IndexHeading[] = files.map((f) => withSegment(f, (s) => s.heading));
    progress?.('vocabulary', 0, 1);
    const t = mergeTables(files, spools);
    progress?.('columns', 0, 1);
    const columns = mergeColumns(files, t, spools);
    progress?.('postings', 0, 1);
    const postings = [...mergeWordPostings(files, t, spools), ...mergePosPostings(files, spools)];
    progress?.('writing', 0, 1);
    const docs = headings.flatMap((h) => h.docs);
    const facts: IndexHeading['facts'] = {
      block: BLOCK,
      tokens: headings.reduce((n, h) => n + h.facts.tokens, 0),
      countedTotal: headings.reduce((n, h) => n + h.facts.countedTotal, 0),
      docCounted: headings.flatMap((h) => h.facts.docCounted),
      words: t.wordCount,
      forms: t.forms,
      lemmas: t.lemmas,
      longS: t.longS,
    };
    await writeIndexFile(file, { manifest, docs, facts }, [...t.sections, ...columns, ...postings]);
  } finally {
    spools.removeAll();
    rmSync(work, { recursive: true, force: true });
  }
}
