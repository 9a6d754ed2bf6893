/**
 * Fixture builders: small but valid .pdf, .docx and .epub files made from strings, so each test shows
 * exactly what the file holds.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';

// WinAnsiEncoding for the few characters beyond Latin-1 that real text uses.
const WIN_ANSI: Record<string, number> = { '\u2018': 0x91, '\u2019': 0x92, '\u201c': 0x93, '\u201d': 0x94, '\u2013': 0x96, '\u2014': 0x97, '\u2026': 0x85 };
const latin1 = (s: string) =>
  Uint8Array.from(s, (c) => {
    const code = WIN_ANSI[c] ?? c.charCodeAt(0);
    if (code > 0xff) throw new Error(`no WinAnsi byte for ${c}`);
    return code;
  });

/** Words as whitespace separates them: the measure of "the same text" across formats. */
export const words = (text: string) => text.split(/[\s\u00a0]+/).filter(Boolean);

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The bundled chapter (Tony Cliff, ch. 18) as paragraphs, and the section headings it has. */
export function cliffChapter(): { paragraphs: string[]; headings: string[] } {
  const text = readFileSync(resolve(__dirname, '../../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt'), 'utf8');
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const headings = [
    'It is wrong to speak of a Stalinist epoch',
    'The pressure of the totalitarian police machine',
    'The military victories of Russia',
    'The bureaucracy creates its gravedigger',
    'The declining efficiency of Stalinist propaganda',
    'The social goals of anti-Stalinist opposition',
    'The great rehearsal: the Hungarian Revolution',
    'In conclusion',
  ];
  for (const h of headings) if (!paragraphs.includes(h)) throw new Error(`heading not in the chapter: ${h}`);
  return { paragraphs, headings };
}

/** Breaks a paragraph into lines of at most `width` characters at spaces (for PDF text lines). */
export function wrap(paragraph: string, width = 90): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of paragraph.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

function pdfString(s: string): string {
  return '(' + s.replace(/[\\()]/g, (c) => '\\' + c) + ')';
}

export interface PdfSpec {
  /** Lines of text per page; an empty array makes a page without a text layer. */
  pages: string[][];
  info?: { Title?: string; Author?: string; CreationDate?: string };
  /** Bookmarks, each pointing at a page (0-based). */
  outline?: Array<{ title: string; page: number }>;
}

/** A PDF 1.4 file with a Helvetica text layer, one content stream per page, and a correct xref table. */
export function buildPdf(spec: PdfSpec): Uint8Array {
  const objects: string[] = [];
  const n = spec.pages.length;
  // 1 catalog, 2 pages, 3 font, then page i at 4 + 2i and its content at 5 + 2i, info last.
  const kids = spec.pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>'); // gets /Outlines below when there are bookmarks
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  spec.pages.forEach((lines, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
    );
    const ops = lines.length
      ? 'BT /F1 12 Tf 14 TL 72 720 Td ' + lines.map((l) => `${pdfString(l)} Tj T*`).join(' ') + ' ET'
      : '0 0 1 rg 72 72 200 200 re f';
    objects.push(`<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`);
  });
  if (spec.outline?.length) {
    const first = objects.length + 2; // outline items follow the /Outlines dictionary
    const count = spec.outline.length;
    objects[0] = `<< /Type /Catalog /Pages 2 0 R /Outlines ${objects.length + 1} 0 R >>`;
    objects.push(`<< /Type /Outlines /First ${first} 0 R /Last ${first + count - 1} 0 R /Count ${count} >>`);
    const parent = objects.length;
    spec.outline.forEach((o, i) => {
      const links = (i > 0 ? ` /Prev ${first + i - 1} 0 R` : '') + (i < count - 1 ? ` /Next ${first + i + 1} 0 R` : '');
      objects.push(`<< /Title ${pdfString(o.title)} /Parent ${parent} 0 R${links} /Dest [${4 + 2 * o.page} 0 R /XYZ null null null] >>`);
    });
  }
  let infoRef = '';
  if (spec.info) {
    const entries = Object.entries(spec.info)
      .map(([k, v]) => `/${k} ${pdfString(v)}`)
      .join(' ');
    objects.push(`<< ${entries} >>`);
    infoRef = ` /Info ${objects.length} 0 R`;
  }
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${infoRef} >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1(out);
}

