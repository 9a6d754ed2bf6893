/**
 * From one token test (`word = bureau*`) to the set of matching ids in that attribute's vocabulary.
 * Literals are a lookup; wildcards and regexes run once over the vocabulary (with re2js: linear time,
 * so no pattern can hang the program), never over the token stream.
 */
import { RE2JS } from 're2js';
import { LoupeFailure } from '../contract/errors.js';
import type { CorpusIndex } from '../index/store.js';
import type { Postings } from '../index/postings.js';
import { exactKey, foldKey } from '../text/normalise.js';
import type { Attr, ValueMatch } from './ast.js';

export interface TermSet {
  /** Which token column the ids refer to. */
  column: Uint32Array | Uint8Array;
  postings: () => Postings;
  /** bitmap[id] = 1 when the id matches. */
  bitmap: Uint8Array;
  ids: number[];
}

interface Vocabulary {
  strings: readonly string[];
  lookup: (key: string) => number | undefined;
  column: Uint32Array | Uint8Array;
  postings: () => Postings;
  key: (s: string) => string;
  /** Regexes over this vocabulary ignore case. */
  folded: boolean;
}

function vocabularyOf(index: CorpusIndex, attr: Attr, caseInsensitive: boolean): Vocabulary {
  switch (attr) {
    case 'form':
      if (!caseInsensitive)
        return {
          strings: index.forms,
          lookup: (k) => index.formIds.get(k),
          column: index.form,
          postings: () => index.byForm,
          key: exactKey,
          folded: false,
        };
    // A case-insensitive exact form is the case-folded word.
    // falls through
    case 'word':
      return {
        strings: index.words,
        lookup: (k) => index.wordIds.get(k),
        column: index.word,
        postings: () => index.byWord,
        key: foldKey,
        folded: true,
      };
    case 'lemma':
      return {
        strings: index.lemmas,
        lookup: (k) => index.lemmaIds.get(k),
        column: index.lemma,
        postings: () => index.byLemma,
        key: foldKey,
        folded: true,
      };
    case 'pos':
      return {
        strings: index.posTags,
        lookup: (k) => {
          const i = index.posTags.indexOf(k);
          return i < 0 ? undefined : i;
        },
        column: index.pos,
        postings: () => index.byPos,
        key: (s) => s.toUpperCase(),
        folded: true,
      };
  }
}

function wildcardToRegex(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += RE2JS.quote(ch);
  }
  return out;
}

export function resolveTerms(
  index: CorpusIndex,
  attr: Attr,
  match: ValueMatch,
  caseInsensitive: boolean,
  position: number,
): TermSet {
  const v = vocabularyOf(index, attr, caseInsensitive);
  const bitmap = new Uint8Array(v.strings.length);
  const ids: number[] = [];
  if (match.kind === 'literal') {
    const id = v.lookup(v.key(match.value));
    if (id !== undefined) {
      bitmap[id] = 1;
      ids.push(id);
    }
  } else {
    const source = match.kind === 'wildcard' ? wildcardToRegex(v.key(match.pattern)) : exactKey(match.pattern); // fold ’ to ' like the stored keys
    let re: RE2JS;
    try {
      re = RE2JS.compile(source, v.folded ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (e) {
      throw new LoupeFailure('E_QUERY', `Invalid pattern at position ${position}: ${(e as Error).message}`, position);
    }
    const strings = v.strings;
    for (let i = 0; i < strings.length; i++) {
      // Regexes are written against the straight apostrophe and NFC, like every stored key.
      if (re.matches(strings[i]!)) {
        bitmap[i] = 1;
        ids.push(i);
      }
    }
  }
  return { column: v.column, postings: v.postings, bitmap, ids };
}
