import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDelimited, sniffDelimiter } from '../../../app/corpus/formats/delimited.js';
import { extract } from '../../../app/corpus/formats/index.js';
import { cliffChapter } from './build-fixtures.js';

const enc = (s: string) => new TextEncoder().encode(s);
const { paragraphs, headings } = cliffChapter();

describe('RFC 4180 parser', () => {
  it('reads quoted fields, doubled quotes, CRLF and newlines inside quotes', () => {
    const csv = 'id,text,year\r\n1,"He said ""no"", then left",1917\r\n2,"line one\r\nline two\nline three",1956\r\n3,plain,\r\n';
    expect(parseDelimited(csv).rows).toEqual([
      ['id', 'text', 'year'],
      ['1', 'He said "no", then left', '1917'],
      ['2', 'line one\r\nline two\nline three', '1956'],
      ['3', 'plain', ''],
    ]);
  });

  it('skips blank lines, reads a last line without a newline, and survives an unclosed quote', () => {
    expect(parseDelimited('a,b\n\n1,2').rows).toEqual([['a', 'b'], ['1', '2']]);
    const open = parseDelimited('a,b\n1,"never closed\n2,3');
    expect(open.rows).toEqual([['a', 'b'], ['1', 'never closed\n2,3']]);
    expect(open.warnings[0]).toMatch(/never closed/);
  });

  it('round-trips whatever csv-stringify writes', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r', 'é', '\t') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), (rows) => {
        // A row of empty fields is a blank line to any CSV reader; keep rows that say something.
        const kept = rows.filter((r) => r.some((c) => c !== ''));
        const text = stringify(kept, { quoted_match: /[\r\n"]/, record_delimiter: 'windows' });
        expect(parseDelimited(text).rows).toEqual(kept);
      }),
      { numRuns: 200 },
    );
  });

  it('sniffs ; and tab delimiters from the header line', () => {
    expect(sniffDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(sniffDelimiter('"x;y",b,c\n')).toBe(',');
    expect(sniffDelimiter('a\tb\tc\n')).toBe('\t');
  });
});

describe('csv and tsv documents', () => {
  const rows = paragraphs
    .filter((p) => !headings.includes(p) && p.length > 200)
    .slice(0, 6)
    .map((p, i) => ({ id: String(i + 1), author: 'Tony Cliff', year: String(1960 + i), text: p }));

  it('makes one document per row from the text column; other columns are metadata', async () => {
    const csv = stringify(rows, { header: true, columns: ['id', 'author', 'year', 'text'] });
    const r = await extract('paras.csv', enc(csv));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.documents).toHaveLength(rows.length);
    r.documents.forEach((d, i) => {
      expect(d.part).toBe(`#row ${i + 1}`);
      expect(d.text).toBe(rows[i]!.text + '\n');
      expect(d.meta).toEqual({ id: rows[i]!.id, author: 'Tony Cliff', year: rows[i]!.year });
      expect(d.author).toBe('Tony Cliff');
    });
    expect(r.documents[0]!.warnings).toEqual([]);
  });

  it('takes a named text column, and refuses a name that is not there', async () => {
    const tsv = 'Speaker\tUtterance\tTurn\nA\tWe must go on.\t1\nB\t"Must we?"\t2\n';
    const r = await extract('talk.tsv', enc(tsv), { textColumn: 'utterance' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents.map((d) => [d.text, d.meta.Speaker])).toEqual([
      ['We must go on.\n', 'A'],
      ['Must we?\n', 'B'],
    ]);
    const bad = await extract('talk.tsv', enc(tsv), { textColumn: 'body' });
    expect(bad).toEqual({ ok: false, reason: 'no column named "body"; the columns are: Speaker, Utterance, Turn' });
  });

  it('without a text column, picks the column with the longest values and says so', async () => {
    const csv = stringify(
      rows.map((r) => [r.id, r.text, r.year]),
      { header: true, columns: ['n', 'passage', 'yr'] },
    );
    const r = await extract('p.csv', enc(csv));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents[0]!.text).toBe(rows[0]!.text + '\n');
    expect(r.documents[0]!.warnings[0]).toBe('no column named "text": using "passage", the column with the longest values');
  });

  it('reads semicolon CSV, keeps row numbers of the rows it keeps, and warns about empty and ragged rows', async () => {
    const csv = 'text;lang\nfirst;en\n;en\nthird;de;extra\n';
    const r = await extract('semi.csv', enc(csv));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.documents.map((d) => [d.part, d.text, d.meta])).toEqual([
      ['#row 1', 'first\n', { lang: 'en' }],
      ['#row 3', 'third\n', { lang: 'de', 'extra fields': 'extra' }],
    ]);
    expect(r.documents[0]!.warnings).toEqual([
      '1 row has a different number of fields than the header',
      '1 row has an empty text column and was left out',
    ]);
  });

  it('refuses an empty table and a header without rows', async () => {
    expect(await extract('e.csv', enc(''))).toEqual({ ok: false, reason: 'the table is empty' });
    expect(await extract('h.csv', enc('text,author\n'))).toEqual({ ok: false, reason: 'the table has a header row but no rows of text' });
  });
});
