/**
 * Documents -> CorpusIndex: tokenise (worker threads for large inputs), then merge the per-document
 * string tables into global ones and concatenate the columns.
 */
import type { DocumentLanguage, DocumentMetadata } from '../contract/types.js';
import { tokenise, tokenisedAs, type TokenBatch } from '../text/tokenise.js';
import { tokeniseAll, type TokeniseOptions } from '../text/pool.js';
import { allocateColumns, ColumnJoiner, joinPart, type DocumentPart } from './concat.js';
import { InternTable } from '../structures/intern.js';
import { CorpusIndex, type StoredDocument } from '../index/store.js';

export interface DocumentInput extends DocumentMetadata, DocumentLanguage {
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
  if (d.language) s.language = d.language;
  if (d.languageSource) s.languageSource = d.languageSource;
  return s;
}

/**
 * One corpus-wide string table (forms or lemmas): ids in order of first use over the documents in
 * order, so a rebuild, an incremental build and a threaded build all give the same ids.
 */
class GlobalTable {
  readonly ids = new InternTable();
  readonly keys = this.ids.keys;
  /** Per tokenising thread: its entry -> global id + 1. */
  private byThread = new Map<number, Int32Array>();

  /** Global ids of a batch's local table. */
  remap(local: string[], thread: number | undefined, entries: Uint32Array | undefined): Uint32Array {
    const map = new Uint32Array(local.length);
    if (thread === undefined || entries === undefined || entries.length !== local.length) {
      for (let i = 0; i < local.length; i++) map[i] = this.ids.intern(local[i]!);
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
        g = this.ids.intern(local[i]!);
        known[e] = g + 1;
      }
      map[i] = g;
    }
    this.byThread.set(thread, known);
    return map;
  }
}

/** Below this many tokens a merge joins the columns itself: a helper thread costs more to start. */
const HELPER_ABOVE = 4_000_000;

/**
 * Interns each document's forms and lemmas into corpus-wide tables, in document order, and hands the
 * document with its id maps to `join`.
 */
function mergeTables(batches: TokenBatch[], join: (part: DocumentPart) => void) {
  const formTable = new GlobalTable();
  const lemmaTable = new GlobalTable();
  let at = 0;
  for (const b of batches) {
    const formMap = formTable.remap(b.forms, b.origin?.thread, b.origin?.forms);
    const lemmaMap = lemmaTable.remap(b.lemmas, b.origin?.thread, b.origin?.lemmas);
    const { form, lemma, pos, kind, start, end, sentenceStart, paragraphStart } = b;
    // Read before joining: arrays handed to a helper thread are empty afterwards.
    const n = form.length;
    join({ at, form, lemma, formMap, lemmaMap, pos, kind, start, end, sentenceStart, paragraphStart });
    at += n;
  }
  return { forms: formTable.keys, formIds: formTable.ids, lemmas: lemmaTable.keys };
}

function documentStarts(batches: TokenBatch[]): Uint32Array {
  const docStart = new Uint32Array(batches.length + 1);
  for (let d = 0; d < batches.length; d++) docStart[d + 1] = docStart[d]! + batches[d]!.form.length;
  return docStart;
}

export function mergeBatches(docs: DocumentInput[], batches: TokenBatch[]): CorpusIndex {
  const docStart = documentStarts(batches);
  const columns = allocateColumns(docStart[batches.length]!);
  const tables = mergeTables(batches, (part) => joinPart(columns, part));
  return new CorpusIndex({ ...tables, ...columns, docStart }, docs.map(toStored));
}

/**
 * mergeBatches for large inputs: a helper thread joins the columns while this one interns. The
 * batches' columns are handed over to it and unusable afterwards.
 */
export async function mergeBatchesAsync(docs: DocumentInput[], batches: TokenBatch[], helperAbove = HELPER_ABOVE): Promise<CorpusIndex> {
  const docStart = documentStarts(batches);
  const total = docStart[batches.length]!;
  if (total < helperAbove) return mergeBatches(docs, batches);
  const joiner = new ColumnJoiner(total);
  let tables: ReturnType<typeof mergeTables>;
  try {
    tables = mergeTables(batches, (part) => joiner.add(part));
  } catch (e) {
    joiner.abandon();
    throw e;
  }
  const columns = await joiner.finish();
  return new CorpusIndex({ ...tables, ...columns, docStart }, docs.map(toStored));
}

export async function buildIndex(docs: DocumentInput[], opts: TokeniseOptions = {}): Promise<CorpusIndex> {
  const batches = await tokeniseAll(
    docs.map((d) => d.text),
    { ...opts, languages: docs.map(tokenisedAs) },
  );
  return mergeBatchesAsync(docs, batches);
}

/** In-thread build, for tests and small inputs. */
export function buildIndexSync(docs: DocumentInput[]): CorpusIndex {
  return mergeBatches(
    docs,
    docs.map((d) => tokenise(d.text, tokenisedAs(d))),
  );
}
