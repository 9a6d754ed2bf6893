/**
 * Hostile and random input: every extractor returns a result (never throws, never hangs) for
 * arbitrary bytes, and for valid fixtures with bytes overwritten at random.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { extract, SUPPORTED_EXTENSIONS } from '../../../app/corpus/formats/index.js';
import { buildDocx, buildEpub, buildPdf } from './build-fixtures.js';

// A hang detector, not a speed test: generous enough for a loaded machine.
const PER_CALL_MS = 20_000;

async function settles(name: string, bytes: Uint8Array) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), PER_CALL_MS)));
  const r = await Promise.race([extract(name, bytes), timeout]);
  clearTimeout(timer);
  expect(r, `${name} did not settle within ${PER_CALL_MS} ms`).not.toBe('timeout');
  if (r === 'timeout') return;
  expect(typeof r.ok).toBe('boolean');
  if (r.ok) {
    for (const d of r.documents) {
      expect(typeof d.text).toBe('string');
      for (const s of d.sections) expect(s.start >= 0 && s.start <= d.text.length).toBe(true);
      for (const p of d.pages) expect(p >= 0 && p <= d.text.length).toBe(true);
    }
  } else expect(r.reason.length).toBeGreaterThan(0);
}

const extensions = [...SUPPORTED_EXTENSIONS];

describe('arbitrary input', () => {
  // Start the PDF worker thread before the clock runs on any one call.
  beforeAll(async () => {
    expect((await extract('warm.pdf', buildPdf({ pages: [['warm']] }))).ok).toBe(true);
  });

  it('arbitrary bytes under every extension give a result', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...extensions), fc.uint8Array({ maxLength: 2048 }), async (ext, bytes) => {
        await settles(`fuzz${ext}`, bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('markup-shaped text under every text extension gives a result', async () => {
    const piece = fc.constantFrom('<', '>', '/', '"', ',', '\n', '&', ';', '<!DOCTYPE x [<!ENTITY a "b">]>', '<TEI>', '<div>', '<head>', '</div>', '&a;', 'text', ' ', '\t', '<!--', ']]>', '<![CDATA[');
    const text = fc.array(piece, { maxLength: 200 }).map((a) => new TextEncoder().encode(a.join('')));
    const textExts = extensions.filter((e) => !['.pdf', '.docx', '.epub'].includes(e));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...textExts), text, async (ext, bytes) => {
        await settles(`markup${ext}`, bytes);
      }),
      { numRuns: 200 },
    );
  });

  const fixtures: Array<[string, Uint8Array]> = [
    ['f.pdf', buildPdf({ pages: [['Some text on page one.'], ['And page two.']], info: { Title: 'T' } })],
    ['f.docx', buildDocx({ paragraphs: [{ text: 'Heading', style: 'Heading1' }, { text: 'Body text.' }], core: { title: 'T' } })],
    ['f.epub', buildEpub({ chapters: [{ file: 'a.xhtml', body: '<h1>A</h1><p>Body.</p>' }], metadata: '<dc:title>T</dc:title>' })],
  ];

  it('valid pdf, docx and epub files with random bytes overwritten give a result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fixtures),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
        async ([name, original], edits) => {
          const bytes = original.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          await settles(name, bytes);
        },
      ),
      { numRuns: 200 },
    );
  });
});
