import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { LoupeFailure } from '../../app/contract/errors.js';
import { MAX_REGEX_CHARS, MAX_REPEAT, type Condition, type TokenPattern } from '../../app/query/ast.js';
import { parse } from '../../app/query/parse.js';
import { parseQuery, type RunOptions } from '../../app/query/run.js';
import { splitLikeCorpus } from '../../app/text/query-split.js';
import { tokenise } from '../../app/text/tokenise.js';

const CHAPTER = readFileSync(new URL('../../corpus/cliff-russia-ch18-the-coming-russian-revolution.txt', import.meta.url), 'utf8');

// Queries are parsed as the engine parses them (parseQuery): plain text split by splitLikeCorpus, so
// the words a test expects are the words a search looks up.
const tokensOf = (q: string, opts?: RunOptions): TokenPattern[] => parseQuery(q, opts).tokens;
const conditions = (q: string, opts?: RunOptions): Condition[] => tokensOf(q, opts).map((t) => t.condition);
const word = (value: string): Condition => ({ type: 'test', attr: 'word', match: { kind: 'literal', value }, negate: false });
const literalValues = (q: string, opts?: RunOptions): string[] =>
  conditions(q, opts).map((c) => {
    if (c.type !== 'test' || c.match.kind !== 'literal') throw new Error(`not a literal test: ${JSON.stringify(c)}`);
    return c.match.value;
  });

/** The failure parseQuery() throws for `q`; fails the test if it does not throw a LoupeFailure. */
function failure(q: string, opts?: RunOptions): LoupeFailure {
  try {
    parseQuery(q, opts);
  } catch (e) {
    if (e instanceof LoupeFailure) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(q)} to be rejected`);
}

describe('plain words and phrases', () => {
  it('a word is a case-folded word test', () => {
    expect(tokensOf('bureaucracy')).toEqual([{ condition: word('bureaucracy'), min: 1, max: 1, position: 0 }]);
  });

  it('several words are adjacent tokens with their offsets', () => {
    const t = tokensOf('  the  coming revolution');
    expect(t.map((x) => x.condition)).toEqual([word('the'), word('coming'), word('revolution')]);
    expect(t.map((x) => x.position)).toEqual([2, 7, 14]);
  });

  it("workers' councils splits like the corpus, straight and curly apostrophes alike", () => {
    const straight = literalValues("workers' councils");
    expect(straight).toEqual(['workers', "'", 'councils']);
    // The split gives the corpus's keys, in which every apostrophe is the straight one.
    expect(literalValues('workers’ councils')).toEqual(straight);
    expect(tokensOf("workers' councils").map((t) => t.position)).toEqual([0, 7, 9]);
  });

  it('contractions split the way wink-nlp splits them, in a corpus with English documents', () => {
    expect(literalValues("isn't it")).toEqual(['is', "n't", 'it']);
    // Without English documents the corpus was split by Unicode word segmentation, which keeps them whole.
    expect(literalValues("isn't it", { english: false })).toEqual(["isn't", 'it']);
  });

  it('queries split as the corpus tokeniser splits sentences of the chapter, and their words', () => {
    const formsOf = (text: string): string[] => {
      const batch = tokenise(text);
      return Array.from(batch.form, (id) => batch.forms[id]!);
    };
    const lines = CHAPTER.split(/\n+/)
      .map((l) => l.trim())
      .filter((l) => l.length > 20)
      .slice(0, 40);
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      const quoted = `"${line.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      expect(literalValues(quoted), line).toEqual(formsOf(line));
      // Words of letters alone are split without the tokeniser; they must still come out as it splits them.
      const words = line
        .split(/[^A-Za-z]+/)
        .filter((w) => w !== '')
        .join(' ');
      expect(literalValues(words), words).toEqual(formsOf(words));
    }
  });

  it('a quoted phrase is literal text, even when it looks like syntax', () => {
    const plainSplit = splitLikeCorpus('lemma:x [pos="NOUN"]');
    expect(literalValues('"lemma:x [pos=\\"NOUN\\"]"')).toEqual(plainSplit);
    expect(tokensOf('"lemma:x"')[0]!.position).toBe(1);
  });

  it('caseSensitive switches plain items to the exact form', () => {
    const c = conditions('Bureaucracy bur* /Bur.*/ "The"', { caseSensitive: true });
    expect(c.map((x) => (x.type === 'test' ? x.attr : x.type))).toEqual(['form', 'form', 'form', 'form']);
    expect(c[0]).toEqual({ type: 'test', attr: 'form', match: { kind: 'literal', value: 'Bureaucracy' }, negate: false });
  });

  it('an injected splitter is used for plain runs, one run at a time', () => {
    const seen: string[] = [];
    const splitPlain = (text: string): string[] => {
      seen.push(text);
      return text.split(/[\s-]+/);
    };
    const c = parse('state-capitalist regime bur* the end', { splitPlain }).tokens.map((t) => t.condition);
    expect(c.map((x) => (x.type === 'test' ? [x.match.kind, 'value' in x.match ? x.match.value : x.match.pattern] : x.type))).toEqual([
      ['literal', 'state'],
      ['literal', 'capitalist'],
      ['literal', 'regime'],
      ['wildcard', 'bur*'],
      ['literal', 'the'],
      ['literal', 'end'],
    ]);
    expect(seen).toEqual(['state-capitalist regime', 'the end']);
  });

  it('applies NFC to the query', () => {
    const decomposed = 'cafe\u0301';
    expect(literalValues(decomposed)).toEqual(['caf\u00e9']);
    expect(parse(decomposed).source).toBe('caf\u00e9');
  });
});

