/**
 * `loupe tokens`: every token, or a window of them, with its document, word, lemma, POS, kind and
 * offsets. Rows are made and printed a block at a time from CorpusIndex.readTokens, the word cut from
 * its document's text, which is read when the rows reach the document and let go after it: an export
 * of any size holds one block of rows and one document's text, never a whole column.
 */
import { COUNTED_KINDS, TOKEN_KINDS } from '../contract/types.js';
import type { CorpusIndex } from '../index/store.js';
import { kindName } from '../text/tokenise.js';
import { delimited, StreamedTable, type OutputFormat } from './format.js';

export const TOKEN_COLUMNS = ['doc', 'position', 'word', 'lemma', 'pos', 'kind', 'counted', 'start', 'end'];

type Row = Array<string | number>;

/** Rows made and printed at a time. */
const BLOCK_ROWS = 10_000;

/**
 * In the aligned text table, the widest the word and lemma columns grow: a longer cell (a URL) overflows
 * its line instead of widening every line after it.
 */
export const TXT_WORD_WIDTH = 24;

const COUNTED = TOKEN_KINDS.map((k) => (COUNTED_KINDS.has(k) ? 1 : 0));

/** The rows of tokens [from, to) (corpus positions), in document order, `rows` at a time. */
export function* tokenRowBlocks(index: CorpusIndex, from: number, to: number, rows = BLOCK_ROWS): Generator<Row[]> {
  const cols = {
    lemma: new Uint32Array(rows),
    pos: new Uint8Array(rows),
    kind: new Uint8Array(rows),
    start: new Uint32Array(rows),
    end: new Uint32Array(rows),
  };
  const { lemma, pos, kind, start, end } = cols;
  const lemmas = index.lemmas;
  let docEnd = -1;
  let name = '';
  let text = '';
  for (let at = from; at < to; at += rows) {
    const hi = Math.min(to, at + rows);
    index.readTokens(at, hi, cols);
    const block: Row[] = new Array<Row>(hi - at);
    for (let p = at; p < hi; p++) {
      if (p >= docEnd) {
        // The next document with tokens (docOf skips empty ones); the last one's text is let go.
        const d = index.docOf(p);
        docEnd = index.docStart[d + 1]!;
        name = index.docs[d]!.name;
        text = index.passingText(d);
      }
      const k = p - at;
      const s = start[k]!;
      const e = end[k]!;
      block[k] = [name, p, text.slice(s, e), lemmas[lemma[k]!]!, index.posName(pos[k]!), kindName(kind[k]!), COUNTED[kind[k]!] ?? 0, s, e];
    }
    yield block;
  }
}

/**
 * Tokens [from, to) in `format`. TSV, CSV and JSON print exactly as a whole table would; the aligned
 * text table is aligned as it goes (StreamedTable): a column widens at the first block that needs it,
 * and a word or lemma longer than TXT_WORD_WIDTH overflows its line.
 */
export function writeTokens(
  index: CorpusIndex,
  from: number,
  to: number,
  format: OutputFormat,
): (write: (chunk: string) => Promise<void>) => Promise<void> {
  return async (write) => {
    let first = true;
    if (format === 'json') {
      for (const block of tokenRowBlocks(index, from, to)) {
        const objects = block.map((r) => JSON.stringify(Object.fromEntries(TOKEN_COLUMNS.map((c, i) => [c, r[i]]))));
        await write((first ? '[' : ',') + objects.join(','));
        first = false;
      }
      await write(first ? '[]\n' : ']\n');
      return;
    }
    if (format === 'txt') {
      const numeric = TOKEN_COLUMNS.map((c) => ['position', 'counted', 'start', 'end'].includes(c));
      const cap = TOKEN_COLUMNS.map((c) => (c === 'word' || c === 'lemma' ? TXT_WORD_WIDTH : undefined));
      const table = new StreamedTable(TOKEN_COLUMNS, numeric, cap);
      for (const block of tokenRowBlocks(index, from, to)) await write(table.block(block));
      if (from >= to) await write(table.block([]));
      return;
    }
    // The header row once, at the top.
    for (const block of tokenRowBlocks(index, from, to)) {
      await write(delimited(first ? TOKEN_COLUMNS : null, block, format));
      first = false;
    }
    if (first) await write(delimited(TOKEN_COLUMNS, [], format));
  };
}
