import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { extract } from '../../../app/corpus/formats/index.js';
import { buildDocx, buildZip, cliffChapter, words } from './build-fixtures.js';

const { paragraphs, headings } = cliffChapter();
const require = createRequire(import.meta.url);

describe('docx', () => {
  it('reads the body with Word headings as sections and core properties as metadata', async () => {
    const bytes = buildDocx({
      paragraphs: paragraphs.map((text) => ({ text, style: headings.includes(text) ? ('Heading2' as const) : undefined })),
      core: { title: 'The coming Russian revolution', creator: 'Tony Cliff', created: '1964-03-01T00:00:00Z' },
    });
    const r = await extract('Cliff ch18.DOCX', bytes);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(words(d.text)).toEqual(words(paragraphs.join(' ')));
    expect(d.sections.map((s) => s.title)).toEqual(headings);
    for (const s of d.sections) {
      expect(s.kind).toBe('heading');
      expect(d.text.slice(s.start, s.start + s.title.length)).toBe(s.title);
    }
    // Paragraphs stay paragraphs.
    expect(d.text).toContain('\n\nThe pressure of the totalitarian police machine\n\n');
    expect(d.title).toBe('The coming Russian revolution');
    expect(d.author).toBe('Tony Cliff');
    expect(d.date).toBe('1964-03-01T00:00:00Z');
    expect(d.pages).toEqual([]);
  });

  it('reads a docx without core properties, leaving the metadata empty', async () => {
    const r = await extract('plain.docx', buildDocx({ paragraphs: [{ text: 'Just one paragraph & an ampersand.' }] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text).toBe('Just one paragraph & an ampersand.\n');
    expect(r.documents[0]!.title).toBeUndefined();
    expect(r.documents[0]!.author).toBeUndefined();
  });

  it('keeps footnote text but not the back-link arrows mammoth adds', async () => {
    // Word's own sample from mammoth's test data: a body with two footnotes.
    const bytes = readFileSync(require.resolve('mammoth/test/test-data/footnotes.docx'));
    const r = await extract('footnotes.docx', bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text).toContain('A tachyon walks into a bar.');
    expect(r.documents[0]!.text).not.toContain('\u2191');
    expect(r.documents[0]!.author).toBe('Michael Williamson');
  });

  it('refuses a zip that is not a Word document, and bytes that are not a zip', async () => {
    const notWord = await extract('x.docx', buildZip({ 'hello.txt': 'hello' }));
    expect(notWord).toEqual({ ok: false, reason: 'not a .docx: no word/document.xml in the archive' });
    const notZip = await extract('y.docx', new TextEncoder().encode('plain text pretending'));
    expect(notZip.ok).toBe(false);
    if (!notZip.ok) expect(notZip.reason).toMatch(/^not a readable \.docx/);
  });

  it('refuses a docx with an entry path that climbs out of the archive', async () => {
    const good = buildDocx({ paragraphs: [{ text: 'x' }] });
    expect((await extract('ok.docx', good)).ok).toBe(true);
    const bad = buildZip({ 'word/document.xml': '<w:document/>', '../../evil.txt': 'x' });
    const r = await extract('bad.docx', bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/unsafe path/);
  });
});