describe('wildcards and regular expressions', () => {
  it('* and ? make one wildcard token, not split', () => {
    expect(conditions("bureau* b?reaucracy workers'*")).toEqual([
      { type: 'test', attr: 'word', match: { kind: 'wildcard', pattern: 'bureau*' }, negate: false },
      { type: 'test', attr: 'word', match: { kind: 'wildcard', pattern: 'b?reaucracy' }, negate: false },
      { type: 'test', attr: 'word', match: { kind: 'wildcard', pattern: "workers'*" }, negate: false },
    ]);
  });

  it('a /regex/ is a regex test over word forms', () => {
    expect(tokensOf('the /bureaucra(cy|tic)/')).toEqual([
      { condition: word('the'), min: 1, max: 1, position: 0 },
      {
        condition: { type: 'test', attr: 'word', match: { kind: 'regex', pattern: 'bureaucra(cy|tic)' }, negate: false },
        min: 1,
        max: 1,
        position: 4,
      },
    ]);
  });

  it('a slash inside a class or escaped does not end the regex', () => {
    expect(conditions('/a[/]b\\/c/')[0]).toMatchObject({ match: { kind: 'regex', pattern: 'a[/]b\\/c' } });
  });

  it('(a+)+$ is accepted: RE2 matches in linear time', () => {
    expect(conditions('/(a+)+$/')[0]).toMatchObject({ match: { kind: 'regex', pattern: '(a+)+$' } });
  });
});

describe('attribute:value items', () => {
  it('lemma, pos, word and form with literal, wildcard, regex and quoted values', () => {
    expect(conditions('lemma:worker')).toEqual([
      { type: 'test', attr: 'lemma', match: { kind: 'literal', value: 'worker' }, negate: false },
    ]);
    expect(conditions('pos:NOUN')).toEqual([{ type: 'test', attr: 'pos', match: { kind: 'literal', value: 'NOUN' }, negate: false }]);
    expect(conditions('word:Bureaucracy form:Bureaucracy')).toEqual([
      { type: 'test', attr: 'word', match: { kind: 'literal', value: 'Bureaucracy' }, negate: false },
      { type: 'test', attr: 'form', match: { kind: 'literal', value: 'Bureaucracy' }, negate: false },
    ]);
    expect(conditions('lemma:bureau* lemma:/work(er|ing)/ form:"U.S."')).toEqual([
      { type: 'test', attr: 'lemma', match: { kind: 'wildcard', pattern: 'bureau*' }, negate: false },
      { type: 'test', attr: 'lemma', match: { kind: 'regex', pattern: 'work(er|ing)' }, negate: false },
      { type: 'test', attr: 'form', match: { kind: 'literal', value: 'U.S.' }, negate: false },
    ]);
  });

  it('pos values are upper-cased and checked against the tag set', () => {
    expect(conditions('pos:noun pos:n*')).toEqual([
      { type: 'test', attr: 'pos', match: { kind: 'literal', value: 'NOUN' }, negate: false },
      { type: 'test', attr: 'pos', match: { kind: 'wildcard', pattern: 'N*' }, negate: false },
    ]);
    const e = failure('the pos:NUON');
    expect([e.code, e.position]).toEqual(['E_QUERY', 8]);
    expect(e.message).toContain('NOUN');
  });

  it('"Note:" with nothing after the colon is ordinary text', () => {
    expect(literalValues('Note:')).toEqual(splitLikeCorpus('Note:'));
  });
});

