/**
 * Keyness compares a corpus with a reference in the same language: against a reference in another
 * language every word of the corpus looks key. The bundled reference (Brown) is English, so keywords
 * against it read the English documents only and say which were left out; a corpus with none is
 * refused with the way forward rather than answered with nonsense.
 */
import { LoupeFailure } from '../contract/errors.js';
import type { CorpusIndex } from '../index/store.js';
import { languageName } from '../text/language.js';
import { tokenisedAsEnglish } from '../text/tokenise.js';

/** Documents by language name, largest group first: `Russian 2, Chinese 1`. */
function describe(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

function languageOf(index: CorpusIndex, d: number): string {
  const doc = index.docs[d]!;
  return doc.language ? languageName(doc.language) : 'undetermined';
}

/**
 * The subcorpus filter that keeps `index`'s English documents (within `where`), and a note naming
 * what it leaves out; `where` unchanged when every document is English.
 */
export function englishScope(index: CorpusIndex, where: string | undefined): { where?: string; notes?: string[] } {
  const others = new Map<string, number>();
  let english = 0;
  for (let d = 0; d < index.docs.length; d++) {
    if (tokenisedAsEnglish(index.docs[d]!)) english++;
    else {
      const name = languageOf(index, d);
      others.set(name, (others.get(name) ?? 0) + 1);
    }
  }
  if (others.size === 0) return where ? { where } : {};
  const left = [...others.values()].reduce((a, b) => a + b, 0);
  if (english === 0)
    throw new LoupeFailure(
      'E_USAGE',
      `No keywords against the bundled reference: it is English, and ${where ? 'this subcorpus' : 'this corpus'} has no English documents (${describe(others)}). ` +
        'Choose a reference corpus in the same language.',
    );
  return {
    where: where && where.trim() ? `${where} & language = en` : 'language = en',
    notes: [
      `${left} document${left === 1 ? '' : 's'} not in English left out (${describe(others)}): the bundled reference is English. ` +
        'For their keywords, choose a reference corpus in their language and a subcorpus such as language = ru.',
    ],
  };
}

/** A note when the corpus and a reference corpus are (mostly) in different languages. */
export function languageMismatch(index: CorpusIndex, reference: CorpusIndex): string[] {
  const main = (i: CorpusIndex): string | undefined => {
    const tokens = new Map<string, number>();
    for (let d = 0; d < i.docs.length; d++) {
      const name = languageOf(i, d);
      tokens.set(name, (tokens.get(name) ?? 0) + i.docStart[d + 1]! - i.docStart[d]!);
    }
    return [...tokens].sort((a, b) => b[1] - a[1])[0]?.[0];
  };
  const a = main(index);
  const b = main(reference);
  return a && b && a !== b ? [`The corpus is mostly ${a} and the reference mostly ${b}: keywords compare words across languages.`] : [];
}
