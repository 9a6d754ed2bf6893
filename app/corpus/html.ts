/**
 * The visible text of an HTML page: no scripts, styles or markup; block elements become paragraph
 * breaks so that passages and paragraphs follow the page's structure.
 */
import { Parser } from 'htmlparser2';
import { dropBlanksAtNewlines } from './formats/text-scan.js';

const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object']);
const HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'table', 'tr', 'td', 'th', 'br', 'hr',
  'figure', 'figcaption', 'address', 'body', 'title',
]);

export interface HtmlText {
  text: string;
  title?: string;
}

export interface HtmlOptions {
  /** XHTML rules: `<script src="x"/>` and `<title/>` close themselves instead of hiding the rest of the page. */
  xhtml?: boolean;
}

export function htmlToText(html: string, opts: HtmlOptions = {}): HtmlText {
  const { text, title } = htmlTextAndHeadings(html, opts);
  return title ? { text, title } : { text };
}

/**
 * The visible text, the title, and the h1-h6 headings as they read in that text (whitespace
 * collapsed), in document order. Headings are gathered from the very pieces that make up the text,
 * so each one can be found in it.
 */
export function htmlTextAndHeadings(html: string, opts: HtmlOptions = {}): HtmlText & { headings: string[] } {
  const parts: string[] = [];
  const headings: string[] = [];
  let hidden = 0;
  let inTitle = false;
  let title = '';
  let heading: string[] | undefined;
  let headingDepth = 0;
  const emit = (s: string) => {
    parts.push(s);
    heading?.push(s);
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (INVISIBLE.has(name)) hidden++;
        else if (BLOCK.has(name) && hidden === 0) emit(name === 'br' ? '\n' : '\n\n');
        if (HEADING.has(name) && hidden === 0 && headingDepth++ === 0) heading = [];
      },
      ontext(data) {
        if (inTitle) title += data;
        else if (hidden === 0) emit(data);
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (HEADING.has(name) && headingDepth > 0 && --headingDepth === 0 && heading) {
          const t = heading.join('').replace(/\s+/g, ' ').trim();
          if (t) headings.push(t);
          heading = undefined;
        }
        if (INVISIBLE.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCK.has(name) && hidden === 0) emit('\n\n');
      },
    },
    // recognizeSelfClosing: the parser itself reads `<x/>` as open-and-close, so XHTML needs no rewriting first.
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: opts.xhtml === true },
  );
  parser.write(html);
  parser.end();
  // Blanks around a line end go, at most one blank line stays, runs of blanks become one space.
  const text = dropBlanksAtNewlines(parts.join(''), ' \t\f\v\u00a0', true)
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[ \t\f\v]{2,}/g, ' ')
    .trim();
  const t = title.replace(/\s+/g, ' ').trim();
  // An empty page stays empty (no lone newline), whichever path read it.
  const body = text ? text + '\n' : '';
  return t ? { text: body, title: t, headings } : { text: body, headings };
}
