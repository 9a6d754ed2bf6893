/**
 * Command-line arguments: `loupe COMMAND [ARGS...] [--option value | --flag]`. Options may come
 * anywhere; `--` ends options. Repeated options keep the last value, except those listed as lists.
 * `npm run web` reads its options with the same parser under a strict grammar of its own.
 */
import { LoupeFailure } from '../contract/errors.js';
import { MATCHINGS, type Matching } from '../contract/types.js';

export interface ParsedArgs {
  command: string | undefined;
  args: string[];
  options: Record<string, string | boolean>;
  /** Options that may repeat, all values in order. */
  lists: Record<string, string[]>;
}

/** Which options take no value and which may repeat; any other option takes one value. */
export interface OptionGrammar {
  flags: ReadonlySet<string>;
  lists: ReadonlySet<string>;
  /**
   * The options that take one value. Naming them makes the grammar strict, for a command that takes
   * options only: any other option, a value given to a flag, a value that looks like an option
   * (unless written `--name=value`) and any argument are refused.
   */
  values?: ReadonlySet<string>;
}

const LOUPE_GRAMMAR: OptionGrammar = {
  flags: new Set(['case', 'help', 'quiet', 'stoplist', 'json', 'h', 'descending', 'ascending', 'stem']),
  lists: new Set(['corpus', 'across', 'query']),
};

export function parseArgs(argv: string[], grammar: OptionGrammar = LOUPE_GRAMMAR): ParsedArgs {
  const out: ParsedArgs = { command: undefined, args: [], options: {}, lists: {} };
  let i = 0;
  let onlyArgs = false;
  while (i < argv.length) {
    const a = argv[i]!;
    if (!onlyArgs && a === '--') {
      onlyArgs = true;
    } else if (!onlyArgs && a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (grammar.values && !knows(grammar, name)) throw new LoupeFailure('E_USAGE', `Unknown option --${name}.`);
      let value: string | boolean;
      if (eq > 0) value = a.slice(eq + 1);
      else if (grammar.flags.has(name)) value = true;
      else {
        if (i + 1 >= argv.length) throw new LoupeFailure('E_USAGE', `Option --${name} needs a value.`);
        value = argv[++i]!;
      }
      if (grammar.values) checkStrictValue(grammar, name, value, eq > 0);
      out.options[name] = value;
      if (grammar.lists.has(name) && typeof value === 'string') (out.lists[name] ??= []).push(value);
    } else if (!onlyArgs && a === '-h') {
      out.options.help = true;
    } else if (grammar.values) {
      throw new LoupeFailure(
        'E_USAGE',
        !onlyArgs && looksLikeOption(a) ? `Unknown option ${a}.` : `Unexpected argument "${a}": options only.`,
      );
    } else if (out.command === undefined) {
      out.command = a;
    } else {
      out.args.push(a);
    }
    i++;
  }
  return out;
}

function knows(grammar: OptionGrammar, name: string): boolean {
  return grammar.flags.has(name) || grammar.lists.has(name) || grammar.values?.has(name) === true;
}

/** Under a strict grammar, a flag is given no value and any other option a value of its own. */
function checkStrictValue(grammar: OptionGrammar, name: string, value: string | boolean, written: boolean): void {
  const flag = grammar.flags.has(name);
  if (flag && value !== true) throw new LoupeFailure('E_USAGE', `Option --${name} takes no value.`);
  if (!flag && !written && typeof value === 'string' && looksLikeOption(value)) {
    throw new LoupeFailure('E_USAGE', `Option --${name} needs a value; for one that starts with a dash, write --${name}=VALUE.`);
  }
}

function looksLikeOption(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
}

export function intOption(options: Record<string, string | boolean>, name: string, fallback: number, min = 0): number {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new LoupeFailure('E_USAGE', `--${name} must be a whole number of at least ${min}, not "${v}".`);
  return n;
}

/** `--matching shortest|standard`: how a query with gaps or optional tokens counts its matches. */
export function matchingOption(options: Record<string, string | boolean>): Matching {
  const v = options.matching;
  if (v === undefined) return 'shortest';
  if (typeof v === 'string' && (MATCHINGS as readonly string[]).includes(v)) return v as Matching;
  throw new LoupeFailure('E_USAGE', `--matching must be ${MATCHINGS.join(' or ')}, not "${String(v)}".`);
}
