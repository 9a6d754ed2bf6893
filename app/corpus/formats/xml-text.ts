/**
 * XML: TEI files give the text of their <text> body, with <div>/<head> as sections and the
 * teiHeader as metadata (a teiCorpus gives one document per TEI); XHTML goes to the HTML reader;
 * any other XML gives all its text content. Parsing is in xml.ts: no DTD, no entity expansion.
 */
import { htmlDocument } from './html-page.js';
import { LIMITS } from './limits.js';
import { TextBuilder } from './text-builder.js';
import { emptyDocument, refuse, type ExtractResult, type ExtractedDocument, type Section } from './types.js';
import { attr, child, childrenNamed, collapse, descendant, descendants, hasText, parseXml, textContent, type XmlElement } from './xml.js';

const DIV = /^div[1-7]?$/;
// Elements that start their own paragraph in TEI (P5 names; P4 ones are the same).
const TEI_BLOCK = new Set([
  'p', 'head', 'lg', 'sp', 'speaker', 'stage', 'list', 'item', 'table', 'row', 'ab', 'castList', 'castItem', 'castGroup',
  'label', 'trailer', 'epigraph', 'opener', 'closer', 'salute', 'signed', 'dateline', 'byline', 'docTitle', 'titlePart',
  'docAuthor', 'docImprint', 'docDate', 'titlePage', 'argument', 'listBibl', 'figure', 'figDesc', 'note', 'postscript',
  'front', 'body', 'back', 'group', 'text', 'u', 'entry', 'sense', 'form', 'cit', 'bibl', 'listPerson', 'person',
]);
const TEI_LINE = new Set(['l', 'cell', 'lb']);
// Forme work (running heads, printed page numbers) and editorial apparatus are not the text.
const TEI_SKIP = new Set(['fw', 'teiHeader', 'facsimile', 'sourceDoc', 'standOff']);
// In a <choice>, read the corrected/regularised/expanded reading, not both.
const CHOICE_SKIP = new Set(['sic', 'orig', 'abbr']);

export function extractXml(text: string): ExtractResult {
  const parsed = parseXml(text);
  if (!parsed.ok) return refuse(parsed.reason);
  const root = parsed.root;
  let docs: ExtractedDocument[];
  if (root.name === 'html') {
    docs = [htmlDocument(text, { xhtml: true })];
  } else if (root.name === 'teiCorpus' || root.name === 'teiCorpus.2') {
    const corpusHeader = child(root, 'teiHeader');
    const tei = childrenNamed(root, 'TEI').concat(childrenNamed(root, 'TEI.2'));
    docs = tei.map((t, i) => {
      const d = teiDocument(t, corpusHeader);
      d.part = `#text ${i + 1}`;
      return d;
    });
    if (docs.length === 0) return refuse('the teiCorpus holds no TEI texts');
  } else if (root.name === 'TEI' || root.name === 'TEI.2') {
    docs = [teiDocument(root)];
  } else {
    docs = [genericDocument(root)];
  }
  for (const d of docs) d.warnings.unshift(...parsed.warnings);
  return { ok: true, documents: docs };
}

function teiDocument(tei: XmlElement, corpusHeader?: XmlElement): ExtractedDocument {
  const body = child(tei, 'text');
  const builder = new TextBuilder(LIMITS.maxTextChars);
  const sections: Array<Section & { order: number }> = [];
  if (body) walkTei(body, builder, sections, false);
  const d = emptyDocument(builder.finish());
  d.sections = sections
    .filter((s) => s.start >= 0)
    .sort((a, b) => a.start - b.start || a.order - b.order)
    .map(({ title, start, kind }) => ({ title, start, kind }));
  if (!body) d.warnings.push('the TEI file has no <text> element');
  else if (!d.text) d.warnings.push('the TEI <text> is empty');
  if (builder.truncated) d.warnings.push('the text was cut at the size limit');
  Object.assign(d, teiHeaderFields(child(tei, 'teiHeader'), d.meta));
  if (corpusHeader) {
    const shared: Record<string, string> = {};
    const fromCorpus = teiHeaderFields(corpusHeader, shared);
    for (const [k, v] of Object.entries(fromCorpus)) if (!(k in d)) Object.assign(d, { [k]: v });
    for (const [k, v] of Object.entries(shared)) d.meta[k] ??= v;
    const corpusTitle = textContent(descendant(child(corpusHeader, 'fileDesc'), 'title'));
    if (corpusTitle) d.meta.corpus = corpusTitle;
  }
  return d;
}

