/**
 * `loupe tokens` in bounded memory, on the whole Brown corpus (1.2M tokens): the aligned text table
 * printed by a child process whose JavaScript heap is far smaller than the table, every line checked
 * against the index; and every token streamed from the index opened lazily, equal to its whole
 * columns, without a whole column loaded or a document's text kept for later. `loupe kwic --limit 0`
 * the same way: every concordance line of a frequent pattern from a process that could not hold them.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_KINDS, TOKEN_KINDS } from '../../app/contract/types.js';
import { loadIndex } from '../../app/index/persist.js';
import { READ_TEXT_ONCE, type CorpusIndex } from '../../app/index/store.js';
import { TOKEN_COLUMNS, tokenRowBlocks, TXT_WORD_WIDTH, writeTokens } from '../../app/cli/tokens.js';
import { Engine } from '../../app/engine.js';
import { runCli } from '../support/cli.js';
import { removeDir, ROOT, tempDir, writeBrownCorpus } from '../support/corpus.js';
import { savedIndexFile } from '../support/saved-index.js';

let corpus: string;
let cache: string;
let file: string;
let whole: CorpusIndex;

/** Token p's row from the whole columns, as the command printed it before it streamed. */
function expectedRow(p: number): Array<string | number> {
  const d = whole.docOf(p);
  const [s, e] = [whole.start[p]!, whole.end[p]!];
  const kind = TOKEN_KINDS[whole.kind[p]!]!;
  return [
    whole.docs[d]!.name,
    p,
    whole.docs[d]!.text.slice(s, e),
    whole.lemmas[whole.lemma[p]!]!,
    whole.posName(whole.pos[p]!),
    kind,
    COUNTED_KINDS.has(kind) ? 1 : 0,
    s,
    e,
  ];
}

/** What writeTokens prints for tokens [from, to). */
async function printed(index: CorpusIndex, from: number, to: number, format: 'txt' | 'tsv' | 'csv' | 'json'): Promise<string> {
  let out = '';
  await writeTokens(
    index,
    from,
    to,
    format,
  )(async (chunk) => {
    out += chunk;
  });
  return out;
}

/** Runs the command with a small heap and hands each line of its output to `line` as it comes. */
function runStreaming(args: string[], heapMiB: number, line: (text: string) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--import', 'tsx', 'app/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const l of lines) line(l);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (rest) line(rest);
      resolve({ code, stderr });
    });
  });
}

beforeAll(async () => {
  corpus = tempDir('tokens-stream');
  cache = tempDir('tokens-stream-cache');
  writeBrownCorpus(corpus, 500);
  const indexed = await runCli(['index', corpus, '--index', cache, '--quiet']);
  expect(indexed.code, indexed.stderr).toBe(0);
  file = savedIndexFile(cache);
  whole = (await loadIndex(file)).index;
  expect(whole.lazy).toBe(false);
}, 60_000);
afterAll(() => {
  removeDir(corpus);
  removeDir(cache);
});

