/**
 * Subcorpora: the documents whose metadata match a filter such as `year < 1950 & author = Cliff`,
 * as an index of their own. Copying the columns of the chosen documents (and compacting the
 * vocabulary) costs one pass over their tokens, and then every query and every statistic (N,
 * frequencies, windows, dispersion) is right for the subcorpus without each knowing about filters.
 *
 * Filter language: clauses joined by `&` (or `and`); a clause is `field op value` with op one of
 * `=  !=  <  <=  >  >=  ~` (`~` = contains, case-insensitive). Values may be quoted with "..." .
 * Fields: name, title, author, date, year (the first four-digit number of date), source, language
 * (the document's ISO 639 code: `language = ru`), and any
 * other metadata field some document has (a field none has is refused as a likely typo, with the
 * closest field offered). `=`/`!=` compare case-insensitively; `<`... compare numbers when both sides
 * are numbers, else text.
 */
import { LoupeFailure } from '../contract/errors.js';
import { editDistance } from '../text/edit-distance.js';
import { CorpusIndex, type StoredDocument } from './store.js';

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';
interface Clause {
  field: string;
  op: Op;
  value: string;
  /** The field as typed, and where it starts in the filter, for errors that point at it. */
  typed: string;
  at: number;
}

export function parseWhere(where: string): Clause[] {
  const clauses: Clause[] = [];
  let i = 0;
  const n = where.length;
  const skip = () => {
    while (i < n && /\s/.test(where[i]!)) i++;
  };
  const err = (msg: string): never => {
    throw new LoupeFailure('E_QUERY', `Subcorpus filter: ${msg} at position ${i}.`, i);
  };
  skip();
  if (i >= n) err('the filter is empty');
  while (i < n) {
    skip();
    const fieldStart = i;
    while (i < n && /[\p{L}\p{N}_.-]/u.test(where[i]!)) i++;
    const typed = where.slice(fieldStart, i);
    const field = typed.toLowerCase();
    if (!field) err('expected a field name such as year, author or title');
    skip();
    const opMatch = /^(<=|>=|!=|=|<|>|~)/.exec(where.slice(i));
    if (!opMatch) err(`expected one of = != < <= > >= ~ after "${field}"`);
    const op = opMatch![1] as Op;
    i += op.length;
    skip();
    let value = '';
    if (where[i] === '"') {
      i++;
      while (i < n && where[i] !== '"') {
        if (where[i] === '\\' && i + 1 < n) i++;
        value += where[i++];
      }
      if (i >= n) err('unclosed quote');
      i++;
    } else {
      const vs = i;
      while (i < n && where[i] !== '&' && !/^\s+and\s/i.test(where.slice(i))) i++;
      value = where.slice(vs, i).trim();
    }
    if (!value) err(`expected a value after "${field} ${op}"`);
    clauses.push({ field, op, value, typed, at: fieldStart });
    skip();
    if (i >= n) break;
    if (where[i] === '&') i++;
    else if (/^and\s/i.test(where.slice(i))) i += 3;
    else err('expected & between conditions');
    skip();
    if (i >= n) err('expected a condition after &');
  }
  return clauses;
}

/** Fields every document answers (from its file name or its standard metadata), as the filter spells them. */
const BUILT_IN_FIELDS = ['name', 'title', 'author', 'date', 'year', 'source', 'language'] as const;
/** Accepted as another name for `name`. */
const FIELD_ALIASES = ['file'];

/** The metadata fields some document of the corpus has, in first-seen order, as the documents spell them. */
function metadataFields(index: CorpusIndex): string[] {
  const seen = new Map<string, string>();
  for (const doc of index.docs) {
    for (const key of Object.keys(doc.meta ?? {})) {
      const folded = key.toLowerCase();
      if (!seen.has(folded)) seen.set(folded, key);
    }
  }
  return [...seen.values()];
}

/**
 * A misspelt field (`yeer < 1950`) would otherwise select nothing and be reported as an empty
 * subcorpus, which hides the typo: name it, say where it is, and offer the closest field.
 */
function checkFields(index: CorpusIndex, clauses: Clause[]): void {
  const builtIn = new Set<string>([...BUILT_IN_FIELDS, ...FIELD_ALIASES]);
  const extra = metadataFields(index).filter((f) => !builtIn.has(f.toLowerCase()));
  const known = new Set([...builtIn, ...extra.map((f) => f.toLowerCase())]);
  for (const c of clauses) {
    if (known.has(c.field)) continue;
    const fields = [...BUILT_IN_FIELDS, ...extra];
    const closest = closestField(c.field, fields);
    const hint = closest === undefined ? '.' : `; did you mean "${closest}"?`;
    throw new LoupeFailure('E_QUERY', `Subcorpus filter: unknown field "${c.typed}"${hint} Fields: ${fields.join(', ')}.`, c.at);
  }
}

