/**
 * Plain text and Markdown. The text is kept exactly as decoded (the tokeniser reads Markdown
 * markup as punctuation); Markdown ATX headings become sections and a YAML front-matter block gives
 * title/author/date.
 */
import { emptyDocument, type ExtractedDocument } from './types.js';

export function plainDocument(text: string): ExtractedDocument {
  return emptyDocument(text);
}

export function markdownDocument(text: string): ExtractedDocument {
  const d = emptyDocument(text);
  let offset = 0;
  let fence: string | undefined;
  let lineNo = 0;
  let inFrontMatter = false;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const l = line.replace(/\r$/, '');
    if (lineNo++ === 0 && l === '---') {
      inFrontMatter = true;
      continue;
    }
    if (inFrontMatter) {
      if (l === '---' || l === '...') inFrontMatter = false;
      else {
        const field = frontMatterField(l);
        if (field) {
          const key = field.key.trim().toLowerCase();
          const value = unquote(field.value.trim());
          if (key === 'title' || key === 'author' || key === 'date' || key === 'source') d[key] = value;
          else if (key === 'language' || key === 'lang') d.language = { value, source: 'front matter' };
          else d.meta[key] = value;
        }
      }
      continue;
    }
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
    if (f) {
      if (!fence) fence = f[1]![0];
      else if (f[1]![0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const h = atxHeading(l);
    if (h) d.sections.push({ title: h.title.trim(), start, kind: h.level === 1 ? 'chapter' : 'heading' });
  }
  if (inFrontMatter) {
    // An unclosed block was not front matter after all.
    for (const k of ['title', 'author', 'date', 'source', 'language'] as const) delete d[k];
    d.meta = {};
  }
  return d;
}

// Characters a regular expression's `.` does not match: a line holding one is neither a heading nor a field.
const LINE_BREAKS = /[\n\r\u2028\u2029]/;
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * `key: value`: a key of letters, digits, `_`, `-` and spaces starting with a letter, a colon, then
 * the value after any whitespace. Scanned by hand: a pattern like `:\s*(.*)$` retries its
 * whitespace run from every position, quadratic on a long run.
 */
export function frontMatterField(line: string): { key: string; value: string } | undefined {
  const key = /^[A-Za-z][\w -]*/.exec(line)?.[0];
  if (!key || line[key.length] !== ':') return undefined;
  const value = line.slice(key.length + 1).replace(/^\s+/, '');
  if (!value || LINE_BREAKS.test(value)) return undefined;
  return { key, value };
}

function unquote(value: string): string {
  const q = value[0];
  return value.length >= 2 && (q === '"' || q === "'") && value[value.length - 1] === q ? value.slice(1, -1) : value;
}

/**
 * A Markdown ATX heading (`## Title ##`): up to three spaces, one to six `#`, at least one blank,
 * the title, and an optional closing run of `#` after a blank. Scanned by hand, as a pattern with a
 * lazy title between blank runs takes time quadratic in a long run of spaces.
 */
export function atxHeading(line: string): { level: number; title: string } | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const hashes = i;
  while (line[i] === '#') i++;
  const level = i - hashes;
  if (level < 1 || level > 6 || !isBlank(line[i])) return undefined;
  const rest = line.slice(i); // starts with a blank
  if (LINE_BREAKS.test(rest)) return undefined;
  let start = 0;
  while (isBlank(rest[start])) start++;
  // Only blanks after the hashes: the title is the one blank a non-empty title needs.
  if (start === rest.length) return rest.length >= 2 ? { level, title: rest[start - 1]! } : undefined;
  let end = rest.length;
  while (isBlank(rest[end - 1])) end--;
  // A closing run of `#` counts only after a blank, and only with title text before that blank.
  let close = end;
  while (rest[close - 1] === '#') close--;
  if (close < end && isBlank(rest[close - 1])) {
    let before = close - 1;
    while (isBlank(rest[before - 1])) before--;
    if (before > start) end = before;
  }
  return { level, title: rest.slice(start, end) };
}
