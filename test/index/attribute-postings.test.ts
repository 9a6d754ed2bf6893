/**
 * The postings a saved index keeps for exact forms and POS tags, and the lemma postings derived from
 * them, equal a scan of the columns for every term: on the bundled chapter with Brown texts, opened
 * lazily, where a first `lemma:`, `pos:` or case-sensitive query reads them instead of a whole column.
 * Queries on these attributes then give the same hits without the column ever being read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusIndex } from '../../app/index/store.js';
import { runQuery } from '../../app/query/run.js';
import { columnsRead as allColumnsRead, savedCorpus, type SavedCorpus } from '../support/saved-index.js';

let saved: SavedCorpus;
let whole: CorpusIndex;

const lazily = (): Promise<CorpusIndex> => saved.lazily();

/** Every term's positions, from one scan of a column. */
function scan(column: ArrayLike<number>, terms: number): number[][] {
  const out: number[][] = Array.from({ length: terms }, () => []);
  for (let i = 0; i < column.length; i++) out[column[i]!]!.push(i);
  return out;
}

/** The columns a query on these attributes would read. */
const columnsRead = (index: CorpusIndex): string[] => allColumnsRead(index).filter((f) => ['_form', '_lemma', '_pos'].includes(f));

beforeAll(async () => {
  saved = await savedCorpus('attribute-postings', 40);
  ({ whole } = saved);
}, 120_000);
afterAll(() => saved.remove());

describe('postings of every attribute, from a lazily opened index', () => {
  it('exact forms: each form, its usual spelling or another, equals the form column', async () => {
    const lazy = await lazily();
    const expected = scan(whole.form, whole.forms.length);
    let mixed = 0;
    for (let f = 0; f < whole.forms.length; f++) {
      if (whole.forms[f] !== whole.forms[f]!.toLowerCase()) mixed++;
      expect(Array.from(lazy.formPositions(f)), whole.forms[f]).toEqual(expected[f]);
      expect(lazy.formFrequency(f)).toBe(expected[f]!.length);
    }
    expect(mixed).toBeGreaterThan(1000);
    expect(columnsRead(lazy)).toEqual([]);
  });

  it('lemmas: each lemma, exceptions of the tagger included, equals the lemma column', async () => {
    const lazy = await lazily();
    const expected = scan(whole.lemma, whole.lemmas.length);
    for (let l = 0; l < whole.lemmas.length; l++) expect(Array.from(lazy.lemmaPositions(l)), whole.lemmas[l]).toEqual(expected[l]);
    // Forms whose lemma is not always the same (`saw`, `leaves`): the exceptions are exercised.
    const lemmaOfForm = new Map<number, Set<number>>();
    for (let i = 0; i < whole.tokenCount; i++) {
      const s = lemmaOfForm.get(whole.form[i]!) ?? new Set();
      s.add(whole.lemma[i]!);
      lemmaOfForm.set(whole.form[i]!, s);
    }
    expect([...lemmaOfForm.values()].filter((s) => s.size > 1).length).toBeGreaterThan(10);
    expect(columnsRead(lazy)).toEqual([]);
  });

  it('POS tags equal the POS column', async () => {
    const lazy = await lazily();
    const expected = scan(whole.pos, whole.posTags.length);
    for (let t = 0; t < whole.posTags.length; t++) {
      expect(Array.from(lazy.posPositions(t)), whole.posTags[t]).toEqual(expected[t]);
      expect(lazy.posFrequency(t)).toBe(expected[t]!.length);
    }
    expect(columnsRead(lazy)).toEqual([]);
  });

  it('queries on lemma, POS and exact form give the same hits and read no column', async () => {
    const lazy = await lazily();
    for (const q of [
      'lemma:be',
      'lemma:worker',
      'pos:NOUN',
      '[pos="DET"] [pos="NOUN"]',
      '[lemma="have"] [pos="VERB"]',
      'The',
      '[form="Government"]',
    ]) {
      const want = runQuery(whole, q, { caseSensitive: true });
      const got = runQuery(lazy, q, { caseSensitive: true });
      expect(Array.from(got.starts), q).toEqual(Array.from(want.starts));
      expect(want.starts.length, q).toBeGreaterThan(0);
    }
    expect(columnsRead(lazy)).toEqual([]);
  });

  it('every exact form, lemma and word is found by a search of its saved table, read only in part', async () => {
    const lazy = await lazily();
    for (let f = 0; f < whole.forms.length; f++) expect(lazy.formId(whole.forms[f]!), whole.forms[f]).toBe(f);
    for (let l = 0; l < whole.lemmas.length; l++) expect(lazy.lemmaId(whole.lemmas[l]!), whole.lemmas[l]).toBe(l);
    for (let w = 0; w < whole.wordCount; w++) expect(lazy.wordId(whole.words[w]!), whole.words[w]).toBe(w);
    for (const absent of ['', 'Bureaucracyy', 'zzzzzz', '\u{1F600}']) {
      expect(lazy.formId(absent)).toBeUndefined();
      expect(lazy.lemmaId(absent)).toBeUndefined();
    }
    const fields = lazy as unknown as Record<string, unknown>;
    expect(['_forms', '_lemmas', '_formIds', '_lemmaIds'].filter((f) => fields[f] !== undefined)).toEqual([]);
    // Read whole, the tables give back the strings in id order.
    expect(lazy.forms).toEqual(whole.forms);
    expect(lazy.lemmas).toEqual(whole.lemmas);
  });

  it("many words' postings read together equal each word's, in the order asked", async () => {
    const lazy = await lazily();
    const ids = Array.from({ length: whole.wordCount }, (_, id) => whole.wordCount - 1 - id).filter((id) => id % 3 !== 1);
    const lists = lazy.wordPositionsMany(ids);
    expect(lists.length).toBe(ids.length);
    ids.forEach((id, k) => expect(Array.from(lists[k]!), whole.words[id]).toEqual(Array.from(whole.wordPositions(id))));
    expect(columnsRead(lazy)).toEqual([]);
  });
});
