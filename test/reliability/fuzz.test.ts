/**
 * Property tests (fast-check): arbitrary bytes through every reader, arbitrary strings through the query
 * engine, random words and phrases of the chapter through KWIC. Each returns a result or a typed error,
 * never a throw of anything else; every KWIC node slices back to exactly the text it matched.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoupeFailure } from '../../app/contract/errors.js';
import { decodeBytes } from '../../app/corpus/decode.js';
import { htmlToText } from '../../app/corpus/html.js';
import { documentsOf, isDocument, readDocument, type ReadDocument, type SourceFile } from '../../app/corpus/read.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import { kwicPage } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { splitLikeCorpus } from '../../app/text/query-split.js';
import { foldKey } from '../../app/text/normalise.js';
import { CHAPTER_PATH, CHAPTER_TEXT, removeDir, tempDir } from './support.js';

/** Runs per property (scaled per test); LOUPE_FUZZ_RUNS raises it for a longer search. */
const RUNS = Number(process.env.LOUPE_FUZZ_RUNS) || 150;

/** Bytes that look like the files people have: raw noise, BOMs, UTF-16 shapes, UTF-8 text with damage. */
const fileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], []), fc.uint8Array({ maxLength: 1024 }))
    .map(([bom, rest]) => Uint8Array.from([...bom, ...rest])),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean()).map(([s, le]) => {
    const b = Buffer.from(s, 'utf16le');
    if (!le) for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1]!, b[i]!];
    return new Uint8Array(b);
  }),
  fc
    .tuple(fc.string({ unit: 'binary', maxLength: 400 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
    .map(([s, damage]) => {
      const b = Buffer.from(s, 'utf8');
      for (const [at, v] of damage) if (b.length) b[at % b.length] = v;
      return new Uint8Array(b);
    }),
);

const htmlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<p>',
        '</p>',
        '<script>',
        '</script>',
        '<style>',
        '</style>',
        '<title>',
        '</title>',
        '<',
        '>',
        '&amp;',
        '&#x',
        '&#',
        ';',
        '<!--',
        '-->',
        '<![CDATA[',
        ']]>',
        '"',
        "'",
        '=',
        '<img src=x onerror=alert(1)>',
        '<br/>',
        '<svg>',
        '\u0000',
        '\ud800',
        '\r\n',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

let dir: string;
beforeAll(() => {
  dir = tempDir('fuzz');
});
afterAll(() => removeDir(dir));

let fileNo = 0;
function writeTemp(bytes: Uint8Array, ext: string): SourceFile {
  const path = join(dir, `f${fileNo++}${ext}`);
  writeFileSync(path, bytes);
  const st = statSync(path);
  return { path, name: `f${fileNo}${ext}`, size: st.size, mtimeMs: st.mtimeMs };
}

describe('readers never throw', () => {
  it('decodeBytes: text or a reason; clean UTF-8 round-trips', () => {
    fc.assert(
      fc.property(fileBytes, (bytes) => {
        const d = decodeBytes(bytes);
        if (!d.ok) {
          expect(typeof d.reason).toBe('string');
          return;
        }
        expect(typeof d.text).toBe('string');
        if (d.encoding === 'utf-8' && !d.warning) expect(Buffer.from(d.text, 'utf8').equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: RUNS * 4 },
    );
  });

  // (A script tag after arbitrary markup may not be a tag at all: after `<?` it is a bogus comment's
  // text, as in a browser; so the script whose body must vanish opens the page.)
  it('htmlToText: always text, never a script body', () => {
    fc.assert(
      fc.property(htmlish, fc.string({ maxLength: 20 }), (html, secret) => {
        const marker = `zq${secret.replace(/[^a-z]/g, '')}qz`;
        const h = htmlToText(`<script>${marker}</script>${html}`);
        expect(typeof h.text).toBe('string');
        expect(h.text.includes(marker) && !html.includes(marker)).toBe(false);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('the full read path (.txt and .html, whole and streamed in 7-byte chunks): a document or a skipped entry, the same either way', async () => {
    await fc.assert(
      fc.asyncProperty(fileBytes, fc.constantFrom('.txt', '.html'), async (bytes, ext) => {
        const file = writeTemp(bytes, ext);
        const whole = await readDocument(file);
        const streamed = await readDocument(file, { streamAbove: 0, chunkBytes: 7 });
        if (!isDocument(whole)) {
          expect(typeof whole.reason).toBe('string');
          expect(isDocument(streamed)).toBe(false);
          return;
        }
        const s = streamed as ReadDocument;
        expect([s.text, s.encoding, s.warnings, s.hash]).toEqual([whole.text, whole.encoding, whole.warnings, whole.hash]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('splitting a long text into parts', () => {
  it('for any text, chunk size and part size: the parts join back to the text, none too long, none splitting a character', async () => {
    const text = fc
      .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom(' ', '\n', '\n\n', '\r\n', 'é', '😀')), {
        maxLength: 80,
      })
      .map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 60 }), async (t, chunkBytes, partChars) => {
        const file = writeTemp(Buffer.from(t, 'utf8'), '.txt');
        const whole = await readDocument(file);
        const d = await readDocument(file, { streamAbove: 0, chunkBytes, partChars });
        if (!isDocument(whole)) return expect(isDocument(d)).toBe(false);
        const docs = documentsOf(d as ReadDocument);
        expect(docs.map((p) => p.text).join('')).toBe(whole.text);
        for (const p of docs) {
          expect(p.text.length).toBeLessThanOrEqual(partChars);
          expect(/^[\udc00-\udfff]/.test(p.text)).toBe(false);
        }
        if (docs.length > 1) expect(docs.map((p) => p.name)).toEqual(docs.map((_, i) => `${file.name}#part${i + 1}`));
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('queries never fail with anything but E_QUERY', () => {
  const index = buildIndexSync([{ name: 'chapter.txt', path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
  const words = [...new Set(Array.from(index.form, (f) => index.forms[f]!))].filter((w) => /^\p{L}+$/u.test(w));
  // Query pieces, quantifiers kept small: unbounded gaps hit the known slow search (see queries.test.ts).
  const piece = fc.oneof(
    fc.constantFrom(...words.slice(0, 300)),
    fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      '{0,2}',
      '{1,3}',
      '?',
      '+',
      '*',
      '|',
      '&',
      '!',
      '=',
      '!=',
      '"',
      '/',
      '\\',
      ':',
      'lemma:',
      'pos:',
      'word=',
      '[pos="NOUN"]',
      '[]',
      '[]?',
      '/bureau.*/',
      '/(a+)+$/',
      '/(?<=a)/',
      'bureau*',
      'w?rk',
      "workers'",
      '\u0000',
      '\ud800',
    ),
    fc.string({ maxLength: 6 }),
  );
  const query = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.tuple(fc.array(piece, { maxLength: 8 }), fc.constantFrom(' ', '')).map(([p, sep]) => p.join(sep)),
  );

  it('runQuery on the chapter: hits (sorted, non-empty, inside one document) or E_QUERY', () => {
    fc.assert(
      fc.property(query, fc.boolean(), (q, caseSensitive) => {
        let hits;
        try {
          hits = runQuery(index, q, { caseSensitive });
        } catch (e) {
          expect(e).toBeInstanceOf(LoupeFailure);
          expect((e as LoupeFailure).code).toBe('E_QUERY');
          return;
        }
        expect(hits.starts).toBeInstanceOf(Uint32Array);
        for (let i = 0; i < hits.starts.length; i++) {
          expect(hits.ends[i]!).toBeGreaterThan(hits.starts[i]!);
          expect(hits.ends[i]!).toBeLessThanOrEqual(index.tokenCount);
          if (i) expect(hits.starts[i]!).toBeGreaterThan(hits.starts[i - 1]!);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('KWIC: for random words and 2-3 word phrases of the chapter, every node is the matched text, and the source position is found', () => {
    const wordy = (i: number) => /^[\p{L}\p{N}]+$/u.test(index.forms[index.form[i]!]!);
    const starts = Array.from({ length: index.tokenCount - 3 }, (_, i) => i).filter((i) => wordy(i));
    fc.assert(
      fc.property(fc.constantFrom(...starts), fc.integer({ min: 1, max: 3 }), (at, len) => {
        if (![...Array(len).keys()].every((k) => wordy(at + k))) return;
        const query = CHAPTER_TEXT.slice(index.start[at]!, index.end[at + len - 1]!).replace(/\s+/g, ' ');
        const expected = Array.from({ length: len }, (_, k) => foldKey(index.forms[index.form[at + k]!]!));
        const page = kwicPage(index, { query, limit: 100_000, context: 3 });
        for (const line of page.lines) {
          expect(CHAPTER_TEXT.slice(line.start, line.end)).toBe(line.node);
          const tokens = splitLikeCorpus(line.node).map(foldKey);
          expect(tokens).toEqual(expected);
        }
        // Where the query splits into the same tokens as the text did, the place it came from is a hit.
        if (splitLikeCorpus(query).map(foldKey).join('\u0001') === expected.join('\u0001'))
          expect(page.lines.map((l) => l.position)).toContain(at);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
