/**
 * Encoders for the byte layouts the reader must recognise, written by hand so the tests do not rely
 * on the decoder they check.
 */

/** UTF-16LE bytes of `text`, optionally with the byte-order mark FF FE. */
export function utf16le(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

/** UTF-16BE bytes of `text` (Node has no utf16be encoder: swap each pair), optionally with FE FF. */
export function utf16be(text: string, bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), be]) : be;
}

export function utf8(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** windows-1252 code points above 0x7F that the test texts use (the chapter's quotes and dashes, é). */
const CP1252: Record<string, number> = {
  '\u00a0': 0xa0,
  é: 0xe9,
  è: 0xe8,
  ü: 0xfc,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '–': 0x96,
  '—': 0x97,
};

export function windows1252(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (CP1252[ch] !== undefined) out.push(CP1252[ch]!);
    else throw new Error(`no windows-1252 byte for ${ch} in this test encoder`);
  }
  return Uint8Array.from(out);
}
