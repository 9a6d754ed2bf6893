/**
 * XML parsed safely into a small tree. saxes never reads a DTD or fetches anything; on top of that,
 * entities a DOCTYPE declares are never expanded: references to them are dropped with a warning, so
 * neither `<!ENTITY x SYSTEM "file:///etc/passwd">` nor a billion-laughs chain can put anything in
 * the text. Well-formedness errors become warnings and parsing goes on, so a slightly broken file
 * still yields its text.
 */
import { SaxesParser } from 'saxes';
import { LIMITS, errorMessage } from './limits.js';

export interface XmlElement {
  /** Name without namespace prefix (`dc:title` -> `title`). */
  name: string;
  qname: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export type XmlParse = { ok: true; root: XmlElement; warnings: string[] } | { ok: false; reason: string };

const MAX_REPORTED_ERRORS = 3;

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/** Entity names a DOCTYPE declares (general entities only; parameter entities are never referenced in text). */
export function declaredEntities(doctype: string): { name: string; external: boolean }[] {
  const out: { name: string; external: boolean }[] = [];
  const re = /<!ENTITY\s+(%\s+)?([^\s"'>%]+)\s+(SYSTEM|PUBLIC)?/g;
  for (const m of doctype.matchAll(re)) if (!m[1]) out.push({ name: m[2]!, external: !!m[3] });
  return out;
}

export function parseXml(text: string, maxDepth: number = LIMITS.maxXmlDepth): XmlParse {
  const warnings: string[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  // Entities are looked up in this table only; the five XML ones stay, declared ones map to ''.
  const entities = parser.ENTITIES;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let errors = 0;
  let tooDeep = false;
  const dropped = new Set<string>();

  parser.on('doctype', (dt) => {
    const declared = declaredEntities(dt);
    if (declared.length === 0) return;
    for (const { name } of declared) if (!(name in entities)) entities[name] = '';
    const ext = declared.filter((d) => d.external).map((d) => d.name);
    warnings.push(
      `the DOCTYPE declares ${declared.length} entit${declared.length === 1 ? 'y' : 'ies'}` +
        (ext.length ? ` (external: ${ext.slice(0, 5).join(', ')})` : '') +
        '; Loupe never expands or fetches them, so their references are left out of the text',
    );
    for (const d of declared) dropped.add(d.name);
  });
  parser.on('error', (e) => {
    errors++;
    if (errors <= MAX_REPORTED_ERRORS) warnings.push(`XML error: ${errorMessage(e)}`);
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = {
      name: localName(tag.name),
      qname: tag.name,
      attrs: tag.attributes as Record<string, string>,
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (!root) root = el;
    if (stack.length >= maxDepth) tooDeep = true;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const parent = stack[stack.length - 1];
    if (parent && t) parent.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    // Written in slices so a deep-nesting bomb is caught before it has built the whole tree.
    const SLICE = 1 << 20;
    for (let i = 0; i < text.length && !tooDeep; i += SLICE) parser.write(text.slice(i, i + SLICE));
    if (!tooDeep) parser.close();
  } catch (e) {
    return { ok: false, reason: `not readable as XML (${errorMessage(e)})` };
  }
  if (tooDeep) return { ok: false, reason: `XML nested more than ${maxDepth} elements deep` };
  if (!root) return { ok: false, reason: 'not XML: no root element' };
  if (errors > MAX_REPORTED_ERRORS) warnings.push(`${errors - MAX_REPORTED_ERRORS} more XML errors; the text may be incomplete`);
  return { ok: true, root, warnings };
}

/** Element children with the given local name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el ? childrenNamed(el, name)[0] : undefined;
}

/** First descendant (depth first, document order) with the given local name. */
export function descendant(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) return c;
    const d = descendant(c, name);
    if (d) return d;
  }
  return undefined;
}

export function descendants(el: XmlElement | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** All text below an element, whitespace collapsed; children of element-only content are kept apart by a space. */
export function textContent(el: XmlElement | undefined): string {
  if (!el) return '';
  const parts: string[] = [];
  const walk = (e: XmlElement) => {
    const mixed = hasText(e);
    for (const c of e.children) {
      if (typeof c === 'string') parts.push(c);
      else {
        if (!mixed) parts.push(' ');
        walk(c);
        if (!mixed) parts.push(' ');
      }
    }
  };
  walk(el);
  return collapse(parts.join(''));
}

/** True when the element holds text of its own (mixed content), not only elements and indentation. */
export function hasText(el: XmlElement): boolean {
  return el.children.some((c) => typeof c === 'string' && /\S/.test(c));
}

export const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Attribute by local name (`xml:id` found as `id`, `opf:role` as `role`). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  if (el.attrs[name] !== undefined) return el.attrs[name];
  for (const [k, v] of Object.entries(el.attrs)) if (localName(k) === name) return v;
  return undefined;
}
