import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hash, StringTable } from '../../app/text/string-table.js';

const seed = readFileSync(new URL('../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt', import.meta.url), 'utf8');

describe('StringTable', () => {
  it('finds every key of a real vocabulary by its id, and nothing else', () => {
    const words = [...new Set(seed.split(/[^\p{L}\p{N}'’-]+/u).filter(Boolean))];
    expect(words.length).toBeGreaterThan(1000);
    // Ids need not follow the keys' order, nor be dense.
    const ids = words.map((_, i) => i * 3 + 7);
    const table = new StringTable(words, ids);
    words.forEach((w, i) => expect(table.get(w)).toBe(ids[i]));
    // Built afresh from parts, as the tokeniser's pieces are, not the same string objects.
    words.forEach((w, i) => expect(table.get(`${w} `.slice(0, w.length))).toBe(ids[i]));
    for (const w of words.slice(0, 300)) {
      if (!words.includes(`${w}x`)) expect(table.get(`${w}x`)).toBe(-1);
      if (w.length > 1 && !words.includes(w.slice(1))) expect(table.get(w.slice(1))).toBe(-1);
    }
  });

  it('tells apart keys that differ only in case, length or a non-Latin unit, and finds the empty string', () => {
    const keys = ['the', 'The', 'THE', 'th', 'thee', 'Łódź', 'Lodz', '', 'naïve', 'naive', '😀'];
    const table = new StringTable(keys, keys.map((_, i) => i));
    keys.forEach((k, i) => expect(table.get(k)).toBe(i));
    expect(table.get('tHe')).toBe(-1);
    expect(table.get('😀x')).toBe(-1);
  });

  it('compares the text itself when two keys share a hash and a length', () => {
    // Two six-letter words with one hash, found by search: the table must not take one for the other.
    const [a, b] = ['ehalgp', 'kmwzcc'] as const;
    expect(hash(a)).toBe(hash(b));
    expect(new StringTable([a], [5]).get(b)).toBe(-1);
    const both = new StringTable([a, b], [1, 2]);
    expect([both.get(a), both.get(b)]).toEqual([1, 2]);
  });

  it('refuses a key given twice', () => {
    expect(() => new StringTable(['a', 'b', 'a'], [0, 1, 2])).toThrow(/twice/);
  });
});
