/**
 * An HTML or XHTML page as a document: the text is exactly what app/corpus/html.ts `htmlToText`
 * gives (so .html reads the same with or without this module); headings h1-h6 become sections by
 * finding each heading's words, in order, in that text; <title> and <meta> give the metadata.
 */
import { Parser } from 'htmlparser2';
import { htmlTextAndHeadings } from '../html.js';
import { WordFinder } from './text-scan.js';
import type { ExtractedDocument, Section } from './types.js';

function scanMeta(html: string, xhtml: boolean): Record<string, string> {
  const meta: Record<string, string> = {};
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'html' && attrs.lang && !('lang' in meta)) meta.lang = attrs.lang;
        else if (name === 'html' && attrs['xml:lang'] && !('lang' in meta)) meta.lang = attrs['xml:lang'];
        if (name === 'meta') {
          const key = (attrs.name ?? attrs.property ?? '').toLowerCase();
          if (key && attrs.content !== undefined && !(key in meta)) meta[key] = attrs.content;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: xhtml },
  );
  parser.write(html);
  parser.end();
  return meta;
}

/** Finds each title in order in `text`; titles not found (hidden by CSS tricks, say) are left out. */
export function locateHeadings(text: string, titles: string[], kind: Section['kind'] = 'heading'): Section[] {
  const sections: Section[] = [];
  const finder = new WordFinder(text);
  let cursor = 0;
  for (const title of titles) {
    const found = finder.find(title, cursor, 50);
    if (!found) continue;
    sections.push({ title, start: found.start, kind });
    cursor = found.end;
  }
  return sections;
}

const AUTHOR_KEYS = ['author', 'dc.creator', 'dcterms.creator', 'citation_author', 'article:author'];
const DATE_KEYS = ['dc.date', 'dcterms.date', 'dcterms.created', 'dcterms.issued', 'date', 'citation_date', 'citation_publication_date', 'article:published_time'];
const TITLE_KEYS = ['dc.title', 'dcterms.title', 'citation_title', 'og:title'];

export function htmlDocument(source: string, opts: { xhtml?: boolean } = {}): ExtractedDocument {
  // XHTML allows `<script src="x"/>` and `<title/>`; read by HTML rules they would open elements
  // that hide the rest of the page, so XHTML is parsed with self-closing tags recognised.
  const xhtml = opts.xhtml === true;
  const { text, title, headings } = htmlTextAndHeadings(source, { xhtml });
  const meta = scanMeta(source, xhtml);
  const pick = (keys: string[]) => {
    for (const k of keys) {
      const v = meta[k]?.trim();
      if (v) return v;
    }
    return undefined;
  };
  const d: ExtractedDocument = {
    part: '',
    text: text.trim() ? text : '',
    meta: {},
    sections: locateHeadings(text, headings),
    pages: [],
    warnings: [],
  };
  const t = title ?? pick(TITLE_KEYS);
  const author = pick(AUTHOR_KEYS);
  const date = pick(DATE_KEYS);
  if (t) d.title = t;
  if (author) d.author = author;
  if (date) d.date = date;
  const lang = pick(['lang', 'dc.language', 'dcterms.language', 'language']);
  if (lang) d.language = { value: lang, source: 'markup' };
  for (const k of ['description', 'keywords', 'dc.language', 'dc.publisher', 'dc.source']) {
    const v = meta[k]?.trim();
    if (v) d.meta[k] = v;
  }
  return d;
}
