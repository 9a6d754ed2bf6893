/**
 * A string table saved sorted, so one string is found by binary search in the file without reading
 * the table whole: the strings in code-point order as one NUL-separated UTF-8 blob (UTF-8 byte order
 * is code-point order), each one's byte offset in the blob, and the id of each rank. The case-folded
 * words, the exact forms and the lemmas are each saved this way, and the words once more spelled
 * backwards (`wordsReversed`), so the words ending in a suffix are one range too. Every SAMPLE_EVERY-th
 * string is saved again in a small table of its own: a search reads it once, finds the stretch of
 * ranks the string lies in, and reads that stretch, instead of probing the file a dozen times.
 */

export type SortedTable = 'words' | 'forms' | 'lemmas' | 'wordsReversed';

/** The sections one sorted table is saved in. */
export interface SortedSections {
  blob: string;
  offsets: string;
  order: string;
  /** The strings of ranks 0, SAMPLE_EVERY, 2 * SAMPLE_EVERY, ...: a blob and its offsets, as above. */
  sample: string;
  sampleOffsets: string;
}

/** Ranks between two strings of a table's sample: what a search reads in one go once the sample has placed it. */
export const SAMPLE_EVERY = 1024;

function sectionsOf(blob: string, order: string): SortedSections {
  return { blob, offsets: `${blob}Offsets`, order, sample: `${blob}Sample`, sampleOffsets: `${blob}SampleOffsets` };
}

export const SORTED_SECTIONS: Readonly<Record<SortedTable, SortedSections>> = {
  words: sectionsOf('wordsSorted', 'wordOrder'),
  forms: sectionsOf('formsSorted', 'formOrder'),
  lemmas: sectionsOf('lemmasSorted', 'lemmaOrder'),
  wordsReversed: sectionsOf('wordsReversed', 'wordsReversedOrder'),
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
  const sorted = Array.from(order, (id) => strings[id]!);
  const whole = blobOf(sorted);
  const sample = blobOf(sorted.filter((_, r) => r % SAMPLE_EVERY === 0));
  return [
    { name: names.blob, type: 'utf8', data: whole.blob },
    { name: names.offsets, type: 'u32', data: bytesOf(whole.offsets) },
    { name: names.order, type: 'u32', data: bytesOf(order) },
    { name: names.sample, type: 'utf8', data: sample.blob },
    { name: names.sampleOffsets, type: 'u32', data: bytesOf(sample.offsets) },
  ];
}

/**
 * Strings as one UTF-8 blob, each followed by a NUL, and each one's byte offset (the blob's length
 * last). The blob splits into the strings unless one holds a NUL itself; the offsets delimit them
 * either way.
 */
function blobOf(strings: readonly string[]): { blob: Buffer; offsets: Uint32Array } {
  const offsets = new Uint32Array(strings.length + 1);
  let at = 0;
  for (let r = 0; r < strings.length; r++) {
    offsets[r] = at;
    at += Buffer.byteLength(strings[r]!, 'utf8') + 1;
  }
  offsets[strings.length] = at;
  return { blob: Buffer.from(strings.join('\u0000') + (strings.length ? '\u0000' : ''), 'utf8'), offsets };
}
