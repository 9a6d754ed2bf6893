import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../app/corpus/decode.js';
import { htmlToText } from '../../app/corpus/html.js';
import { CHAPTER_TEXT, pseudoRandomBytes } from '../support/corpus.js';
import { utf16be, utf16le, utf8, windows1252 } from '../support/encode.js';

// The chapter has curly quotes, an en dash and non-breaking spaces: every encoding must bring them back.
const TEXT = CHAPTER_TEXT + '\nA café in the Kremlin.\n';

function decoded(bytes: Uint8Array) {
  const d = decodeBytes(bytes);
  if (!d.ok) throw new Error(`expected text, got: ${d.reason}`);
  return d;
}

describe('decodeBytes on the chapter', () => {
  it('UTF-8 without a BOM: the text as is, no warning', () => {
    const d = decoded(utf8(TEXT, false));
    expect(d.text).toBe(TEXT);
    expect(d.encoding).toBe('utf-8');
    expect(d.warning).toBeUndefined();
  });

  it('UTF-8 with a BOM: the BOM is not part of the text', () => {
    const d = decoded(utf8(TEXT, true));
    expect(d.text).toBe(TEXT);
    expect(d.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(d.warning).toBeUndefined();
  });

  it.each([
    ['UTF-16LE', utf16le],
    ['UTF-16BE', utf16be],
  ])('%s with a BOM decodes without warning', (_name, encode) => {
    const d = decoded(encode(TEXT, true));
    expect(d.text).toBe(TEXT);
    expect(d.warning).toBeUndefined();
  });

  it.each([
    ['UTF-16LE', utf16le, /utf-16le/i],
    ['UTF-16BE', utf16be, /utf-16be/i],
  ])('%s without a BOM is recognised, with a warning', (_name, encode, label) => {
    const d = decoded(encode(TEXT, false));
    expect(d.text).toBe(TEXT);
    expect(d.encoding).toMatch(label);
    expect(d.warning).toMatch(/byte-order mark|BOM/i);
  });

  it('windows-1252 bytes (0xE9 for é, 0x93/0x94 for curly quotes) fall back with a warning', () => {
    const bytes = windows1252(TEXT);
    expect(bytes.includes(0xe9)).toBe(true);
    const d = decoded(bytes);
    expect(d.text).toBe(TEXT);
    expect(d.encoding).toBe('windows-1252');
    expect(d.warning).toMatch(/windows-1252/);
  });

  it('windows-1252 smart punctuation 0x80-0x9F maps to its characters, not to C1 controls', () => {
    // Node 20.18.3+ decodes the label windows-1252 as Latin-1 (nodejs/node#60888), so this needs a table.
    const d = decoded(Uint8Array.from([0x93, 0x51, 0x94, 0x20, 0x92, 0x20, 0x96, 0x20, 0x80, 0x20, 0xe9]));
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toBe('“Q” ’ – € é');
  });

  it('NUL bytes mean binary: not text, with a reason', () => {
    const bytes = pseudoRandomBytes(4096, 7);
    bytes[100] = 0;
    const d = decodeBytes(bytes);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/binary|NUL/i);
  });

  it('empty input is an empty text, not binary', () => {
    const d = decoded(new Uint8Array(0));
    expect(d.text).toBe('');
  });
});

describe('htmlToText', () => {
  const page = `<!doctype html><html><head><title>Workers &amp; councils</title>
<style>p { color: red } .bureaucracy { }</style><script>var bureaucracy = "hidden";</script></head>
<body><h1>The soviets</h1><p>The workers’ councils met &amp; voted.</p>
<p>Bureaucracy <b>rules</b> here.</p><script>document.write("bureaucracy")</script></body></html>`;

  it('keeps visible text only, captures the title, decodes entities, breaks paragraphs at blocks', () => {
    const h = htmlToText(page);
    expect(h.title).toBe('Workers & councils');
    expect(h.text).not.toMatch(/color|hidden|document\.write|<|>/);
    expect(h.text.match(/bureaucracy/gi)).toEqual(['Bureaucracy']);
    expect(h.text).toContain('The workers’ councils met & voted.');
    // One paragraph per block element.
    expect(h.text.trim().split(/\n\s*\n/)).toEqual(['The soviets', 'The workers’ councils met & voted.', 'Bureaucracy rules here.']);
  });
});
