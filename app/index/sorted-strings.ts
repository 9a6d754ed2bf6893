/**
 * A string table saved sorted, so one string is found by binary search in the file without reading
 * the table whole: the strings in code-point order as one NUL-separated UTF-8 blob (UTF-8 byte order
 * is code-point order), each one's byte offset in the blob, and the id of each rank. The case-folded
 * words, the exact forms and the lemmas are each saved this way, and the words once more spelled
 * backwards (`wordsReversed`), so the words ending in a suffix are one range too.
 */

export type SortedTable = 'words' | 'forms' | 'lemmas' | 'wordsReversed';

/** The sections one sorted table is saved in. */
export interface SortedSections {
  blob: string;
  offsets: string;
  order: string;
}

export const SORTED_SECTIONS: Readonly<Record<SortedTable, SortedSections>> = {
  words: { blob: 'wordsSorted', offsets: 'wordsSortedOffsets', order: 'wordOrder' },
  forms: { blob: 'formsSorted', offsets: 'formsSortedOffsets', order: 'formOrder' },
  lemmas: { blob: 'lemmasSorted', offsets: 'lemmasSortedOffsets', order: 'lemmaOrder' },
  wordsReversed: { blob: 'wordsReversed', offsets: 'wordsReversedOffsets', order: 'wordsReversedOrder' },
};

/** A string spelled backwards by code point (a character beyond the basic plane stays whole). */
export function reversed(s: string): string {
  let out = '';
  for (const c of s) out = c + out;
  return out;
}

/** Beyond the basic plane, or in its private-use and compatibility area: where UTF-16 order is not code-point order. */
const ORDER_SENSITIVE = /[\uD800-\uFFFF]/;

/**
 * Compares by code point. JavaScript's `<` compares UTF-16 code units, which puts a character beyond
 * the basic plane (a surrogate pair, D800-DFFF) before one in E000-FFFF; by code point it comes after.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointKey(x) - codePointKey(y);
  }
  return a.length - b.length;
}

function codePointKey(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** The ids of `strings` in code-point order of their strings. */
export function codePointOrder(strings: readonly string[]): Uint32Array {
  const ids = Array.from(strings.keys());
  // `<` agrees with code-point order unless a string holds a unit at D800 or above; the general
  // comparison is slower, so it is used only then.
  if (strings.some((s) => ORDER_SENSITIVE.test(s))) ids.sort((a, b) => compareCodePoints(strings[a]!, strings[b]!));
  else
    ids.sort((a, b) => {
      const x = strings[a]!;
      const y = strings[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return Uint32Array.from(ids);
}

const bytesOf = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The sections of one table, with `order` (rank -> id) its code-point order. */
export function sortedStringSections(
  table: SortedTable,
  strings: readonly string[],
  order: Uint32Array,
): Array<{ name: string; type: 'utf8' | 'u32'; data: Uint8Array }> {
  const names = SORTED_SECTIONS[table];
  const offsets = new Uint32Array(strings.length + 1);
  const sorted = new Array<string>(strings.length);
  let at = 0;
  for (let r = 0; r < strings.length; r++) {
    const s = strings[order[r]!]!;
    sorted[r] = s;
    offsets[r] = at;
    at += Buffer.byteLength(s, 'utf8') + 1;
  }
  offsets[strings.length] = at;
  // Each string is followed by a NUL, so the blob splits into the strings unless one holds a NUL itself;
  // the offsets delimit them either way.
  return [
    { name: names.blob, type: 'utf8', data: Buffer.from(sorted.join('\u0000') + '\u0000', 'utf8') },
    { name: names.offsets, type: 'u32', data: bytesOf(offsets) },
    { name: names.order, type: 'u32', data: bytesOf(order) },
  ];
}