/** The field nearest to `field` in edits, when it is near enough to be a slip of the keyboard. */
function closestField(field: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(field.length / 3)) + 1;
  for (const f of fields) {
    const d = editDistance(field, f.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  return best;
}

export function fieldOf(doc: StoredDocument, field: string): string | undefined {
  switch (field) {
    case 'name':
    case 'file':
      return doc.name;
    case 'title':
    case 'author':
    case 'date':
    case 'source':
      return doc[field] ?? doc.meta?.[field];
    case 'language':
      return doc.language;
    case 'year': {
      const y = doc.meta?.year ?? /\b(\d{4})\b/.exec(doc.date ?? '')?.[1];
      return y;
    }
    default: {
      if (!doc.meta) return undefined;
      const key = Object.keys(doc.meta).find((k) => k.toLowerCase() === field);
      return key === undefined ? undefined : doc.meta[key];
    }
  }
}

function compare(have: string, op: Op, want: string): boolean {
  const a = have.trim();
  const b = want.trim();
  if (op === '~') return a.toLowerCase().includes(b.toLowerCase());
  const numeric = /^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b);
  const x = numeric ? Number(a) : a.toLowerCase();
  const y = numeric ? Number(b) : b.toLowerCase();
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

export function matchingDocuments(index: CorpusIndex, where: string): number[] {
  const clauses = parseWhere(where);
  checkFields(index, clauses);
  const out: number[] = [];
  index.docs.forEach((doc, d) => {
    const ok = clauses.every((c) => {
      const v = fieldOf(doc, c.field);
      if (v === undefined) return c.op === '!=';
      return compare(v, c.op, c.value);
    });
    if (ok) out.push(d);
  });
  return out;
}

/** A new index over the chosen documents, with its own (compacted) vocabulary. */
export function subIndex(index: CorpusIndex, docs: number[]): CorpusIndex {
  let total = 0;
  for (const d of docs) total += index.docStart[d + 1]! - index.docStart[d]!;
  const formMap = new Int32Array(index.forms.length).fill(-1);
  const lemmaMap = new Int32Array(index.lemmas.length).fill(-1);
  const forms: string[] = [];
  const lemmas: string[] = [];
  const form = new Uint32Array(total);
  const lemma = new Uint32Array(total);
  const pos = new Uint8Array(total);
  const kind = new Uint8Array(total);
  const flags = new Uint8Array(total);
  const start = new Uint32Array(total);
  const end = new Uint32Array(total);
  const docStart = new Uint32Array(docs.length + 1);
  let at = 0;
  docs.forEach((d, k) => {
    docStart[k] = at;
    const lo = index.docStart[d]!;
    const hi = index.docStart[d + 1]!;
    for (let p = lo; p < hi; p++, at++) {
      const f = index.form[p]!;
      if (formMap[f]! < 0) {
        formMap[f] = forms.length;
        forms.push(index.forms[f]!);
      }
      const l = index.lemma[p]!;
      if (lemmaMap[l]! < 0) {
        lemmaMap[l] = lemmas.length;
        lemmas.push(index.lemmas[l]!);
      }
      form[at] = formMap[f]!;
      lemma[at] = lemmaMap[l]!;
    }
    pos.set(index.pos.subarray(lo, hi), docStart[k]!);
    kind.set(index.kind.subarray(lo, hi), docStart[k]!);
    flags.set(index.flags.subarray(lo, hi), docStart[k]!);
    start.set(index.start.subarray(lo, hi), docStart[k]!);
    end.set(index.end.subarray(lo, hi), docStart[k]!);
  });
  docStart[docs.length] = at;
  const sub = new CorpusIndex(
    { forms, lemmas, form, lemma, pos, kind, start, end, flags, docStart },
    docs.map((d) => index.docs[d]!),
  );
  sub.globalDocIds = Uint32Array.from(docs.map((d) => index.globalDocIds?.[d] ?? d));
  return sub;
}

export function subcorpus(index: CorpusIndex, where: string): CorpusIndex {
  const docs = matchingDocuments(index, where);
  if (docs.length === 0) throw new LoupeFailure('E_CORPUS', `No document matches the subcorpus filter "${where}".`);
  return subIndex(index, docs);
}
