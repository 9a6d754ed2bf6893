/**
 * Invariants over random small corpora (fast-check): random word sequences with punctuation and
 * sentence starts, split into documents, built straight into a CorpusIndex.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorpusIndex, PARAGRAPH_START, SENTENCE_START } from '../../app/index/store.js';
import { TOKEN_KINDS } from '../../app/contract/types.js';
import { UPOS_TAGS } from '../../app/text/tokenise.js';
import { postingsOf } from '../../app/index/postings.js';
import { frequencyList } from '../../app/stats/frequency.js';
import { collocationsOfHits } from '../../app/stats/collocation.js';
import { windowPositions } from '../../app/stats/windows.js';
import { dispersionOfHits } from '../../app/stats/dispersion.js';
import { ngramList } from '../../app/stats/ngrams.js';
import { keywords, referenceFromIndex } from '../../app/stats/keyness.js';
import type { Hits } from '../../app/stats/hits.js';

const VOCAB = ['a', 'b', 'c', 'the', 'The', 'dog', '.', ','];
const PUNCT = new Set(['.', ',']);

interface Tok {
  v: number;
  sentence: boolean;
}
const tokArb = fc.record({ v: fc.nat({ max: VOCAB.length - 1 }), sentence: fc.boolean() });
const corpusArb = fc.array(fc.array(tokArb, { minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 4 });

function build(docs: Tok[][]): CorpusIndex {
  const forms: string[] = [];
  const formId = new Map<string, number>();
  const lemmas: string[] = [];
  const lemmaId = new Map<string, number>();
  const intern = (t: string[], m: Map<string, number>, s: string) => {
    if (!m.has(s)) {
      m.set(s, t.length);
      t.push(s);
    }
    return m.get(s)!;
  };
  const form: number[] = [];
  const lemma: number[] = [];
  const pos: number[] = [];
  const kind: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const flags: number[] = [];
  const docStart: number[] = [];
  const stored = docs.map((toks, d) => {
    docStart.push(form.length);
    let text = '';
    toks.forEach((t, i) => {
      const s = VOCAB[t.v]!;
      if (text) text += ' ';
      start.push(text.length);
      text += s;
      end.push(text.length);
      form.push(intern(forms, formId, s));
      lemma.push(intern(lemmas, lemmaId, s.toLowerCase()));
      const punct = PUNCT.has(s);
      pos.push(UPOS_TAGS.indexOf(punct ? 'PUNCT' : 'NOUN'));
      kind.push(TOKEN_KINDS.indexOf(punct ? 'punctuation' : 'word'));
      flags.push(i === 0 ? SENTENCE_START | PARAGRAPH_START : t.sentence ? SENTENCE_START : 0);
    });
    return { name: `doc${d}`, path: `/random/doc${d}`, encoding: 'utf-8', warnings: [], text };
  });
  docStart.push(form.length);
  return new CorpusIndex(
    {
      forms,
      lemmas,
      form: Uint32Array.from(form),
      lemma: Uint32Array.from(lemma),
      pos: Uint8Array.from(pos),
      kind: Uint8Array.from(kind),
      start: Uint32Array.from(start),
      end: Uint32Array.from(end),
      flags: Uint8Array.from(flags),
      docStart: Uint32Array.from(docStart),
    },
    stored,
  );
}

/** Hits of a case-folded word, optionally as a two-token phrase with the following token. */
function hitsOf(index: CorpusIndex, word: string, phrase: boolean): Hits {
  const id = index.wordId(word);
  if (id === undefined) return { starts: new Uint32Array(0), ends: new Uint32Array(0) };
  const starts: number[] = [];
  for (const p of postingsOf(index.byWord, id)) {
    const d = index.docOf(p);
    if (phrase && p + 1 >= index.docStart[d + 1]!) continue;
    starts.push(p);
  }
  return { starts: Uint32Array.from(starts), ends: Uint32Array.from(starts.map((s) => s + (phrase ? 2 : 1))) };
}

const nodeArb = fc.record({
  word: fc.constantFrom('a', 'the', 'dog', ','),
  phrase: fc.boolean(),
  left: fc.nat({ max: 6 }),
  right: fc.nat({ max: 6 }),
});

const RUNS = { numRuns: 300 };

