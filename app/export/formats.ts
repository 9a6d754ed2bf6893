/**
 * Every export is a table, written as TSV, CSV, XLSX, JSON or HTML, with a record of how it was made
 * (query, corpus, settings). CSV and TSV start with their header row, so spreadsheets and data-frame
 * readers take the first line as column names; their record goes into a sidecar text file when the
 * reader asks for it. XLSX keeps the record on an About sheet, JSON and HTML inside the file.
 *
 * Spreadsheet cells that start with = + - @ are neutralised with a leading apostrophe, so a text can
 * never smuggle a formula into the reader's spreadsheet; the sidecar's values are neutralised after
 * every delimiter too, since a spreadsheet may open it split into cells. HTML escapes everything.
 */
import type * as CsvSync from 'csv-stringify/sync';
import type * as WriteExcel from 'write-excel-file/node';
import { lazyPackage } from '../structures/lazy-package.js';
import type { ExportFile, ExportFormat } from '../contract/api.js';
import { neutralise, safeCell } from '../contract/cells.js';
import type { Cell } from '../stats/flat-tables.js';

const csv = lazyPackage<typeof CsvSync>('csv-stringify/sync');
const excel = lazyPackage<typeof WriteExcel>('write-excel-file/node');

/** What an export writes: a flat table with its names, the record of how it was made and its layout. */
export interface ExportTable {
  /** Short name of what the table holds (e.g. `concordance`): the spreadsheet's sheet name. */
  name: string;
  /** The file name without its extension (e.g. `loupe-kwic-bureaucracy`); `loupe-<name>` when absent. */
  stem?: string;
  /** Write the record of how it was made to a sidecar file beside a CSV or TSV export. */
  provenanceFile?: boolean;
  title: string;
  /** How the table was made: query, corpus, settings. */
  meta: Array<[string, string]>;
  columns: string[];
  rows: Cell[][];
  /** The structured result, for JSON exports. */
  json?: unknown;
  /**
   * Concordance lines: the columns of the context before the node, the node and the context after
   * it, and which rows come from documents written right to left. HTML sets the contexts against
   * the node and mirrors the rtl rows so they read as their script does; the other formats keep
   * every row in reading order (before, node, after) and ignore this.
   */
  kwic?: { left: number; node: number; right: number; rtl: readonly boolean[] };
}

/** Header row plus rows, one line each, formulas neutralised; what every TSV/CSV output writes. */
/** `columns` null: the rows alone, to follow a header already written. */
export function delimitedRows(columns: readonly string[] | null, rows: Cell[][], delimiter: '\t' | ','): string {
  const body = rows.map((r) => r.map(safeCell));
  return csv().stringify(columns ? [columns, ...body] : body, {
    delimiter,
    quoted_match: delimiter === '\t' ? /["\t\n\r]/ : undefined,
    record_delimiter: 'unix',
  });
}

/** CSV and TSV: the header row first, then one line per row; nothing else. */
function toDelimited(t: ExportTable, delimiter: '\t' | ','): string {
  return delimitedRows(t.columns, t.rows, delimiter);
}

const FORMULA_AFTER_DELIMITER = /(^|[,;\t|])(\s*)([=+\-@])/g;

/**
 * A value for a line of plain text that a spreadsheet may open split on commas, semicolons, tabs or
 * bars: on one line, with an apostrophe before a formula character that would start any such cell.
 */
export function neutraliseLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(FORMULA_AFTER_DELIMITER, "$1$2'$3");
}

/** The sidecar of a CSV or TSV export: `key: value` lines saying what the data file holds and how it was made. */
function provenanceText(t: ExportTable, dataFile: string): string {
  const lines: Array<[string, string]> = [['title', t.title], ['data file', dataFile], ...t.meta];
  return lines.map(([k, v]) => `${neutraliseLine(k)}: ${neutraliseLine(String(v))}`).join('\n') + '\n';
}

/**
 * A file-name piece from free text (a query): letters and digits of any script joined by dashes,
 * lower-cased, at most `max` characters, never empty and never holding a path character.
 */
