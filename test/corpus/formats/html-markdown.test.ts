import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../app/corpus/html.js';
import { locateHeadings } from '../../../app/corpus/formats/html-page.js';
import { atxHeading, frontMatterField } from '../../../app/corpus/formats/plain.js';
import { dropBlanksAtNewlines } from '../../../app/corpus/formats/text-scan.js';
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
    // A `/>` inside a quoted attribute does not close the tag; void elements stay void.
    const tricky = await extract('t.xhtml', enc('<p><a id="x" title="a/>b"/>one<br/>two<img src="i.png" /><script src="s.js"/>three</p>'));
    expect(tricky.ok && tricky.documents[0]!.text).toBe('one\n\ntwothree\n');
  });

  it('finds repeated headings in order, not the first occurrence each time', () => {
    const text = 'Notes\n\nbody\n\nNotes\n\nmore';
    expect(locateHeadings(text, ['Notes', 'Notes']).map((s) => s.start)).toEqual([0, 13]);
    expect(locateHeadings(text, ['Missing', 'Notes']).map((s) => s.start)).toEqual([0]);
  });

  it('finds a heading across any whitespace, and a heading longer than a regular expression may be', () => {
    const text = 'Intro\n\nThe\u00a0coming \t Russian\nrevolution\n\nmore';
    expect(locateHeadings(text, ['The coming Russian revolution'])).toEqual([{ title: 'The coming Russian revolution', start: 7, kind: 'heading' }]);
    const long = 'x'.repeat(70_000);
    expect(locateHeadings(`a\n\n${long} y`, [`${long} y`]).map((s) => s.start)).toEqual([3]);
  });

  it('takes headings from the text as shown: not from <head>, and across a <br> inside the heading', async () => {
    const page = '<html><head><h2>Notes</h2></head><body><p>Notes on the text</p><h1>Chapter 1<br>The beginning</h1><p>Body.</p></body></html>';
    const r = await extract('p.html', enc(page));
    expect(r.ok && r.documents[0]!.sections).toEqual([{ title: 'Chapter 1 The beginning', start: 'Notes on the text\n\n'.length, kind: 'heading' }]);
  });

  it('drops blanks at line ends by scanning, as the whitespace patterns did', () => {
    expect(dropBlanksAtNewlines('a \t\n \u00a0b  c\n\n  ', ' \t\u00a0', true)).toBe('a\nb  c\n\n');
    expect(dropBlanksAtNewlines('a \t\n \u00a0b  c \n', ' \t\u00a0', false)).toBe('a\n \u00a0b  c\n');
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

  it('reads ATX headings and front matter fields as the CommonMark-like patterns did', () => {
    expect(atxHeading('## In conclusion ##')).toEqual({ level: 2, title: 'In conclusion' });
    expect(atxHeading('   # Title #not-closing')).toEqual({ level: 1, title: 'Title #not-closing' });
    expect(atxHeading('# C# ## ')).toEqual({ level: 1, title: 'C#' });
    expect(atxHeading('# ###')).toEqual({ level: 1, title: '###' });
    expect(atxHeading('#\tTab')).toEqual({ level: 1, title: 'Tab' });
    for (const no of ['#NoSpace', '####### seven', '    # indented', '# ', '# a\rb', '']) expect(atxHeading(no)).toBeUndefined();
    expect(frontMatterField('title:   "Russia"')).toEqual({ key: 'title', value: '"Russia"' });
    expect(frontMatterField('dc-date x: 1964')).toEqual({ key: 'dc-date x', value: '1964' });
    for (const no of ['1st: x', 'key:', 'key:   ', 'no colon', 'key: a\u2028b']) expect(frontMatterField(no)).toBeUndefined();
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
