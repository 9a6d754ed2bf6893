/**
 * PDF: the text layer page by page (pdfjs-dist legacy build; in Node it runs its worker code in
 * this thread), pages joined by a blank line and each page's start kept in `pages`, so a hit can
 * cite its page. The outline (bookmarks) gives the sections; without one, each page is a section.
 * A PDF whose pages carry no text at all is a scan and is refused with a reason that says so.
 */
import { LIMITS, errorMessage } from './limits.js';
import { dropBlanksAtNewlines, WordFinder } from './text-scan.js';
import { emptyDocument, refuse, single, type ExtractResult, type Section } from './types.js';

export const SCANNED_REASON = 'scanned PDF without a text layer: run OCR first';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

interface TextPiece {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
}

/** One page's text items -> lines: items flow on, hasEOL or a jump in baseline starts a new line. */
export function pageText(items: TextPiece[]): string {
  let out = '';
  let lastY: number | undefined;
  for (const it of items) {
    if (typeof it.str !== 'string') continue; // marked-content markers
    const y = it.transform?.[5];
    if (it.str && lastY !== undefined && y !== undefined && Math.abs(y - lastY) > 1 && !out.endsWith('\n')) out += '\n';
    out += it.str;
    if (it.hasEOL) out += '\n';
    if (it.str) lastY = y;
  }
  // Blanks before a line end go, runs of blanks become one space, at most one blank line stays.
  return dropBlanksAtNewlines(out, ' \t\u00a0', false)
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** PDF date `D:YYYYMMDDHHmmSS...` -> `YYYY-MM-DD` (as much of it as is there); other strings unchanged. */
export function pdfDate(raw: string): string {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(raw.trim());
  if (!m) return raw.trim();
  return [m[1], m[2], m[3]].filter(Boolean).join('-');
}

/**
 * Reads a PDF in this thread. pdfjs can leave internal promises rejected and unhandled on damaged
 * files, so the engine calls this through pdf-pool.ts (a worker thread), not directly.
 */
export async function extractPdfInThread(bytes: Uint8Array): Promise<ExtractResult> {
  let lib: PdfJs;
  try {
    lib = await loadPdfJs();
  } catch (e) {
    return refuse(`the PDF reader could not be loaded (${errorMessage(e)})`);
  }
  const task = lib.getDocument({
    // A copy: pdfjs may take ownership of (detach) the buffer it is given.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => {});
    const name = (e as { name?: string })?.name;
    if (name === 'PasswordException') return refuse('encrypted PDF: it needs a password to open');
    if (name === 'InvalidPDFException') return refuse('not a readable PDF (invalid or corrupted file structure)');
    return refuse(`not a readable PDF (${errorMessage(e)})`);
  }
  try {
    const warnings: string[] = [];
    const count = Math.min(pdf.numPages, LIMITS.maxPdfPages);
    if (pdf.numPages > count) warnings.push(`only the first ${count} of ${pdf.numPages} pages were read`);
    const texts: string[] = [];
    const pages: number[] = [];
    let length = 0;
    let empty = 0;
    let failed = 0;
    for (let n = 1; n <= count; n++) {
      let t = '';
      try {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        t = pageText(content.items as TextPiece[]);
        page.cleanup();
      } catch {
        failed++;
      }
      if (!/\S/.test(t)) empty++;
      if (n > 1) length += 2; // the "\n\n" between pages
      pages.push(length);
      texts.push(t);
      length += t.length;
      if (length > LIMITS.maxTextChars) return refuse('the PDF text is larger than Loupe reads per document');
    }
    if (count === 0) return refuse('the PDF has no pages');
    if (failed === count) return refuse('none of the PDF\'s pages could be read (damaged file?)');
    if (empty === count) return refuse(SCANNED_REASON);
    if (failed) warnings.push(`${failed} page${failed === 1 ? '' : 's'} could not be read`);
    if (empty > failed)
      warnings.push(`${empty - failed} of ${count} pages have no text layer (scanned pages need OCR); their hits cannot be found`);
    const d = emptyDocument(texts.join('\n\n') + '\n');
    d.pages = pages;
    d.warnings = warnings;

    let labels: string[] | null = null;
    try {
      labels = await pdf.getPageLabels();
    } catch {
      /* labels are optional */
    }
    const outline = await outlineSections(pdf, pages, d.text).catch(() => [] as Section[]);
    d.sections = outline.length
      ? outline
      : pages.map((start, i) => ({ title: `p. ${labels?.[i] || i + 1}`, start, kind: 'page' as const }));

    const meta = await pdf.getMetadata().catch(() => undefined);
    const info = (meta?.info ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof info[k] === 'string' && (info[k] as string).trim() ? (info[k] as string).trim() : undefined);
    const title = str('Title');
    const author = str('Author');
    const created = str('CreationDate');
    if (title) d.title = title;
    if (author) d.author = author;
    if (created) d.date = pdfDate(created);
    for (const k of ['Subject', 'Keywords', 'Creator', 'Producer']) {
      const v = str(k);
      if (v) d.meta[k.toLowerCase()] = v;
    }
    d.meta.pageCount = String(pdf.numPages);
    return single(d);
  } catch (e) {
    return refuse(`cannot read the PDF (${errorMessage(e)})`);
  } finally {
    await pdf.destroy().catch(() => {});
  }
}

type PdfDoc = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

/**
 * Outline entries, flattened in order. Each starts where its title appears on its destination page
 * (searched from the previous entry on the same page), else at the start of that page.
 */
async function outlineSections(pdf: PdfDoc, pages: number[], text: string): Promise<Section[]> {
  const outline = await pdf.getOutline();
  if (!outline?.length) return [];
  const found: Array<{ title: string; page: number; kind: Section['kind'] }> = [];
  const visit = async (nodes: typeof outline, depth: number) => {
    for (const node of nodes) {
      if (found.length >= 10_000) return;
      const index = await destinationPage(pdf, node.dest).catch(() => undefined);
      const title = (node.title ?? '').replace(/\s+/g, ' ').trim();
      if (index !== undefined && pages[index] !== undefined && title)
        found.push({ title, page: index, kind: depth === 0 ? 'chapter' : 'heading' });
      if (node.items?.length && depth < 8) await visit(node.items, depth + 1);
    }
  };
  await visit(outline, 0);
  // Stable by page: the outline's own order breaks ties.
  found.sort((a, b) => a.page - b.page);
  const out: Section[] = [];
  let cursor = 0;
  for (const f of found) {
    const pageStart = pages[f.page]!;
    const pageEnd = pages[f.page + 1] ?? text.length;
    const from = Math.max(cursor, pageStart);
    const at = findWords(text, f.title, from, pageEnd);
    const start = at ?? pageStart;
    if (at !== undefined) cursor = at + 1;
    out.push({ title: f.title, start, kind: f.kind });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Offset of `title`'s words (any whitespace between them) in text[from, to), if there. */
function findWords(text: string, title: string, from: number, to: number): number | undefined {
  if (from >= to) return undefined;
  const found = new WordFinder(text.slice(from, to)).find(title, 0, 30);
  return found ? from + found.start : undefined;
}

async function destinationPage(pdf: PdfDoc, dest: string | unknown[] | null): Promise<number | undefined> {
  const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : dest;
  const target = explicit?.[0];
  if (typeof target === 'number') return target;
  if (target && typeof target === 'object') return pdf.getPageIndex(target as Parameters<PdfDoc['getPageIndex']>[0]);
  return undefined;
}
