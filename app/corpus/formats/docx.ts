/**
 * Word .docx: the body through mammoth (as HTML, so Word's heading styles become sections), the
 * core properties (title, creator, created) from docProps/core.xml. mammoth never sees the reader's
 * archive: its unzip would inflate whatever an entry holds, however small the headers say it is.
 * The parts it reads are inflated here through the capped path, which counts the real bytes, and
 * handed to it as a new uncompressed zip.
 */
import { zipSync, type Zippable } from 'fflate';
import { decodeBytes } from '../decode.js';
import { htmlDocument } from './html-page.js';
import { errorMessage } from './limits.js';
import { refuse, single, type ExtractResult } from './types.js';
import { child, parseXml, textContent } from './xml.js';
import { ZipArchive } from './zip.js';

const BODY_PART = 'word/document.xml';

export async function extractDocx(bytes: Uint8Array): Promise<ExtractResult> {
  const opened = ZipArchive.open(bytes);
  if (!opened.ok) return refuse(`not a readable .docx: ${opened.reason}`);
  const zip = opened.archive;
  if (!zip.has(BODY_PART)) return refuse(`not a .docx: no ${BODY_PART} in the archive`);
  const parts = zip.readChecked(zip.entries.map((e) => e.name).filter(readByMammoth));
  if (!parts.ok) return refuse(`not a readable .docx: ${parts.reason}`);
  let converted;
  try {
    // Loaded on the first .docx: most corpora have none, and every reader thread would pay for it.
    const mammoth = (await import('mammoth')).default;
    converted = await mammoth.convertToHtml(
      { buffer: mammothInput(zip, parts.files) },
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

  const core = readCoreProperties(parts.files.get('docProps/core.xml'));
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

/**
 * The parts mammoth reads: the XML parts and their relationships, and the style map it may have
 * embedded itself. Images and other binaries are never read (images convert to empty elements).
 */
function readByMammoth(name: string): boolean {
  return /\.(xml|rels)$/i.test(name) || name === 'mammoth/style-map';
}

/**
 * A stored (uncompressed) zip of the parts already inflated; every other entry is there but empty,
 * so mammoth still finds what the relationships name without anything being inflated for it.
 */
function mammothInput(zip: ZipArchive, parts: Map<string, Uint8Array>): Buffer {
  const files: Zippable = {};
  for (const { name } of zip.entries) {
    if (name.endsWith('/')) continue;
    files[name] = [parts.get(name) ?? new Uint8Array(0), { level: 0 }];
  }
  const out = zipSync(files);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

function readCoreProperties(bytes: Uint8Array | undefined): CoreProps {
  const out: CoreProps = { fields: {}, meta: {}, warnings: [] };
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