describe('bracketed token conditions', () => {
  it('& | ! and parentheses nest as written; & binds tighter than |', () => {
    expect(conditions('[lemma="council" & pos="NOUN"]')).toEqual([
      {
        type: 'and',
        items: [
          { type: 'test', attr: 'lemma', match: { kind: 'literal', value: 'council' }, negate: false },
          { type: 'test', attr: 'pos', match: { kind: 'literal', value: 'NOUN' }, negate: false },
        ],
      },
    ]);
    const pos = (value: string): Condition => ({ type: 'test', attr: 'pos', match: { kind: 'literal', value }, negate: false });
    expect(conditions('[pos="ADJ" | pos="NOUN" & !pos="PROPN"]')).toEqual([
      { type: 'or', items: [pos('ADJ'), { type: 'and', items: [pos('NOUN'), { type: 'not', item: pos('PROPN') }] }] },
    ]);
    expect(conditions('[!(pos="NOUN" | pos="VERB") & lower="the"]')).toEqual([
      { type: 'and', items: [{ type: 'not', item: { type: 'or', items: [pos('NOUN'), pos('VERB')] } }, word('the')] },
    ]);
  });

  it('!= negates a test', () => {
    expect(conditions('[pos!="PUNCT"]')).toEqual([{ type: 'test', attr: 'pos', match: { kind: 'literal', value: 'PUNCT' }, negate: true }]);
  });

  it('quoted values are literal unless they use regex syntax', () => {
    expect(conditions('[word="bureau.*"] [word="council"] [word="U\\.S\\."] [form="a\\"b"] [word="\\d+"]')).toEqual([
      { type: 'test', attr: 'word', match: { kind: 'regex', pattern: 'bureau.*' }, negate: false },
      { type: 'test', attr: 'word', match: { kind: 'literal', value: 'council' }, negate: false },
      { type: 'test', attr: 'word', match: { kind: 'literal', value: 'U.S.' }, negate: false },
      { type: 'test', attr: 'form', match: { kind: 'literal', value: 'a"b' }, negate: false },
      { type: 'test', attr: 'word', match: { kind: 'regex', pattern: '\\d+' }, negate: false },
    ]);
  });

  it('%c marks a test case-insensitive', () => {
    expect(conditions('[form="Hungary"%c]')).toEqual([
      { type: 'test', attr: 'form', match: { kind: 'literal', value: 'Hungary' }, negate: false, caseInsensitive: true },
    ]);
  });

  it('[] is any token; quantifiers set the repeat range', () => {
    const t = tokensOf('[pos="ADJ"] []{0,3} [lemma="council"]');
    expect(t.map((x) => [x.condition.type, x.min, x.max, x.position])).toEqual([
      ['test', 1, 1, 0],
      ['any', 0, 3, 12],
      ['test', 1, 1, 20],
    ]);
    const q = tokensOf('x []{2} []{1,} []{,4} []? []* []+ [ ]');
    expect(q.slice(1).map((x) => [x.min, x.max, x.capped ?? false])).toEqual([
      [2, 2, false],
      [1, MAX_REPEAT, true],
      [0, 4, false],
      [0, 1, false],
      [0, MAX_REPEAT, true],
      [1, MAX_REPEAT, true],
      [1, 1, false],
    ]);
  });

  it('brackets may touch each other and the words around them', () => {
    const t = tokensOf('the[pos="ADJ"][]?councils');
    expect(t.map((x) => [x.condition.type, x.position])).toEqual([
      ['test', 0],
      ['test', 3],
      ['any', 14],
      ['test', 17],
    ]);
  });
});

