/**
 * Timing, not a test: collocates of `the` in a Brown-derived corpus of about 5M tokens (the whole
 * Brown corpus indexed once, its columns repeated). Prints the median of several runs.
 *
 *   node --import tsx bench/colloc.ts [copies=4] [runs=7]
 */
import { buildIndexSync } from '../app/indexing/build.js';
import { CorpusIndex } from '../app/index/store.js';
import { runQuery } from '../app/query/run.js';
import { collocations, collocationsOfHits } from '../app/stats/collocation.js';
import { dispersion } from '../app/stats/dispersion.js';
import { frequencyList } from '../app/stats/frequency.js';
import { brownTexts } from '../scripts/brown.js';

const copies = Number(process.argv[2] ?? 4);
const runs = Number(process.argv[3] ?? 7);

function repeat(ix: CorpusIndex, k: number): CorpusIndex {
  const n = ix.tokenCount;
  const rep = <T extends Uint8Array | Uint32Array>(a: T, make: (len: number) => T): T => {
    const out = make(a.length * k);
    for (let c = 0; c < k; c++) out.set(a, c * a.length);
    return out;
  };
  const docs = ix.docs.length;
  const docStart = new Uint32Array(docs * k + 1);
  for (let c = 0; c < k; c++) for (let d = 0; d < docs; d++) docStart[c * docs + d] = ix.docStart[d]! + c * n;
  docStart[docs * k] = n * k;
  return new CorpusIndex(
    {
      forms: ix.forms,
      lemmas: ix.lemmas,
      form: rep(ix.form, (l) => new Uint32Array(l)),
      lemma: rep(ix.lemma, (l) => new Uint32Array(l)),
      pos: rep(ix.pos, (l) => new Uint8Array(l)),
      kind: rep(ix.kind, (l) => new Uint8Array(l)),
      start: rep(ix.start, (l) => new Uint32Array(l)),
      end: rep(ix.end, (l) => new Uint32Array(l)),
      flags: rep(ix.flags, (l) => new Uint8Array(l)),
      docStart,
    },
    Array.from({ length: k }, (_, c) => ix.docs.map((d) => ({ ...d, name: `${d.name}#${c + 1}` }))).flat(),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

const t = performance.now();
const brown = buildIndexSync(brownTexts().map((b) => ({ name: b.id, path: `/brown/${b.id}`, text: b.text })));
console.log(`Brown indexed: ${brown.tokenCount} tokens (${brown.countedTotal} counted) in ${(performance.now() - t).toFixed(0)} ms`);
const index = repeat(brown, copies);
console.log(`scaled x${copies}: ${index.tokenCount} tokens, ${index.countedTotal} counted, ${index.docs.length} documents`);

const first = time(() => collocations(index, { query: 'the' }));
const hits = runQuery(index, 'the');
console.log(`'the': ${hits.starts.length} hits; first call (builds postings and frequency tables) ${first.toFixed(0)} ms`);
const whole: number[] = [];
const engineOnly: number[] = [];
for (let i = 0; i < runs; i++) {
  whole.push(time(() => collocations(index, { query: 'the' })));
  engineOnly.push(time(() => collocationsOfHits(index, hits, { query: 'the' })));
}
console.log(
  `collocations('the', span 5,5), median of ${runs}: ${median(whole).toFixed(1)} ms with the query, ${median(engineOnly).toFixed(1)} ms from hits; runs ${whole.map((x) => x.toFixed(0)).join(' ')}`,
);
const r = collocations(index, { query: 'the', span: [10, 10] });
const wide: number[] = [];
for (let i = 0; i < runs; i++) wide.push(time(() => collocations(index, { query: 'the', span: [10, 10] })));
console.log(`span 10,10: median ${median(wide).toFixed(1)} ms (R1 = ${r.windowTokens})`);
const disp: number[] = [];
for (let i = 0; i < runs; i++) disp.push(time(() => dispersion(index, { query: 'the' })));
console.log(`dispersion('the'): median ${median(disp).toFixed(1)} ms`);
const fl: number[] = [];
for (let i = 0; i < runs; i++) fl.push(time(() => frequencyList(index, { limit: 100 })));
console.log(`frequencyList(by word): median ${median(fl).toFixed(1)} ms`);
