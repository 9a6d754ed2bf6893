/**
 * No file can make a reader take more than linear time. Each case grows one hostile shape (many
 * attributes, long runs of spaces, very long lines, runs of `#` or `<`, unclosed quotes, deep
 * nesting) for one format at three sizes, each twice the last, and holds the median time of a few
 * runs to linear growth: doubling the input may at most about triple the time. A pattern that
 * backtracks (quadratic or exponential) breaks that ratio, or the per-run budget, long before the
 * sizes get large. The one shape a library keeps quadratic, deep nesting in htmlparser2, is held to
 * the reader watchdog's time budget instead (the last test).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract } from '../../app/corpus/formats/index.js';
import { pageText } from '../../app/corpus/formats/pdf.js';
import { isDocument, listCorpus, readDocuments } from '../../app/corpus/read.js';
import { budgetFor, timeReason } from '../../app/corpus/reader-pool.js';
import { parseSidecar } from '../../app/corpus/sidecar.js';
import { buildDocx, buildEpub, buildPdf, xhtml } from '../corpus/formats/build-fixtures.js';

const RUNS = 5;
/** Doubling the input may multiply the time by this much (linear is 2; the rest is noise and GC). */
const MAX_RATIO = 3;
/** Times this small are noise: a step is only held to the ratio above this floor. */
const FLOOR_MS = 25;
/** One run over this means the reader is far from linear; stop there rather than hang the suite. */
const RUN_BUDGET_MS = 1500;
/** The first run also starts the PDF worker and loads the readers. */
const WARM_UP_BUDGET_MS = 5000;

const enc = (s: string) => new TextEncoder().encode(s);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Input = { name: string; bytes: Uint8Array } | (() => unknown);

async function runOnce(input: Input): Promise<unknown> {
  return typeof input === 'function' ? input() : extract(input.name, input.bytes);
}

async function timeOf(input: Input, label: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await runOnce(input);
    const ms = performance.now() - t0;
    if (ms > RUN_BUDGET_MS) throw new Error(`${label}: one run took ${Math.round(ms)} ms`);
    if (typeof input !== 'function') expect(r, label).toMatchObject({ ok: expect.any(Boolean) });
    times.push(ms);
  }
  return median(times);
}

/**
 * Builds the input at sizes n, 2n, 4n and checks each doubling against MAX_RATIO. A step over the
 * ratio is timed again (other test files share the machine): noise passes on a second look,
 * super-linear growth does not.
 */
async function holdsLinear(label: string, n: number, build: (n: number) => Input): Promise<void> {
  const sizes = [n, 2 * n, 4 * n];
  const inputs = sizes.map(build);
  // Warm up (JIT, lazy imports, the PDF worker); a hang shows here first.
  const t0 = performance.now();
  await runOnce(inputs[0]!);
  const warm = performance.now() - t0;
  if (warm > WARM_UP_BUDGET_MS) throw new Error(`${label} at ${n}: warming up took ${Math.round(warm)} ms`);
  // Each size is checked before the next is tried: past a super-linear step the next could hang.
  const times = [await timeOf(inputs[0]!, `${label} at ${n}`)];
  const bound = (i: number) => MAX_RATIO * Math.max(times[i - 1]!, FLOOR_MS);
  for (let i = 1; i < sizes.length; i++) {
    times.push(await timeOf(inputs[i]!, `${label} at ${sizes[i]}`));
    for (let retry = 0; retry < 2 && times[i]! > bound(i); retry++) {
      times[i - 1] = await timeOf(inputs[i - 1]!, `${label} at ${sizes[i - 1]}`);
      times[i] = await timeOf(inputs[i]!, `${label} at ${sizes[i]}`);
    }
    const report = times.map((t, k) => `${sizes[k]}: ${t.toFixed(1)} ms`).join(', ');
    expect(times[i]!, `${label} grows faster than linear (${report})`).toBeLessThanOrEqual(bound(i));
  }
}

const file = (name: string, text: string): Input => ({ name, bytes: enc(text) });
const attrs = (count: number, value: (i: number) => string) => Array.from({ length: count }, (_, i) => `a${i}=${value(i)}`).join(' ');
const spaces = (n: number) => ' '.repeat(n);

interface Case {
  label: string;
  n: number;
  build: (n: number) => Input;
}

