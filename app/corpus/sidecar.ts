/**
 * `metadata.csv` beside the texts: one row per file, a column naming the file (file, filename, name,
 * path or document; else the first column) and any other columns as metadata. Columns named title,
 * author, date or source fill those fields, `language` (or `lang`) the document's language; the
 * rest go to `meta`. The sidecar wins over what a file says about itself, since the reader wrote it
 * on purpose.
 */
import { basename } from 'node:path';
import { decodeBytes } from './decode.js';
import { parseDelimited, sniffDelimiter } from './formats/delimited.js';
import type { ReadDocument } from './read.js';

export interface SidecarRows {
  rows: Map<string, Record<string, string>>;
  warnings: string[];
}

const KEY_COLUMNS = ['file', 'filename', 'name', 'path', 'document'];

export function parseSidecar(bytes: Uint8Array, name: string): SidecarRows {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { rows: new Map(), warnings: [`${name}: ${decoded.reason}`] };
  const parsed = parseDelimited(decoded.text, sniffDelimiter(decoded.text));
  const [header, ...body] = parsed.rows;
  const warnings = parsed.warnings.map((w) => `${name}: ${w}`);
  if (!header || header.length < 2) return { rows: new Map(), warnings: [...warnings, `${name}: needs a header row with a file column and at least one field`] };
  const columns = header.map((h) => h.trim());
  let key = columns.findIndex((c) => KEY_COLUMNS.includes(c.toLowerCase()));
  if (key < 0) key = 0;
  const rows = new Map<string, Record<string, string>>();
  for (const r of body) {
    const file = (r[key] ?? '').trim();
    if (!file) continue;
    const fields: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (i !== key && c && r[i] !== undefined && r[i]!.trim() !== '') fields[c] = r[i]!.trim();
    });
    rows.set(file.replace(/\\/g, '/'), fields);
  }
  return { rows, warnings };
}

/** The row for a document: by its name (path relative to the corpus folder), else by its file name. */
function rowFor(rows: Map<string, Record<string, string>>, doc: ReadDocument): Record<string, string> | undefined {
  const fileName = doc.name.split(' #')[0]!; // CSV rows and TEI texts are named `file.csv #row 3`
  return rows.get(fileName) ?? rows.get(basename(fileName));
}

export function applySidecar(docs: ReadDocument[], sidecar: SidecarRows): void {
  for (const doc of docs) {
    const row = rowFor(sidecar.rows, doc);
    if (!row) continue;
    for (const [k, v] of Object.entries(row)) {
      const lower = k.toLowerCase();
      if (lower === 'title' || lower === 'author' || lower === 'date' || lower === 'source') doc[lower] = v;
      else if (lower === 'language' || lower === 'lang') doc.declaredLanguage = { value: v, source: 'metadata' };
      else (doc.meta ??= {})[k] = v;
    }
  }
}
