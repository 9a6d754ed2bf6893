/**
 * The order sorted string tables are saved in must be the byte order of their UTF-8, which the lookups
 * binary-search: code-point order, which JavaScript's `<` is not once characters beyond the basic plane
 * meet those in U+E000-U+FFFF.
 */
import { describe, expect, it } from 'vitest';
import { codePointOrder, compareCodePoints } from '../../app/index/sorted-strings.js';

const byUtf8 = (strings: string[]) =>
  Array.from(strings.keys()).sort((a, b) => Buffer.compare(Buffer.from(strings[a]!, 'utf8'), Buffer.from(strings[b]!, 'utf8')));

describe('code-point order', () => {
  it('puts a word beyond the basic plane after one in the compatibility area, as UTF-8 bytes do', () => {
    const emoji = '\u{1F600}';
    const fullwidth = '\uFF21'; // FULLWIDTH LATIN CAPITAL LETTER A
    expect(emoji < fullwidth).toBe(true); // UTF-16 code units disagree
    expect(compareCodePoints(emoji, fullwidth)).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('𝔞x', '𝔞x')).toBe(0);
  });

  it('orders mixed scripts, astral letters and private-use characters exactly as their UTF-8 bytes', () => {
    const strings = ['zebra', '\uFF21pple', '\u{1D51E}lpha', 'Ärger', 'apple', '\uE000', '\u{20000}', '日本', 'a\u{1F600}', 'a\uFFFD', ''];
    expect(Array.from(codePointOrder(strings))).toEqual(byUtf8(strings));
    const plain = ['the', 'The', 'bureaucracy', 'Bureaucracy', 'workers', "workers'", 'a'];
    expect(Array.from(codePointOrder(plain))).toEqual(byUtf8(plain));
  });
});