const cases: Record<string, Case[]> = {
  text: [
    { label: 'a long run of spaces', n: 200_000, build: (n) => file('a.txt', `a${spaces(n)}b\n`) },
    { label: 'a very long line of `<`', n: 200_000, build: (n) => file('a.txt', '<'.repeat(n)) },
  ],
  markdown: [
    { label: 'a heading with a long run of spaces', n: 50_000, build: (n) => file('a.md', `# a${spaces(n)}x\n`) },
    { label: 'a heading of spaces and `#` runs', n: 20_000, build: (n) => file('a.md', '# a' + ' #'.repeat(n) + ' x\n') },
    { label: 'a line of `#`', n: 100_000, build: (n) => file('a.md', '#'.repeat(n) + ' a\n') },
    { label: 'many heading lines', n: 10_000, build: (n) => file('a.md', '## a  ##  \n'.repeat(n)) },
    {
      label: 'front matter with a long run of spaces',
      n: 50_000,
      build: (n) => file('a.md', `---\nkey:${spaces(n)}x\u2028y\ntitle: "${spaces(n)}\n---\n`),
    },
    { label: 'an unclosed code fence', n: 20_000, build: (n) => file('a.md', '```\n' + '~~~ a\n'.repeat(n)) },
  ],
  html: [
    { label: 'a long run of spaces', n: 50_000, build: (n) => file('a.html', `<p>a${spaces(n)}b</p>`) },
    {
      label: 'a long run of spaces and non-breaking spaces',
      n: 50_000,
      build: (n) => file('a.html', `<p>a${' \u00a0'.repeat(n / 2)}b\n</p>`),
    },
    { label: 'a tag with many quoted attributes', n: 2_000, build: (n) => file('a.html', `<p ${attrs(n, () => '"v"')}>x</p>`) },
    { label: 'an attribute quote never closed', n: 100_000, build: (n) => file('a.html', `<p a="${'x '.repeat(n)}`) },
    { label: 'a very long line of `<`', n: 100_000, build: (n) => file('a.html', '<p>' + '<'.repeat(n)) },
    {
      label: 'a long heading after a long word',
      n: 50_000,
      build: (n) => file('a.html', `<p>${'x'.repeat(n)}</p><h1>${'x'.repeat(n)} y</h1>`),
    },
    {
      label: 'many headings split by line breaks',
      n: 2_000,
      build: (n) => file('a.html', `<p>${'word '.repeat(5 * n)}</p>` + Array.from({ length: n }, (_, i) => `<h2>a${i}<br>b</h2>`).join('')),
    },
    {
      label: 'many headings inside <head>',
      n: 2_000,
      build: (n) =>
        file('a.html', `<p>${'word '.repeat(5 * n)}</p>` + Array.from({ length: n }, (_, i) => `<head><h2>q${i}</h2></head>`).join('')),
    },
  ],
  xhtml: [
    // Exponential in the count of attributes: one tag is enough, and the step from 11 to 22 shows it.
    { label: 'one tag with many quoted attributes', n: 11, build: (n) => file('a.xhtml', `<p ${attrs(n, () => '"v"')}>x</p>`) },
    {
      label: 'many tags with many attributes',
      n: 200,
      build: (n) => file('a.xhtml', `<p ${attrs(20, (i) => (i % 2 ? '"v"' : "'v'"))}>x</p>`.repeat(n)),
    },
    {
      label: 'self-closing tags with many attributes',
      n: 200,
      build: (n) => file('a.xhtml', `<span ${attrs(20, () => '"v/>"')} />x`.repeat(n)),
    },
    {
      label: 'a long run of spaces inside a tag',
      n: 50_000,
      build: (n) => file('a.xhtml', `<p a="v"${spaces(n)}b="w"${spaces(n)}/x>y</p>`),
    },
    { label: 'a long run of spaces', n: 50_000, build: (n) => file('a.xhtml', `<html><body><p>a${spaces(n)}b</p></body></html>`) },
  ],
  'xml and TEI': [
    {
      label: 'TEI with long runs of spaces and a long <head>',
      n: 50_000,
      build: (n) => file('a.xml', `<TEI><text><body><div><head>a${spaces(n)}b</head><p>a${spaces(n)}b</p></div></body></text></TEI>`),
    },
    {
      label: 'nesting down to the depth limit, repeated',
      n: 60,
      build: (n) => file('a.xml', '<r>' + ('<a>'.repeat(500) + 'x' + '</a>'.repeat(500)).repeat(n) + '</r>'),
    },
    { label: 'nesting past the depth limit', n: 20_000, build: (n) => file('a.xml', '<a>'.repeat(n)) },
    {
      label: 'a DOCTYPE declaring many entities',
      n: 5_000,
      build: (n) => file('a.xml', `<!DOCTYPE r [${`<!ENTITY${spaces(20)}e "x">`.repeat(n)}]><r>&e;</r>`),
    },
    { label: 'an element with many attributes', n: 5_000, build: (n) => file('a.xml', `<r ${attrs(n, () => '"v"')}>x</r>`) },
    { label: 'an attribute quote never closed', n: 100_000, build: (n) => file('a.xml', `<r a="${'x '.repeat(n)}`) },
  ],
  'csv and tsv': [
    { label: 'a quote never closed', n: 100_000, build: (n) => file('a.csv', `text,b\n"${'a, '.repeat(n)}`) },
    { label: 'runs of doubled quotes', n: 100_000, build: (n) => file('a.csv', `text,b\n"${'""'.repeat(n)}",x\n`) },
    { label: 'text after a closing quote', n: 100_000, build: (n) => file('a.tsv', `text\tb\n"a"${'x'.repeat(n)}\tb\n`) },
    { label: 'long runs of spaces', n: 100_000, build: (n) => file('a.tsv', `text\tb\na${spaces(n)}b\t${spaces(n)}\n`) },
  ],
  'metadata.csv sidecar': [
    { label: 'a quote never closed', n: 100_000, build: (n) => () => parseSidecar(enc(`file,title\n"${'a, '.repeat(n)}`), 'metadata.csv') },
    {
      label: 'long runs of spaces and backslashes',
      n: 300_000,
      build: (n) => () => parseSidecar(enc(`file,title\n${'\\'.repeat(n)}a.txt,${spaces(n)}x\n`), 'metadata.csv'),
    },
  ],
  'PDF text': [
    { label: 'page text with a long run of spaces', n: 100_000, build: (n) => () => pageText([{ str: `a${spaces(n)}b` }]) },
    {
      label: 'page text with spaces before many line ends',
      n: 20_000,
      build: (n) => () => pageText(Array.from({ length: n }, () => ({ str: 'a   \u00a0 ', hasEOL: true }))),
    },
    {
      label: 'a PDF with a long line of spaces',
      n: 20_000,
      build: (n) => ({ name: 'a.pdf', bytes: buildPdf({ pages: [[`a${spaces(n)}b`, 'c']], outline: [{ title: 'c', page: 0 }] }) }),
    },
  ],
  docx: [
    {
      label: 'a paragraph with a long run of spaces',
      n: 20_000,
      build: (n) => ({ name: 'a.docx', bytes: buildDocx({ paragraphs: [{ text: `a${spaces(n)}b` }, { text: 'x', style: 'Heading1' }] }) }),
    },
    {
      label: 'many headings',
      n: 250,
      build: (n) => ({
        name: 'a.docx',
        bytes: buildDocx({ paragraphs: Array.from({ length: n }, (_, i) => ({ text: `h${i}`, style: 'Heading1' as const })) }),
      }),
    },
  ],
  epub: [
    {
      label: 'a chapter tag with many quoted attributes',
      n: 11,
      build: (n) => ({ name: 'a.epub', bytes: buildEpub({ chapters: [{ file: 'c.xhtml', body: `<p ${attrs(n, () => '"v"')}>x</p>` }] }) }),
    },
    {
      label: 'a chapter with a long run of spaces',
      n: 50_000,
      build: (n) => ({ name: 'a.epub', bytes: buildEpub({ chapters: [{ file: 'c.xhtml', body: `<h1>t</h1><p>a${spaces(n)}b</p>` }] }) }),
    },
    {
      label: 'many chapters with headings',
      n: 100,
      build: (n) => ({
        name: 'a.epub',
        bytes: buildEpub({ chapters: Array.from({ length: n }, (_, i) => ({ file: `c${i}.xhtml`, body: `<h1>t${i}</h1><p>text</p>` })) }),
      }),
    },
  ],
};

