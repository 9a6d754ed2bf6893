/**
 * The language of each document, and how it was decided. What a reader says outright wins: a
 * `language` column in metadata.csv or a front-matter field for one document, then `--language` for
 * the whole corpus. Then what the file's markup declares (`<html lang>`, EPUB's dc:language, TEI's
 * langUsage), then detection from the text. A text too short to tell is taken as English when it is
 * written in Latin letters (what wink-nlp reads), and otherwise left undetermined and segmented by
 * its script alone: never tagged with English parts of speech it does not have.
 */
import type { DocumentLanguage } from '../contract/types.js';
import { detectLanguage, normaliseLanguage } from '../text/language.js';
import type { ReadDocument } from './read.js';

const LETTER = /\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;

/** Whether most letters of a sample of `text` are Latin. */
function mostlyLatin(text: string): boolean {
  const sample = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const letters = sample.match(LETTER)?.length ?? 0;
  const latin = sample.match(LATIN_LETTER)?.length ?? 0;
  return letters > 0 && latin * 2 > letters;
}

/**
 * Decides the language of `doc`, sets it and returns it. (The parts of one long file and the rows of a
 * CSV are documents of their own, each decided on its own text.) A declared language Loupe does not
 * recognise is noted in the document's warnings and passed over.
 */
export function decideLanguage(doc: ReadDocument, corpusLanguage: string | undefined): DocumentLanguage {
  const decided = decide(doc, corpusLanguage);
  delete doc.language;
  if (decided.language) doc.language = decided.language;
  doc.languageSource = decided.languageSource!;
  return decided;
}

function decide(doc: ReadDocument, corpusLanguage: string | undefined): DocumentLanguage {
  const declared = doc.declaredLanguage;
  const declaredCode = declared ? normaliseLanguage(declared.value) : undefined;
  if (declared && !declaredCode) doc.warnings.push(`${doc.name}: language "${declared.value}" (${declared.source}) is not one Loupe knows; detected instead.`);
  if (declared && declaredCode && declared.source !== 'markup') return { language: declaredCode, languageSource: declared.source };
  if (corpusLanguage) return { language: corpusLanguage, languageSource: 'corpus setting' };
  if (declaredCode) return { language: declaredCode, languageSource: 'markup' };
  const detected = detectLanguage(doc.text);
  if (detected) return { language: detected, languageSource: 'detected' };
  if (mostlyLatin(doc.text)) return { language: 'en', languageSource: 'assumed' };
  return { languageSource: 'undetermined' };
}

/** `--language` as given, checked: a code or name Loupe recognises, else an explanation. */
export function corpusLanguageSetting(input: string): { ok: true; code: string } | { ok: false; message: string } {
  const code = normaliseLanguage(input);
  if (!code) return { ok: false, message: `"${input}" is not a language Loupe recognises; give an ISO 639 code such as en, de, ru, zh or ar.` };
  return { ok: true, code };
}
