/**
 * Printing results for people (txt) and for programs (tsv, csv, json).
 */
import { LoupeFailure } from '../contract/errors.js';
import { delimitedRows } from '../export/formats.js';

export type OutputFormat = 'txt' | 'tsv' | 'csv' | 'json';
const FORMATS: readonly OutputFormat[] = ['txt', 'tsv', 'csv', 'json'];

export function checkFormat(v: string | boolean | undefined): OutputFormat {
  if (v === undefined) return 'txt';
  if (typeof v === 'string' && (FORMATS as readonly string[]).includes(v)) return v as OutputFormat;
  throw new LoupeFailure('E_USAGE', `--format must be one of ${FORMATS.join(', ')}.`);
}

/** One line per record: tabs and line breaks inside a cell become spaces. */
export function oneLine(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

/** `columns` null: the rows alone, after a header already printed. */
export function delimited(columns: string[] | null, rows: Array<Array<string | number>>, format: 'tsv' | 'csv'): string {
  return delimitedRows(columns, rows, format === 'tsv' ? '\t' : ',');
}

/** Always `digits` decimals: for scores, where 12 and 12.000 should look alike in a column. */
export function fixed(n: number, digits = 3): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/**
 * An aligned table for the terminal (no trailing newline): numbers right-aligned, a column of whole
 * numbers printed whole, any other numeric column to the same decimals (`digits` per column, default 3);
 * line breaks inside text cells become spaces.
 */
export function textTable(columns: string[], rows: Array<Array<string | number>>, digits: Record<string, number> = {}): string {
  // A column of whole numbers prints them whole; any other numeric column prints every value to the same decimals.
  const whole = columns.map((_, i) => rows.every((r) => typeof r[i] !== 'number' || Number.isInteger(r[i])));
  const shown = rows.map((r) =>
    r.map((c, i) => (typeof c === 'number' ? (whole[i] ? String(c) : fixed(c, digits[columns[i]!] ?? 3)) : oneLine(c))),
  );
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === ''));
  // A loop, not Math.max(...): spreading a long token list overflows the stack.
  const width = columns.map((c, i) => shown.reduce((w, r) => Math.max(w, r[i]!.length), c.length));
  const line = (cells: string[]) => alignedLine(cells, width, numeric);
  return [line(columns), ...shown.map(line)].join('\n');
}

/** One line of an aligned table: numeric columns right-aligned, the last cell unpadded. */
function alignedLine(cells: string[], width: number[], numeric: boolean[]): string {
  return cells
    .map((c, i) => (numeric[i] ? c.padStart(width[i]!) : i === cells.length - 1 ? c : c.padEnd(width[i]!)))
    .join('  ')
    .trimEnd();
}

/**
 * An aligned table printed a block of rows at a time, for output too long to hold whole: each column
 * is as wide as its widest cell so far, so it widens at the block that first needs it and never
 * narrows. A column with a cap is never wider: a longer cell overflows its own line rather than
 * widening every line after it. Numbers print whole, and `numeric` columns are right-aligned.
 */
export class StreamedTable {
  private readonly width: number[];
  private started = false;

  constructor(
    private readonly columns: string[],
    private readonly numeric: boolean[],
    private readonly cap: Array<number | undefined> = [],
  ) {
    this.width = columns.map((c) => c.length);
  }

  /** The block's lines, each with its line break; the header line before the first block's. */
  block(rows: Array<Array<string | number>>): string {
    const shown = rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : oneLine(c))));
    const width = this.width;
    for (const r of shown)
      for (let i = 0; i < width.length; i++) width[i] = Math.max(width[i]!, Math.min(r[i]!.length, this.cap[i] ?? Infinity));
    const line = (cells: string[]) => alignedLine(cells, width, this.numeric) + '\n';
    const head = this.started ? '' : line(this.columns);
    this.started = true;
    return head + shown.map(line).join('');
  }
}
