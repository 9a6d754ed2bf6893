/**
 * Command-line arguments: `loupe COMMAND [ARGS...] [--option value | --flag]`. Options may come
 * anywhere; `--` ends options. Repeated options keep the last value, except those listed as lists.
 */
import { LoupeFailure } from '../contract/errors.js';

export interface ParsedArgs {
  command: string | undefined;
  args: string[];
  options: Record<string, string | boolean>;
  /** Options that may repeat, all values in order. */
  lists: Record<string, string[]>;
}

const FLAGS = new Set(['case', 'help', 'quiet', 'stoplist', 'json', 'h', 'descending', 'ascending', 'stem']);
const LISTS = new Set(['corpus', 'across', 'query']);

export function parseArgs(argv: string[]): ParsedArgs {
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
      let value: string | boolean;
      if (eq > 0) value = a.slice(eq + 1);
      else if (FLAGS.has(name)) value = true;
      else {
        if (i + 1 >= argv.length) throw new LoupeFailure('E_USAGE', `Option --${name} needs a value.`);
        value = argv[++i]!;
      }
      out.options[name] = value;
      if (LISTS.has(name) && typeof value === 'string') (out.lists[name] ??= []).push(value);
    } else if (!onlyArgs && a === '-h') {
      out.options.help = true;
    } else if (out.command === undefined) {
      out.command = a;
    } else {
      out.args.push(a);
    }
    i++;
  }
  return out;
}

export function intOption(options: Record<string, string | boolean>, name: string, fallback: number, min = 0): number {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new LoupeFailure('E_USAGE', `--${name} must be a whole number of at least ${min}, not "${v}".`);
  return n;
}
