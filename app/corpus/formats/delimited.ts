/**
 * CSV and TSV: an RFC 4180 parser (quoted fields, "" for a quote, CRLF/LF/CR line ends, newlines
 * inside quotes) and the extractor that makes one document per row. The text column is the one the
 * reader names, else one called `text`, else the column with the longest values on average; every
 * other column becomes metadata, and columns called title/author/date/source also fill those fields.
 */
import { LIMITS } from './limits.js';
import { refuse, type ExtractResult, type ExtractedDocument } from './types.js';

export interface Parsed {
  rows: string[][];
  warnings: string[];
}

/** Parses delimited text. Lenient where RFC 4180 is strict: a stray quote inside an unquoted field is kept. */
export function parseDelimited(text: string, delimiter = ',', maxRows: number = Number.MAX_SAFE_INTEGER): Parsed {
  const rows: string[][] = [];
  const warnings: string[] = [];
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const CR = 13;
  const LF = 10;
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row); // blank lines are not rows
    row = [];
  };
  while (i < n) {
    if (rows.length >= maxRows) {
      warnings.push(`only the first ${maxRows} rows were read`);
      return { rows, warnings };
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE && field === '') {
      // Quoted field: runs to the next quote not doubled.
      let j = i + 1;
      let value = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          value += text.slice(j);
          warnings.push(`a quoted field opened near character ${i} is never closed; it runs to the end of the file`);
          j = n;
          break;
        }
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      field = value;
      i = j;
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      while (i < n) {
        const e = text.charCodeAt(i);
        if (e === d || e === CR || e === LF) break;
        field += text[i];
        i++;
      }
      continue;
    }
    if (c === d) {
      row.push(field);
      field = '';
      i++;
    } else if (c === CR || c === LF) {
      endRow();
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else {
      // Plain run up to the next delimiter or line end.
      let j = i + 1;
      while (j < n) {
        const e = text.charCodeAt(j);
        if (e === d || e === CR || e === LF) break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length) endRow();
  return { rows, warnings };
}

/** `,` or `;` for a .csv, whichever the header line uses more (outside quotes). */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  let commas = 0;
  let semis = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < text.length && i < 65536; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semis++;
    else if (!quoted && c === '\t') tabs++;
  }
  if (semis > commas && semis >= tabs) return ';';
  if (tabs > commas && tabs > semis) return '\t';
  return ',';
}

function headerNames(row: string[]): string[] {
  const seen = new Map<string, number>();
  return row.map((raw, i) => {
    const base = raw.trim() || `column ${i + 1}`;
    const k = base.toLowerCase();
    const count = (seen.get(k) ?? 0) + 1;
    seen.set(k, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

const FIELD_COLUMNS = ['title', 'author', 'date', 'source'] as const;

export function extractDelimited(text: string, delimiter: string, opts: { textColumn?: string } = {}): ExtractResult {
  const { rows, warnings } = parseDelimited(text, delimiter, LIMITS.maxCsvRows + 1);
  if (rows.length === 0) return refuse('the table is empty');
  const names = headerNames(rows[0]!);
  const data = rows.slice(1);
  if (data.length === 0) return refuse('the table has a header row but no rows of text');

  let textIndex: number;
  if (opts.textColumn !== undefined) {
    const want = opts.textColumn.trim().toLowerCase();
    textIndex = names.findIndex((n) => n.toLowerCase() === want);
    if (textIndex < 0)
      return refuse(`no column named "${opts.textColumn}"; the columns are: ${names.slice(0, 30).join(', ')}`);
  } else {
    textIndex = names.findIndex((n) => n.toLowerCase() === 'text');
    if (textIndex < 0) {
      const totals = names.map(() => 0);
      for (const r of data) for (let c = 0; c < names.length; c++) totals[c]! += r[c]?.length ?? 0;
      textIndex = totals.indexOf(Math.max(...totals));
      warnings.push(`no column named "text": using "${names[textIndex]}", the column with the longest values`);
    }
  }

  let ragged = 0;
  let empty = 0;
  const documents: ExtractedDocument[] = [];
  data.forEach((r, i) => {
    if (r.length !== names.length) ragged++;
    const body = (r[textIndex] ?? '').replace(/\r\n?/g, '\n');
    if (!body.trim()) {
      empty++;
      return;
    }
    const d: ExtractedDocument = {
      part: `#row ${i + 1}`,
      text: body.endsWith('\n') ? body : body + '\n',
      meta: {},
      sections: [],
      pages: [],
      warnings: [],
    };
    names.forEach((name, c) => {
      if (c === textIndex) return;
      const v = (r[c] ?? '').trim();
      if (!v) return;
      d.meta[name] = v;
      const field = FIELD_COLUMNS.find((f) => f === name.toLowerCase());
      if (field) d[field] = v;
    });
    if (r.length > names.length) d.meta['extra fields'] = r.slice(names.length).join(delimiter);
    documents.push(d);
  });
  if (ragged) warnings.push(`${ragged} row${ragged === 1 ? ' has' : 's have'} a different number of fields than the header`);
  if (empty) warnings.push(`${empty} row${empty === 1 ? ' has' : 's have'} an empty text column and ${empty === 1 ? 'was' : 'were'} left out`);
  if (documents.length === 0) return refuse(`every row has an empty "${names[textIndex]}" column`);
  // File-level warnings travel with the first document so they are reported once.
  documents[0]!.warnings.push(...warnings);
  return { ok: true, documents };
}
