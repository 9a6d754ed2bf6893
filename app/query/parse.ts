/**
 * The query parser: text typed by a person -> ParsedQuery (ast.ts), or a LoupeFailure('E_QUERY')
 * whose message says what is wrong and how to fix it, with the 0-based position of the problem.
 *
 * Top-level items, separated by whitespace, form a sequence of adjacent tokens:
 *   bureaucracy          plain text, split into tokens exactly as the corpus is (splitPlain)
 *   bureau*  b?reau      wildcards: one token, `*` any run of characters, `?` one character
 *   /bureaucra(cy|tic)/  a regular expression (RE2) over whole word forms
 *   "lemma:x"            a literal phrase: lets a user search for text that is otherwise syntax
 *   lemma:worker         attribute:value, value literal, wildcard, /regex/ or "quoted"
 *   [lemma="council" & pos="NOUN"]{0,3}   CQL-style token condition with optional quantifier
 */
import type * as Re2 from 're2js';
import { lazyPackage } from '../structures/lazy-package.js';
import { LoupeFailure } from '../contract/errors.js';
import { UPOS_TAGS } from '../text/tokenise.js';
import { winkModules } from '../text/wink.js';
import { MAX_REGEX_CHARS, MAX_REPEAT, type Attr, type Condition, type ParsedQuery, type TokenPattern, type ValueMatch } from './ast.js';

const re2 = lazyPackage<typeof Re2>('re2js');

export interface ParseOptions {
  /** Splits plain text into tokens the way the corpus was tokenised. Defaults to wink-nlp. */
  splitPlain?: (text: string) => string[];
  /** Plain words, wildcards and top-level regexes test the exact `form` instead of `word`. */
  caseSensitive?: boolean;
}

type Nlp = ReturnType<ReturnType<typeof winkModules>['winkNLP']>;
let nlp: Nlp | undefined;

/** wink-nlp token values without whitespace tokens, the same split app/text/tokenise.ts makes. */
function defaultSplitPlain(text: string): string[] {
  // The model is loaded once, on first use.
  if (!nlp) {
    const { winkNLP, model } = winkModules();
    nlp = winkNLP(model);
  }
  const values = nlp.readDoc(text).tokens().out(nlp.its.value) as string[];
  return values.filter((v) => v.trim() !== '');
}

export function parse(query: string, options: ParseOptions = {}): ParsedQuery {
  const source = query.normalize('NFC');
  const tokens = new Parser(source, options).parseQuery();
  return { source, tokens };
}

/** Attribute names accepted in `name:value` items and inside brackets (lower-cased). */
const ATTRS: ReadonlyMap<string, Attr> = new Map<string, Attr>([
  ['word', 'word'],
  ['lower', 'word'],
  ['form', 'form'],
  ['lemma', 'lemma'],
  ['pos', 'pos'],
]);
const ATTR_LIST = 'word, form, lemma or pos (lower is accepted as word)';
const POS_TAGS = new Set<string>(UPOS_TAGS.filter((t) => t !== 'SPACE'));
const REGEX_META = '.^$|?*+()[]{}';
const WS = /\s/;
const MAX_NESTING = 100;

function fail(message: string, position: number): never {
  throw new LoupeFailure('E_QUERY', message, position);
}
const show = (s: string): string => (s.length > 30 ? `'${s.slice(0, 30)}…'` : `'${s}'`);

interface QuotedText {
  value: string;
  offsets: number[]; // query offset of each value character
  end: number; // query offset just past the closing quote
}

class Parser {
  private i = 0;
  private readonly out: TokenPattern[] = [];
  /** A run of adjacent plain items, split together so context-sensitive tokenising matches the corpus. */
  private plainStart = -1;
  private plainEnd = -1;
  private depth = 0;
  private readonly split: (text: string) => string[];
  private readonly surface: Attr;

  constructor(
    private readonly src: string,
    options: ParseOptions,
  ) {
    this.split = options.splitPlain ?? defaultSplitPlain;
    this.surface = options.caseSensitive ? 'form' : 'word';
  }

