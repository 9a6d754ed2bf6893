/**
 * The common shape every format extractor returns: plain text plus what the file says about itself
 * (metadata, sections, page starts), or a reason it could not be read. Extractors never throw.
 */
export interface Section {
  title: string;
  /** char offset in text where it starts */
  start: number;
  kind: 'chapter' | 'heading' | 'div' | 'page';
}

export interface ExtractedDocument {
  /** suffix for the document name when one file yields several documents (CSV rows: `#row 12`), else '' */
  part: string;
  text: string;
  title?: string;
  author?: string;
  date?: string;
  source?: string;
  /**
   * The language the file declares (`<html lang>`, a front-matter `language:` field, EPUB's
   * dc:language), as written; the reader normalises it.
   */
  language?: { value: string; source: 'front matter' | 'markup' };
  /** any other metadata fields (CSV columns, TEI/OPF extras) */
  meta: Record<string, string>;
  sections: Section[];
  /** char offsets where each PDF page starts (page n = index+1); empty for other formats */
  pages: number[];
  warnings: string[];
  /** how the bytes were decoded, where the format leaves it open (text, XML, CSV); absent otherwise */
  encoding?: string;
}

export type ExtractResult = { ok: true; documents: ExtractedDocument[] } | { ok: false; reason: string };

export interface ExtractOptions {
  /** CSV/TSV: the column holding the text (matched case-insensitively) */
  textColumn?: string;
}

export function emptyDocument(text: string): ExtractedDocument {
  return { part: '', text, meta: {}, sections: [], pages: [], warnings: [] };
}

export const refuse = (reason: string): ExtractResult => ({ ok: false, reason });
export const single = (d: ExtractedDocument): ExtractResult => ({ ok: true, documents: [d] });