describe('errors: code E_QUERY with the position of the problem', () => {
  const cases: Array<[query: string, position: number, says: RegExp]> = [
    ['', 0, /empty/],
    ['   \t ', 0, /empty/],
    ['[lemma="council"', 0, /Unclosed '\['/],
    ['the [pos="ADJ" & (lemma="x"]', 17, /Unclosed '\('/],
    ['[pos="ADJ")]', 10, /no matching '\('/],
    ['councils ]', 9, /no matching '\['/],
    ['[lemma="council]', 7, /Unterminated string/],
    ['"workers councils', 0, /Unterminated string/],
    ['the /bureau.*', 4, /Unterminated regular expression/],
    ['[lema="x"]', 1, /Unknown attribute 'lema'.*word, form, lemma or pos/],
    ['lema:worker', 0, /Unknown attribute 'lema'/],
    ['[lemma]', 6, /Missing '=' or '!='/],
    ['[lemma=]', 7, /Missing value/],
    ['lemma: x', 6, /Missing value/],
    ['[lemma=council]', 7, /double quotes/],
    ['[lemma="x" pos="NOUN"]', 11, /Missing '&' or '\|'/],
    ['[lemma="x" & ]', 13, /Missing condition at position 13, after '&'/],
    ['[&]', 1, /Expected a condition/],
    ['["x"]', 1, /needs an attribute/],
    ['[lemma=""]', 7, /empty/],
    ['[word="x"%d]', 9, /Unknown flag '%d'/],
    ['[]{3,1}', 2, /minimum 3 is larger than the maximum 1/],
    ['[]{x}', 2, /Bad quantifier '\{x\}'/],
    ['[]{,}', 2, /Bad quantifier/],
    ['x []{2', 4, /Unclosed '\{'/],
    ['x []{0}', 4, /at least 1/],
    ['x []{99}', 4, /at most 50/],
    ['x []{2}?', 7, /one quantifier/],
    ['{2} x', 0, /nothing before it/],
    ['x {0,3}', 2, /nothing before it/],
    ['[]{0,3}', 0, /can match nothing/],
    ['[]? []*', 0, /can match nothing/],
    ['x /bureau(cy/', 3, /missing closing \)/],
    ['/bureau[/', 0, /Unterminated regular expression/],
    ['[word="a**"]', 8, /nested repetition/],
    ['/(?<=workers )councils/', 1, /Lookbehind.*not supported/],
    ['[word="(?<!un)happy"]', 7, /Lookbehind.*not supported/],
    ['x /(a)b\\1/', 7, /Backreference.*not supported/],
    ['/coun(?=cil)/', 5, /Lookahead.*not supported/],
    ['/ab/c', 4, /Expected a space/],
    ['"ab"c', 4, /Expected a space/],
    ['""', 0, /empty/],
    ['//', 0, /Empty regular expression/],
  ];
  for (const [query, position, says] of cases) {
    it(`${JSON.stringify(query)} -> position ${position}`, () => {
      const e = failure(query);
      expect(e.code).toBe('E_QUERY');
      expect(e.message).toMatch(says);
      expect(e.position).toBe(position);
      // Faults of the whole query (empty, all optional) do not name a position in their message.
      if (!/empty|can match nothing/.test(e.message) || position > 0) {
        expect(e.message).toContain(`position ${position}`);
      }
    });
  }

  it('deeply nested conditions are an E_QUERY, not a stack overflow', () => {
    for (const q of [`[${'('.repeat(100_000)}`, `[${'!'.repeat(100_000)}pos="NOUN"]`]) {
      const e = failure(q);
      expect([e.code, e.position]).toEqual(['E_QUERY', 101]);
      expect(e.message).toMatch(/nested too deeply/);
    }
    const ok = `[${'('.repeat(20)}pos="NOUN"${')'.repeat(20)}]`;
    expect(conditions(ok)).toEqual([{ type: 'test', attr: 'pos', match: { kind: 'literal', value: 'NOUN' }, negate: false }]);
  });

  it('rejects over-long regexes: 100 KB and one character past the cap', () => {
    const huge = failure(`/${'a'.repeat(100 * 1024)}/`);
    expect([huge.code, huge.position]).toEqual(['E_QUERY', 0]);
    expect(huge.message).toMatch(/too long/);
    const justOver = failure(`x [word="${'b'.repeat(MAX_REGEX_CHARS)}."]`);
    expect([justOver.code, justOver.position]).toEqual(['E_QUERY', 8]);
    expect(conditions(`/${'a'.repeat(MAX_REGEX_CHARS - 1)}./`)[0]).toMatchObject({ match: { kind: 'regex' } });
  });
});

