/**
 * An HTML or XHTML page as a document: the text is exactly what app/corpus/html.ts `htmlToText`
 * gives (so .html reads the same with or without this module); headings h1-h6 become sections by
 * finding each heading's words, in order, in that text; <title> and <meta> give the metadata.
 */
import { Parser } from 'htmlparser2';
import { htmlToText } from '../html.js';
import type { ExtractedDocument, Section } from './types.js';

const HEADING = /^h[1-6]$/;
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object']);

interface HtmlScan {
  headings: string[];
  meta: Record<string, string>;
}

function scan(html: string): HtmlScan {
  const headings: string[] = [];
  const meta: Record<string, string> = {};
  let hidden = 0;
  let heading: string[] | undefined;
  let headingDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (INVISIBLE.has(name)) hidden++;
        if (name === 'meta') {
          const key = (attrs.name ?? attrs.property ?? '').toLowerCase();
          if (key && attrs.content !== undefined && !(key in meta)) meta[key] = attrs.content;
        }
        if (HEADING.test(name) && hidden === 0) {
          if (headingDepth++ === 0) heading = [];
        }
      },
      ontext(data) {
        if (heading && hidden === 0) heading.push(data);
      },
      onclosetag(name) {
        if (INVISIBLE.has(name)) hidden = Math.max(0, hidden - 1);
        if (HEADING.test(name) && headingDepth > 0 && --headingDepth === 0 && heading) {
          const t = heading.join('').replace(/\s+/g, ' ').trim();
          if (t) headings.push(t);
          heading = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { headings, meta };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Finds each title in order in `text`; titles not found (hidden by CSS tricks, say) are left out. */
export function locateHeadings(text: string, titles: string[], kind: Section['kind'] = 'heading'): Section[] {
  const sections: Section[] = [];
  let cursor = 0;
  for (const title of titles) {
    const words = title.split(' ').filter(Boolean).slice(0, 50);
    if (!words.length) continue;
    const re = new RegExp(words.map(escapeRe).join('[\\s\\u00a0]+'), 'g');
    re.lastIndex = cursor;
    const m = re.exec(text);
    if (!m) continue;
    sections.push({ title, start: m.index, kind });
    cursor = m.index + m[0].length;
  }
  return sections;
}

const AUTHOR_KEYS = ['author', 'dc.creator', 'dcterms.creator', 'citation_author', 'article:author'];
const DATE_KEYS = ['dc.date', 'dcterms.date', 'dcterms.created', 'dcterms.issued', 'date', 'citation_date', 'citation_publication_date', 'article:published_time'];
const TITLE_KEYS = ['dc.title', 'dcterms.title', 'citation_title', 'og:title'];

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * XHTML allows `<script src="x"/>` and `<title/>`; an HTML parser reads those as opening tags and
 * would hide the rest of the page inside them. Writing them out as open+close pairs first keeps
 * the text visible.
 */
export function expandSelfClosing(xhtml: string): string {
  return xhtml.replace(/<([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/>/g, (whole, name: string, attrs: string) =>
    VOID.has(name.toLowerCase()) ? whole : `<${name}${attrs}></${name}>`,
  );
}

export function htmlDocument(source: string, opts: { xhtml?: boolean } = {}): ExtractedDocument {
  const html = opts.xhtml ? expandSelfClosing(source) : source;
  const { text, title } = htmlToText(html);
  const { headings, meta } = scan(html);
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
  for (const k of ['description', 'keywords', 'dc.language', 'dc.publisher', 'dc.source']) {
    const v = meta[k]?.trim();
    if (v) d.meta[k] = v;
  }
  return d;
}
