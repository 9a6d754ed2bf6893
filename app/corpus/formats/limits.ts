/**
 * Size caps. A corpus folder may hold anything, including files built to exhaust memory (zip bombs,
 * million-page PDFs); each cap turns such a file into a refusal with a reason instead of a crash.
 */
export const MB = 1024 * 1024;

export const LIMITS = {
  /** Largest input file handed to any extractor. */
  maxInputBytes: 512 * MB,
  /** Largest XML, CSV or HTML source (the text is held in memory several times while parsed). */
  maxMarkupBytes: 256 * MB,
  /** Zip archives (EPUB, DOCX). */
  maxZipEntries: 2000,
  maxZipTotalBytes: 200 * MB,
  maxZipEntryBytes: 50 * MB,
  /** PDF: pages read, and characters of text kept. */
  maxPdfPages: 20_000,
  /** Any one document's text, in characters. */
  maxTextChars: 256 * MB,
  /** XML element nesting; deeper documents are machine-made, not texts. */
  maxXmlDepth: 512,
  /** CSV rows (one document each). */
  maxCsvRows: 1_000_000,
} as const;

export function formatBytes(n: number): string {
  return n >= MB ? `${(n / MB).toFixed(n >= 10 * MB ? 0 : 1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

export function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? m.slice(0, 300) + '…' : m;
}
