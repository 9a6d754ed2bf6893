/**
 * Documents -> CorpusIndex: tokenise (worker threads for large inputs), then merge the per-document
 * string tables into global ones and concatenate the columns.
 */
import type { DocumentMetadata } from '../contract/types.js';
import { tokenise, type TokenBatch } from '../text/tokenise.js';
import { tokeniseAll, type TokeniseOptions } from '../text/pool.js';
import { CorpusIndex, PARAGRAPH_START, SENTENCE_START, type StoredDocument } from './store.js';

export interface DocumentInput extends DocumentMetadata {
  name: string;
  path: string;
  text: string;
  encoding?: string;
  warnings?: string[];
  sections?: StoredDocument['sections'];
  pages?: number[];
}

function toStored(d: DocumentInput): StoredDocument {
  const s: StoredDocument = {
    name: d.name,
    path: d.path,
    text: d.text,
    encoding: d.encoding ?? 'utf-8',
    warnings: d.warnings ?? [],
  };
  for (const k of ['title', 'author', 'date', 'source'] as const) if (d[k]) s[k] = d[k];
  if (d.meta && Object.keys(d.meta).length) s.meta = d.meta;
  if (d.sections && d.sections.length) s.sections = d.sections;
  if (d.pages && d.pages.length) s.pages = d.pages;
  return s;
}

/**
 * One corpus-wide string table (forms or lemmas): ids in order of first use over the documents in
 * order, so a rebuild, an incremental build and a threaded build all give the same ids.
 */
class GlobalTable {
  keys: string[] = [];
  readonly ids = new Map<string, number>();
  /** Per tokenising thread: its entry -> global id + 1. */
  private byThread = new Map<number, Int32Array>();

  private idOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.ids.set(key, id);
    }
    return id;
  }

  /** Global ids of a batch's local table. */
  remap(local: string[], thread: number | undefined, entries: Uint32Array | undefined): Uint32Array {
    const map = new Uint32Array(local.length);
    if (thread === undefined || entries === undefined || entries.length !== local.length) {
      for (let i = 0; i < local.length; i++) map[i] = this.idOf(local[i]!);
      return map;
    }
    // Strings a thread produced are hashed once per thread, not once per document that uses them.
    let known = this.byThread.get(thread) ?? new Int32Array(1024);
    for (let i = 0; i < local.length; i++) {
      const e = entries[i]!;
      if (e >= known.length) {
        let n = known.length;
        while (n <= e) n *= 2;
        const grown = new Int32Array(n);
        grown.set(known);
        known = grown;
      }
      let g = known[e]! - 1;
      if (g < 0) {
        g = this.idOf(local[i]!);
        known[e] = g + 1;
      }
      map[i] = g;
    }
    this.byThread.set(thread, known);
    return map;
  }
}

export function mergeBatches(docs: DocumentInput[], batches: TokenBatch[]): CorpusIndex {
  const formTable = new GlobalTable();
  const lemmaTable = new GlobalTable();
  let total = 0;
  for (const b of batches) total += b.form.length;
  const form = new Uint32Array(total);
  const lemma = new Uint32Array(total);
  const pos = new Uint8Array(total);
  const kind = new Uint8Array(total);
  const start = new Uint32Array(total);
  const end = new Uint32Array(total);
  const flags = new Uint8Array(total);
  const docStart = new Uint32Array(docs.length + 1);
  let at = 0;
  batches.forEach((b, d) => {
    docStart[d] = at;
    const fm = formTable.remap(b.forms, b.origin?.thread, b.origin?.forms);
    const lm = lemmaTable.remap(b.lemmas, b.origin?.thread, b.origin?.lemmas);
    const n = b.form.length;
    const bForm = b.form;
    const bLemma = b.lemma;
    const sentence = b.sentenceStart;
    const paragraph = b.paragraphStart;
    for (let i = 0; i < n; i++) {
      form[at + i] = fm[bForm[i]!]!;
      lemma[at + i] = lm[bLemma[i]!]!;
      flags[at + i] = (sentence[i] ? SENTENCE_START : 0) | (paragraph[i] ? PARAGRAPH_START : 0);
    }
    pos.set(b.pos, at);
    kind.set(b.kind, at);
    start.set(b.start, at);
    end.set(b.end, at);
    at += n;
  });
  docStart[docs.length] = at;
  const forms = formTable.keys;
  const lemmas = lemmaTable.keys;
  return new CorpusIndex({ forms, lemmas, form, lemma, pos, kind, start, end, flags, docStart, formIds: formTable.ids }, docs.map(toStored));
}

export async function buildIndex(docs: DocumentInput[], opts: TokeniseOptions = {}): Promise<CorpusIndex> {
  const batches = await tokeniseAll(
    docs.map((d) => d.text),
    opts,
  );
  return mergeBatches(docs, batches);
}

/** In-thread build, for tests and small inputs. */
export function buildIndexSync(docs: DocumentInput[]): CorpusIndex {
  return mergeBatches(docs, docs.map((d) => tokenise(d.text)));
}
