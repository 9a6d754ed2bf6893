/** The bits of the token flags column (store.ts): first token of a sentence, of a paragraph. */
export const SENTENCE_START = 1;
export const PARAGRAPH_START = 2;
