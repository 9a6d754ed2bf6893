/**
 * Printing results for people (txt) and for programs (tsv, csv, json).
 */
import { stringify } from 'csv-stringify/sync';
import { LoupeFailure } from '../contract/errors.js';
import { neutralise } from '../export/table.js';

export type OutputFormat = 'txt' | 'tsv' | 'csv' | 'json';
export const FORMATS: readonly OutputFormat[] = ['txt', 'tsv', 'csv', 'json'];

export function checkFormat(v: string | boolean | undefined): OutputFormat {
  if (v === undefined) return 'txt';
  if (typeof v === 'string' && (FORMATS as readonly string[]).includes(v)) return v as OutputFormat;
  throw new LoupeFailure('E_USAGE', `--format must be one of ${FORMATS.join(', ')}.`);
}

/** One line per record: tabs and line breaks inside a cell become spaces. */
export function oneLine(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

export function delimited(columns: string[], rows: Array<Array<string | number>>, format: 'tsv' | 'csv'): string {
  const clean = rows.map((r) => r.map((c) => (typeof c === 'string' ? neutralise(oneLine(c)) : c)));
  return stringify([columns, ...clean], {
    delimiter: format === 'tsv' ? '\t' : ',',
    quoted_match: format === 'tsv' ? /["\t\n\r]/ : undefined,
    record_delimiter: 'unix',
  });
}

/** Plain aligned table for the terminal; numbers right-aligned. */
export function textTable(columns: string[], rows: Array<Array<string | number>>): string {
  const cells = [columns, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : oneLine(c))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return String(n);
  return n.toFixed(Math.abs(n) >= 100 ? 1 : 3);
}
