import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hash, InternTable } from '../../app/structures/intern.js';

const seed = readFileSync(new URL('../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt', import.meta.url), 'utf8');

describe('InternTable', () => {
  it('gives ids in order of first sight, the same id again, and agrees with a Map through several growths', () => {
    const words = seed.split(/\s+/).filter(Boolean);
    // Every word of the chapter, and numbered variants, so the table grows well past its first size.
    const variants = words.flatMap((w, i) => [`${w}#${i}`, `${i}:${w}`]);
    const stream = [...words, ...variants, ...variants.slice(0, 5000)];
    const table = new InternTable();
    const reference = new Map<string, number>();
    for (const w of stream) {
      let want = reference.get(w);
      if (want === undefined) reference.set(w, (want = reference.size));
      expect(table.intern(w)).toBe(want);
    }
    expect(reference.size).toBeGreaterThan(8_000); // past the first table size (1,024 keys) several times
    expect(table.size).toBe(reference.size);
    expect(table.keys).toEqual([...reference.keys()]);
    for (const [w, id] of reference) expect(table.get(`${w} `.slice(0, -1))).toBe(id);
    expect(table.get('not-in-the-chapter-at-all')).toBeUndefined();
  });

  it('keeps apart two keys with one hash', () => {
    const [a, b] = ['ehalgp', 'kmwzcc'] as const;
    expect(hash(a)).toBe(hash(b));
    const table = new InternTable();
    expect(table.intern(a)).toBe(0);
    expect(table.get(b)).toBeUndefined();
    expect(table.intern(b)).toBe(1);
    expect([table.get(a), table.get(b), table.intern(a)]).toEqual([0, 1, 0]);
  });
});
