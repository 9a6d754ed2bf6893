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

export function mergeBatches(docs: DocumentInput[], batches: TokenBatch[]): CorpusIndex {
  const forms: string[] = [];
  const formIds = new Map<string, number>();
  const lemmas: string[] = [];
  const lemmaIds = new Map<string, number>();
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
  const remap = (local: string[], table: string[], ids: Map<string, number>): Uint32Array => {
    const map = new Uint32Array(local.length);
    for (let i = 0; i < local.length; i++) {
      const key = local[i]!;
      let id = ids.get(key);
      if (id === undefined) {
        id = table.length;
        table.push(key);
        ids.set(key, id);
      }
      map[i] = id;
    }
    return map;
  };
  batches.forEach((b, d) => {
    docStart[d] = at;
    const fm = remap(b.forms, forms, formIds);
    const lm = remap(b.lemmas, lemmas, lemmaIds);
    const n = b.form.length;
    for (let i = 0; i < n; i++) {
      form[at + i] = fm[b.form[i]!]!;
      lemma[at + i] = lm[b.lemma[i]!]!;
      flags[at + i] = (b.sentenceStart[i] ? SENTENCE_START : 0) | (b.paragraphStart[i] ? PARAGRAPH_START : 0);
    }
    pos.set(b.pos, at);
    kind.set(b.kind, at);
    start.set(b.start, at);
    end.set(b.end, at);
    at += n;
  });
  docStart[docs.length] = at;
  return new CorpusIndex({ forms, lemmas, form, lemma, pos, kind, start, end, flags, docStart }, docs.map(toStored));
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
