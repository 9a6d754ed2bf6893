/**
 * Plain string scanning for the whitespace work the readers do over document text. A regular
 * expression such as `[ \t]*\n` retries its leading run from every position of a long run of
 * spaces, which is quadratic in the run; these loops look at each character once.
 */

/** Drops every run of `blanks` characters that ends at a newline and, with `after`, that starts right after one. */
export function dropBlanksAtNewlines(s: string, blanks: string, after: boolean): string {
  let out = '';
  let kept = 0; // s[kept..i) is still to be copied
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (!blanks.includes(s[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && blanks.includes(s[i]!)) i++;
    if (s[i] === '\n' || (after && start > 0 && s[start - 1] === '\n')) {
      out += s.slice(kept, start);
      kept = i;
    }
  }
  return kept === 0 ? s : out + s.slice(kept);
}

/**
 * Finds titles word by word in a text where any run of whitespace (`\s`) may stand between the
 * words. The search runs with indexOf over a copy of the text with each whitespace run squeezed to
 * one space, so its cost follows the length of the text, whatever the title holds, and a title of
 * any length can be looked for.
 */
export class WordFinder {
  private readonly flat: string;
  // A matching pair of positions, text[textAt] <-> flat[flatAt], moved forward as searches go on.
  private textAt = 0;
  private flatAt = 0;
  // The last `from` looked up: searches after a miss start from the same place again.
  private lastFrom = -1;
  private lastFlat = 0;

  constructor(private readonly text: string) {
    this.flat = text.replace(/\s+/g, ' ');
  }

  /**
   * The first place at or after text offset `from` where the title's first `maxWords` words stand
   * in order with only whitespace between them: `[start, end)` in the text, or undefined.
   */
  find(title: string, from: number, maxWords: number): { start: number; end: number } | undefined {
    const needle = title.split(' ').filter(Boolean).slice(0, maxWords).join(' ');
    if (!needle) return undefined;
    const at = this.flat.indexOf(needle, this.toFlat(from));
    if (at < 0) return undefined;
    const start = this.toText(at);
    // The needle ends with a word character, which stands for exactly one text character.
    const end = this.toText(at + needle.length - 1) + 1;
    return { start, end };
  }

  /** Steps the pair one flat character on: a whitespace run in the text is one space in `flat`. */
  private step(): void {
    if (/\s/.test(this.text[this.textAt]!)) {
      this.textAt++;
      while (this.textAt < this.text.length && /\s/.test(this.text[this.textAt]!)) this.textAt++;
    } else this.textAt++;
    this.flatAt++;
  }

  private rewindIfPast(textPos: number, flatPos: number): void {
    if (this.textAt > textPos || this.flatAt > flatPos) {
      this.textAt = 0;
      this.flatAt = 0;
    }
  }

  /** Flat offset of the first flat character at or after text offset `pos`. */
  private toFlat(pos: number): number {
    if (pos === this.lastFrom) return this.lastFlat;
    this.rewindIfPast(pos, Number.MAX_SAFE_INTEGER);
    while (this.textAt < pos && this.textAt < this.text.length) this.step();
    this.lastFrom = pos;
    this.lastFlat = this.flatAt;
    return this.flatAt;
  }

  /** Text offset of flat offset `pos` (the start of its whitespace run, for a squeezed space). */
  private toText(pos: number): number {
    this.rewindIfPast(Number.MAX_SAFE_INTEGER, pos);
    while (this.flatAt < pos) this.step();
    return this.textAt;
  }
}
