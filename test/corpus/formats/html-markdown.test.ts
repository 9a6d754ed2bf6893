import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../app/corpus/html.js';
import { expandSelfClosing, locateHeadings } from '../../../app/corpus/formats/html-page.js';
import { extract, extensionOf } from '../../../app/corpus/formats/index.js';
import { cliffChapter, escapeXml, words } from './build-fixtures.js';

const enc = (s: string) => new TextEncoder().encode(s);
const { paragraphs, headings } = cliffChapter();

describe('html', () => {
  const html =
    '<!doctype html><html><head><title>The coming Russian revolution</title><meta name="author" content="Tony Cliff">' +
    '<meta name="DC.date" content="1964"><style>h2 { color: red }</style></head><body><nav>Menu</nav>' +
    paragraphs.map((p) => (headings.includes(p) ? `<h2>\n  ${escapeXml(p)}\n</h2>` : `<p>${escapeXml(p)}</p>`)).join('\n') +
    '<script>var x = "<h2>not a heading</h2>";</script></body></html>';

  it('reads exactly what htmlToText reads, with headings as sections and meta tags as metadata', async () => {
    const r = await extract('cliff.html', enc(html));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(d.text).toBe(htmlToText(html).text);
    expect(words(d.text)).toEqual(['Menu', ...words(paragraphs.join(' '))]);
    expect(d.sections.map((s) => s.title)).toEqual(headings);
    for (const s of d.sections) expect(d.text.slice(s.start, s.start + s.title.length)).toBe(s.title);
    expect(d).toMatchObject({ title: 'The coming Russian revolution', author: 'Tony Cliff', date: '1964' });
  });

  it('reads XHTML self-closing script and title tags without hiding the page behind them', async () => {
    const page = '<html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head><body><p>One <b/>two.</p><script type="text/javascript" src="a.js"/><p>Three.</p><title/><p>Four.</p></body></html>';
    const r = await extract('page.xhtml', enc(page));
    expect(r.ok && r.documents[0]!.text).toBe('One two.\n\nThree.\n\nFour.\n');
    // As .html the same bytes follow HTML rules, where <script/> opens a script that hides the rest.
    const asHtml = await extract('page.html', enc(page));
    expect(asHtml.ok && asHtml.documents[0]!.text).toBe('One two.\n');
    expect(expandSelfClosing('<a id="x" title="a/>b"/><br/><img src="i.png" />')).toBe('<a id="x" title="a/>b"></a><br/><img src="i.png" />');
  });

  it('finds repeated headings in order, not the first occurrence each time', () => {
    const text = 'Notes\n\nbody\n\nNotes\n\nmore';
    expect(locateHeadings(text, ['Notes', 'Notes']).map((s) => s.start)).toEqual([0, 13]);
    expect(locateHeadings(text, ['Missing', 'Notes']).map((s) => s.start)).toEqual([0]);
  });
});

describe('markdown and text', () => {
  it('keeps markdown text as written, with ATX headings as sections and front matter as metadata', async () => {
    const md = '---\ntitle: "Russia"\nauthor: Tony Cliff\nyear: 1964\n---\n# Chapter XVIII\n\nText.\n\n```\n# not a heading\n```\n\n## In conclusion ##\n\nEnd.\n';
    const r = await extract('notes.md', enc(md));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(d.text).toBe(md);
    expect(d.sections).toEqual([
      { title: 'Chapter XVIII', start: md.indexOf('# Chapter'), kind: 'chapter' },
      { title: 'In conclusion', start: md.indexOf('## In'), kind: 'heading' },
    ]);
    expect(d).toMatchObject({ title: 'Russia', author: 'Tony Cliff', meta: { year: '1964' } });
  });

  it('reads .txt as decoded, and refuses binary and unknown extensions', async () => {
    const r = await extract('a.TXT', Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('hello')]));
    expect(r).toEqual({ ok: true, documents: [expect.objectContaining({ text: 'hello', encoding: 'utf-8 (BOM)', sections: [] })] });
    expect(await extract('b.txt', new Uint8Array([1, 0, 2, 0, 0, 0, 3]))).toMatchObject({ ok: false });
    expect(await extract('c.odt', enc('x'))).toEqual({ ok: false, reason: 'unsupported format (.odt)' });
    expect(await extract('README', enc('x'))).toEqual({ ok: false, reason: 'unsupported format (no extension)' });
    expect(extensionOf('dir.d/file.tar.XML')).toBe('.xml');
    expect(extensionOf('.hidden')).toBe('');
  });
});
