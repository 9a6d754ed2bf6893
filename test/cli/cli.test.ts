/**
 * The `loupe` command as a user runs it, on the bundled corpus with a temporary --index folder:
 * output shapes of the issue in every format, progress on stderr, and exit codes 0 / 2 / 1.
 * Each command is spawned once (in beforeAll, two at a time) and the tests read the results.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_KINDS, type TokenKind } from '../../app/contract/types.js';
import { buildIndexSync } from '../../app/indexing/build.js';
import type { CorpusIndex } from '../../app/index/store.js';
import { kwicPage } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { CHAPTER_NAME, CHAPTER_PATH, CHAPTER_TEXT, regexSpans, removeDir, tempDir } from '../support/corpus.js';
import { parseDelimited, runAll, runCli, type CliRun } from '../support/cli.js';

const BUREAUCRACY = regexSpans(CHAPTER_TEXT, /\bbureaucracy\b/gi).length;
const COUNCILS = regexSpans(CHAPTER_TEXT, /\bworkers['’] councils\b/gi).length;
/** A query with a gap: several of its shortest hits end on the same `bureaucracy`. */
const GAP = 'the []{0,3} bureaucracy';

let indexDir: string;
let first: CliRun;
const runs = new Map<string, CliRun>();
let index: CorpusIndex;

const COMMANDS: Record<string, string[]> = {
  indexAgain: ['index', '--format', 'json'],
  countJson: ['count', 'bureaucracy', '--format', 'json'],
  countTsv: ['count', "workers' councils", '--format', 'tsv'],
  countCsvCase: ['count', 'The', '--case', '--format', 'csv'],
  countTxt: ['count', 'workers’ councils'],
  kwicJson: ['kwic', 'bureaucracy', '--format', 'json', '--sort', 'R1', '--offset', '2', '--limit', '5', '--context', '3'],
  kwicTsv: ['kwic', 'bureaucracy', '--format', 'tsv', '--limit', '0'],
  kwicCsv: ['kwic', "workers' councils", '--format', 'csv'],
  kwicTxt: ['kwic', 'bureaucracy', '--limit', '5', '--sort', 'R1'],
  countGap: ['count', GAP, '--format', 'json'],
  countGapStandard: ['count', GAP, '--matching', 'standard', '--format', 'json'],
  kwicGapStandard: ['kwic', GAP, '--matching', 'standard', '--format', 'json', '--limit', '0'],
  badMatching: ['count', GAP, '--matching', 'longest'],
  help: ['--help'],
  tokensTsv: ['tokens', '--format', 'tsv'],
  searchJson: ['search', 'workers councils', '--format', 'json', '--limit', '3'],
  badQuery: ['count', '[pos="NOUN"', '--format', 'json'],
  badFormat: ['count', 'bureaucracy', '--format', 'xml'],
  missingCorpus: ['count', 'bureaucracy', '--corpus', '/nonexistent/loupe-test-corpus'],
};

const run = (name: keyof typeof COMMANDS): CliRun => runs.get(name)!;

beforeAll(async () => {
  indexDir = tempDir('cli-index');
  first = await runCli(['index', '--index', indexDir]);
  const names = Object.keys(COMMANDS);
  const results = await runAll(names.map((n) => [...COMMANDS[n]!, '--index', indexDir]));
  names.forEach((n, i) => runs.set(n, results[i]!));
  index = buildIndexSync([{ name: CHAPTER_NAME, path: CHAPTER_PATH, text: CHAPTER_TEXT }]);
}, 120_000);

afterAll(() => removeDir(indexDir));

describe('index', () => {
  it('indexes the bundled corpus with progress on stderr and a summary (txt) on stdout', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/tokenising/);
    expect(first.stdout).not.toMatch(/tokenising/);
    expect(first.stdout).toMatch(new RegExp(`\\b1 documents?, ${index.tokenCount} tokens \\(${index.countedTotal} counted\\)`));
    expect(first.stdout).not.toMatch(/reused/);
    expect(first.stdout).toMatch(
      new RegExp(`^${CHAPTER_NAME.replace(/\./g, '\\.')}\\s+${index.tokenCount}\\s+${index.countedTotal}\\s+en\\s+detected\\s+utf-8`, 'm'),
    );
  });

  it('a second run reuses the saved index', () => {
    const r = run('indexAgain');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/tokenising/);
    const info = JSON.parse(r.stdout);
    expect(info.reused).toBe(true);
    expect(info.documents.map((d: { name: string }) => d.name)).toEqual([CHAPTER_NAME]);
    expect(info.tokens).toBe(index.tokenCount);
    expect(info.counted).toBe(index.countedTotal);
  });
});

