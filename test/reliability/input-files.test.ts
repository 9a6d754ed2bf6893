/**
 * Whatever the reader's files are (empty, binary, old encodings, other line ends, decomposed accents),
 * the corpus opens; each file is a document or a skipped entry with a reason; guessed encodings carry a
 * warning; and every KWIC line's node is exactly the characters of the word matched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedCorpus } from '../../app/indexing/open.js';
import { PARAGRAPH_START } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { open, removeDir, tempDir, writeFiles } from './support.js';

const SENTENCE = 'The café served a naïve bureaucracy.\nA second line here.\n\nA new paragraph about the café.\n';

const le = (s: string, bom: boolean) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);
const be = (s: string, bom: boolean) => {
  const b = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1]!, b[i]!];
  return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), b]);
};

/** name -> [bytes on disk, the text they must decode to (undefined: skipped), warning expected] */
const FILES: Record<string, [Uint8Array, string | undefined, boolean]> = {
  'empty.txt': [new Uint8Array(0), '', false],
  'binary.txt': [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x63, 0x61, 0x66, 0xe9]),
    undefined,
    false,
  ],
  // "caf\xe9": four bytes of Latin-1, too short for any statistics.
  'latin1-short.txt': [Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), 'café', true],
  'latin1.txt': [Buffer.from(SENTENCE, 'latin1'), SENTENCE, true],
  // A UTF-8 file with one stray byte: repaired as UTF-8 (U+FFFD for the byte), not re-read as windows-1252.
  'stray-byte.txt': [
    Buffer.concat([Buffer.from('The café is open. '), Buffer.from([0xff]), Buffer.from(' The naïve café.\n')]),
    'The café is open. \ufffd The naïve café.\n',
    true,
  ],
  'utf16le-bom.txt': [le(SENTENCE, true), SENTENCE, false],
  'utf16be-bom.txt': [be(SENTENCE, true), SENTENCE, false],
  'utf16le-nobom.txt': [le(SENTENCE, false), SENTENCE, true],
  'utf16be-nobom.txt': [be(SENTENCE, false), SENTENCE, true],
  'crlf.txt': [Buffer.from(SENTENCE.replace(/\n/g, '\r\n')), SENTENCE.replace(/\n/g, '\r\n'), false],
  'cr.txt': [Buffer.from(SENTENCE.replace(/\n/g, '\r')), SENTENCE.replace(/\n/g, '\r'), false],
  'nfc.txt': [Buffer.from(SENTENCE.normalize('NFC')), SENTENCE.normalize('NFC'), false],
  'nfd.txt': [Buffer.from(SENTENCE.normalize('NFD')), SENTENCE.normalize('NFD'), false],
};

let dir: string;
let cache: string;
let opened: OpenedCorpus;

beforeAll(async () => {
  dir = tempDir('inputs');
  cache = tempDir('inputs-cache');
  writeFiles(dir, Object.fromEntries(Object.entries(FILES).map(([n, [b]]) => [n, b])));
  opened = await open([dir], cache);
});
afterAll(() => {
  removeDir(dir);
  removeDir(cache);
});

const docNamed = (name: string) => {
  const i = opened.index.docs.findIndex((d) => d.name === name);
  if (i < 0) throw new Error(`${name} is not a document`);
  return { i, doc: opened.index.docs[i]!, info: opened.info.documents[i]! };
};

describe('every kind of input file', () => {
  it('the zero-byte file is listed as a document with 0 tokens and no warning', () => {
    const { info } = docNamed('empty.txt');
    expect(info.tokens).toBe(0);
    expect(info.warnings).toEqual([]);
    expect(opened.info.skipped.map((s) => s.name)).not.toContain('empty.txt');
  });

  it('the binary file is skipped with a reason, and the rest is read', () => {
    const skip = opened.info.skipped.find((s) => s.name === 'binary.txt');
    expect(skip?.reason).toMatch(/binary/i);
    const readable = Object.entries(FILES)
      .filter(([, [, text]]) => text !== undefined)
      .map(([n]) => n)
      .sort();
    expect(opened.info.documents.map((d) => d.name).sort()).toEqual(readable);
  });

  it.each(Object.entries(FILES).filter(([, [, t]]) => t !== undefined))(
    '%s decodes to its text, warned only where guessed',
    (name, [, text, warned]) => {
      const { doc } = docNamed(name);
      expect(doc.text).toBe(text);
      if (warned) expect(doc.warnings.join(' ')).toContain(name);
      else expect(doc.warnings).toEqual([]);
    },
  );

  it('the short Latin-1 file is read as windows-1252, with a warning that says so', () => {
    const { doc } = docNamed('latin1-short.txt');
    expect(doc.encoding).toBe('windows-1252');
    expect(doc.warnings.join(' ')).toMatch(/windows-1252/);
  });

  it('café (NFC, NFD, any encoding, any line end) finds every café, and each node is the word as written', () => {
    const expected: Array<[string, number]> = [];
    opened.index.docs.forEach((d) => {
      // Independent count: the NFC form of the decoded text.
      const n = d.text.normalize('NFC').match(/(?<![\p{L}\p{M}])café(?![\p{L}\p{M}])/giu)?.length ?? 0;
      if (n) expected.push([d.name, n]);
    });
    expect(expected.length).toBeGreaterThanOrEqual(11);
    for (const query of ['café', 'cafe\u0301', 'CAFÉ']) {
      const page = kwicPage(opened.index, { query, limit: 1000 });
      const found = new Map<string, number>();
      for (const line of page.lines) {
        const text = opened.index.docs[line.doc]!.text;
        expect(text.slice(line.start, line.end)).toBe(line.node);
        expect(line.node.normalize('NFC').toLowerCase()).toBe('café');
        // The left and right context are the characters around the node, exactly.
        expect(text.slice(line.start - line.left.length, line.start)).toBe(line.left);
        expect(text.slice(line.end, line.end + line.right.length)).toBe(line.right);
        found.set(line.docName, (found.get(line.docName) ?? 0) + 1);
      }
      expect([...found].sort()).toEqual(expected.sort());
    }
    // The decomposed file's node keeps its combining accent: the reader sees what the file holds.
    const nfd = docNamed('nfd.txt').i;
    const line = kwicPage(opened.index, { query: 'café', limit: 1000 }).lines.find((l) => l.doc === nfd)!;
    expect(line.node).toBe('cafe\u0301');
  });

  it('naïve written decomposed is one token, not a word and a stray accent', () => {
    const { i } = docNamed('nfd.txt');
    const page = kwicPage(opened.index, { query: 'naïve', limit: 100 });
    expect(page.lines.filter((l) => l.doc === i).map((l) => l.node)).toEqual(['nai\u0308ve']);
  });

  it('CRLF and CR line ends: offsets point at the words, blank lines still make paragraphs', () => {
    const paragraphs = (name: string) => {
      const { i } = docNamed(name);
      let n = 0;
      for (let t = opened.index.docStart[i]!; t < opened.index.docStart[i + 1]!; t++) if (opened.index.flags[t]! & PARAGRAPH_START) n++;
      return n;
    };
    expect(paragraphs('crlf.txt')).toBe(2);
    expect(paragraphs('cr.txt')).toBe(2);
    expect(paragraphs('nfc.txt')).toBe(2);
    for (const name of ['crlf.txt', 'cr.txt']) {
      const { i, doc } = docNamed(name);
      const lines = kwicPage(opened.index, { query: 'paragraph', limit: 100 }).lines.filter((l) => l.doc === i);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.node).toBe('paragraph');
      expect(lines[0]!.start).toBe(doc.text.indexOf('paragraph'));
    }
  });
});
