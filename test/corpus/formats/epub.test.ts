import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { extract } from '../../../app/corpus/formats/index.js';
import { ZipArchive, resolveInArchive, unsafeEntryName } from '../../../app/corpus/formats/zip.js';
import { buildEpub, buildZip, cliffChapter, escapeXml, words } from './build-fixtures.js';

const { paragraphs, headings } = cliffChapter();

/** The chapter cut at its headings: [intro, section 1, section 2, ...], each a list of paragraphs. */
function bySection(): string[][] {
  const parts: string[][] = [[]];
  for (const p of paragraphs) {
    if (headings.includes(p)) parts.push([]);
    parts[parts.length - 1]!.push(p);
  }
  return parts;
}

const METADATA =
  '<dc:title>Russia: A Marxist analysis</dc:title><dc:creator>Tony Cliff</dc:creator><dc:creator>Editor Two</dc:creator>' +
  '<dc:date>1964</dc:date><dc:language>en</dc:language><dc:publisher>Socialist Review</dc:publisher>';

describe('epub', () => {
  it('reads spine items in order, each a chapter titled by its first heading or <title>', async () => {
    const parts = bySection();
    const chapters = parts.map((ps, i) => {
      const [first, ...rest] = ps;
      const body = i === 0 ? ps.map((p) => `<p>${escapeXml(p)}</p>`).join('') : `<h2>${escapeXml(first!)}</h2>` + rest.map((p) => `<p>${escapeXml(p)}</p>`).join('\n');
      return { file: `ch${i}.xhtml`, body, title: i === 0 ? 'Opening' : `Part ${i}` };
    });
    // Manifest order reversed relative to the spine: the spine decides.
    const order = chapters.map((_, i) => i);
    const epub = buildEpub({ chapters: [...chapters].reverse(), spineOrder: order.map((i) => chapters.length - 1 - i), metadata: METADATA });
    const r = await extract('cliff.epub', epub);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(words(d.text)).toEqual(words(paragraphs.join(' ')));
    expect(d.sections.map((s) => s.title)).toEqual(['Opening', ...headings]);
    expect(d.sections.every((s) => s.kind === 'chapter')).toBe(true);
    d.sections.forEach((s, i) => expect(words(d.text.slice(s.start)).slice(0, 5)).toEqual(words(parts[i]!.join(' ')).slice(0, 5)));
    expect(d.title).toBe('Russia: A Marxist analysis');
    expect(d.author).toBe('Tony Cliff; Editor Two');
    expect(d.date).toBe('1964');
    expect(d.meta).toMatchObject({ language: 'en', publisher: 'Socialist Review' });
  });

  it('resolves hrefs relative to the package, and ignores non-XHTML spine items', async () => {
    const epub = buildZip({
      mimetype: 'application/epub+zip',
      'META-INF/container.xml':
        '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="pkg/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
      'pkg/book.opf':
        '<package xmlns="http://www.idpf.org/2007/opf"><metadata/><manifest>' +
        '<item id="a" href="../content/a%20b.html" media-type="application/xhtml+xml"/><item id="img" href="cover.png" media-type="image/png"/>' +
        '</manifest><spine><itemref idref="img"/><itemref idref="a"/></spine></package>',
      'content/a b.html': '<html><head><title/></head><body><h1>Only chapter</h1><script src="x.js"/><p>Text with &amp; entity.</p></body></html>',
      'pkg/cover.png': new Uint8Array([137, 80, 78, 71]),
    });
    const r = await extract('odd.epub', epub);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text).toBe('Only chapter\n\nText with & entity.\n');
    expect(r.documents[0]!.sections).toEqual([{ title: 'Only chapter', start: 0, kind: 'chapter' }]);
  });

  it('refuses an archive with a ../ entry', async () => {
    const epub = buildEpub({ chapters: [{ file: 'c.xhtml', body: '<p>x</p>' }], extraFiles: { '../../etc/cron.d/evil': 'x' } });
    const r = await extract('evil.epub', epub);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/unsafe path: "\.\.\/\.\.\/etc\/cron\.d\/evil"/);
  });

  it('refuses archives beyond the caps: entry count, entry size, total size', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i <= 2000; i++) many[`OEBPS/f${i}.txt`] = '';
    const r1 = await extract('many.epub', buildEpub({ chapters: [{ file: 'c.xhtml', body: '<p>x</p>' }], extraFiles: many }));
    expect(r1).toEqual({ ok: false, reason: 'not a readable EPUB: archive has more than 2000 entries' });

    // 51 MB of zeros deflates to ~50 KB: a small file that claims too much.
    const big = zipSync({ 'OEBPS/big.xhtml': [new Uint8Array(51 * 1024 * 1024), { level: 1 }] });
    const r2 = await extract('big.epub', big);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.reason).toMatch(/big\.xhtml is 51 MB uncompressed, more than the 50 MB allowed per entry/);

    const caps = { maxEntries: 10, maxTotalBytes: 1000, maxEntryBytes: 600 };
    const total = ZipArchive.open(buildZip({ a: 'x'.repeat(500), b: 'y'.repeat(501) }), caps);
    expect(total).toEqual({ ok: false, reason: 'archive is more than 1000 bytes uncompressed' });
    expect(ZipArchive.open(buildZip({ a: 'x'.repeat(500), b: 'y'.repeat(500) }), caps).ok).toBe(true);
  });

  it('refuses an entry that holds more than its header declares, never inflating past it', () => {
    const zip = buildZip({ 'a.txt': 'z'.repeat(5000) });
    // Patch the central directory's uncompressed size (offset 24 of the 0x02014b50 record) down to 10.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let at = -1;
    for (let i = 0; i < zip.length - 4; i++) if (view.getUint32(i, true) === 0x02014b50) at = i;
    expect(at).toBeGreaterThan(0);
    view.setUint32(at + 24, 10, true);
    const opened = ZipArchive.open(zip);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.archive.entries[0]!.originalSize).toBe(10);
    const read = opened.archive.readChecked(['a.txt']);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(/a\.txt holds more than the 10 bytes its header declares/);
  });

  it('refuses a book whose headers understate a chapter, naming the chapter', async () => {
    const epub = buildEpub({ chapters: [{ file: 'c.xhtml', body: `<p>${'The bureaucracy rose. '.repeat(2000)}</p>` }] });
    // Every central-directory record of the chapter now says it holds 100 bytes.
    const view = new DataView(epub.buffer, epub.byteOffset, epub.byteLength);
    const name = new TextEncoder().encode('OEBPS/text/c.xhtml');
    for (let i = 0; i < epub.length - 46; i++) {
      if (view.getUint32(i, true) !== 0x02014b50 || view.getUint16(i + 28, true) !== name.length) continue;
      if (name.every((b, k) => epub[i + 46 + k] === b)) view.setUint32(i + 24, 100, true);
    }
    const r = await extract('lying.epub', epub);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/OEBPS\/text\/c\.xhtml holds more than the 100 bytes its header declares/);
  });

  it('refuses a DRM-protected book, but not one with obfuscated fonts', async () => {
    const encryption = (uri: string) =>
      '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">' +
      `<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="${uri}"/></enc:CipherData></enc:EncryptedData></encryption>`;
    const chapters = [{ file: 'c.xhtml', body: '<p>Readable words.</p>' }];
    const locked = await extract('drm.epub', buildEpub({ chapters, extraFiles: { 'META-INF/encryption.xml': encryption('OEBPS/text/c.xhtml') } }));
    expect(locked).toEqual({ ok: false, reason: 'DRM-protected EPUB: OEBPS/text/c.xhtml is encrypted; Loupe can only read unprotected books' });
    const fonts = await extract('fonts.epub', buildEpub({ chapters, extraFiles: { 'META-INF/encryption.xml': encryption('OEBPS/fonts/a.otf') } }));
    expect(fonts.ok && fonts.documents[0]!.text).toBe('Readable words.\n');
  });

  it('refuses archives without a container or a package, with reasons', async () => {
    const noContainer = await extract('a.epub', buildZip({ mimetype: 'application/epub+zip' }));
    expect(noContainer).toEqual({ ok: false, reason: 'not an EPUB: META-INF/container.xml is missing' });
    const noSpine = await extract('b.epub', buildEpub({ chapters: [] }));
    expect(noSpine).toEqual({ ok: false, reason: 'the EPUB spine lists no XHTML content' });
  });

  it('judges entry names and relative hrefs', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:\\x', 'a\\..\\..\\x']) expect(unsafeEntryName(bad), bad).toBe(true);
    for (const ok of ['a/b.xhtml', 'a..b/c', '..a/b', 'OEBPS/text/ch1.xhtml']) expect(unsafeEntryName(ok), ok).toBe(false);
    expect(resolveInArchive('OEBPS/content.opf', 'text/c1.xhtml#frag')).toBe('OEBPS/text/c1.xhtml');
    expect(resolveInArchive('OEBPS/content.opf', '../c.xhtml')).toBe('c.xhtml');
    expect(resolveInArchive('OEBPS/content.opf', '../../c.xhtml')).toBeUndefined();
    expect(resolveInArchive('OEBPS/content.opf', 'https://example.org/x.html')).toBeUndefined();
  });
});
