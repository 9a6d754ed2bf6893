/** The statistics commands as the CLI runs them: options, formats, JSON shapes, usage errors. */
import { describe, expect, it } from 'vitest';
import { delimited, statsCommands, type StatsContext } from '../../app/cli/stats-commands.js';
import { textTable } from '../../app/cli/format.js';
import { LoupeFailure } from '../../app/contract/errors.js';
import { COLLOC_MEASURES } from '../../app/contract/stats.js';
import { keywords, referenceFromIndex } from '../../app/stats/keyness.js';
import { brownIndex, chapterIndex } from './support.js';

function ctx(
  command: string,
  args: string[],
  options: StatsContext['options'] = {},
  format: StatsContext['format'] = 'json',
): Promise<string> {
  return statsCommands[command]!.run({ index: chapterIndex(), args, options, format, openReference: async () => brownIndex() });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof LoupeFailure ? e.code : `not a LoupeFailure: ${String(e)}`;
  }
  return 'no error';
}

describe('stats commands', () => {
  it('offers the six commands, each with a summary and usage', () => {
    expect(Object.keys(statsCommands).sort()).toEqual(['colloc', 'compare', 'dispersion', 'freq', 'keywords', 'ngrams']);
    for (const c of Object.values(statsCommands)) expect(c.summary.length * c.usage.length).toBeGreaterThan(0);
  });

  it('colloc JSON has exactly the documented shape', async () => {
    const r = JSON.parse(await ctx('colloc', ['bureaucracy'], { span: '4,2', 'min-observed': '2', limit: '5', sort: 'mi' }));
    expect(Object.keys(r)).toEqual(['query', 'hits', 'windowTokens', 'corpusTokens', 'truncated', 'rows']);
    expect(r).toMatchObject({ query: 'bureaucracy', hits: 36, truncated: true });
    expect(r.rows).toHaveLength(5);
    expect(Object.keys(r.rows[0])).toEqual(['term', 'observed', 'expected', 'termFreq', ...COLLOC_MEASURES]);
    for (let i = 1; i < r.rows.length; i++) expect(r.rows[i - 1].mi).toBeGreaterThanOrEqual(r.rows[i].mi);
    const all = JSON.parse(await ctx('colloc', ['bureaucracy'], { limit: '0' }));
    expect(all.truncated).toBe(false);
    expect(all.rows.length).toBeGreaterThan(5);
  });

  it('colloc txt is an aligned table with the window figures in its head', async () => {
    const txt = await ctx('colloc', ['bureaucracy'], { limit: '3' }, 'txt');
    const lines = txt.trimEnd().split('\n');
    expect(lines[0]).toContain('36 hits');
    expect(lines[0]).toMatch(/R1 = \d+ of N = 4377/);
    const table = lines.slice(lines.indexOf('') + 1);
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^term\s+observed\s+expected/);
    // Right-aligned numbers end in the same column.
    const ends = table.map((l) => l.length);
    expect(new Set(ends).size).toBe(1);
  });

  it('freq: --by, --stoplist, --min-freq, --sort, --limit, and a query restriction', async () => {
    const r = JSON.parse(await ctx('freq', [], { by: 'lemma', stoplist: true, 'min-freq': '3', limit: '10' }));
    expect(r.by).toBe('lemma');
    expect(r.rows).toHaveLength(10);
    expect(r.rows.map((x: { term: string }) => x.term)).not.toContain('the');
    const sorted = JSON.parse(await ctx('freq', [], { sort: 'term', 'min-freq': '10' }));
    const terms = sorted.rows.map((x: { term: string }) => x.term);
    expect(terms).toEqual([...terms].sort());
    const near = JSON.parse(await ctx('freq', ['bureaucracy'], { span: '1,1' }));
    expect(near.rows[0].term).toBe('the');
    expect(near.corpusTokens).toBeLessThanOrEqual(72);
  });

  it('ngrams, dispersion and keywords answer in every format', async () => {
    for (const format of ['txt', 'tsv', 'csv', 'json'] as const) {
      const n = await ctx('ngrams', ['bureaucracy'], { n: '2', position: '2' }, format);
      expect(n).toContain('the bureaucracy');
      const d = await ctx('dispersion', ['bureaucracy'], { parts: '5' }, format);
      expect(d).toMatch(/36/);
      const k = await ctx('keywords', [], { limit: '5' }, format);
      expect(k).toContain('bureaucracy');
    }
    const d = JSON.parse(await ctx('dispersion', ["workers' councils"], { parts: '4' }));
    expect(d).toMatchObject({ hits: 6, parts: 4 });
    expect(d.corpusPositions).toHaveLength(6);
  });

  it('keywords --reference uses the corpus the host opens', async () => {
    const r = JSON.parse(await ctx('keywords', [], { reference: '/some/other/corpus', limit: '7' }));
    const want = keywords(chapterIndex(), { limit: 7 }, referenceFromIndex(brownIndex(), '/some/other/corpus'));
    expect(r).toEqual(JSON.parse(JSON.stringify(want)));
  });

  it('bad usage fails with E_USAGE', async () => {
    expect(await codeOf(ctx('colloc', []))).toBe('E_USAGE');
    expect(await codeOf(ctx('colloc', ['the'], { span: 'five' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('colloc', ['the'], { limit: 'many' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('colloc', ['the'], { measure: 'bogus' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('colloc', ['the'], { limit: true }))).toBe('E_USAGE');
    expect(await codeOf(ctx('compare', ['the']))).toBe('E_USAGE');
    expect(await codeOf(ctx('ngrams', [], { n: '9' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('freq', [], { by: 'colour' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('freq', [], { stopwords: '/nonexistent/stopwords.txt' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('dispersion', ['the'], { parts: '1' }))).toBe('E_USAGE');
    expect(await codeOf(ctx('keywords', ['bureaucracy']))).toBe('E_USAGE');
    expect(await codeOf(ctx('colloc', ['"unclosed']))).toBe('E_QUERY');
  });

  it('tsv and csv neutralise formula-like text cells and keep numbers as numbers', () => {
    const t = {
      columns: ['term', 'score'],
      rows: [
        ['=HYPERLINK("x")', -1.5],
        ['+1', 2],
        ['-x', 3],
        ['@a', 4],
        ['plain\tcell', 5],
      ],
    };
    const tsv = delimited(t, 'tsv').trimEnd().split('\n');
    expect(tsv[0]).toBe('term\tscore');
    expect(tsv.slice(1).map((l) => l.split('\t')[1])).toEqual(['-1.5', '2', '3', '4', '5']);
    expect(tsv[1]!.startsWith(`"'=HYPERLINK`)).toBe(true);
    expect(tsv[2]).toBe("'+1\t2");
    expect(tsv[3]).toBe("'-x\t3");
    expect(tsv[4]).toBe("'@a\t4");
    expect(tsv[5]).toBe('plain cell\t5');
    const csv = delimited(t, 'csv').trimEnd().split('\n');
    expect(csv[3]).toBe("'-x,3");
  });

  it('text tables align numbers right and print a column to one precision', () => {
    const out = textTable(
      ['term', 'score'],
      [
        ['a', 12],
        ['bb', 1.23456],
      ],
    ).split('\n');
    expect(out).toEqual(['term   score', 'a     12.000', 'bb     1.235']);
  });
});
