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
        const m = /^([A-Za-z][\w -]*):\s*(.*)$/.exec(l);
        if (m && m[2]) {
          const key = m[1]!.trim().toLowerCase();
          const value = m[2].trim().replace(/^(["'])(.*)\1$/, '$2');
          if (key === 'title' || key === 'author' || key === 'date' || key === 'source') d[key] = value;
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
    const h = /^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(l);
    if (h) d.sections.push({ title: h[2]!.trim(), start, kind: h[1]!.length === 1 ? 'chapter' : 'heading' });
  }
  if (inFrontMatter) {
    // An unclosed block was not front matter after all.
    for (const k of ['title', 'author', 'date', 'source'] as const) delete d[k];
    d.meta = {};
  }
  return d;
}