describe('loupe tokens streams', () => {
  it('txt: an aligned table of every token from a process whose heap could not hold it', async () => {
    const n = whole.tokenCount;
    expect(n).toBeGreaterThan(1_000_000);
    let header = '';
    let count = 0;
    const wrong: string[] = [];
    let lastLength = 0;
    const lengths = new Set<number>();
    const { code, stderr } = await runStreaming(['tokens', '--corpus', corpus, '--index', cache, '--quiet'], 64, (line) => {
      if (!header) {
        header = line;
        return;
      }
      const p = count++;
      const want = p < n ? expectedRow(p).map(String) : [];
      const cells = line.split(/ {2,}/).map((c) => c.trim());
      if (wrong.length < 5 && cells.join('|') !== want.join('|')) wrong.push(`${p}: ${line}`);
      // Columns are as wide as their widest cell so far: lines keep one length for a block and only
      // grow after it, except where a long word or lemma overflows its own line.
      if (want[2]!.length <= TXT_WORD_WIDTH && want[3]!.length <= TXT_WORD_WIDTH) {
        if (line.length < lastLength && wrong.length < 5) wrong.push(`${p} is narrower than the line before: ${line}`);
        lastLength = line.length;
        lengths.add(line.length);
      }
    });
    expect(code, stderr).toBe(0);
    expect(header.split(/ +/)).toEqual(TOKEN_COLUMNS);
    expect(count).toBe(n);
    expect(wrong).toEqual([]);
    expect(lengths.size).toBeLessThan(20);
  }, 60_000);

  it('from a lazily opened index: every token equal to the whole columns, no whole column loaded, no text kept', async () => {
    const { index: lazy } = await loadIndex(file, { lazyAbove: 0 });
    expect(lazy.lazy).toBe(true);
    // A pass over every document must not fill the texts kept for KWIC pages (each `text` read keeps one).
    for (const doc of lazy.docs) {
      expect(doc[READ_TEXT_ONCE]).toBeTypeOf('function');
      Object.defineProperty(doc, 'text', {
        get() {
          throw new Error(`${doc.name}: text kept`);
        },
      });
    }
    const n = lazy.tokenCount;
    let p = 0;
    let bad = 0;
    let firstBad = '';
    for (const block of tokenRowBlocks(lazy, 0, n)) {
      for (const row of block) {
        const want = expectedRow(p);
        if (row.some((c, i) => c !== want[i])) {
          if (!bad++) firstBad = `${p}: ${JSON.stringify(row)} != ${JSON.stringify(want)}`;
        }
        p++;
      }
    }
    expect(p).toBe(n);
    expect(firstBad).toBe('');
    const fields = lazy as unknown as Record<string, unknown>;
    expect(['_form', '_lemma', '_pos', '_kind', '_counted', '_start', '_end'].filter((f) => fields[f] !== undefined)).toEqual([]);

    // Each format over a window across blocks and documents prints the same from either index.
    const from = whole.docStart[10]! - 7000;
    const to = whole.docStart[14]! + 5000;
    for (const format of ['tsv', 'csv', 'json', 'txt'] as const) {
      const outputs = [await printed(lazy, from, to, format), await printed(whole, from, to, format)];
      expect(outputs[0], format).toBe(outputs[1]);
      expect(outputs[0]!.split('\n').length, format).toBeGreaterThan(format === 'json' ? 1 : to - from);
    }
    expect(JSON.parse(await printed(lazy, from, from + 3, 'json'))).toEqual(
      [from, from + 1, from + 2].map((q) => Object.fromEntries(TOKEN_COLUMNS.map((c, i) => [c, expectedRow(q)[i]]))),
    );
  }, 60_000);
});

describe('loupe kwic --limit 0 streams', () => {
  it('every line of a frequent pattern, from a process whose heap could not hold them, in the engine order', async () => {
    const query = '[pos="NOUN"]';
    const engine = new Engine({ indexDir: cache });
    const opened = await engine.openCorpus({ paths: [corpus] });
    expect(opened.ok).toBe(true);
    const all = await engine.kwic({ query, limit: 1_000_000 });
    if (!all.ok) throw new Error(all.error.message);
    const want = all.value.lines;
    expect(want.length).toBe(all.value.hits);
    expect(want.length).toBeGreaterThan(200_000);
    let header = '';
    let count = 0;
    const wrong: string[] = [];
    const { code, stderr } = await runStreaming(
      ['kwic', query, '--limit', '0', '--format', 'tsv', '--corpus', corpus, '--index', cache, '--quiet'],
      64,
      (line) => {
        if (!header) {
          header = line;
          return;
        }
        const [doc, position, , node] = line.split('\t');
        const w = want[count++];
        if (wrong.length < 5 && (!w || doc !== w.docName || Number(position) !== w.position || node !== w.node))
          wrong.push(`${count - 1}: ${line}`);
      },
    );
    expect(code, stderr).toBe(0);
    expect(header).toBe('doc\tposition\tleft\tnode\tright');
    expect(wrong).toEqual([]);
    expect(count).toBe(want.length);
    await engine.close();
  }, 120_000);
});
