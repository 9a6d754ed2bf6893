/**
 * Anchoring coded hits to the text, so a code outlives a re-index. A hit is remembered by its
 * document's name, its character offsets, its own text, a little text either side and a hash of the
 * whole document. On reopening: an unchanged document (same hash) keeps every code as it was; in a
 * changed one each hit is looked for again by its text and surroundings, nearest the old offset
 * first; a hit that cannot be found, or whose document is gone, keeps its code at the old offsets
 * and is flagged, so nothing a reader coded is ever dropped.
 */
import { createHash } from 'node:crypto';
import type { Anchor, CodedLine, ResolvedLine } from '../contract/project.js';

/** Characters of context kept either side of a hit. */
const ANCHOR_CONTEXT = 40;
/** The shortest context that still counts as a match when the text beside a hit changed. */
const PARTIAL_CONTEXT = 12;

/** What anchoring needs of the open corpus: documents by name and their texts. */
export interface AnchorSource {
  /** Document id for a name, or undefined when the corpus has no such document. */
  docId(name: string): number | undefined;
  docName(id: number): string;
  text(id: number): string;
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Remembers hashes per document text, so resolving many codes hashes each document once. */
export class DocHashes {
  private cache = new Map<number, string>();
  constructor(private readonly source: AnchorSource) {}
  of(id: number): string {
    let h = this.cache.get(id);
    if (h === undefined) {
      h = textHash(this.source.text(id));
      this.cache.set(id, h);
    }
    return h;
  }
}

export function anchorFor(source: AnchorSource, hashes: DocHashes, doc: number, start: number, end: number): Anchor {
  const text = source.text(doc);
  return {
    doc: source.docName(doc),
    start,
    end,
    text: text.slice(start, end),
    before: text.slice(Math.max(0, start - ANCHOR_CONTEXT), start),
    after: text.slice(end, end + ANCHOR_CONTEXT),
    docHash: hashes.of(doc),
  };
}

/** Every start of `needle` in `hay`. */
function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function nearest(candidates: number[], to: number): number | undefined {
  let best: number | undefined;
  for (const c of candidates) if (best === undefined || Math.abs(c - to) < Math.abs(best - to)) best = c;
  return best;
}

/** Where the anchored hit is in a changed text: its start, or undefined. */
function findAgain(text: string, a: Anchor): number | undefined {
  // The hit with all its context, then with the nearer part of either side, nearest the old place.
  const whole = occurrences(text, a.before + a.text + a.after).map((i) => i + a.before.length);
  if (whole.length) return nearest(whole, a.start);
  const before = a.before.slice(-PARTIAL_CONTEXT);
  const after = a.after.slice(0, PARTIAL_CONTEXT);
  const partial = [
    ...(before.length >= Math.min(PARTIAL_CONTEXT, a.before.length)
      ? occurrences(text, before + a.text).map((i) => i + before.length)
      : []),
    ...(after.length >= Math.min(PARTIAL_CONTEXT, a.after.length) ? occurrences(text, a.text + after) : []),
  ];
  return nearest(partial, a.start);
}

/** The coded lines as the corpus is now: unchanged, found again (`moved`) or kept where they were (`changed`). */
export function resolveLines(source: AnchorSource, lines: CodedLine[]): ResolvedLine[] {
  const hashes = new DocHashes(source);
  return lines.map((line): ResolvedLine => {
    const a = line.anchor;
    const id = source.docId(a.doc);
    if (id === undefined) return { ...line, state: 'changed', start: a.start, end: a.end };
    if (hashes.of(id) === a.docHash) return { ...line, state: 'ok', docId: id, start: a.start, end: a.end };
    const text = source.text(id);
    if (
      text.slice(a.start, a.end) === a.text &&
      text.slice(Math.max(0, a.start - a.before.length), a.start) === a.before &&
      text.slice(a.end, a.end + a.after.length) === a.after
    ) {
      return { ...line, state: 'ok', docId: id, start: a.start, end: a.end };
    }
    const at = findAgain(text, a);
    if (at === undefined) return { ...line, state: 'changed', docId: id, start: a.start, end: a.end };
    return { ...line, state: 'moved', docId: id, start: at, end: at + a.text.length };
  });
}
