/** The statistics engine: every function reads a CorpusIndex and answers a contract shape (app/contract/stats.ts). */
export { frequencyList } from './frequency.js';
export { ngramList } from './ngrams.js';
export { collocations, collocationsOfHits, collocateCounts, DEFAULT_SPAN, DEFAULT_COLLOC_SORT } from './collocation.js';
export { associate, logLikelihood, type Association } from './measures.js';
export { dispersion, dispersionOfHits, griesDP, juillandD, DEFAULT_PARTS } from './dispersion.js';
export { keywords, keynessLL, logRatio, referenceFromIndex, type FrequencyReference } from './keyness.js';
export { compareTerms } from './compare.js';
export { bundledStopwords, parseStopwords, stopwordSet, STOPWORDS_PATH } from './stoplist.js';
export { loadBrownReference, parseFrequencyList } from './reference.js';
export { windowPositions } from './windows.js';
export { countedFrequencies, countedBefore } from './counts.js';
export { resolveHits, type Hits } from './hits.js';
export { trends } from './trends.js';
