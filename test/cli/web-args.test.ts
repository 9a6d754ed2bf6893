/**
 * `npm run web`'s options, read by the `loupe` command's parser under a strict grammar: every option
 * the host takes, and the mistakes it refuses before anything starts.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../app/cli/args.js';
import { webHostOptions } from '../../app/cli/web.js';

describe('npm run web options', () => {
  it('takes every option, separate or after =, and repeated corpora in order', () => {
    expect(
      webHostOptions([
        '--port',
        '8080',
        '--corpus',
        'a',
        '--corpus=b',
        '--index',
        'ix',
        '--data=dd',
        '--language',
        'de',
        '--stem',
        '--watch',
      ]),
    ).toEqual({ port: 8080, corpus: ['a', 'b'], indexDir: 'ix', dataDir: 'dd', language: 'de', stem: true, watch: true });
  });

  it('asks the system for a free port when given none, keeps the last of a repeated option, ignores empty values', () => {
    expect(webHostOptions([])).toEqual({ port: 0 });
    expect(webHostOptions(['--port', '1', '--port', '2', '--'])).toEqual({ port: 2 });
    expect(webHostOptions(['--index', '', '--language='])).toEqual({ port: 0 });
  });

  it('answers help to --help and -h', () => {
    expect(webHostOptions(['--help'])).toBeNull();
    expect(webHostOptions(['--port', '3', '-h'])).toBeNull();
  });

  it.each([
    [['--port', 'x'], /--port: not a port number: x/],
    [['--port', '65536'], /not a port number/],
    [['--port'], /--port needs a value/],
    [['--frobnicate'], /Unknown option --frobnicate/],
    [['--h'], /Unknown option --h/],
    [['-x'], /Unknown option -x/],
    [['texts'], /Unexpected argument "texts"/],
    [['--', '-h'], /Unexpected argument "-h"/],
    [['--stem=yes'], /--stem takes no value/],
    [['--port', '--stem'], /--port needs a value; for one that starts with a dash, write --port=VALUE/],
    [['--corpus', '-texts'], /--corpus=VALUE/],
  ])('refuses %j', (argv, message) => {
    expect(() => webHostOptions(argv)).toThrow(message);
  });

  it('takes a value that starts with a dash when written after =', () => {
    expect(webHostOptions(['--corpus=-texts'])?.corpus).toEqual(['-texts']);
  });
});

describe('the loupe grammar is unchanged by the strict one', () => {
  it('reads commands, arguments, flags and lists as before', () => {
    expect(parseArgs(['kwic', 'council', '--corpus', 'a', '--corpus', 'b', '--case', '--watch', '-x', '--', '--sort'])).toEqual({
      command: 'kwic',
      args: ['council', '--sort'],
      options: { corpus: 'b', case: true, watch: '-x' },
      lists: { corpus: ['a', 'b'] },
    });
  });
});
