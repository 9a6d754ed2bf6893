/**
 * The visible text of an HTML page: no scripts, styles or markup; block elements become paragraph
 * breaks so that passages and paragraphs follow the page's structure.
 */
import { Parser } from 'htmlparser2';

const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'table', 'tr', 'td', 'th', 'br', 'hr',
  'figure', 'figcaption', 'address', 'body', 'title',
]);

export interface HtmlText {
  text: string;
  title?: string;
}

export function htmlToText(html: string): HtmlText {
  const parts: string[] = [];
  let hidden = 0;
  let inTitle = false;
  let title = '';
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (INVISIBLE.has(name)) hidden++;
        else if (BLOCK.has(name) && hidden === 0) parts.push(name === 'br' ? '\n' : '\n\n');
      },
      ontext(data) {
        if (inTitle) title += data;
        else if (hidden === 0) parts.push(data);
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (INVISIBLE.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCK.has(name) && hidden === 0) parts.push('\n\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const text = parts
    .join('')
    .replace(/[ \t\f\v\u00a0]*\n[ \t\f\v\u00a0]*/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[ \t\f\v]{2,}/g, ' ')
    .trim();
  const t = title.replace(/\s+/g, ' ').trim();
  // An empty page stays empty (no lone newline), whichever path read it.
  const body = text ? text + '\n' : '';
  return t ? { text: body, title: t } : { text: body };
}
