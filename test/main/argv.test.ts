/**
 * Command lines as Electron hands them to a second instance (and to the first at start): which
 * words are corpus paths. The paths picked out then go through the same guard as the renderer's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInputPaths } from '../../app/host/paths.js';
import { HandOver, pathsFromArgv } from '../../main/argv.js';

describe('pathsFromArgv', () => {
  it('packaged: everything after the executable that is not a switch', () => {
    expect(pathsFromArgv(['/opt/Loupe/loupe', '/home/r/texts', 'notes.txt'], { defaultApp: false })).toEqual([
      '/home/r/texts',
      'notes.txt',
    ]);
  });

  it('from source: skips the app folder after the Electron binary', () => {
    expect(pathsFromArgv(['/x/electron', '/work/loupe', 'texts'], { defaultApp: true })).toEqual(['texts']);
    expect(pathsFromArgv(['/x/electron', '.'], { defaultApp: true })).toEqual([]);
  });

  it("drops switches Chromium and the OS add to a second instance's command line", () => {
    const argv = [
      'C:\\Program Files\\Loupe\\Loupe.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13350000000000000',
      '-psn_0_12345',
      'D:\\corpora\\hansard',
      '--enable-features=Foo',
    ];
    expect(pathsFromArgv(argv, { defaultApp: false })).toEqual(['D:\\corpora\\hansard']);
  });

  it('after a bare --, every word is a path, even one that starts with -', () => {
    expect(pathsFromArgv(['/opt/loupe', '--flag', '--', '-odd name', '--', 'x'], { defaultApp: false })).toEqual(['-odd name', '--', 'x']);
  });

  it('nothing to open: no arguments, or switches and empty words only', () => {
    expect(pathsFromArgv(['/opt/loupe'], { defaultApp: false })).toEqual([]);
    expect(pathsFromArgv([], { defaultApp: false })).toEqual([]);
    expect(pathsFromArgv(['/opt/loupe', '', '--no-sandbox'], { defaultApp: false })).toEqual([]);
  });
});

describe('a second instance hands its paths over', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'loupe-argv-'));
    mkdirSync(join(cwd, 'texts'));
    writeFileSync(join(cwd, 'texts', 'a.txt'), 'The coming Russian revolution.\n');
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("resolves relative paths against the second instance's working folder", async () => {
    const words = pathsFromArgv(['/opt/loupe', '--x', 'texts', 'texts/a.txt'], { defaultApp: false });
    expect(await checkInputPaths(words, { base: cwd })).toEqual({
      ok: true,
      value: [join(cwd, 'texts'), join(cwd, 'texts', 'a.txt')],
    });
  });

  it('refuses .., NUL bytes and missing paths from a command line with E_PATH', async () => {
    for (const bad of ['texts/../../etc', 'texts\0/a.txt', 'missing-folder']) {
      const words = pathsFromArgv(['/opt/loupe', bad], { defaultApp: false });
      const r = await checkInputPaths(words, { base: cwd });
      expect(r.ok ? 'ok' : r.error.code).toBe('E_PATH');
    }
  });
});

describe('HandOver', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'loupe-handover-'));
    mkdirSync(join(cwd, 'texts'));
    mkdirSync(join(cwd, 'letters'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const make = () => {
    const opened: string[][] = [];
    const refused: string[] = [];
    const handOver = new HandOver(
      { defaultApp: false },
      (paths, base) => checkInputPaths(paths, { base }),
      (m) => refused.push(m),
    );
    const open = async (paths: string[]) => void opened.push(paths);
    return { handOver, opened, refused, open };
  };

  it('keeps hand-overs that arrive during start-up and opens them in order once ready', async () => {
    const { handOver, opened, open } = make();
    const first = handOver.receive(['/opt/loupe', 'texts'], cwd);
    const second = handOver.receive(['/opt/loupe', '--x', 'letters'], cwd);
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toEqual([]);
    handOver.ready(open);
    expect(await first).toEqual({ opened: [join(cwd, 'texts')] });
    expect(await second).toEqual({ opened: [join(cwd, 'letters')] });
    expect(opened).toEqual([[join(cwd, 'texts')], [join(cwd, 'letters')]]);
  });

  it('opens at once when ready; a bare second start only focuses; bad paths are refused, not opened', async () => {
    const { handOver, opened, refused, open } = make();
    handOver.ready(open);
    expect(await handOver.receive(['/opt/loupe'], cwd)).toEqual({ nothing: true });
    const bad = await handOver.receive(['/opt/loupe', 'texts/../../etc'], cwd);
    expect(bad).toEqual({ refused: expect.stringContaining("'..'") });
    expect(await handOver.receive(['/opt/loupe', 'missing'], cwd)).toEqual({ refused: expect.stringContaining('No such file') });
    expect(refused).toHaveLength(2);
    expect(await handOver.receive(['/opt/loupe', join(cwd, 'texts')], '/')).toEqual({ opened: [join(cwd, 'texts')] });
    expect(opened).toEqual([[join(cwd, 'texts')]]);
  });
});
