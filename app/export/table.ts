/**
 * Every export is a table with a header that says how it was made (query, corpus, settings), written
 * as TSV, CSV, XLSX, JSON or HTML. Spreadsheet cells that start with = + - @ are neutralised with a
 * leading apostrophe, so a text can never smuggle a formula into the reader's spreadsheet; HTML escapes
 * everything.
 */
import { stringify } from 'csv-stringify/sync';
import writeXlsxFile from 'write-excel-file/node';
import type { ExportFile, ExportFormat } from '../contract/api.js';

import type { Cell } from '../stats/tables.js';

export type { Cell };

export interface Table {
  /** Short name used in the file name, e.g. `concordance`. */
  name: string;
  title: string;
  /** How the table was made: query, corpus, settings. */
  meta: Array<[string, string]>;
  columns: string[];
  rows: Cell[][];
  /** The structured result, for JSON exports. */
  json?: unknown;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Spreadsheets run cells that start with these characters as formulas. A lone `-`, `+` or `@` (a
 * punctuation token) cannot be a formula and is left as written, so token exports keep the text's words.
 */
export function neutralise(cell: Cell): Cell {
  if (typeof cell !== 'string' || !FORMULA_START.test(cell)) return cell;
  return cell.length === 1 && cell !== '=' ? cell : `'${cell}`;
}

export function flatten(cell: Cell): Cell {
  // A delimited line must stay one line: tabs and line breaks inside context become spaces.
  return typeof cell === 'string' ? cell.replace(/[\t\r\n]+/g, ' ') : cell;
}

/** Header row plus rows, one line each, formulas neutralised; what every TSV/CSV output writes. */
export function delimitedRows(columns: readonly string[], rows: Cell[][], delimiter: '\t' | ','): string {
  return stringify([columns, ...rows.map((r) => r.map((c) => neutralise(flatten(c))))], {
    delimiter,
    quoted_match: delimiter === '\t' ? /["\t\n\r]/ : undefined,
    record_delimiter: 'unix',
  });
}

export function toDelimited(t: Table, delimiter: '\t' | ','): string {
  const metaLines = t.meta.map(([k, v]) => `# ${k}: ${String(v).replace(/[\r\n]+/g, ' ')}`).join('\n');
  return `${metaLines}\n${delimitedRows(t.columns, t.rows, delimiter)}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function toHtml(t: Table): string {
  const cell = (c: Cell, tag: 'td' | 'th') => `<${tag}>${escapeHtml(String(c))}</${tag}>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(t.title)}</title>`,
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
    '<style>body{font-family:Georgia,serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;vertical-align:top}th{text-align:left}</style>',
    '</head><body>',
    `<h1>${escapeHtml(t.title)}</h1>`,
    '<dl>',
    ...t.meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`),
    '</dl>',
    '<table>',
    `<thead><tr>${t.columns.map((c) => cell(c, 'th')).join('')}</tr></thead>`,
    '<tbody>',
    ...t.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`),
    '</tbody></table></body></html>',
    '',
  ].join('\n');
}

export async function toXlsx(t: Table): Promise<Buffer> {
  const header = t.columns.map((c) => ({ value: c, fontWeight: 'bold' as const }));
  const rows = t.rows.map((r) =>
    r.map((c) => (typeof c === 'number' ? { value: c, type: Number } : { value: String(neutralise(c)), type: String })),
  );
  const about = t.meta.map(([k, v]) => [{ value: k, type: String }, { value: String(neutralise(String(v))), type: String }]);
  const result = writeXlsxFile([
    { data: [header, ...rows] as never, sheet: t.name.slice(0, 31) },
    { data: about as never, sheet: 'About' },
  ]);
  return (await (result as unknown as { toBuffer(): Promise<Buffer> }).toBuffer());
}

const MIME: Record<ExportFormat, string> = {
  tsv: 'text/tab-separated-values; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
};

export async function exportTable(t: Table, format: ExportFormat): Promise<ExportFile> {
  const filename = `loupe-${t.name}.${format}`;
  switch (format) {
    case 'tsv':
      return { filename, mime: MIME.tsv, encoding: 'utf8', content: toDelimited(t, '\t') };
    case 'csv':
      return { filename, mime: MIME.csv, encoding: 'utf8', content: toDelimited(t, ',') };
    case 'html':
      return { filename, mime: MIME.html, encoding: 'utf8', content: toHtml(t) };
    case 'json': {
      const meta = Object.fromEntries(t.meta);
      const body = t.json ?? { columns: t.columns, rows: t.rows };
      return { filename, mime: MIME.json, encoding: 'utf8', content: JSON.stringify({ about: meta, ...(body as object) }, null, 2) };
    }
    case 'xlsx':
      return { filename, mime: MIME.xlsx, encoding: 'base64', content: (await toXlsx(t)).toString('base64') };
  }
}