function walkTei(el: XmlElement, out: TextBuilder, sections: Array<Section & { order: number }>, inChoice: boolean) {
  if (TEI_SKIP.has(el.name)) return;
  if (inChoice && CHOICE_SKIP.has(el.name)) return;
  // <lb break="no"/> falls inside a word.
  if (el.name === 'lb') return attr(el, 'break') === 'no' ? undefined : out.line();
  const isDiv = DIV.test(el.name);
  const block = isDiv || TEI_BLOCK.has(el.name);
  // Inline elements holding only elements (<persName><forename/><surname/>, <s><w/><w/>) keep their parts apart.
  const spaced = !block && !hasText(el) && el.name !== 'choice';
  const line = TEI_LINE.has(el.name);
  if (block) out.block();
  else if (line) out.line();
  if (isDiv) {
    const head = textContent(child(el, 'head'));
    const type = attr(el, 'type');
    const n = attr(el, 'n');
    const title = head || [type, n].filter(Boolean).join(' ') || 'div';
    const s = { title, start: -1, kind: 'div' as const, order: sections.length };
    sections.push(s);
    out.atNextText((offset) => (s.start = offset));
  }
  const choice = el.name === 'choice';
  for (const c of el.children) {
    if (typeof c === 'string') out.text(c);
    else {
      if (spaced) out.text(' ');
      walkTei(c, out, sections, choice);
    }
  }
  if (block) out.block();
  else if (line) out.line();
}

/** teiHeader: titleStmt title/author, publicationStmt date, sourceDesc as source; extras into meta. */
function teiHeaderFields(header: XmlElement | undefined, meta: Record<string, string>) {
  const out: { title?: string; author?: string; date?: string; source?: string } = {};
  if (!header) return out;
  const fileDesc = child(header, 'fileDesc');
  const titleStmt = child(fileDesc, 'titleStmt');
  const titles = titleStmt ? childrenNamed(titleStmt, 'title') : [];
  const title = textContent(titles.find((t) => attr(t, 'type') === 'main') ?? titles[0]);
  const authors = (titleStmt ? childrenNamed(titleStmt, 'author') : []).map(textContent).filter(Boolean);
  const pub = child(fileDesc, 'publicationStmt');
  const pubDate = child(pub, 'date');
  const date = attr(pubDate, 'when') ?? textContent(pubDate);
  const sourceDesc = child(fileDesc, 'sourceDesc');
  const source = collapse(textContent(sourceDesc)).slice(0, 500);
  if (title) out.title = title;
  if (authors.length) out.author = authors.join('; ');
  if (date) out.date = date;
  if (source) out.source = source;
  const editors = (titleStmt ? childrenNamed(titleStmt, 'editor') : []).map(textContent).filter(Boolean);
  if (editors.length) meta.editor = editors.join('; ');
  const publisher = textContent(child(pub, 'publisher'));
  if (publisher) meta.publisher = publisher;
  const idno = textContent(child(pub, 'idno'));
  if (idno) meta.idno = idno;
  const sourceDate = descendant(sourceDesc, 'date');
  const sd = attr(sourceDate, 'when') ?? textContent(sourceDate);
  if (sd) meta.sourceDate = sd;
  const langs = descendants(descendant(header, 'langUsage'), 'language')
    .map((l) => attr(l, 'ident') ?? textContent(l))
    .filter((x): x is string => !!x);
  if (langs.length) meta.language = langs.join('; ');
  const keywords = descendants(descendant(header, 'textClass'), 'term').map(textContent).filter(Boolean);
  if (keywords.length) meta.keywords = keywords.slice(0, 50).join('; ');
  return out;
}

/** Any other XML: element-only content is structure (each child its own paragraph), mixed content is prose. */
function genericDocument(root: XmlElement): ExtractedDocument {
  const builder = new TextBuilder(LIMITS.maxTextChars);
  const walk = (el: XmlElement) => {
    const structure = !hasText(el);
    for (const c of el.children) {
      if (typeof c === 'string') builder.text(c);
      else if (structure) {
        builder.block();
        walk(c);
        builder.block();
      } else walk(c);
    }
  };
  walk(root);
  const d = emptyDocument(builder.finish());
  const title = textContent(descendant(root, 'title'));
  if (title) d.title = title.slice(0, 500);
  if (builder.truncated) d.warnings.push('the text was cut at the size limit');
  if (!d.text) d.warnings.push('the XML holds no text');
  return d;
}
