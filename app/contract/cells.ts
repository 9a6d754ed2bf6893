/**
 * How a text cell is written into anything a spreadsheet may open: the one rule every export
 * follows, whether the engine writes the file or the page copies lines to the clipboard.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Spreadsheets run cells that start with = + - @ (or a tab or carriage return) as formulas: such a
 * cell gets a leading apostrophe. A lone `-`, `+` or `@` (a punctuation token) cannot be a formula
 * and is left as written, so token exports keep the text's words.
 */
export function neutralise<C>(cell: C): C {
  if (typeof cell !== 'string' || !FORMULA_START.test(cell)) return cell;
  return (cell.length === 1 && cell !== '=' ? cell : `'${cell}`) as C;
}

/** A delimited line must stay one line: tabs and line breaks inside a cell become spaces. */
function flatten<C>(cell: C): C {
  return (typeof cell === 'string' ? cell.replace(/[\t\r\n]+/g, ' ') : cell) as C;
}

/** A cell of a TSV or CSV line: flattened, then neutralised. */
export function safeCell<C>(cell: C): C {
  return neutralise(flatten(cell));
}
