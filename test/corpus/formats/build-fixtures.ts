/**
 * Fixture builders: small but valid .pdf, .docx and .epub files made from strings, so each test shows
 * exactly what the file holds.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function pdfString(s: string): string {
  return '(' + s.replace(/[\\()]/g, (c) => '\\' + c) + ')';
}

export interface PdfSpec {
  /** Lines of text per page; an empty array makes a page without a text layer. */
  pages: string[][];
  info?: { Title?: string; Author?: string; CreationDate?: string };
}

/** A PDF 1.4 file with a Helvetica text layer, one content stream per page, and a correct xref table. */
export function buildPdf(spec: PdfSpec): Uint8Array {
  const objects: string[] = [];
  const n = spec.pages.length;
  // 1 catalog, 2 pages, 3 font, then page i at 4 + 2i and its content at 5 + 2i, info last.
  const kids = spec.pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
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