  parseQuery(): TokenPattern[] {
    const src = this.src;
    if (src.trim() === '') {
      fail('The query is empty: type a word, a phrase, or a pattern such as [lemma="council"]', 0);
    }
    for (;;) {
      this.skipWs();
      if (this.i >= src.length) break;
      const c = src[this.i]!;
      if (c === '[') {
        this.flushPlain();
        this.bracketItem();
      } else if (c === ']') {
        fail(`']' at position ${this.i} has no matching '[': remove it, or write "]" to search for it`, this.i);
      } else if (c === '"') {
        this.flushPlain();
        this.phraseItem();
      } else if (c === '/') {
        this.flushPlain();
        this.topRegexItem();
      } else if (c === '{') {
        fail(
          `The quantifier at position ${this.i} has nothing before it: put it right after a token ` + `condition in brackets, e.g. []{0,3}`,
          this.i,
        );
      } else if (!this.attrItem()) {
        this.plainItem();
      }
    }
    this.flushPlain();
    if (this.out.every((t) => t.min === 0)) {
      fail('The query can match nothing: every item in it is optional ({0,n}, ? or *); ' + 'add at least one token that must be there', 0);
    }
    return this.out;
  }

  // ---- top-level items ------------------------------------------------------------------------

  private plainItem(): void {
    const start = this.i;
    const end = this.wordEnd(start);
    this.i = end;
    const text = this.src.slice(start, end);
    if (text.includes('*') || text.includes('?')) {
      this.flushPlain();
      this.push(this.test(this.surface, { kind: 'wildcard', pattern: text }), start);
      return;
    }
    if (this.plainStart < 0) this.plainStart = start;
    this.plainEnd = end;
  }

  private flushPlain(): void {
    if (this.plainStart < 0) return;
    const start = this.plainStart;
    const text = this.src.slice(start, this.plainEnd);
    this.plainStart = this.plainEnd = -1;
    this.pushSplit(text, (k) => start + k, start);
  }

  /** `"..."`: a literal phrase, split like plain text; `\"` is a quote and `\\` a backslash. */
  private phraseItem(): void {
    const open = this.i;
    const q = this.readQuoted(open, 'phrase');
    this.i = q.end;
    this.expectItemEnd("the closing '\"' of the phrase");
    if (q.value.trim() === '') {
      fail(`The phrase in quotes at position ${open} is empty: put the words to find between the quotes`, open);
    }
    this.pushSplit(q.value, (k) => q.offsets[k] ?? open, open);
  }

  private topRegexItem(): void {
    const open = this.i;
    const { pattern, end } = this.readSlashRegex(open);
    this.i = end;
    this.expectItemEnd("the closing '/' of the regular expression");
    this.push(this.test(this.surface, { kind: 'regex', pattern }), open);
  }

  /** `name:value`. Returns false when the item is not of that shape (then it is plain text). */
  private attrItem(): boolean {
    const src = this.src;
    const start = this.i;
    const m = /^([A-Za-z]+):/.exec(src.slice(start, start + 40));
    if (!m) return false;
    const name = m[1]!;
    const v = start + m[0].length;
    const attr = ATTRS.get(name.toLowerCase());
    const valueFollows = v < src.length && !WS.test(src[v]!);
    if (!attr) {
      // "Note:" alone is ordinary text; "lema:worker" is far more likely a mistyped attribute.
      if (!valueFollows) return false;
      fail(
        `Unknown attribute '${name}' at position ${start}: use ${ATTR_LIST}, ` +
          `or put the text in double quotes to search for it as written`,
        start,
      );
    }
    if (!valueFollows) {
      fail(`Missing value after '${name}:' at position ${v}: write e.g. ${name}:council`, v);
    }
    this.flushPlain();
    const c = src[v]!;
    let match: ValueMatch;
    if (c === '/') {
      const { pattern, end } = this.readSlashRegex(v);
      this.i = end;
      this.expectItemEnd("the closing '/' of the regular expression");
      match = { kind: 'regex', pattern };
    } else if (c === '"') {
      const q = this.readQuoted(v, 'phrase');
      this.i = q.end;
      this.expectItemEnd("the closing '\"' of the value");
      if (q.value === '') fail(`The value in quotes at position ${v} is empty`, v);
      match = { kind: 'literal', value: q.value };
    } else {
      const end = this.wordEnd(v);
      this.i = end;
      const text = src.slice(v, end);
      match = text.includes('*') || text.includes('?') ? { kind: 'wildcard', pattern: text } : { kind: 'literal', value: text };
    }
    this.push(this.test(attr, this.posValue(attr, match, v)), start);
    return true;
  }

