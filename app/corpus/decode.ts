/**
 * Bytes -> text. UTF-8 (with or without BOM) and UTF-16 with BOM are decoded as such; UTF-16 without a
 * BOM is recognised by its pattern of zero bytes; anything else that is not valid UTF-8 falls back to
 * windows-1252 with a warning. NUL bytes in the first 8 KB of what is left mean binary: not text.
 */
export type Decoded =
  | { ok: true; text: string; encoding: string; warning?: string }
  | { ok: false; reason: string };

const SNIFF = 8192;

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

export function decodeBytes(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { ok: true, text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8 (BOM)' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le (BOM)' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be (BOM)' };
  }
  const utf16 = guessUtf16(bytes);
  if (utf16) {
    return {
      ok: true,
      text: new TextDecoder(utf16).decode(bytes),
      encoding: utf16,
      warning: `no byte-order mark; decoded as ${utf16.toUpperCase()} by its pattern of zero bytes`,
    };
  }
  const head = bytes.subarray(0, SNIFF);
  if (head.includes(0)) return { ok: false, reason: 'binary file (NUL bytes in the first 8 KB)' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return {
      ok: true,
      text: new TextDecoder('windows-1252').decode(bytes),
      encoding: 'windows-1252',
      warning: 'not valid UTF-8; decoded as windows-1252 (Western European), check accented letters',
    };
  }
}