describe('count', () => {
  it('json: exactly {"query", "hits", "documents"}', () => {
    const r = run('countJson');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['query', 'hits', 'documents']);
    expect(out).toEqual({ query: 'bureaucracy', hits: BUREAUCRACY, documents: 1 });
    expect(out.hits).toBe(36);
  });

  it('tsv, csv and txt', () => {
    expect(run('countTsv').stdout).toBe(`query\thits\tdocuments\nworkers' councils\t${COUNCILS}\t1\n`);
    expect(COUNCILS).toBe(6);
    const csv = parseDelimited(run('countCsvCase').stdout, ',');
    expect(csv).toEqual([
      ['query', 'hits', 'documents'],
      ['The', String(regexSpans(CHAPTER_TEXT, /\bThe\b/g).length), '1'],
    ]);
    expect(run('countTxt').stdout).toBe(`${COUNCILS} hits in 1 document\n`);
  });
});

describe('kwic', () => {
  it('json: {"query", "hits", "offset", "lines": [{"doc", "position", "left", "node", "right"}]}', () => {
    const r = run('kwicJson');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['query', 'hits', 'offset', 'lines']);
    expect(out.query).toBe('bureaucracy');
    expect(out.hits).toBe(BUREAUCRACY);
    expect(out.offset).toBe(2);
    expect(out.lines).toHaveLength(5);
    for (const l of out.lines) expect(Object.keys(l)).toEqual(['doc', 'position', 'left', 'node', 'right']);
    // The same page as the engine builds in-process for the same request.
    const page = kwicPage(index, { query: 'bureaucracy', sort: ['R1'], offset: 2, limit: 5, context: 3 });
    expect(out.lines).toEqual(
      page.lines.map((l) => ({ doc: l.docName, position: l.position, left: l.left, node: l.node, right: l.right })),
    );
    for (const l of out.lines) expect(CHAPTER_TEXT).toContain(l.left + l.node + l.right);
  });

  it('tsv with --limit 0: every hit, one line each, the node column is the word', () => {
    const rows = parseDelimited(run('kwicTsv').stdout, '\t');
    expect(rows[0]).toEqual(['doc', 'position', 'left', 'node', 'right']);
    expect(rows).toHaveLength(1 + BUREAUCRACY);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(5);
      expect(row[3]!.toLowerCase()).toBe('bureaucracy');
      expect(row[0]).toBe(CHAPTER_NAME);
    }
  });

  it('csv: the phrase nodes read as in the source', () => {
    const rows = parseDelimited(run('kwicCsv').stdout, ',');
    expect(rows[0]).toEqual(['doc', 'position', 'left', 'node', 'right']);
    expect(rows.slice(1).map((r) => r[3])).toEqual(Array.from(CHAPTER_TEXT.matchAll(/\bworkers['’] councils\b/gi), (m) => m[0]));
  });

  it('txt: a summary line and one bracketed node per line', () => {
    const lines = run('kwicTxt').stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${BUREAUCRACY} hits in 1 document; lines 1-5`);
    expect(lines).toHaveLength(6);
    for (const l of lines.slice(1)) expect(l).toMatch(/\[bureaucracy\]/i);
  });
});

describe('--matching', () => {
  /** The shortest hits' starts less those whose end an earlier hit has, by a plain set of ends. */
  function standardStarts(): number[] {
    const h = runQuery(index, GAP);
    const ends = new Set<number>();
    const starts: number[] = [];
    for (let i = 0; i < h.starts.length; i++) {
      if (ends.has(h.ends[i]!)) continue;
      ends.add(h.ends[i]!);
      starts.push(h.starts[i]!);
    }
    return starts;
  }

  it('count: shortest by default; standard drops the hits that end where an earlier one ends', () => {
    const shortest = JSON.parse(run('countGap').stdout);
    const standard = JSON.parse(run('countGapStandard').stdout);
    expect(shortest.hits).toBe(runQuery(index, GAP).starts.length);
    expect(standard).toEqual({ query: GAP, hits: standardStarts().length, documents: 1 });
    expect(standard.hits).toBeLessThan(shortest.hits);
  });

  it('kwic: the lines of the hits standard keeps, in corpus order', () => {
    const r = run('kwicGapStandard');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.hits).toBe(standardStarts().length);
    expect(out.lines.map((l: { position: number }) => l.position)).toEqual(standardStarts());
  });

  it('another value is bad usage, and the help names the option', () => {
    const r = run('badMatching');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_USAGE: --matching must be shortest or standard/);
    expect(r.stdout).toBe('');
    expect(run('help').stdout).toMatch(/--matching M\s+shortest \(default\)/);
  });
});

describe('tokens', () => {
  it('tsv: the header of the issue and one row per token whose offsets slice back to the word', () => {
    const r = run('tokensTsv');
    expect(r.code, r.stderr).toBe(0);
    const rows = parseDelimited(r.stdout, '\t');
    expect(rows[0]!.join(' ')).toBe('doc position word lemma pos kind counted start end');
    const body = rows.slice(1);
    expect(body).toHaveLength(index.tokenCount);
    let counted = 0;
    body.forEach((row, i) => {
      const [doc, position, word, lemma, pos, kind, c, start, end] = row;
      expect(doc).toBe(CHAPTER_NAME);
      expect(Number(position)).toBe(i);
      const slice = CHAPTER_TEXT.slice(Number(start), Number(end));
      // Spreadsheet safety: a cell starting with = + - @ gets a leading apostrophe, except a lone - + @.
      expect(/^[=+\-@]/.test(slice) && (slice.length > 1 || slice === '=') ? `'${slice}` : slice, `row ${i}`).toBe(word);
      expect(lemma!.length).toBeGreaterThan(0);
      expect(pos).toMatch(/^[A-Z]+$/);
      expect(c).toBe(COUNTED_KINDS.has(kind as TokenKind) ? '1' : '0');
      if (kind === 'punctuation') expect(c).toBe('0');
      if (c === '1') counted++;
    });
    expect(counted).toBe(body.filter((row) => /[\p{L}\p{N}]/u.test(CHAPTER_TEXT.slice(Number(row[7]), Number(row[8])))).length);
  });

  it('streams a corpus larger than one block of rows: one header, every token, in order, and a window of them', async () => {
    const dir = tempDir('cli-tokens');
    try {
      for (const n of [1, 2, 3]) writeFileSync(join(dir, `copy-${n}.txt`), CHAPTER_TEXT);
      const corpus = ['--corpus', dir, '--index', indexDir, '--quiet'];
      const tsv = await runCli(['tokens', '--format', 'tsv', ...corpus]);
      expect(tsv.code, tsv.stderr).toBe(0);
      const rows = parseDelimited(tsv.stdout, '\t');
      expect(rows.filter((r) => r[0] === 'doc')).toHaveLength(1);
      const body = rows.slice(1);
      expect(body).toHaveLength(3 * index.tokenCount);
      body.forEach((r, i) => expect(Number(r[1]), `row ${i}`).toBe(i));
      // The folder may also be given as the command's argument, as for `index`.
      const byArgument = await runCli(['tokens', dir, '--format', 'tsv', '--index', indexDir, '--quiet']);
      expect(byArgument.stdout).toBe(tsv.stdout);
      const json = await runCli(['tokens', '--format', 'json', '--offset', String(index.tokenCount - 1), '--limit', '2', ...corpus]);
      const window = JSON.parse(json.stdout) as Array<{ doc: string; position: number }>;
      expect(window.map((t) => [t.doc, t.position])).toEqual([
        ['copy-1.txt', index.tokenCount - 1],
        ['copy-2.txt', index.tokenCount],
      ]);
    } finally {
      removeDir(dir);
    }
  }, 60_000);
});

describe('search', () => {
  it('json: ranked passages that are slices of the source and mention the words', () => {
    const r = run('searchJson');
    expect(r.code, r.stderr).toBe(0);
    const hits = JSON.parse(r.stdout) as Array<{
      doc: number;
      docName: string;
      paragraph: number;
      text: string;
      start: number;
      end: number;
    }>;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    for (const h of hits) {
      expect(h.text).toBe(CHAPTER_TEXT.slice(h.start, h.end));
      expect(h.docName).toBe(CHAPTER_NAME);
    }
    expect(hits[0]!.text).toMatch(/councils/i);
  });
});

describe('exit codes', () => {
  it('a malformed query exits 2 with E_QUERY and its position on stderr, nothing on stdout', () => {
    const r = run('badQuery');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_QUERY/);
    expect(r.stderr).toMatch(/position 0/);
    expect(r.stdout).toBe('');
  });

  it('bad usage (an unknown format) exits 2 with E_USAGE', () => {
    const r = run('badFormat');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_USAGE/);
    expect(r.stdout).toBe('');
  });

  it('anything else (a corpus that does not exist) exits 1 with its code', () => {
    const r = run('missingCorpus');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_CORPUS/);
  });
});
