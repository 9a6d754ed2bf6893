import { describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { matchingDocuments, parseWhere, subcorpus } from '../../app/index/subcorpus.js';
import { runQuery } from '../../app/query/run.js';
import { kwicPage } from '../../app/query/kwic.js';
import { LoupeFailure } from '../../app/contract/errors.js';
import { brownTexts } from '../../scripts/brown.js';

const brown = brownTexts(12);
// Brown ids carry their category; give every text a year and an author so filters have something to bite on.
const docs = brown.map((b, i) => ({
  name: `${b.id}.txt`,
  path: `/brown/${b.id}.txt`,
  text: b.text,
  date: `${1950 + i}-01-01`,
  author: i % 2 ? 'Odd Writer' : 'Even Writer',
  meta: { category: b.category },
}));
const index = buildIndexSync(docs);

function wordCount(texts: string[], word: string): number {
  return texts.reduce((a, t) => a + (t.match(new RegExp(`(?<![\\p{L}\\p{N}'-])${word}(?![\\p{L}\\p{N}'-])`, 'giu'))?.length ?? 0), 0);
}

describe('subcorpora', () => {
  it('selects documents by year, author and metadata fields', () => {
    expect(matchingDocuments(index, 'year < 1955')).toEqual([0, 1, 2, 3, 4]);
    expect(matchingDocuments(index, 'year >= 1955 & author = "odd writer"')).toEqual([5, 7, 9, 11]);
    expect(matchingDocuments(index, 'category = news')).toEqual(brown.flatMap((b, i) => (b.category === 'news' ? [i] : [])));
    expect(matchingDocuments(index, 'author ~ even and year > 1958')).toEqual([10]);
    expect(matchingDocuments(index, 'name = ca03.txt')).toEqual([2]);
  });

  it('counts in a subcorpus equal counts over its own texts, and N is the subcorpus size', () => {
    const sub = subcorpus(index, 'year < 1955');
    const texts = docs.slice(0, 5).map((d) => d.text);
    expect(sub.docs.length).toBe(5);
    expect(runQuery(sub, 'the').starts.length).toBe(runQuery(buildIndexSync(docs.slice(0, 5)), 'the').starts.length);
    expect(sub.countedTotal).toBe(buildIndexSync(docs.slice(0, 5)).countedTotal);
    // an independent count for a word Brown and wink split alike
    expect(runQuery(sub, 'of').starts.length).toBe(wordCount(texts, 'of'));
    // the vocabulary is compacted: every word of the subcorpus occurs in it
    const byWord = sub.byWord;
    for (let id = 0; id < sub.words.length; id++) expect(byWord.offsets[id + 1]! - byWord.offsets[id]!).toBeGreaterThan(0);
  });

  it('KWIC lines from a subcorpus name the documents of the full corpus', () => {
    const sub = subcorpus(index, 'author = "Odd Writer"');
    const page = kwicPage(sub, { query: 'the', limit: 500 });
    expect(page.lines.length).toBeGreaterThan(0);
    for (const l of page.lines) {
      expect(l.doc % 2).toBe(1);
      expect(index.docs[l.doc]!.text.slice(l.start, l.end).toLowerCase()).toBe('the');
    }
  });

  it('refuses malformed filters with E_QUERY and a position, and an empty selection with E_CORPUS', () => {
    for (const bad of ['', 'year', 'year <', 'year < 1950 &', '"x" = 1', 'author = "unclosed']) {
      try {
        parseWhere(bad);
        expect.unreachable(`"${bad}" should fail`);
      } catch (e) {
        expect((e as LoupeFailure).code).toBe('E_QUERY');
        expect(typeof (e as LoupeFailure).position).toBe('number');
      }
    }
    expect(() => subcorpus(index, 'year > 3000')).toThrowError(/No document matches/);
  });

  it('names a field no document has, where it stands, the fields there are and the closest', () => {
    const failure = (where: string): LoupeFailure => {
      try {
        matchingDocuments(index, where);
      } catch (e) {
        return e as LoupeFailure;
      }
      throw new Error(`"${where}" should fail`);
    };
    const e = failure('author = "Odd Writer" & yeer < 1950');
    expect(e.code).toBe('E_QUERY');
    // The renderer shows messages that start so under the Subcorpus box.
    expect(e.message).toMatch(/^Subcorpus filter\b/);
    expect(e.message).toContain('unknown field "yeer"; did you mean "year"?');
    expect(e.message).toContain('Fields: name, title, author, date, year, source, language, category.');
    expect(e.position).toBe('author = "Odd Writer" & '.length);
    // The field as typed; a metadata field of the corpus is offered like a built-in one.
    expect(failure('Categroy = news').message).toContain('unknown field "Categroy"; did you mean "category"?');
    expect(failure('Categroy = news').position).toBe(0);
    // Nothing close: no guess, still the list.
    const far = failure('colour = red');
    expect(far.message).toBe(
      'Subcorpus filter: unknown field "colour". Fields: name, title, author, date, year, source, language, category.',
    );
    // Built-in fields are known even where no document fills them; a known field matching nothing is an empty selection.
    expect(matchingDocuments(index, 'title = x')).toEqual([]);
    expect(matchingDocuments(index, 'source != x')).toHaveLength(docs.length);
    expect(matchingDocuments(index, 'file = ca03.txt')).toEqual([2]);
    expect(() => subcorpus(index, 'category = nothing-of-the-kind')).toThrowError(/No document matches/);
  });
});