export function slug(text: string, max = 40): string {
  const words = text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w !== '');
  let out = '';
  for (const w of words) {
    const next = out ? `${out}-${w}` : w;
    if (Array.from(next).length <= max) {
      out = next;
      continue;
    }
    // A first word longer than the bound is cut (by code point, so no character is split).
    if (!out) out = Array.from(w).slice(0, max).join('');
    break;
  }
  return out || 'query';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A concordance row: the context before the node right-aligned against it, the node centred, the
 * context after it left-aligned. A row written right to left gets dir="rtl" and its contexts swap
 * columns (what follows the node stands left of it); the table's columns keep their places, since a
 * table's column order follows the table's direction, not the row's.
 */
function kwicRowHtml(r: Cell[], k: NonNullable<ExportTable['kwic']>, rtl: boolean): string {
  const text = (c: Cell | undefined) => escapeHtml(String(c ?? ''));
  const cells = r.map((c, i) => {
    if (i === k.left) return `<td class="kl">${text(rtl ? r[k.right] : c)}</td>`;
    if (i === k.node) return `<td class="kn">${text(c)}</td>`;
    if (i === k.right) return `<td class="kr">${text(rtl ? r[k.left] : c)}</td>`;
    // Names, categories and notes keep their own direction inside a mirrored row.
    return rtl ? `<td dir="auto">${text(c)}</td>` : `<td>${text(c)}</td>`;
  });
  return `<tr${rtl ? ' dir="rtl"' : ''}>${cells.join('')}</tr>`;
}

const KWIC_STYLE = 'td.kl{text-align:right}td.kn{text-align:center;font-weight:bold}td.kr,tr[dir=rtl] td[dir=auto]{text-align:left}';

function toHtml(t: ExportTable): string {
  const cell = (c: Cell, tag: 'td' | 'th') => `<${tag}>${escapeHtml(String(c))}</${tag}>`;
  const layout = t.kwic;
  const mirrored = layout ? layout.rtl.some(Boolean) : false;
  const row = (r: Cell[], i: number) =>
    layout ? kwicRowHtml(r, layout, layout.rtl[i] === true) : `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(t.title)}</title>`,
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
    `<style>body{font-family:Georgia,serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;vertical-align:top}th{text-align:left}${layout ? KWIC_STYLE : ''}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(t.title)}</h1>`,
    '<dl>',
    ...t.meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`),
    '</dl>',
    ...(mirrored
      ? [
          '<p>Lines from documents written right to left are shown as they read: the text before the node on its right, the text after it on its left.</p>',
        ]
      : []),
    '<table>',
    `<thead><tr>${t.columns.map((c) => cell(c, 'th')).join('')}</tr></thead>`,
    '<tbody>',
    ...t.rows.map(row),
    '</tbody></table></body></html>',
    '',
  ].join('\n');
}

async function toXlsx(t: ExportTable): Promise<Buffer> {
  const header = t.columns.map((c) => ({ value: c, fontWeight: 'bold' as const }));
  const rows = t.rows.map((r) =>
    r.map((c) => (typeof c === 'number' ? { value: c, type: Number } : { value: String(neutralise(c)), type: String })),
  );
  const about = t.meta.map(([k, v]) => [
    { value: k, type: String },
    { value: String(neutralise(String(v))), type: String },
  ]);
  const result = excel().default([
    { data: [header, ...rows] as never, sheet: t.name.slice(0, 31) },
    { data: about as never, sheet: 'About' },
  ]);
  return await (result as unknown as { toBuffer(): Promise<Buffer> }).toBuffer();
}

const MIME: Record<ExportFormat, string> = {
  tsv: 'text/tab-separated-values; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
};

const SIDECAR_MIME = 'text/plain; charset=utf-8';

export async function toExportFile(t: ExportTable, format: ExportFormat): Promise<ExportFile> {
  const stem = t.stem ?? `loupe-${slug(t.name)}`;
  const filename = `${stem}.${format}`;
  switch (format) {
    case 'tsv':
    case 'csv': {
      const file: ExportFile = { filename, mime: MIME[format], encoding: 'utf8', content: toDelimited(t, format === 'tsv' ? '\t' : ',') };
      if (t.provenanceFile) file.sidecar = { filename: `${stem}.about.txt`, mime: SIDECAR_MIME, content: provenanceText(t, filename) };
      return file;
    }
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
