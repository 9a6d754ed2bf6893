/**
 * Every reader runs under a watchdog (app/corpus/reader-pool.ts): a folder of honest files of every
 * format plus files that break a budget (one that takes a parser quadratic time, one that needs more
 * memory than it is given, one that takes longer than it is given) reads every honest file exactly
 * as the extractors read it, skips each of the others with the budget it broke, and keeps this
 * thread free throughout. A cancel stops the reader threads at once, and warm threads never keep a
 * process alive.
 */
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoupeFailure } from '../../app/contract/errors.js';
import { extract } from '../../app/corpus/formats/index.js';
import {
  documentsOf,
  isDocument,
  listCorpus,
  readDocument,
  readDocuments,
  type ReadOptions,
  type SourceFile,
} from '../../app/corpus/read.js';
import { budgetFor, extractInReader, filesBeingRead, readerThreads } from '../../app/corpus/reader-pool.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import { runQuery } from '../../app/query/run.js';
import { buildDocx, buildEpub, buildPdf } from '../corpus/formats/build-fixtures.js';
import { removeDir, ROOT, tempDir, thrown, writeFiles } from './support.js';

/**
 * Unclosed elements closed by tags that never opened: htmlparser2 looks each closing tag up in its
 * stack of open elements, so the time is quadratic in their count. At this size the parse takes
 * minutes; tenfold fewer elements already take about a second.
 */
const DEEP_ELEMENTS = 160_000;
const deepNesting = (n: number) => '<b>'.repeat(n) + 'x' + '</i>'.repeat(n);

/** An honest page of this many MB, of many paragraphs. */
function bigPage(mb: number): string {
  const parts: string[] = [];
  for (let i = 0, n = 0; n < mb * 1024 * 1024; i++) {
    const p = `<p>Paragraph ${i} of an honest page: the bureaucracy plans and the workers answer, again and again.</p>\n`;
    parts.push(p);
    n += p.length;
  }
  return `<html><head><title>Big</title></head><body>${parts.join('')}</body></html>`;
}

const HONEST: Record<string, string | Uint8Array> = {
  'plain.txt': 'The bureaucracy plans. The bureaucracy rules.\n',
  'notes.md': '---\ntitle: Notes\nlanguage: en\n---\n# First\n\nOne bureaucracy here.\n\n# Second\n\nAnd the workers answer.\n',
  'sub/page.html':
    '<html lang="en"><head><title>Page</title><script>alert("bureaucracy")</script></head><body><h1>Head</h1><p>A bureaucracy in HTML.</p></body></html>',
  'page.xhtml':
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head><body><p>An XHTML bureaucracy.</p></body></html>',
  'report.pdf': buildPdf({
    pages: [['Page one speaks of bureaucracy.'], ['Page two speaks of workers.'], ['Page three: bureaucracy again.']],
    info: { Title: 'Report' },
  }),
  'letter.docx': buildDocx({
    paragraphs: [{ text: 'Letter', style: 'Heading1' }, { text: 'Dear reader, the bureaucracy answers.' }],
    core: { title: 'A letter' },
  }),
  'book.epub': buildEpub({
    chapters: [
      { file: 'c1.xhtml', body: '<h1>Chapter One</h1><p>The bureaucracy begins.</p>', title: 'One' },
      { file: 'c2.xhtml', body: '<h1>Chapter Two</h1><p>The workers end it.</p>', title: 'Two' },
    ],
    metadata: '<dc:title>Book</dc:title><dc:language>en</dc:language>',
  }),
  'text.xml':
    '<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>TEI text</title></titleStmt></fileDesc></teiHeader><text><body><div><head>Alpha</head><p>The bureaucracy in Alpha.</p></div></body></text></TEI>',
  'rows.csv': 'id,year,text\n1,1951,"A row about the bureaucracy, quoted"\n2,1952,"Another row, with workers"\n',
};

/** Occurrences of "bureaucracy" in each honest document, as the fixtures were written. */
const EXPECTED: Record<string, number> = {
  'plain.txt': 2,
  'notes.md': 1,
  'sub/page.html': 1,
  'page.xhtml': 1,
  'report.pdf': 2,
  'letter.docx': 1,
  'book.epub': 1,
  'text.xml': 1,
  'rows.csv #row 1': 1,
  'rows.csv #row 2': 0,
};

/** The hostile files, each with the budget it is read under. */
const HOSTILE = {
  // (a) quadratic in htmlparser2: seconds beyond any budget a file of its size gets.
  'deep.html': { timeMs: 1500 },
  // (b) an honest page given far less heap than it needs.
  'big.html': { memoryMb: 48 },
  // (c) an honest page given less time than it takes.
  'slow.xhtml': { timeMs: 20 },
} as const;
const budgets: ReadOptions['readerBudget'] = (name) => HOSTILE[name as keyof typeof HOSTILE];

let dir: string;

beforeAll(() => {
  dir = tempDir('watchdog');
  writeFiles(dir, {
    ...HONEST,
    'deep.html': deepNesting(DEEP_ELEMENTS),
    'big.html': bigPage(6),
    'slow.xhtml': bigPage(2),
  });
});
afterAll(() => removeDir(dir));

