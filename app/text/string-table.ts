/**
 * A fixed set of strings with an id each, looked up by text: open addressing over typed arrays, the
 * strings' UTF-16 units stored side by side.
 *
 * Why not a Map: the tokeniser looks up every piece of text wink-nlp splits off, ~1.1 lookups per
 * token, and each piece is a new string. A Map must hash it in V8's runtime and then compare it with
 * a key that lives elsewhere on the heap; over the 87,593 words of wink's English lexicon that took
 * ~115 ns per lookup, this table ~65-90 ns (4 million pieces of the benchmark corpus, one thread).
 */
export class StringTable {
  private readonly mask: number;
  /** Per slot: the full hash, then id + 1 (0: empty). */
  private readonly slots: Int32Array;
  /** Id i's units are units[starts[i] .. starts[i + 1]). */
  private readonly starts: Int32Array;
  private readonly units: Uint16Array;

  /** `ids[i]` is the id of `keys[i]`; keys must be distinct. */
  constructor(keys: readonly string[], ids: readonly number[]) {
    let size = 16;
    while (size < keys.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 2);
    const maxId = ids.reduce((a, b) => Math.max(a, b), -1);
    this.starts = new Int32Array(maxId + 2);
    const lengths = new Int32Array(maxId + 1);
    for (let i = 0; i < keys.length; i++) lengths[ids[i]!] = keys[i]!.length;
    let total = 0;
    for (let id = 0; id <= maxId; id++) {
      this.starts[id] = total;
      total += lengths[id]!;
    }
    this.starts[maxId + 1] = total;
    this.units = new Uint16Array(total);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const id = ids[i]!;
      if (this.get(key) >= 0) throw new Error(`StringTable: "${key}" is given twice`);
      const at = this.starts[id]!;
      for (let k = 0; k < key.length; k++) this.units[at + k] = key.charCodeAt(k);
      const h = hash(key);
      let slot = h & this.mask;
      while (this.slots[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = h;
      this.slots[slot * 2 + 1] = id + 1;
    }
  }

  /** The id of `text`, or -1. */
  get(text: string): number {
    const h = hash(text);
    const { slots, starts, units, mask } = this;
    const n = text.length;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot * 2 + 1]! - 1;
      if (id < 0) return -1;
      if (slots[slot * 2] !== h) continue;
      const at = starts[id]!;
      if (starts[id + 1]! - at !== n) continue;
      let k = 0;
      while (k < n && units[at + k] === text.charCodeAt(k)) k++;
      if (k === n) return id;
    }
  }
}

/** FNV-1a over UTF-16 units, its high bits folded down because slots are picked by the low ones. */
export function hash(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h ^ (h >>> 15);
}
