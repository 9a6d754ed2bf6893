/**
 * The data behind a trends chart as CSV: bucket, tokens, then per query its hits and rate per
 * million. Made here rather than by the engine's exporter because the chart already holds every
 * number. Cells follow the rule of every Loupe export: a cell starting with = + - @ (or a tab or
 * carriage return) gets a leading apostrophe so a spreadsheet cannot run it as a formula; a lone
 * - + @ is left alone, since it cannot be one.
 */
import type { TrendsResult } from '../../../app/contract/stats';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(cell: string): string {
  if (!FORMULA_START.test(cell)) return cell;
  return cell.length === 1 && cell !== '=' ? cell : `'${cell}`;
}

function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // One record a line: line breaks and tabs inside a cell become spaces.
  const text = neutralise(value.replace(/[\t\r\n]+/g, ' '));
  return /[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function trendsCsv(result: TrendsResult): string {
  const header = ['bucket', 'tokens', ...result.series.flatMap((s) => [`${s.query} hits`, `${s.query} per million`])];
  const rows: Array<Array<string | number>> = result.buckets.map((b, i) => [
    b.label,
    b.tokens,
    ...result.series.flatMap((s) => [s.counts[i]!, s.perMillion[i]!]),
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