describe('properties', () => {
  /** Parses `q`; returns the result or the failure, and rethrows anything that is not an E_QUERY failure. */
  function outcome(q: string, opts?: RunOptions): { tokens: TokenPattern[]; source: string } | LoupeFailure {
    try {
      return parseQuery(q, opts);
    } catch (e) {
      if (e instanceof LoupeFailure && e.code === 'E_QUERY') return e;
      throw e;
    }
  }

  let parsed = 0;
  let rejected = 0;
  function checkOutcome(q: string, opts?: RunOptions): void {
    const r = outcome(q, opts);
    if (r instanceof LoupeFailure) rejected++;
    else parsed++;
    const length = q.normalize('NFC').length;
    if (r instanceof LoupeFailure) {
      expect(Number.isInteger(r.position)).toBe(true);
      expect(r.position!).toBeGreaterThanOrEqual(0);
      expect(r.position!).toBeLessThanOrEqual(length);
      expect(r.message.length).toBeGreaterThan(10);
      return;
    }
    expect(r.tokens.length).toBeGreaterThan(0);
    expect(r.tokens.some((t) => t.min > 0)).toBe(true);
    for (const t of r.tokens) {
      expect(t.min).toBeGreaterThanOrEqual(0);
      expect(t.max).toBeGreaterThanOrEqual(Math.max(1, t.min));
      expect(t.max).toBeLessThanOrEqual(MAX_REPEAT);
      expect(t.position).toBeGreaterThanOrEqual(0);
      expect(t.position).toBeLessThan(length);
      forEachTest(t.condition, (c) => {
        if (c.match.kind === 'regex') RE2JS.compile(c.match.pattern);
      });
    }
  }

  it('arbitrary strings parse or fail with E_QUERY, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (q) => checkOutcome(q)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (q) => checkOutcome(q)),
      { numRuns: 300 },
    );
    // A corpus without English documents splits plain text another way.
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (q) => checkOutcome(q, { english: false })),
      { numRuns: 300 },
    );
  });

  it('strings made of query syntax parse or fail with E_QUERY', () => {
    const piece = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      '"',
      '\\',
      '/',
      '%c',
      '&',
      '|',
      '!',
      '=',
      '!=',
      ',',
      '?',
      '*',
      '+',
      ' ',
      'lemma',
      'pos',
      'word',
      'form',
      'lower',
      'foo',
      ':',
      'NOUN',
      'x',
      '0',
      '3',
      '60',
      '(?<=',
      '\\1',
      '.*',
      "workers'",
      '’',
      'é',
    );
    const query = fc.array(piece, { maxLength: 60 }).map((p) => p.join('').slice(0, 200));
    parsed = rejected = 0;
    fc.assert(
      fc.property(query, (q) => checkOutcome(q)),
      { numRuns: 1500 },
    );
    // The generator must reach both sides, or the property proves little.
    expect(parsed).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
  });
});

function forEachTest(c: Condition, f: (t: Extract<Condition, { type: 'test' }>) => void): void {
  if (c.type === 'test') f(c);
  else if (c.type === 'and' || c.type === 'or') c.items.forEach((x) => forEachTest(x, f));
  else if (c.type === 'not') forEachTest(c.item, f);
}
