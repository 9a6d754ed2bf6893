/**
 * Incremental re-indexing: the documents of unchanged files are sliced out of the saved index as
 * token batches (each with its own small string tables, in token order), so merging them with the
 * batches of re-tokenised files gives exactly the index a full build would give (same ids, same
 * columns) at the cost of copying, not tokenising, what did not change.
 */
import type { TokenBatch } from '../text/tokenise.js';
import type { FileFingerprint } from '../index/persist.js';
import { PARAGRAPH_START, SENTENCE_START, type CorpusIndex } from '../index/store.js';

/** Document `d` of `index` as the tokeniser would have returned it: local tables, first use first. */
export function sliceBatch(index: CorpusIndex, d: number): TokenBatch {
  const lo = index.docStart[d]!;
  const hi = index.docStart[d + 1]!;
  const n = hi - lo;
  const forms: string[] = [];
  const lemmas: string[] = [];
  const formLocal = new Map<number, number>();
  const lemmaLocal = new Map<number, number>();
  const form = new Uint32Array(n);
  const lemma = new Uint32Array(n);
  const sentenceStart = new Uint8Array(n);
  const paragraphStart = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = lo + i;
    const f = index.form[p]!;
    let fl = formLocal.get(f);
    if (fl === undefined) {
      fl = forms.length;
      forms.push(index.forms[f]!);
      formLocal.set(f, fl);
    }
    form[i] = fl;
    const l = index.lemma[p]!;
    let ll = lemmaLocal.get(l);
    if (ll === undefined) {
      ll = lemmas.length;
      lemmas.push(index.lemmas[l]!);
      lemmaLocal.set(l, ll);
    }
    lemma[i] = ll;
    const flags = index.flags[p]!;
    sentenceStart[i] = flags & SENTENCE_START ? 1 : 0;
    paragraphStart[i] = flags & PARAGRAPH_START ? 1 : 0;
  }
  return {
    forms,
    form,
    lemmas,
    lemma,
    pos: index.pos.slice(lo, hi),
    kind: index.kind.slice(lo, hi),
    start: index.start.slice(lo, hi),
    end: index.end.slice(lo, hi),
    sentenceStart,
    paragraphStart,
  };
}

/**
 * The saved index's documents grouped by source file. Documents of one file are contiguous (a file's
 * CSV rows or parts are indexed together, in file order); a path seen in two separate runs would mean
 * the index was not built that way, and such a file is not offered for reuse.
 */
export function documentsByFile(index: CorpusIndex): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const broken = new Set<string>();
  let previous: string | undefined;
  index.docs.forEach((doc, d) => {
    const list = out.get(doc.path);
    if (list && previous !== doc.path) broken.add(doc.path);
    if (list) list.push(d);
    else out.set(doc.path, [d]);
    previous = doc.path;
  });
  for (const p of broken) out.delete(p);
  return out;
}

export interface ChangeCounts {
  changed: number;
  added: number;
  removed: number;
  /** Files whose documents were taken from the saved index. */
  reused: number;
}

/** Which of the current files were changed, added or removed against the saved manifest. */
export function changeCounts(saved: FileFingerprint[], current: Array<{ path: string; hash: string; reused: boolean }>): ChangeCounts {
  const before = new Map(saved.map((f) => [f.path, f.hash]));
  const now = new Set(current.map((f) => f.path));
  let changed = 0;
  let added = 0;
  let reused = 0;
  for (const f of current) {
    if (f.reused) reused++;
    else if (!before.has(f.path)) added++;
    else if (before.get(f.path) !== f.hash) changed++;
  }
  const removed = saved.filter((f) => !now.has(f.path)).length;
  return { changed, added, removed, reused };
}

/** "Re-indexed 1 changed file; 41 reused", for the reader's notices. */
export function describeChanges(c: ChangeCounts): string {
  const parts = [
    c.changed ? `${c.changed} changed` : '',
    c.added ? `${c.added} added` : '',
    c.removed ? `${c.removed} removed` : '',
  ].filter(Boolean);
  const total = c.changed + c.added + c.removed;
  const what = parts.length ? `${parts.join(', ')} ${total === 1 ? 'file' : 'files'}` : 'no changed files';
  return `Re-indexed ${what}; ${c.reused} reused.`;
}
