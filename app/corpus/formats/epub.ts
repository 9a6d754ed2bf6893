/**
 * EPUB: META-INF/container.xml names the package (OPF); its spine gives the reading order of the
 * XHTML files. Each spine item becomes a chapter section, titled by its first heading or <title>;
 * the OPF's Dublin Core gives title, creator(s), date and the rest. The zip is checked against the
 * caps (entries, sizes, `..` paths) before anything is inflated.
 */
import { decodeBytes } from '../decode.js';
import { htmlDocument } from './html-page.js';
import { LIMITS, errorMessage } from './limits.js';
import { emptyDocument, refuse, single, type ExtractResult, type Section } from './types.js';
import { attr, child, childrenNamed, descendant, descendants, parseXml, textContent, type XmlElement } from './xml.js';
import { ZipArchive, resolveInArchive } from './zip.js';

const HTML_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/xml', 'text/x-oeb1-document']);

/** An entry's bytes through the checked inflater: an entry that holds more than it declares is refused. */
function entry(zip: ZipArchive, name: string): Uint8Array | string {
  const read = zip.readChecked([name]);
  if (!read.ok) return read.reason;
  return read.files.get(name) ?? `${name} is missing`;
}

function xmlEntry(zip: ZipArchive, name: string): { root: XmlElement; warnings: string[] } | string {
  const bytes = entry(zip, name);
  if (typeof bytes === 'string') return bytes;
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return `${name}: ${decoded.reason}`;
  const parsed = parseXml(decoded.text);
  if (!parsed.ok) return `${name}: ${parsed.reason}`;
  return parsed;
}

export async function extractEpub(bytes: Uint8Array): Promise<ExtractResult> {
  const opened = ZipArchive.open(bytes);
  if (!opened.ok) return refuse(`not a readable EPUB: ${opened.reason}`);
  const zip = opened.archive;
  const warnings: string[] = [];
  try {
    const container = xmlEntry(zip, 'META-INF/container.xml');
    if (typeof container === 'string') return refuse(`not an EPUB: ${container}`);
    const rootfiles = descendant(container.root, 'rootfiles');
    const rootfile =
      (rootfiles ? childrenNamed(rootfiles, 'rootfile') : []).find((r) => attr(r, 'media-type') === 'application/oebps-package+xml') ??
      descendant(container.root, 'rootfile');
    const opfPath = rootfile && attr(rootfile, 'full-path') ? resolveInArchive('', attr(rootfile, 'full-path')!) : undefined;
    if (!opfPath) return refuse('not an EPUB: container.xml names no package file');
    const opf = xmlEntry(zip, opfPath);
    if (typeof opf === 'string') return refuse(`not a readable EPUB: ${opf}`);
    warnings.push(...opf.warnings.map((w) => `${opfPath}: ${w}`));

    const manifest = new Map<string, { href: string; type: string }>();
    for (const item of childrenNamed(child(opf.root, 'manifest') ?? opf.root, 'item')) {
      const id = attr(item, 'id');
      const href = attr(item, 'href');
      if (id && href) manifest.set(id, { href, type: (attr(item, 'media-type') ?? '').toLowerCase() });
    }
    const spine = childrenNamed(child(opf.root, 'spine') ?? opf.root, 'itemref')
      .map((ref) => manifest.get(attr(ref, 'idref') ?? ''))
      .filter((m): m is { href: string; type: string } => !!m && HTML_TYPES.has(m.type))
      .map((m) => resolveInArchive(opfPath, m.href))
      .filter((p): p is string => !!p);
    const order = [...new Set(spine)];
    if (order.length === 0) return refuse('the EPUB spine lists no XHTML content');

    const drm = encryptedContent(zip, order);
    if (drm) return refuse(`DRM-protected EPUB: ${drm} is encrypted; Loupe can only read unprotected books`);

    // Chapters go through the checked inflater too: a book whose headers understate a chapter is refused.
    const read = zip.readChecked(order);
    if (!read.ok) return refuse(`not a readable EPUB: ${read.reason}`);
    const files = read.files;
    const parts: string[] = [];
    const sections: Section[] = [];
    let length = 0;
    let missing = 0;
    for (const path of order) {
      const entry = files.get(path);
      if (!entry) {
        missing++;
        continue;
      }
      const decoded = decodeBytes(entry);
      if (!decoded.ok) {
        warnings.push(`${path}: ${decoded.reason}`);
        continue;
      }
      const chapter = htmlDocument(decoded.text, { xhtml: true });
      const text = chapter.text.trim();
      if (!text) continue;
      if (parts.length) length += 2;
      const title = chapter.sections[0]?.title ?? chapter.title ?? path.split('/').pop()!.replace(/\.x?html?$/i, '');
      sections.push({ title, start: length, kind: 'chapter' });
      parts.push(text);
      length += text.length;
      if (length > LIMITS.maxTextChars) return refuse('the EPUB text is larger than Loupe reads per document');
    }
    if (missing) warnings.push(`${missing} spine item${missing === 1 ? ' is' : 's are'} missing from the archive`);
    const d = emptyDocument(parts.length ? parts.join('\n\n') + '\n' : '');
    d.sections = sections;
    d.warnings = warnings;
    if (!parts.length) d.warnings.push('the EPUB has no text');
    Object.assign(d, opfMetadata(child(opf.root, 'metadata') ?? descendant(opf.root, 'metadata'), d.meta));
    return single(d);
  } catch (e) {
    return refuse(`cannot read the EPUB (${errorMessage(e)})`);
  }
}

/**
 * The first spine item META-INF/encryption.xml lists as encrypted, if any. Fonts are often
 * "encrypted" (obfuscated) too; that is harmless and ignored.
 */
function encryptedContent(zip: ZipArchive, spine: string[]): string | undefined {
  if (!zip.has('META-INF/encryption.xml')) return undefined;
  const enc = xmlEntry(zip, 'META-INF/encryption.xml');
  if (typeof enc === 'string') return undefined;
  const content = new Set(spine);
  for (const ref of descendants(enc.root, 'CipherReference')) {
    const path = resolveInArchive('', attr(ref, 'URI') ?? '');
    if (path && content.has(path)) return path;
  }
  return undefined;
}

/** Dublin Core from the OPF <metadata>: title, author(s), date as fields, the rest into `meta`. */
function opfMetadata(md: XmlElement | undefined, meta: Record<string, string>): { title?: string; author?: string; date?: string; source?: string } {
  if (!md) return {};
  const all = (name: string) => childrenNamed(md, name).map(textContent).filter(Boolean);
  const out: { title?: string; author?: string; date?: string; source?: string } = {};
  const title = all('title')[0];
  const creators = all('creator');
  // The publication date: OPF 2 marks it opf:event="publication"; otherwise the first dc:date.
  const dates = childrenNamed(md, 'date');
  const date = textContent(dates.find((d) => attr(d, 'event') === 'publication') ?? dates[0]);
  if (title) out.title = title;
  if (creators.length) out.author = creators.join('; ');
  if (date) out.date = date;
  const source = all('source')[0];
  if (source) out.source = source;
  for (const name of ['language', 'publisher', 'subject', 'description', 'identifier', 'rights', 'contributor']) {
    const values = all(name);
    if (values.length) meta[name] = values.join('; ');
  }
  return out;
}