describe('invariants on random corpora', () => {
  it('word lists: frequencies sum to N for every grouping; range never exceeds the documents', () => {
    fc.assert(
      fc.property(corpusArb, (docs) => {
        const index = build(docs);
        for (const by of ['word', 'form', 'lemma', 'pos'] as const) {
          const r = frequencyList(index, { by });
          expect(r.rows.reduce((s, x) => s + x.freq, 0)).toBe(index.countedTotal);
          expect(r.rows.every((x) => x.range >= 1 && x.range <= index.docs.length && x.range <= x.freq)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('windows never cross documents, hold only counted tokens off the hits, and are exactly L/R counted tokens', () => {
    fc.assert(
      fc.property(corpusArb, nodeArb, (docs, node) => {
        const index = build(docs);
        const hits = hitsOf(index, node.word, node.phrase);
        const got = Array.from(windowPositions(index, hits, node.left, node.right));
        expect(new Set(got).size).toBe(got.length);
        const occupied = new Set<number>();
        for (let k = 0; k < hits.starts.length; k++) for (let p = hits.starts[k]!; p < hits.ends[k]!; p++) occupied.add(p);
        // Naive window set: for each hit, step out one token at a time inside its own document.
        const want = new Set<number>();
        for (let k = 0; k < hits.starts.length; k++) {
          const d = index.docOf(hits.starts[k]!);
          const [lo, hi] = [index.docStart[d]!, index.docStart[d + 1]!];
          let need = node.left;
          for (let p = hits.starts[k]! - 1; p >= lo && need > 0; p--)
            if (index.counted[p]) {
              need--;
              want.add(p);
            }
          need = node.right;
          for (let p = hits.ends[k]!; p < hi && need > 0; p++)
            if (index.counted[p]) {
              need--;
              want.add(p);
            }
        }
        for (const p of occupied) want.delete(p);
        const hitDocs = new Set(Array.from(hits.starts, (s) => index.docOf(s)));
        expect(got.every((p) => hitDocs.has(index.docOf(p)))).toBe(true);
        expect(got.sort((a, b) => a - b)).toEqual([...want].sort((a, b) => a - b));
        for (const p of got) expect(index.counted[p]).toBe(1);
      }),
      RUNS,
    );
  });

  it('collocations: O <= C, O <= R1, sum of O = R1, every measure finite', () => {
    fc.assert(
      fc.property(corpusArb, nodeArb, fc.constantFrom('word', 'lemma') as fc.Arbitrary<'word' | 'lemma'>, (docs, node, by) => {
        const index = build(docs);
        const hits = hitsOf(index, node.word, node.phrase);
        const r = collocationsOfHits(index, hits, { query: node.word, span: [node.left, node.right], by, minObserved: 1, limit: 0 });
        expect(r.rows.reduce((s, x) => s + x.observed, 0)).toBe(r.windowTokens);
        for (const x of r.rows) {
          expect(x.observed).toBeLessThanOrEqual(x.termFreq);
          expect(x.observed).toBeLessThanOrEqual(r.windowTokens);
          expect(x.observed).toBeGreaterThan(0);
          for (const m of ['expected', 'mi', 'mi3', 't', 'z', 'll', 'logDice', 'dice', 'deltaP'] as const)
            expect(Number.isFinite(x[m])).toBe(true);
          expect(Math.sign(x.ll) === 0 || Math.sign(x.ll) === Math.sign(x.observed - x.expected)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("dispersion: DP, DPnorm and Juilland's D in [0, 1]; hits add up over documents", () => {
    fc.assert(
      fc.property(corpusArb, nodeArb, fc.integer({ min: 2, max: 12 }), (docs, node, parts) => {
        const index = build(docs);
        const hits = hitsOf(index, node.word, node.phrase);
        const r = dispersionOfHits(index, hits, node.word, parts);
        for (const v of [r.dp, r.dpNorm, r.juillandD]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(r.documents.reduce((s, d) => s + d.hits, 0)).toBe(r.hits);
        expect(r.range).toBeLessThanOrEqual(index.docs.length > 1 ? index.docs.length : parts);
        expect(r.corpusPositions.every((p) => p >= 0 && p <= 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it('n-grams: never cross a sentence start or a document; counts add up to the sliding windows', () => {
    fc.assert(
      fc.property(corpusArb, fc.integer({ min: 2, max: 6 }), (docs, n) => {
        const index = build(docs);
        const r = ngramList(index, { n, minFreq: 1 });
        let windows = 0;
        for (const toks of docs) {
          let run = 0;
          toks.forEach((t, i) => {
            if (i === 0 || t.sentence) run = 0;
            if (PUNCT.has(VOCAB[t.v]!)) return;
            run++;
            if (run >= n) windows++;
          });
        }
        expect(r.rows.reduce((s, x) => s + x.freq, 0)).toBe(windows);
        expect(r.rows.every((x) => x.ngram.split(' ').length === n)).toBe(true);
      }),
      RUNS,
    );
  });

  it('keyness: G² and Log Ratio agree in sign; positive keywords are overused, negative underused', () => {
    fc.assert(
      fc.property(corpusArb, corpusArb, (a, b) => {
        const target = build(a);
        const ref = build(b);
        fc.pre(target.countedTotal > 0 && ref.countedTotal > 0);
        const r = keywords(target, { minFreq: 1, limit: 0 }, referenceFromIndex(ref, 'random'));
        for (const x of r.positive) {
          expect(x.ll).toBeGreaterThanOrEqual(0);
          // With the 0.5 stand-in for an absent reference word, Log Ratio's sign is only meaningful when b > 0.
          if (x.refFreq > 0) expect(x.logRatio).toBeGreaterThan(0);
          expect(x.freq / r.corpusTokens).toBeGreaterThan(x.refFreq / r.referenceTokens);
        }
        for (const x of r.negative) {
          expect(x.ll).toBeLessThanOrEqual(0);
          if (x.freq > 0) expect(x.logRatio).toBeLessThan(0);
          expect(x.freq / r.corpusTokens).toBeLessThan(x.refFreq / r.referenceTokens);
        }
      }),
      RUNS,
    );
  });
});
