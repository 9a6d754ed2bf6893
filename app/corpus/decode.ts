/**
 * Bytes -> text. UTF-8 (with or without BOM) and UTF-16 with BOM are decoded as such; UTF-16 without a
 * BOM is recognised by its pattern of zero bytes; NUL bytes in the first 8 KB of what is left mean
 * binary: not text. Text that is not valid UTF-8 is decoded as UTF-8 with replacement characters when
 * it is mostly UTF-8 (a few stray bytes in an otherwise UTF-8 file), else as windows-1252; either way
 * with a warning, because the encoding was guessed.
 *
 * The same decisions are available piecewise (sniff, fallbackFor, Utf8Tally) so that read.ts can
 * decode files too large to hold as bytes and text at once, as a stream.
 */
export type Decoded =
  | { ok: true; text: string; encoding: string; warning?: string }
  | { ok: false; reason: string };

/** How many leading bytes decide between UTF-16, binary and the rest. */
export const SNIFF = 8192;

export type Sniffed =
  | { ok: false; reason: string }
  | {
      ok: true;
      /** A TextDecoder label. */
      label: 'utf-8' | 'utf-16le' | 'utf-16be';
      /** Bytes of byte-order mark to drop. */
      skip: number;
      /** What to record as the document's encoding. */
      encoding: string;
      /** True when the bytes might not be UTF-8: validity decides (see fallbackFor). */
      checkUtf8: boolean;
      warning?: string;
    };

function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, SNIFF) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  // Latin-script UTF-16 has a zero in most high bytes and almost none in the low bytes.
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Decides the encoding (or binary) from the first bytes of a file. */
export function sniff(head: Uint8Array): Sniffed {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { ok: true, label: 'utf-8', skip: 3, encoding: 'utf-8 (BOM)', checkUtf8: false };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe)
    return { ok: true, label: 'utf-16le', skip: 2, encoding: 'utf-16le (BOM)', checkUtf8: false };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff)
    return { ok: true, label: 'utf-16be', skip: 2, encoding: 'utf-16be (BOM)', checkUtf8: false };
  const utf16 = guessUtf16(head);
  if (utf16) {
    return {
      ok: true,
      label: utf16,
      skip: 0,
      encoding: utf16,
      checkUtf8: false,
      warning: `no byte-order mark; decoded as ${utf16.toUpperCase()} by its pattern of zero bytes`,
    };
  }
  if (head.subarray(0, SNIFF).includes(0)) return { ok: false, reason: 'binary file (NUL bytes in the first 8 KB)' };
  return { ok: true, label: 'utf-8', skip: 0, encoding: 'utf-8', checkUtf8: true };
}

/**
 * Counts, over text decoded leniently as UTF-8, the replacement characters (invalid bytes) and the
 * other non-ASCII characters (valid multi-byte sequences). Feed it chunk by chunk.
 */
export class Utf8Tally {
  invalid = 0;
  valid = 0;
  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) continue;
      if (c === 0xfffd) this.invalid++;
      else if (c < 0xdc00 || c > 0xdfff) this.valid++; // a surrogate pair counts once
    }
  }
}

export interface Fallback {
  label: 'utf-8' | 'windows-1252';
  encoding: string;
  warning: string;
}

/**
 * For bytes that are not valid UTF-8: keep UTF-8 (with U+FFFD for the bad bytes) when valid multi-byte
 * sequences are at least as common as invalid ones, which single-byte encodings almost never produce
 * by chance; otherwise the text is most likely windows-1252 (a superset of Latin-1).
 * `literalReplacement` counts U+FFFD characters genuinely present as valid UTF-8 in the file.
 */
export function fallbackFor(tally: Utf8Tally, literalReplacement = 0): Fallback {
  const invalid = Math.max(0, tally.invalid - literalReplacement);
  if (tally.valid - literalReplacement >= invalid && tally.valid > literalReplacement) {
    return {
      label: 'utf-8',
      encoding: 'utf-8 (repaired)',
      warning: `not valid UTF-8: ${invalid} invalid byte sequence${invalid === 1 ? '' : 's'} replaced with \u201c\ufffd\u201d`,
    };
  }
  return {
    label: 'windows-1252',
    encoding: 'windows-1252',
    warning: 'not valid UTF-8; decoded as windows-1252 (Western European), check accented letters',
  };
}

/** windows-1252 at 0x80-0x9F (WHATWG: the five unassigned bytes keep their C1 code points). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * windows-1252 by table: Node 20.18.3+ decodes the TextDecoder label windows-1252 as Latin-1
 * (nodejs/node#60888), turning curly quotes and dashes into C1 controls. One byte, one character,
 * so it needs no state between chunks of a stream.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Number of EF BF BD sequences (U+FFFD written as valid UTF-8) in the bytes. */
function countEncodedReplacement(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  }
  return n;
}

export function decodeBytes(bytes: Uint8Array): Decoded {
  const s = sniff(bytes.subarray(0, SNIFF));
  if (!s.ok) return s;
  const body = bytes.subarray(s.skip);
  if (!s.checkUtf8) {
    const text = new TextDecoder(s.label, { ignoreBOM: true }).decode(body);
    return s.warning ? { ok: true, text, encoding: s.encoding, warning: s.warning } : { ok: true, text, encoding: s.encoding };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: s.encoding };
  } catch {
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    const tally = new Utf8Tally();
    tally.add(lenient);
    const f = fallbackFor(tally, countEncodedReplacement(body));
    const text = f.label === 'utf-8' ? lenient : decodeWindows1252(body);
    return { ok: true, text, encoding: f.encoding, warning: f.warning };
  }
}
