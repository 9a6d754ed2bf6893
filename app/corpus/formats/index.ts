/**
 * extract(fileName, bytes): the one entry point for reading a corpus file of any supported format
 * into documents (text + metadata + sections + page starts). Dispatches on the extension; never
 * throws: every failure is `{ ok: false, reason }` with a reason a reader can act on.
 */
import { decodeBytes } from '../decode.js';
import { extractDelimited, sniffDelimiter } from './delimited.js';
import { extractDocx } from './docx.js';
import { extractEpub } from './epub.js';
import { htmlDocument } from './html-page.js';
import { LIMITS, errorMessage, formatBytes } from './limits.js';
import { extractPdf } from './pdf-pool.js';
import { markdownDocument, plainDocument } from './plain.js';
import { refuse, single, type ExtractOptions, type ExtractResult, type ExtractedDocument } from './types.js';
import { extractXml } from './xml-text.js';

export type { ExtractOptions, ExtractResult, Section } from './types.js';

const FORMAT_OF_EXTENSION: Record<string, string> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'xhtml',
  '.xml': 'xml',
  '.tei': 'xml',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.docx': 'docx',
  '.pdf': 'pdf',
  '.epub': 'epub',
};

export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(Object.keys(FORMAT_OF_EXTENSION));

export function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

export async function extract(fileName: string, bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractResult> {
  try {
    const ext = extensionOf(fileName);
    const format = FORMAT_OF_EXTENSION[ext];
    if (!format) return refuse(`unsupported format (${ext || 'no extension'})`);
    if (bytes.length > LIMITS.maxInputBytes)
      return refuse(`the file is ${formatBytes(bytes.length)}, more than the ${formatBytes(LIMITS.maxInputBytes)} Loupe reads`);
    switch (format) {
      case 'docx':
        return await extractDocx(bytes);
      case 'pdf':
        return await extractPdf(bytes);
      case 'epub':
        return await extractEpub(bytes);
    }
    if (bytes.length > LIMITS.maxMarkupBytes && format !== 'text')
      return refuse(`the file is ${formatBytes(bytes.length)}, more than the ${formatBytes(LIMITS.maxMarkupBytes)} Loupe parses as ${format}`);
    const decoded = decodeBytes(bytes);
    if (!decoded.ok) return refuse(decoded.reason);
    const result = fromText(format, decoded.text, opts);
    if (result.ok)
      for (const d of result.documents) {
        d.encoding = decoded.encoding;
        if (decoded.warning) d.warnings.unshift(decoded.warning);
      }
    return result;
  } catch (e) {
    return refuse(`cannot read ${fileName}: ${errorMessage(e)}`);
  }
}

function fromText(format: string, text: string, opts: ExtractOptions): ExtractResult {
  const one = (d: ExtractedDocument) => single(d);
  switch (format) {
    case 'text':
      return one(plainDocument(text));
    case 'markdown':
      return one(markdownDocument(text));
    case 'html':
      return one(htmlDocument(text));
    case 'xhtml':
      return one(htmlDocument(text, { xhtml: true }));
    case 'xml':
      return extractXml(text);
    case 'csv':
      return extractDelimited(text, sniffDelimiter(text), opts);
    case 'tsv':
      return extractDelimited(text, '\t', opts);
    default:
      return refuse(`unsupported format (${format})`);
  }
}