describe('readers take time linear in hostile input', () => {
  for (const [format, list] of Object.entries(cases))
    describe(format, () => {
      for (const c of list) it(c.label, () => holdsLinear(`${format}: ${c.label}`, c.n, c.build));
    });

  // htmlparser2's Parser keeps open elements with Array.unshift and finds a closing tag with indexOf,
  // so thousands of unclosed elements cost time quadratic in their count; that is the library's. The
  // reader watchdog bounds it: such a file is skipped once it has had its time budget, and the rest
  // of the folder is read.
  it('html, xhtml and EPUB chapters: thousands of unclosed nested elements are skipped within the time budget', async () => {
    // Minutes of parsing at this count; a tenth of it already takes about a second.
    const deep = '<b>'.repeat(160_000) + 'x' + '</i>'.repeat(160_000);
    const dir = mkdtempSync(join(tmpdir(), 'loupe-deep-'));
    try {
      writeFileSync(join(dir, 'a.html'), deep);
      writeFileSync(join(dir, 'a.xhtml'), xhtml(deep));
      writeFileSync(join(dir, 'a.epub'), buildEpub({ chapters: [{ file: 'c.xhtml', body: deep }] }));
      writeFileSync(join(dir, 'ok.html'), '<p>An honest page.</p>');
      // HTML and XHTML under their default budget. An EPUB's default allows for an archive expanding
      // to the zip caps, a couple of minutes; a smaller budget keeps this test short.
      const readerBudget = (name: string) => (name === 'a.epub' ? { timeMs: 3000 } : undefined);
      const { files } = await listCorpus([dir]);
      const t0 = performance.now();
      const results = await readDocuments(files, undefined, undefined, 16, { readerBudget });
      const elapsed = performance.now() - t0;
      const budgets = files.map((f) => budgetFor(f.name, f.size, readerBudget));
      for (const [i, f] of files.entries()) {
        if (f.name === 'ok.html') expect(isDocument(results[i]!), f.name).toBe(true);
        else expect(results[i], f.name).toEqual({ name: f.name, reason: timeReason(budgets[i]!) });
      }
      // Two reader threads: the three files take at most about the two longest budgets in turn.
      const [longest, next] = budgets.map((b) => b.timeMs).sort((a, b) => b - a);
      expect(elapsed).toBeLessThan(longest! + next! + 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