  // ---- bracketed token conditions -------------------------------------------------------------

  private bracketItem(): void {
    const open = this.i;
    this.i++;
    this.skipWs();
    let condition: Condition;
    if (this.src[this.i] === ']') {
      condition = { type: 'any' };
    } else {
      condition = this.orExpr(open, '[');
      this.skipWs();
      this.expectClose(']', open);
    }
    this.i++; // past ']'
    const [min, max, capped] = this.quantifier();
    const t: TokenPattern = { condition, min, max, position: open };
    if (capped) t.capped = true;
    this.out.push(t);
  }

  private orExpr(open: number, opener: '[' | '('): Condition {
    const items = [this.andExpr(open, opener, null)];
    for (;;) {
      this.skipWs();
      if (this.src[this.i] !== '|') break;
      const op = this.i++;
      items.push(this.andExpr(open, opener, op));
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  }

  private andExpr(open: number, opener: '[' | '(', after: number | null): Condition {
    const items = [this.unary(open, opener, after)];
    for (;;) {
      this.skipWs();
      if (this.src[this.i] !== '&') break;
      const op = this.i++;
      items.push(this.unary(open, opener, op));
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  }

  /** `after` is the offset of the operator just read, for a better "missing condition" message. */
  private unary(open: number, opener: '[' | '(', after: number | null): Condition {
    const src = this.src;
    this.skipWs();
    const at = this.i;
    if (at >= src.length) this.unclosed(opener, open);
    const c = src[at]!;
    if (c === '!' && src[at + 1] !== '=') {
      this.i++;
      return { type: 'not', item: this.nested(at, () => this.unary(open, opener, at)) };
    }
    if (c === '(') {
      this.i++;
      const item = this.nested(at, () => this.orExpr(at, '('));
      this.skipWs();
      this.expectClose(')', at);
      this.i++;
      return item;
    }
    if (/[A-Za-z_]/.test(c)) return this.testExpr();
    if (c === '"') {
      fail(`The value at position ${at} needs an attribute in front of it: write e.g. word="council" ` + `(attributes: ${ATTR_LIST})`, at);
    }
    if (after !== null) {
      fail(`Missing condition at position ${at}, after '${src[after]}': write e.g. pos="NOUN" there`, at);
    }
    return fail(`Expected a condition such as lemma="council" at position ${at}, found '${c}'`, at);
  }

  /** Bounds recursion so a pathological query is an E_QUERY, not a stack overflow. */
  private nested<T>(at: number, f: () => T): T {
    if (++this.depth > MAX_NESTING) {
      fail(`The condition is nested too deeply at position ${at}: at most ${MAX_NESTING} levels of ( and !`, at);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private testExpr(): Condition {
    const src = this.src;
    const start = this.i;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(start, start + 64))![0];
    this.i += name.length;
    const attr = ATTRS.get(name.toLowerCase());
    if (!attr) fail(`Unknown attribute '${name}' at position ${start}: use ${ATTR_LIST}`, start);
    this.skipWs();
    let negate = false;
    if (src.startsWith('!=', this.i)) {
      negate = true;
      this.i += 2;
    } else if (src[this.i] === '=') {
      this.i += 1;
    } else {
      fail(`Missing '=' or '!=' after '${name}' at position ${this.i}: write e.g. ${name}="council"`, this.i);
    }
    this.skipWs();
    const v = this.i;
    if (v >= src.length || src[v] === ']') {
      fail(`Missing value after '${negate ? '!=' : '='}' at position ${v}: put the value in double quotes, e.g. ${name}="council"`, v);
    }
    if (src[v] !== '"') {
      const word = src.slice(v, this.wordEnd(v)).replace(/[\]&|)].*$/, '');
      fail(`The value at position ${v} must be in double quotes: write ${name}="${word || 'council'}"`, v);
    }
    const q = this.readQuoted(v, 'regex');
    this.i = q.end;
    if (q.value === '') fail(`The value in quotes at position ${v} is empty: put what to match between the quotes`, v);
    let caseInsensitive = false;
    if (src[this.i] === '%') {
      const flag = /^%[A-Za-z]*/.exec(src.slice(this.i, this.i + 20))![0];
      if (flag !== '%c') {
        fail(`Unknown flag '${flag}' at position ${this.i}: only %c (ignore case) is supported`, this.i);
      }
      caseInsensitive = true;
      this.i += flag.length;
    }
    const match = this.posValue(attr!, this.classify(q, v), v);
    const t: Condition = { type: 'test', attr: attr!, match, negate };
    if (caseInsensitive) t.caseInsensitive = true;
    return t;
  }

  /**
   * A quoted value in brackets is a regex, as in CQP, but most are plain words: when no regex
   * metacharacter is used (backslash-escaped punctuation counts as literal) it becomes a literal,
   * which the executor can look up directly.
   */
  private classify(q: QuotedText, open: number): ValueMatch {
    const value = q.value;
    let literal = '';
    for (let k = 0; k < value.length; k++) {
      const c = value[k]!;
      if (c === '\\') {
        const n = value[k + 1];
        if (n === undefined || /[\p{L}\p{N}_\s]/u.test(n)) {
          return this.regex(value, (j) => q.offsets[j] ?? open, open);
        }
        literal += n;
        k++;
      } else if (REGEX_META.includes(c)) {
        return this.regex(value, (j) => q.offsets[j] ?? open, open);
      } else {
        literal += c;
      }
    }
    return { kind: 'literal', value: literal };
  }

  /** `{n}`, `{m,n}`, `{m,}`, `{,n}`, `?`, `*`, `+` right after `]`. */
  private quantifier(): [number, number, boolean] {
    const src = this.src;
    const at = this.i;
    const c = src[at];
    let result: [number, number, boolean];
    if (c === '?') result = [0, 1, false];
    else if (c === '*') result = [0, MAX_REPEAT, true];
    else if (c === '+') result = [1, MAX_REPEAT, true];
    else if (c === '{') result = this.braces(at);
    else return [1, 1, false];
    // braces() has checked that a '}' closes the quantifier.
    this.i = c === '{' ? src.indexOf('}', at) + 1 : at + 1;
    const next = src[this.i];
    if (next !== undefined && '?*+{'.includes(next)) {
      fail(`A token condition takes one quantifier, but another starts at position ${this.i}: remove one`, this.i);
    }
    return result;
  }

  private braces(at: number): [number, number, boolean] {
    const src = this.src;
    const hint = 'write {n}, {m,n} or {m,} with whole numbers';
    let k = at + 1;
    while (k < src.length && /[0-9, ]/.test(src[k]!)) k++;
    if (k >= src.length) fail(`Unclosed '{' at position ${at}: ${hint}, ending with '}'`, at);
    if (src[k] !== '}') {
      let e = k;
      while (e < src.length && src[e] !== '}' && !WS.test(src[e]!)) e++;
      const shown = src.slice(at, src[e] === '}' ? e + 1 : e);
      fail(`Bad quantifier ${show(shown)} at position ${at}: ${hint}`, at);
    }
    const body = src.slice(at + 1, k);
    const shown = `{${body}}`;
    const m = /^ *([0-9]*) *(?:(,) *([0-9]*) *)?$/.exec(body);
    if (!m || (m[1] === '' && (m[2] === undefined || m[3] === ''))) {
      fail(`Bad quantifier '${shown}' at position ${at}: ${hint}`, at);
    }
    const min = m![1] === '' ? 0 : Number(m![1]);
    const open = m![2] !== undefined && m![3] === '';
    const max = m![2] === undefined ? min : open ? MAX_REPEAT : Number(m![3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT) {
      fail(`Quantifier '${shown}' at position ${at} is too large: at most ${MAX_REPEAT} tokens can be repeated`, at);
    }
    if (min > max) {
      fail(`Bad quantifier '${shown}' at position ${at}: the minimum ${min} is larger than the maximum ${max}`, at);
    }
    if (max === 0) {
      fail(`Quantifier '${shown}' at position ${at} allows no token at all: the maximum must be at least 1`, at);
    }
    return [min, max, open];
  }

  // ---- lexical helpers ------------------------------------------------------------------------

  private skipWs(): void {
    while (this.i < this.src.length && WS.test(this.src[this.i]!)) this.i++;
  }

  /** End of a bare word: whitespace or a bracket ends it. */
  private wordEnd(from: number): number {
    let k = from;
    while (k < this.src.length) {
      const c = this.src[k]!;
      if (WS.test(c) || c === '[' || c === ']') break;
      k++;
    }
    return k;
  }

  /** After a quoted or slashed item the next item must be separated (or be a bracket). */
  private expectItemEnd(what: string): void {
    const c = this.src[this.i];
    if (c === undefined || WS.test(c) || c === '[') return;
    fail(`Expected a space after ${what} at position ${this.i}, found '${c}'`, this.i);
  }

  private expectClose(close: ']' | ')', open: number): void {
    const src = this.src;
    const at = this.i;
    const opener = close === ']' ? '[' : '(';
    if (at >= src.length) this.unclosed(opener, open);
    const c = src[at]!;
    if (c === close) return;
    if (c === ']' && close === ')') this.unclosed('(', open);
    if (c === ')') fail(`')' at position ${at} has no matching '('`, at);
    if (/[A-Za-z_"!(]/.test(c)) {
      fail(`Missing '&' or '|' before position ${at}: join conditions with & (and) or | (or)`, at);
    }
    if (c === '[') this.unclosed(opener, open);
    fail(`Unexpected '${c}' at position ${at} in the token condition that starts at position ${open}`, at);
  }

  private unclosed(opener: '[' | '(', open: number): never {
    return opener === '['
      ? fail(`Unclosed '[' at position ${open}: add ']' to end the token condition`, open)
      : fail(`Unclosed '(' at position ${open}: add ')' to end the group`, open);
  }

  /**
   * A double-quoted string from `open`. Backslash pairs are consumed together so `\"` never ends
   * the string; `\"` becomes `"`. In a phrase `\\` becomes `\`; in a regex value other pairs are
   * kept as typed for RE2.
   */
  private readQuoted(open: number, mode: 'phrase' | 'regex'): QuotedText {
    const src = this.src;
    let value = '';
    const offsets: number[] = [];
    let k = open + 1;
    while (k < src.length) {
      const c = src[k]!;
      if (c === '"') return { value, offsets, end: k + 1 };
      if (c === '\\' && k + 1 < src.length) {
        const n = src[k + 1]!;
        if (n === '"' || (mode === 'phrase' && n === '\\')) {
          value += n;
          offsets.push(k);
        } else {
          value += c + n;
          offsets.push(k, k + 1);
        }
        k += 2;
        continue;
      }
      value += c;
      offsets.push(k);
      k++;
    }
    return fail(`Unterminated string starting at position ${open}: add a closing '"'`, open);
  }

  /** `/.../` from `open`; `\/` and a `/` inside a character class do not end it. */
  private readSlashRegex(open: number): { pattern: string; end: number } {
    const src = this.src;
    let k = open + 1;
    let inClass = false;
    while (k < src.length) {
      const c = src[k]!;
      if (c === '\\') {
        k += 2;
        continue;
      }
      if (inClass) {
        if (c === ']') inClass = false;
      } else if (c === '[') {
        inClass = true;
        // A ']' first in the class (after an optional '^') is a literal.
        if (src[k + 1] === '^') k++;
        if (src[k + 1] === ']') k++;
      } else if (c === '/') {
        const pattern = src.slice(open + 1, k);
        if (pattern === '') {
          fail(`Empty regular expression at position ${open}: put a pattern between the slashes, e.g. /bureau.*/`, open);
        }
        this.regex(pattern, (j) => open + 1 + j, open);
        return { pattern, end: k + 1 };
      }
      k++;
    }
    return fail(
      `Unterminated regular expression starting at position ${open}: end it with '/' ` + `(to search for a slash, write "/")`,
      open,
    );
  }

  /** Validates an RE2 pattern; `posOf` maps a pattern index to a query offset. */
  private regex(pattern: string, posOf: (k: number) => number, at: number): ValueMatch {
    if (pattern.length > MAX_REGEX_CHARS) {
      fail(`The regular expression at position ${at} is too long (${pattern.length} characters; ` + `at most ${MAX_REGEX_CHARS})`, at);
    }
    try {
      // Letters and digits with `.*` before or after are always valid: no need to load the regex engine.
      if (!/^(\.\*)?[A-Za-z0-9]*(\.\*)?$/.test(pattern)) re2().RE2JS.compile(pattern);
    } catch (e) {
      const unsupported = findUnsupported(pattern);
      if (unsupported) {
        fail(
          `${unsupported.what} at position ${posOf(unsupported.index)} is not supported: Loupe's regular ` +
            `expressions (RE2) have no lookbehind, lookahead or backreferences`,
          posOf(unsupported.index),
        );
      }
      const raw = e instanceof Error ? e.message : String(e);
      const reason = raw.replace(/^error parsing regexp: /, '');
      const fragment = /`([^`]*)`\s*$/.exec(reason)?.[1];
      const k = fragment ? pattern.indexOf(fragment) : -1;
      const pos = k >= 0 ? posOf(k) : at;
      fail(`Invalid regular expression at position ${pos}: ${reason}`, pos);
    }
    return { kind: 'regex', pattern };
  }

  // ---- building ----------------------------------------------------------------------------------

  private test(attr: Attr, match: ValueMatch): Condition {
    return { type: 'test', attr, match, negate: false };
  }

  private push(condition: Condition, position: number): void {
    this.out.push({ condition, min: 1, max: 1, position });
  }

  /** Tokens of `text` as literal surface tests; positions found by scanning `text` in order. */
  private pushSplit(text: string, posOf: (k: number) => number, at: number): void {
    const parts = this.split(text).filter((p) => p.trim() !== '');
    if (parts.length === 0) fail(`Nothing to search for in ${show(text)} at position ${at}`, at);
    let cursor = 0;
    for (const part of parts) {
      const found = text.indexOf(part, cursor);
      const k = found >= 0 ? found : cursor;
      if (found >= 0) cursor = found + part.length;
      this.push(this.test(this.surface, { kind: 'literal', value: part }), posOf(Math.min(k, text.length - 1)));
    }
  }

  /** POS tags are upper-case UPOS: literal values are checked and upper-cased, wildcards upper-cased. */
  private posValue(attr: Attr, match: ValueMatch, at: number): ValueMatch {
    if (attr !== 'pos') return match;
    if (match.kind === 'literal') {
      const tag = match.value.toUpperCase();
      if (!POS_TAGS.has(tag)) {
        fail(`Unknown part of speech ${show(match.value)} at position ${at}: use one of ${[...POS_TAGS].join(', ')}`, at);
      }
      return { kind: 'literal', value: tag };
    }
    if (match.kind === 'wildcard') return { kind: 'wildcard', pattern: match.pattern.toUpperCase() };
    return match;
  }
}

/**
 * RE2 refuses lookaround and backreferences with a terse message; find them so the message can
 * say what the construct is and where. Only called on patterns re2js already rejected.
 */
function findUnsupported(p: string): { index: number; what: string } | undefined {
  let inClass = false;
  for (let k = 0; k < p.length; k++) {
    const c = p[k]!;
    if (c === '\\') {
      const n = p[k + 1];
      if (!inClass && n !== undefined && /[1-9]/.test(n)) return { index: k, what: `Backreference '\\${n}'` };
      if (!inClass && (n === 'k' || n === 'g')) return { index: k, what: `Backreference '\\${n}'` };
      k++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (p[k + 1] === '^') k++;
      if (p[k + 1] === ']') k++;
      continue;
    }
    if (c === '(' && p[k + 1] === '?') {
      if (p.startsWith('<=', k + 2) || p.startsWith('<!', k + 2)) {
        return { index: k, what: `Lookbehind '${p.slice(k, k + 4)}'` };
      }
      if (p[k + 2] === '=' || p[k + 2] === '!') return { index: k, what: `Lookahead '${p.slice(k, k + 3)}'` };
    }
  }
  return undefined;
}
