import { describe, expect, it } from 'vitest';
import { extract } from '../../../app/corpus/formats/index.js';
import { SCANNED_REASON, pageText, pdfDate } from '../../../app/corpus/formats/pdf.js';
import { extractPdf } from '../../../app/corpus/formats/pdf-pool.js';
import { buildPdf, cliffChapter, words, wrap } from './build-fixtures.js';

const { paragraphs } = cliffChapter();
const page1 = paragraphs.slice(0, 8);
const page2 = paragraphs.slice(8, 14);

describe('pdf', () => {
  it('reads the text layer page by page, with page starts and info metadata', async () => {
    const bytes = buildPdf({
      pages: [page1.flatMap((p) => wrap(p)), page2.flatMap((p) => wrap(p))],
      info: { Title: 'Russia: A Marxist analysis', Author: 'Tony Cliff', CreationDate: "D:19640301120000+01'00'" },
    });
    const r = await extract('cliff.pdf', bytes);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.documents).toHaveLength(1);
    const d = r.documents[0]!;
    expect(d.part).toBe('');
    expect(d.pages).toHaveLength(2);
    expect(d.pages[0]).toBe(0);
    // Every word on its page, in order: typographic quotes and dashes survive WinAnsi.
    expect(words(d.text.slice(0, d.pages[1]))).toEqual(words(page1.join(' ')));
    expect(words(d.text.slice(d.pages[1]))).toEqual(words(page2.join(' ')));
    expect(d.text.slice(d.pages[1]! - 2, d.pages[1])).toBe('\n\n');
    expect(d.text).toContain('“invading socialist society”');
    expect(d.title).toBe('Russia: A Marxist analysis');
    expect(d.author).toBe('Tony Cliff');
    expect(d.date).toBe('1964-03-01');
    // No outline: each page is a section.
    expect(d.sections).toEqual([
      { title: 'p. 1', start: 0, kind: 'page' },
      { title: 'p. 2', start: d.pages[1], kind: 'page' },
    ]);
    expect(d.warnings).toEqual([]);
  });

  it('takes sections from the outline, placed where each title appears on its page', async () => {
    const bytes = buildPdf({
      pages: [['Title page'], ['Chapter one', 'begins here.'], ['More of chapter one.'], ['End of one.', 'Chapter two', 'begins.']],
      outline: [
        { title: 'Chapter one', page: 1 },
        { title: 'Two', page: 3 }, // not on the page as written: falls back to the page start
        { title: 'Chapter two', page: 3 },
      ],
    });
    const r = await extract('book.pdf', bytes);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(d.sections).toEqual([
      { title: 'Chapter one', start: d.pages[1], kind: 'chapter' },
      { title: 'Two', start: d.pages[3], kind: 'chapter' },
      { title: 'Chapter two', start: d.text.indexOf('Chapter two'), kind: 'chapter' },
    ]);
    expect(d.sections[2]!.start).toBeGreaterThan(d.pages[3]!);
    expect(d.text.slice(d.sections[2]!.start)).toBe('Chapter two\nbegins.\n');
  });

  it('refuses a PDF with no text layer as a scan', async () => {
    const r = await extract('scan.pdf', buildPdf({ pages: [[], []] }));
    expect(r).toEqual({ ok: false, reason: SCANNED_REASON });
  });

  it('warns about pages without text but keeps their place', async () => {
    const r = await extract('mixed.pdf', buildPdf({ pages: [['First page text.'], [], ['Third page text.']] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(d.pages).toHaveLength(3);
    expect(d.text.slice(d.pages[2]!)).toBe('Third page text.\n');
    expect(d.warnings.join(' ')).toMatch(/1 of 3 pages have no text layer/);
  });

  it('refuses bytes that are not a PDF, and a truncated PDF, with a reason', async () => {
    const bad = await extract('x.pdf', new TextEncoder().encode('this is not a pdf at all'));
    expect(bad.ok).toBe(false);
    const full = buildPdf({ pages: [['Some text here.']] });
    const cut = await extract('cut.pdf', full.subarray(0, 60));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.reason).toMatch(/PDF/);
  });

  it('reads a damaged file that makes pdfjs leave a rejection unhandled, without disturbing this thread', async () => {
    // Found by the fuzz test: these overwritten bytes break an xref entry that pdfjs reads twice.
    const bytes = buildPdf({ pages: [['Some text on page one.'], ['And page two.']], info: { Title: 'T' } });
    for (const [at, v] of [[464, 96], [890, 0], [160, 128], [110, 0], [146, 64], [220, 0], [378, 0]] as const) bytes[at] = v;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const r = await extract('damaged.pdf', bytes);
      expect(typeof r.ok).toBe('boolean');
      await new Promise((res) => setTimeout(res, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('stops a read that exceeds its time limit, and the next read works', async () => {
    // 400 pages cannot be read in 5 ms (a page alone takes longer).
    const long = buildPdf({ pages: Array.from({ length: 400 }, (_, i) => [`Page ${i + 1} text.`]) });
    const slow = await extractPdf(long, { timeoutMs: 5 });
    expect(slow).toEqual({ ok: false, reason: 'reading the PDF took longer than 0 s; it was stopped' });
    const again = await extractPdf(buildPdf({ pages: [['Quick text.']] }));
    expect(again.ok && again.documents[0]!.text).toBe('Quick text.\n');
  });

  it('pageText joins items into lines and pdfDate reads PDF dates', () => {
    const item = (str: string, y: number, hasEOL = false) => ({ str, hasEOL, transform: [1, 0, 0, 1, 0, y] });
    expect(pageText([item('Hello', 700), item(' ', 700), item('world', 700, true), item('next', 686)])).toBe('Hello world\nnext');
    // A baseline jump without hasEOL still breaks the line.
    expect(pageText([item('one', 700), item('two', 650)])).toBe('one\ntwo');
    expect(pdfDate('D:20240131120000Z')).toBe('2024-01-31');
    expect(pdfDate('D:1999')).toBe('1999');
    expect(pdfDate('last spring')).toBe('last spring');
  });
});
