/**
 * Strings to dense ids in order of first sight (a corpus's forms and lemmas): the keys in an array,
 * the lookup an open-addressing table of (hash, id) pairs in one Int32Array.
 *
 * Used for the merge's corpus-wide tables and for the tokeniser's lookups into wink-nlp's lexicon.
 *
 * Why not a Map: a merge at 100M tokens interns ~4.8M thread entries into tables of 2.2M strings. A
 * Map's chains send each miss through several entries and their key strings, all cold in memory: that
 * was 7.0-7.3 s of the merge, on its critical path. Here a miss usually reads one slot, a hit one slot
 * and its key, and growing rehashes from the stored hashes without touching a string.
 */

/** What a lookup of ids by key needs: a Map<string, number> is one too. */
export interface KeyIds {
  get(key: string): number | undefined;
}

export class InternTable implements KeyIds {
  readonly keys: string[] = [];
  private slots = new Int32Array(1 << 12);
  private mask = (1 << 11) - 1;

  /** The id of `key`, given the next id if it is new. */
  intern(key: string): number {
    const h = hash(key);
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const id = slots[slot * 2 + 1]! - 1;
      if (id < 0) break;
      if (slots[slot * 2] === h && this.keys[id] === key) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.keys.length;
    this.keys.push(key);
    slots[slot * 2] = h;
    slots[slot * 2 + 1] = id + 1;
    // At most half full, so a miss stops within a slot or two.
    if (this.keys.length * 2 > mask) this.grow();
    return id;
  }

  get(key: string): number | undefined {
    const h = hash(key);
    const slots = this.slots;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = slots[slot * 2 + 1]! - 1;
      if (id < 0) return undefined;
      if (slots[slot * 2] === h && this.keys[id] === key) return id;
    }
  }

  get size(): number {
    return this.keys.length;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size * 2);
    for (let s = 0; s < old.length; s += 2) {
      const id1 = old[s + 1]!;
      if (id1 === 0) continue;
      const h = old[s]!;
      let slot = h & mask;
      while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = h;
      slots[slot * 2 + 1] = id1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over UTF-16 units, its high bits folded down because slots are picked by the low ones. */
export function hash(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h ^ (h >>> 15);
}
