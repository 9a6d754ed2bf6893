/**
 * `loupe compare bureaucracy "workers' councils"` on the bundled chapter: the text view is readable
 * and every figure it shows is carried by the JSON, read back field by field.
 */
import { describe, expect, it } from 'vitest';
import { statsCommands, dispersionStrip } from '../../app/cli/stats-commands.js';
import { compareTerms } from '../../app/stats/compare.js';
import { collocations } from '../../app/stats/collocation.js';
import { dispersion } from '../../app/stats/dispersion.js';
import { COLLOC_MEASURES, type CompareResult } from '../../app/contract/stats.js';
import { bundledStopwords } from '../../app/stats/stoplist.js';
import { chapterIndex } from './support.js';

const QUERIES = ['bureaucracy', "workers' councils"];

/** A shown number matches a value when the value rounds to it at the shown precision. */
function shows(text: string, value: number): boolean {
  const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
  return Math.abs(Number(text) - value) <= 0.5 * 10 ** -decimals + 1e-9;
}

describe('compare', () => {
  const index = chapterIndex();

  it('agrees with the single-query statistics', () => {
    const r = compareTerms(index, { queries: QUERIES, limit: 0 });
    expect(r.terms.map((t) => t.hits)).toEqual([36, 6]);
    r.terms.forEach((t) => {
      const c = collocations(index, { query: t.query, limit: 0, sort: 'logDice' });
      expect(t.collocates).toEqual(c.rows.map((row) => ({ ...row, shared: r.shared.includes(row.term) })));
      const d = dispersion(index, { query: t.query });
      expect(t.dispersion).toEqual(d);
      expect(t.dp).toBe(d.dp);
      expect(t.documents).toBe(1);
      expect(t.perMillion).toBe(d.perMillion);
    });
    // Shared: in the lists of both queries; distinctive: a positive difference from the other's score.
    const lists = r.terms.map((t) => new Set(t.collocates.map((c) => c.term)));
    expect(r.shared.length).toBeGreaterThan(0);
    for (const s of r.shared) expect(lists.every((l) => l.has(s))).toBe(true);
    for (const t of r.terms) {
      for (const d of t.distinctive) {
        expect(d.difference).toBeGreaterThan(0);
        expect(d.difference).toBeCloseTo(d.score - d.otherScore, 12);
      }
    }
    const other = collocations(index, { query: QUERIES[1]!, minObserved: 1, limit: 0 });
    const stalinist = r.terms[0]!.distinctive.find((d) => d.term === 'stalinist')!;
    const there = other.rows.find((x) => x.term === 'stalinist');
    // Scored as if it occurred once where it is absent; its real score where it is present.
    expect(stalinist).toBeDefined();
    if (there) expect(stalinist.otherScore).toBeCloseTo(there.logDice, 12);
  });

  it('a shared collocate is distinctive of none of the queries', () => {
    // "the" is in both top lists and scores higher near bureaucracy: a difference alone would call it
    // distinctive of bureaucracy.
    const [b, w] = QUERIES.map((q) => collocations(index, { query: q, limit: 0 }).rows.find((x) => x.term === 'the')!);
    expect(b!.logDice).toBeGreaterThan(w!.logDice);
    for (const measure of COLLOC_MEASURES) {
      const r = compareTerms(index, { queries: QUERIES, measure });
      if (measure === 'logDice') expect(r.shared).toEqual(expect.arrayContaining(['the', 'of']));
      for (const t of r.terms) {
        for (const d of t.distinctive) expect(r.shared, `${measure}: ${t.query} ${d.term}`).not.toContain(d.term);
      }
    }
    // With every candidate listed, the distinctive ones are exactly the candidates of one query only.
    const all = compareTerms(index, { queries: QUERIES, limit: 0 });
    const lists = all.terms.map((t) => new Set(t.collocates.map((c) => c.term)));
    all.terms.forEach((t, qi) => {
      for (const d of t.distinctive) expect(lists.filter((l, li) => li !== qi && l.has(d.term))).toHaveLength(0);
      expect(t.distinctive.length).toBeGreaterThan(0);
    });
  });

  it('the stoplist drops stopword collocates and changes no other figure', () => {
    const stop = bundledStopwords();
    const plain = compareTerms(index, { queries: QUERIES, limit: 0 });
    const kept = compareTerms(index, { queries: QUERIES, limit: 0, stoplist: true });
    expect(plain.terms[0]!.collocates.filter((c) => stop.has(c.term)).length).toBeGreaterThan(3);
    kept.terms.forEach((t, qi) => {
      const before = plain.terms[qi]!;
      expect([t.hits, t.perMillion, t.documents, t.dp]).toEqual([before.hits, before.perMillion, before.documents, before.dp]);
      expect(t.collocates.some((c) => stop.has(c.term)) || t.distinctive.some((d) => stop.has(d.term))).toBe(false);
      // The same rows with the same statistics, less the stopwords (shared is worked out afresh).
      const strip = ({ shared: _, ...row }: (typeof t.collocates)[number]) => row;
      expect(t.collocates.map(strip)).toEqual(before.collocates.filter((c) => !stop.has(c.term)).map(strip));
    });
    expect(kept.shared.some((s) => stop.has(s))).toBe(false);
  });

  it('rejects fewer than two queries', () => {
    expect(() => compareTerms(index, { queries: ['bureaucracy'] })).toThrow(/two or more/);
  });

  it('the txt view shows only figures the JSON carries', async () => {
    const ctx = { index, args: QUERIES, options: {} };
    const txt = await statsCommands.compare!.run({ ...ctx, format: 'txt' });
    const json = JSON.parse(await statsCommands.compare!.run({ ...ctx, format: 'json' })) as CompareResult;
    expect(json.terms.map((t) => [t.query, t.hits])).toEqual([
      ['bureaucracy', 36],
      ["workers' councils", 6],
    ]);
    const lines = txt.split('\n');
    const at = (label: string) => lines.find((l) => l.startsWith(label + ' '))!;
    const cols = (label: string) => at(label).slice(14).trim().split(/\s+/);
    const fields: Array<[string, (t: CompareResult['terms'][number]) => number]> = [
      ['hits', (t) => t.hits],
      ['per million', (t) => t.perMillion],
      ['documents', (t) => t.documents],
      ['range', (t) => t.dispersion.range],
      ['DP', (t) => t.dp],
      ['DPnorm', (t) => t.dispersion.dpNorm],
      ["Juilland's D", (t) => t.dispersion.juillandD],
    ];
    for (const [label, get] of fields) {
      const shown = cols(label);
      expect(shown).toHaveLength(2);
      shown.forEach((s, i) => expect(shows(s, get(json.terms[i]!)), `${label} ${s}`).toBe(true));
    }
    expect(lines.some((l) => l.includes(`${json.corpusTokens} counted tokens`) && l.includes(`span of ${json.span.join(',')}`))).toBe(true);

    // Dispersion strips: recomputed from the JSON's corpus positions.
    for (const t of json.terms) {
      const strip = lines.find((l) => l.startsWith(t.query + ' ') && l.includes('|'))!;
      expect(strip.slice(strip.indexOf('|') + 1, strip.lastIndexOf('|'))).toBe(dispersionStrip(t.dispersion.corpusPositions));
      expect(t.dispersion.corpusPositions).toHaveLength(t.hits);
    }

    // Side-by-side sections: each cell read back against its query's row in the JSON.
    const section = (title: string) => {
      const start = lines.findIndex((l) => l.startsWith(title));
      const out: string[][] = [];
      for (let i = start + 2; i < lines.length && lines[i]!.trim(); i++) out.push(lines[i]!.split(/ \|(?: |$)/).map((c) => c.trim()));
      return out;
    };
    const top = section('Top collocates');
    expect(top.length).toBe(Math.max(...json.terms.map((t) => t.collocates.length)));
    let cells = 0;
    for (const row of top) {
      row.forEach((cell, qi) => {
        if (!cell) return;
        const m = /^(\*?)(\S+) (\d+\.\d+) O=(\d+)$/.exec(cell)!;
        expect(m, cell).not.toBeNull();
        const c = json.terms[qi]!.collocates.find((x) => x.term === m[2])!;
        expect(c, cell).toBeDefined();
        expect(shows(m[3]!, c.logDice) && Number(m[4]) === c.observed && (m[1] === '*') === c.shared, cell).toBe(true);
        cells++;
      });
    }
    const dist = section('Distinctive collocates');
    for (const row of dist) {
      row.forEach((cell, qi) => {
        if (!cell) return;
        const m = /^(\S+) (\d+\.\d+) \((\d+\.\d+) vs (-?\d+\.\d+)\)$/.exec(cell)!;
        expect(m, cell).not.toBeNull();
        const d = json.terms[qi]!.distinctive.find((x) => x.term === m[1])!;
        expect(shows(m[2]!, d.difference) && shows(m[3]!, d.score) && shows(m[4]!, d.otherScore), cell).toBe(true);
        cells++;
      });
    }
    expect(cells).toBeGreaterThan(30);
    const sharedLine = lines.find((l) => l.startsWith('Shared: '))!;
    expect(sharedLine.slice(8).split(', ')).toEqual(json.shared);
  });
});
