import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extract } from '../../../app/corpus/formats/index.js';
import { declaredEntities, parseXml } from '../../../app/corpus/formats/xml.js';
import { cliffChapter, escapeXml, words } from './build-fixtures.js';

const { paragraphs, headings } = cliffChapter();
const enc = (s: string) => new TextEncoder().encode(s);

/** The chapter as TEI: front matter, one <div type="section"> per heading, a <fw> running head on each. */
function cliffTei(): string {
  const divs: string[] = [];
  let open = false;
  const intro: string[] = [];
  for (const p of paragraphs) {
    if (headings.includes(p)) {
      if (open) divs.push('</div>');
      divs.push(`<div type="section" n="${divs.filter((d) => d.startsWith('<div')).length + 1}">\n  <head>${escapeXml(p)}</head>`);
      open = true;
    } else if (open) divs.push(`  <p>${escapeXml(p)}</p>`);
    else intro.push(`<p>${escapeXml(p)}</p>`);
  }
  if (open) divs.push('</div>');
  return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">The coming Russian revolution</title>
        <title type="sub">Russia: A Marxist analysis, chapter XVIII</title>
        <author><persName><forename>Tony</forename><surname>Cliff</surname></persName></author>
      </titleStmt>
      <publicationStmt><publisher>Marxists Internet Archive</publisher><date when="2018-09-20">20 September 2018</date></publicationStmt>
      <sourceDesc><bibl>T. Cliff, Russia: A Marxist Analysis, <date when="1964">1964</date>.</bibl></sourceDesc>
    </fileDesc>
    <profileDesc><langUsage><language ident="en">English</language></langUsage></profileDesc>
  </teiHeader>
  <text>
    <body>
      <fw type="header">RUNNING HEAD</fw>
      <div type="intro">${intro.join('\n')}</div>
      ${divs.join('\n')}
    </body>
  </text>
</TEI>`;
}

describe('TEI', () => {
  it('reads the body text, divs with heads as sections, and the header as metadata', async () => {
    const r = await extract('cliff.tei', enc(cliffTei()));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(words(d.text)).toEqual(words(paragraphs.join(' ')));
    expect(d.text).not.toContain('RUNNING HEAD');
    expect(d.text).not.toContain('Marxists Internet Archive');
    expect(d.sections.map((s) => s.title)).toEqual(['intro', ...headings]);
    for (const s of d.sections.slice(1)) expect(d.text.slice(s.start, s.start + s.title.length)).toBe(s.title);
    expect(d.sections.every((s) => s.kind === 'div')).toBe(true);
    expect(d.text).toContain('\n\nIn conclusion\n\n');
    expect(d.title).toBe('The coming Russian revolution');
    expect(d.author).toBe('Tony Cliff');
    expect(d.date).toBe('2018-09-20');
    expect(d.source).toBe('T. Cliff, Russia: A Marxist Analysis, 1964.');
    expect(d.meta).toMatchObject({ publisher: 'Marxists Internet Archive', sourceDate: '1964', language: 'en' });
    expect(d.encoding).toBe('utf-8');
    expect(d.warnings).toEqual([]);
  });

  it('reads choice, line breaks, verse lines and nested divs the way a reader would', async () => {
    const xml = `<TEI><teiHeader/><text><body><div n="1"><head>Outer</head>
      <p>The <choice><sic>teh</sic><corr>the</corr></choice> <hi rend="italic">first</hi> line<lb/>second line, exam<lb break="no"/>ple.</p>
      <div type="poem"><lg><l>Verse one</l><l>Verse two</l></lg></div>
      </div></body></text></TEI>`;
    const r = await extract('small.xml', enc(xml));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(d.text).toBe('Outer\n\nThe the first line\nsecond line, example.\n\nVerse one\nVerse two\n');
    expect(d.sections).toEqual([
      { title: 'Outer', start: 0, kind: 'div' },
      { title: 'poem', start: d.text.indexOf('Verse one'), kind: 'div' },
    ]);
  });

  it('gives one document per TEI in a teiCorpus, with the corpus header as a fallback', async () => {
    const tei = (t: string, body: string) =>
      `<TEI><teiHeader><fileDesc><titleStmt><title>${t}</title></titleStmt></fileDesc></teiHeader><text><body><p>${body}</p></body></text></TEI>`;
    const xml = `<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Letters</title><author>Anon</author></titleStmt></fileDesc></teiHeader>${tei('First', 'Dear sir.')}${tei('Second', 'Dear madam.')}</teiCorpus>`;
    const r = await extract('letters.xml', enc(xml));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents.map((d) => [d.part, d.title, d.author, d.text, d.meta.corpus])).toEqual([
      ['#text 1', 'First', 'Anon', 'Dear sir.\n', 'Letters'],
      ['#text 2', 'Second', 'Anon', 'Dear madam.\n', 'Letters'],
    ]);
  });
});

describe('other XML', () => {
  it('reads all text content, keeping structure apart and prose together', async () => {
    const xml = `<?xml version="1.0"?><articles><article><title>On <em>hope</em></title><body>It is <b>wrong</b> to despair.</body></article>
      <article><title>Second</title><body>More text.</body></article></articles>`;
    const r = await extract('feed.xml', enc(xml));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text).toBe('On hope\n\nIt is wrong to despair.\n\nSecond\n\nMore text.\n');
    expect(r.documents[0]!.title).toBe('On hope');
  });

  it('sends XHTML to the HTML reader', async () => {
    const r = await extract('page.xml', enc('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head><body><h1>Head</h1><p>Para</p></body></html>'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!).toMatchObject({ text: 'Head\n\nPara\n', title: 'T', sections: [{ title: 'Head', start: 0, kind: 'heading' }] });
  });

  it('decodes windows-1252 XML and says so', async () => {
    const bytes = Uint8Array.from([...enc('<doc>caf'), 0xe9, ...enc(' cr'), 0xe8, ...enc('me</doc>')]);
    const r = await extract('latin.xml', bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text).toBe('café crème\n');
    expect(r.documents[0]!.encoding).toBe('windows-1252');
    expect(r.documents[0]!.warnings.join(' ')).toMatch(/windows-1252/);
  });
});

describe('hostile XML', () => {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const marker = passwd.split('\n')[0]!.split(':')[0]!; // "root"

  it('never expands an external entity (no /etc/passwd in the text)', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><doc><p>before &xxe; after</p></doc>`;
    const r = await extract('xxe.xml', enc(xml));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.documents[0]!;
    expect(d.text).toBe('before after\n');
    expect(d.text).not.toContain(marker + ':x');
    expect(d.warnings.join(' ')).toMatch(/external: xxe.*never expands or fetches/);
  });

  it('does not expand a billion-laughs chain', async () => {
    const defs = ['<!ENTITY a0 "ha">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i};`.repeat(10)}">`)];
    const xml = `<!DOCTYPE lol [${defs.join('')}]><lol>&a9;</lol>`;
    const r = await extract('lol.xml', enc(xml));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text.length).toBeLessThan(100);
    expect(r.documents[0]!.text).not.toContain('ha');
  });

  it('refuses XML nested deeper than the cap, and non-XML', async () => {
    const deep = '<a>'.repeat(100_000) + 'x' + '</a>'.repeat(100_000);
    const r = await extract('deep.xml', enc(deep));
    expect(r).toEqual({ ok: false, reason: 'XML nested more than 512 elements deep' });
    const notXml = await extract('plain.xml', enc('just words, no markup'));
    expect(notXml.ok).toBe(false);
  });

  it('turns well-formedness errors into warnings and keeps the text', async () => {
    const r = await extract('broken.xml', enc('<doc><p>one &undefined; two</p><p>three</doc>'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(words(r.documents[0]!.text)).toEqual(['one', '&undefined;', 'two', 'three']);
    expect(r.documents[0]!.warnings.some((w) => w.startsWith('XML error'))).toBe(true);
  });

  it('lists declared general entities, not parameter entities', () => {
    expect(declaredEntities('doc [<!ENTITY a "x"><!ENTITY % p SYSTEM "p.dtd"><!ENTITY b PUBLIC "-//x" "y.ent">]')).toEqual([
      { name: 'a', external: false },
      { name: 'b', external: true },
    ]);
    const p = parseXml('<r xmlns:x="u"><x:a x:id="1">t</x:a></r>');
    expect(p.ok && p.root.children[0]).toMatchObject({ name: 'a', qname: 'x:a', attrs: { 'x:id': '1' } });
  });
});
