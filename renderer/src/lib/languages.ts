/**
 * Document languages as the renderer shows them: the language by its English name (from the
 * engine's ISO code), how it was decided, and a corpus's languages with their sizes.
 */
import type { DocumentInfo, LanguageSource } from '../../../app/contract/types';

let names: Intl.DisplayNames | null = null;

/** `ru` → Russian, `zh` → Chinese; a code the browser has no name for is shown as given. */
function languageName(code: string | undefined): string {
  if (!code) return 'Undetermined';
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'language' });
    const name = names.of(code);
    return name && name.toLowerCase() !== code.toLowerCase() ? name : code;
  } catch {
    // A code Intl refuses as malformed still says something to the reader.
    return code;
  }
}

/** Short words for how a language was decided, as the documents table shows them. */
const HOW: Record<LanguageSource, string> = {
  metadata: 'metadata.csv',
  'front matter': 'front matter',
  'corpus setting': 'corpus setting',
  markup: 'markup',
  detected: 'detected',
  assumed: 'assumed (too short to tell)',
  undetermined: 'undetermined',
};

/** The longer account, for the cell's tooltip. */
const WHY: Record<LanguageSource, string> = {
  metadata: 'from the language column of metadata.csv',
  'front matter': 'from the language: field at the top of the document',
  'corpus setting': 'set for the whole corpus when it was opened',
  markup: "from the file's own markup (HTML lang, EPUB or TEI language)",
  detected: 'detected from the text',
  assumed: 'assumed English: the text is too short to tell and is written in Latin letters',
  undetermined: 'the text is too short or too mixed to tell',
};

/** True when the engine said anything about languages (older indexes say nothing). */
export const hasLanguages = (docs: readonly DocumentInfo[]): boolean =>
  docs.some((d) => d.language !== undefined || d.languageSource !== undefined);

/** "Russian · detected", "English · assumed (too short to tell)", "Undetermined". */
export function languageLabel(d: DocumentInfo): string {
  const src = d.languageSource;
  if (!d.language) return src && src !== 'undetermined' ? `Undetermined · ${HOW[src]}` : 'Undetermined';
  return src ? `${languageName(d.language)} · ${HOW[src]}` : languageName(d.language);
}

export function languageWhy(d: DocumentInfo): string {
  const src = d.languageSource ?? (d.language ? undefined : 'undetermined');
  const name = languageName(d.language);
  return src ? `${name}: ${WHY[src]}` : name;
}

export interface LanguageShare {
  /** ISO code, or '' for documents whose language is undetermined. */
  code: string;
  name: string;
  documents: number;
  /** Counted tokens (words and numbers). */
  counted: number;
}

/** The corpus's languages, largest (by counted tokens) first; undetermined documents last. */
export function languageShares(docs: readonly DocumentInfo[]): LanguageShare[] {
  const by = new Map<string, LanguageShare>();
  for (const d of docs) {
    const code = d.language ?? '';
    const s = by.get(code) ?? { code, name: languageName(d.language), documents: 0, counted: 0 };
    s.documents++;
    s.counted += d.counted;
    by.set(code, s);
  }
  return [...by.values()].sort(
    (a, b) => (a.code === '' ? 1 : 0) - (b.code === '' ? 1 : 0) || b.counted - a.counted || a.name.localeCompare(b.name),
  );
}