function sourceFile(name: string): SourceFile {
  const path = join(dir, name);
  const st = statSync(path);
  return { path, name, size: st.size, mtimeMs: st.mtimeMs };
}

/** The longest the event loop of this thread went without a turn while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  try {
    return { value: await work(), stallMs };
  } finally {
    clearInterval(tick);
  }
}

describe('every reader runs under a watchdog', () => {
  it('skips each file that breaks its budget, with the budget in the reason, and reads every other file', async () => {
    const listing = await listCorpus([dir]);
    const t0 = performance.now();
    const { value: results, stallMs } = await longestStall(() =>
      readDocuments(listing.files, undefined, undefined, 16, { readerBudget: budgets }),
    );
    const elapsed = performance.now() - t0;

    const skipped = Object.fromEntries(results.filter((r) => !isDocument(r)).map((r) => [r.name, (r as { reason: string }).reason]));
    expect(Object.keys(skipped).sort()).toEqual(Object.keys(HOSTILE).sort());
    expect(skipped['deep.html']).toBe('took longer than 1.5 s to read (limit for a file of this size); skipped');
    expect(skipped['big.html']).toBe('needed more than 48 MB of memory to read (limit for a file of this size); skipped');
    expect(skipped['slow.xhtml']).toBe('took longer than 0.02 s to read (limit for a file of this size); skipped');

    const docs = results.filter(isDocument).flatMap(documentsOf);
    expect(docs.map((d) => d.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    const index = buildIndexSync(docs.map((d) => ({ name: d.name, path: d.path, text: d.text })));
    const hits = runQuery(index, 'bureaucracy').starts.length;
    const perDoc = Object.fromEntries(docs.map((d) => [d.name, (d.text.match(/\bbureaucracy\b/gi) ?? []).length]));
    expect(perDoc).toEqual(EXPECTED);
    expect(hits).toBe(Object.values(EXPECTED).reduce((a, b) => a + b, 0));

    // Unwatched, the deep file alone would hold a reader for minutes; the budgets bound the whole read.
    expect(elapsed).toBeLessThan(30_000);
    // This thread only waits: a web host or the app answers throughout.
    expect(stallMs).toBeLessThan(1000);
  }, 60_000);

  it('returns what the extractors return, unchanged by the trip to a reader thread', async () => {
    for (const [name, content] of Object.entries(HONEST)) {
      if (name.endsWith('.txt')) continue;
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const here = await extract(name, bytes);
      const there = await extractInReader(name, new Uint8Array(bytes), {}, { budget: budgetFor(name, bytes.length) });
      expect(JSON.stringify(there), name).toBe(JSON.stringify(here));
    }
  });

  it('watches the HTML of a page too large to read whole too', async () => {
    const t0 = performance.now();
    const r = await readDocument(sourceFile('deep.html'), { streamAbove: 1000, readerBudget: { timeMs: 1000 } });
    expect(r).toEqual({ name: 'deep.html', reason: 'took longer than 1 s to read (limit for a file of this size); skipped' });
    expect(performance.now() - t0).toBeLessThan(15_000);
    const page = await readDocument(sourceFile('slow.xhtml'), { streamAbove: 1000 });
    expect(isDocument(page) && page.title).toBe('Big');
  });

  it('a cancel while a file is being read rejects with E_CANCELLED at once and stops the reader threads', async () => {
    const controller = new AbortController();
    const read = readDocuments([sourceFile('deep.html')], undefined, controller.signal, 16, { readerBudget: { timeMs: 300_000 } });
    const failure = thrown(read);
    // Until a thread is well into the file.
    const started = performance.now();
    while (filesBeingRead() === 0 && performance.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20));
    expect(filesBeingRead()).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    controller.abort();
    const e = await failure;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(e).toBeInstanceOf(LoupeFailure);
    expect((e as LoupeFailure).code).toBe('E_CANCELLED');
    const stopping = performance.now();
    while (readerThreads() > 0 && performance.now() - stopping < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(readerThreads()).toBe(0);
  }, 60_000);

  it('a process exits as soon as its read is done or cancelled: no reader thread holds it', async () => {
    const script = join(dir, 'child.mts');
    const readUrl = pathToFileURL(join(ROOT, 'app/corpus/read.ts')).href;
    writeFileSync(
      script,
      `import { readDocuments } from ${JSON.stringify(readUrl)};
const file = (name) => ({ path: ${JSON.stringify(dir)} + '/' + name, name, size: 0, mtimeMs: 0 });
const [doc] = await readDocuments([file('notes.md')]);
process.stdout.write('read ' + doc.name + '\\n');
const controller = new AbortController();
setTimeout(() => controller.abort(), 1500);
try {
  await readDocuments([file('deep.html')], undefined, controller.signal, 16, { readerBudget: { timeMs: 300000 } });
} catch (e) {
  process.stdout.write('cancelled ' + e.code + '\\n');
}
`,
    );
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out, err).toBe('read notes.md\ncancelled E_CANCELLED\n');
    expect(code).toBe(0);
    // Well before the idle threads would stop of themselves, and the deep file would end.
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 60_000);
});
