/**
 * Document metadata as the renderer shows it: the fields a corpus has (for the documents table and
 * the subcorpus help), a document's value for each, and a KWIC line's citation (section, page).
 * Field names and the `year` rule follow the engine's filter (app/index/subcorpus.ts), so what the
 * table shows is what a filter can select.
 */
import type { CorpusInfo, DocumentInfo, KwicLine } from '../../../app/contract/types';

const BUILT_IN = ['title', 'author', 'date', 'source'] as const;

/** The value the subcorpus filter sees for `field` in this document. */
export function fieldValue(d: DocumentInfo, field: string): string | undefined {
  const f = field.toLowerCase();
  if (f === 'name' || f === 'file') return d.name;
  if ((BUILT_IN as readonly string[]).includes(f)) {
    return (d[f as (typeof BUILT_IN)[number]] ?? metaValue(d, f)) || undefined;
  }
  if (f === 'year') return metaValue(d, 'year') ?? /\b(\d{4})\b/.exec(d.date ?? '')?.[1];
  return metaValue(d, f);
}

function metaValue(d: DocumentInfo, lowerKey: string): string | undefined {
  if (!d.meta) return undefined;
  const key = Object.keys(d.meta).find((k) => k.toLowerCase() === lowerKey);
  return key === undefined ? undefined : d.meta[key];
}

export interface FieldSummary {
  /** As the filter spells it (lower case for the built-in ones, as written for the others). */
  field: string;
  /** A few distinct values, for the help and for example filters. */
  values: string[];
  /** How many documents have a value. */
  documents: number;
  numeric: boolean;
}

/**
 * The metadata fields present in the corpus, in a reader's order: title, author, date, year,
 * source, then the other fields in the order they first appear. `name` is always a field but is
 * left out here (the table shows it as Document).
 */
export function corpusFields(corpus: CorpusInfo, maxValues = 4): FieldSummary[] {
  const names: string[] = [...BUILT_IN.slice(0, 3), 'year', 'source'];
  const seen = new Set(names);
  for (const d of corpus.documents) {
    for (const k of Object.keys(d.meta ?? {})) {
      const lower = k.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      names.push(k);
    }
  }
  const out: FieldSummary[] = [];
  for (const field of names) {
    const values: string[] = [];
    let documents = 0;
    let numeric = true;
    for (const d of corpus.documents) {
      const v = fieldValue(d, field);
      if (v === undefined || v.trim() === '') continue;
      documents++;
      if (!/^-?\d+(\.\d+)?$/.test(v.trim())) numeric = false;
      if (values.length < maxValues && !values.includes(v)) values.push(v);
    }
    if (documents > 0) out.push({ field, values, documents, numeric });
  }
  return out;
}

/** An example filter built from the corpus's own fields, e.g. `year < 1950` or `author = Cliff`. */
export function exampleFilter(fields: FieldSummary[]): string {
  const num = fields.find((f) => f.numeric && f.values.length > 1);
  if (num) {
    const sorted = num.values.map(Number).sort((a, b) => a - b);
    return `${num.field} > ${sorted[0]}`;
  }
  const text = fields.find((f) => !f.numeric && f.field !== 'title' && f.values.length > 0);
  if (text) return `${text.field} = ${/\s/.test(text.values[0]!) ? JSON.stringify(text.values[0]) : text.values[0]}`;
  return 'name ~ chapter';
}

/** The filter's operators, for the help under the Subcorpus box. */
export const WHERE_OPERATORS: Array<[string, string]> = [
  ['=  !=', 'equal, not equal (ignoring case)'],
  ['<  <=  >  >=', 'numbers compare as numbers, other values as text'],
  ['~', 'contains (ignoring case)'],
  ['&  and', 'all conditions must hold'],
  ['"…"', 'quotes around a value with & or spaces at its ends'],
];

/** A KWIC line's place inside its document: "p. 3", "Chapter Two", "Chapter Two · p. 3" or "". */
export function citation(line: Pick<KwicLine, 'section' | 'page'>): string {
  const parts: string[] = [];
  // A PDF without bookmarks has a section per page, titled by its printed label ("p. iv"): that
  // label is the better citation, and "p. iv · p. 4" would say it twice.
  const pageSection = line.section !== undefined && /^p\. \S+$/.test(line.section);
  if (line.section) parts.push(line.section);
  if (line.page !== undefined && !pageSection) parts.push(`p. ${line.page}`);
  return parts.join(' · ');
}

/** Sorts rows by a column: numbers as numbers, text by locale; empty cells last either way. */
export function compareCells(a: string | number | undefined, b: string | number | undefined, descending: boolean): number {
  const empty = (x: unknown) => x === undefined || x === '';
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1;
  const na = typeof a === 'number' ? a : /^-?\d+(\.\d+)?$/.test(String(a).trim()) ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : /^-?\d+(\.\d+)?$/.test(String(b).trim()) ? Number(b) : NaN;
  const c =
    !Number.isNaN(na) && !Number.isNaN(nb)
      ? na - nb
      : String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  return descending ? -c : c;
}
