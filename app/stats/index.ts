/** The statistics engine: every function reads a CorpusIndex and answers a contract shape (app/contract/stats.ts). */
export { frequencyList } from './frequency.js';
export { ngramList } from './ngrams.js';
export { collocations, collocationsOfHits } from './collocation.js';
export { dispersion } from './dispersion.js';
export { keywords, referenceFromIndex } from './keyness.js';
export { compareTerms } from './compare.js';
export { loadBrownReference } from './reference.js';
export { trends } from './trends.js';
