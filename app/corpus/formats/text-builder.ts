/**
 * Builds plain text from a tree walk with whitespace collapsed as it goes, so offsets taken while
 * walking (section starts) are offsets into the final text. Paragraph breaks are requested, not
 * written: they appear only between pieces of text, never doubled, never at the start or end.
 */
export class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  /** 0 none, 1 line break, 2 paragraph break: written before the next text. */
  private pendingBreak = 0;
  private pendingSpace = false;
  private waiting: Array<(offset: number) => void> = [];
  private limitHit = false;

  constructor(private readonly maxChars: number = Number.MAX_SAFE_INTEGER) {}

  get truncated(): boolean {
    return this.limitHit;
  }

  text(raw: string): void {
    if (this.limitHit || !raw) return;
    const s = raw.replace(/[\s\u00a0]+/g, ' ');
    if (s === ' ') {
      if (this.length > 0) this.pendingSpace = true;
      return;
    }
    let body = s;
    if (body.startsWith(' ')) {
      this.pendingSpace = true;
      body = body.slice(1);
    }
    let trailing = false;
    if (body.endsWith(' ')) {
      trailing = true;
      body = body.slice(0, -1);
    }
    this.flushBefore();
    this.push(body);
    this.pendingSpace = trailing;
  }

  /** A paragraph break before whatever text comes next. */
  block(): void {
    this.pendingBreak = 2;
    this.pendingSpace = false;
  }

  /** A line break before whatever text comes next (weaker than a pending paragraph break). */
  line(): void {
    if (this.pendingBreak < 1) this.pendingBreak = 1;
    this.pendingSpace = false;
  }

  /** Calls back with the offset where the next text will start (after any pending break). */
  atNextText(cb: (offset: number) => void): void {
    this.waiting.push(cb);
  }

  /** The text, ending with one newline like htmlToText's, or '' when nothing was written. */
  finish(): string {
    return this.length ? this.parts.join('') + '\n' : '';
  }

  get offset(): number {
    return this.length;
  }

  private flushBefore() {
    if (this.length > 0) {
      if (this.pendingBreak) this.push(this.pendingBreak === 2 ? '\n\n' : '\n');
      else if (this.pendingSpace) this.push(' ');
    }
    this.pendingBreak = 0;
    this.pendingSpace = false;
    if (this.waiting.length) {
      for (const cb of this.waiting) cb(this.length);
      this.waiting = [];
    }
  }

  private push(s: string) {
    if (this.length + s.length > this.maxChars) {
      this.limitHit = true;
      s = s.slice(0, Math.max(0, this.maxChars - this.length));
    }
    this.parts.push(s);
    this.length += s.length;
  }
}