/** A zip from path -> text (or bytes); `mimetype` stays uncompressed as EPUB asks. */
export function buildZip(files: Record<string, string | Uint8Array>): Uint8Array {
  const z: Zippable = {};
  for (const [path, content] of Object.entries(files)) {
    const bytes = typeof content === 'string' ? strToU8(content) : content;
    z[path] = path === 'mimetype' ? [bytes, { level: 0 }] : bytes;
  }
  return zipSync(z);
}

export interface DocxSpec {
  paragraphs: Array<{ text: string; style?: 'Heading1' | 'Heading2' | 'Title' }>;
  core?: { title?: string; creator?: string; created?: string };
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A minimal WordprocessingML package: content types, relationships, styles, body, core properties. */
export function buildDocx(spec: DocxSpec): Uint8Array {
  const body = spec.paragraphs
    .map(({ text, style }) => {
      const ppr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
      return `<w:p>${ppr}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
    })
    .join('');
  const style = (id: string, name: string) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
    'word/_rels/document.xml.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    'word/styles.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="${W}">${style('Heading1', 'heading 1')}${style('Heading2', 'heading 2')}${style('Title', 'Title')}</w:styles>`,
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  };
  if (spec.core) {
    const c = spec.core;
    files['docProps/core.xml'] =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      (c.title ? `<dc:title>${escapeXml(c.title)}</dc:title>` : '') +
      (c.creator ? `<dc:creator>${escapeXml(c.creator)}</dc:creator>` : '') +
      (c.created ? `<dcterms:created xsi:type="dcterms:W3CDTF">${c.created}</dcterms:created>` : '') +
      '</cp:coreProperties>';
  }
  return buildZip(files);
}

export interface EpubSpec {
  /** Chapters in spine order: file name (under OEBPS/text/) and XHTML body markup. */
  chapters: Array<{ file: string; body: string; title?: string }>;
  /** Extra manifest items not in the spine (e.g. a stylesheet) or left out of the spine. */
  metadata?: string;
  /** Reorder the spine independently of the manifest (indices into chapters). */
  spineOrder?: number[];
  extraFiles?: Record<string, string | Uint8Array>;
}

export function xhtml(body: string, title?: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head>' +
    (title ? `<title>${escapeXml(title)}</title>` : '') +
    `<link rel="stylesheet" href="../style.css"/></head><body>${body}</body></html>`
  );
}

/** An EPUB 3 with the package in OEBPS/content.opf and chapters in OEBPS/text/. */
export function buildEpub(spec: EpubSpec): Uint8Array {
  const manifest = spec.chapters
    .map((c, i) => `<item id="c${i}" href="text/${c.file}" media-type="application/xhtml+xml"/>`)
    .join('');
  const order = spec.spineOrder ?? spec.chapters.map((_, i) => i);
  const spine = order.map((i) => `<itemref idref="c${i}"/>`).join('');
  const files: Record<string, string | Uint8Array> = {
    mimetype: 'application/epub+zip',
    'META-INF/container.xml':
      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>' +
      '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    'OEBPS/content.opf':
      '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">' +
      `<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">${spec.metadata ?? ''}</metadata>` +
      `<manifest><item id="css" href="style.css" media-type="text/css"/>${manifest}</manifest><spine>${spine}</spine></package>`,
    'OEBPS/style.css': 'body { font-family: serif }',
    ...spec.extraFiles,
  };
  spec.chapters.forEach((c) => (files[`OEBPS/text/${c.file}`] = xhtml(c.body, c.title)));
  return buildZip(files);
}
