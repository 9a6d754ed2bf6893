/**
 * The path guard both hosts put in front of the engine: what the renderer (or another instance's
 * command line) may name, and what reaches the engine when it does.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../app/host/handlers.js';
import { checkInputPaths, checkPathSyntax, guardPaths } from '../../app/host/paths.js';
import { startWebHost } from '../../app/host/web-host.js';
import { fakeEngine } from './fake-engine.js';
import { api } from './http-client.js';

let root: string;
let corpus: string;
let file: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'loupe-paths-'));
  corpus = join(root, 'texts');
  mkdirSync(join(corpus, 'sub'), { recursive: true });
  file = join(corpus, 'a.txt');
  writeFileSync(file, 'The bureaucracy grew.\n');
  writeFileSync(join(corpus, 'sub', 'b.txt'), 'Workers councils.\n');
  symlinkSync(corpus, join(root, 'link-to-texts'));
  symlinkSync(join(root, 'nowhere'), join(root, 'broken-link'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('checkPathSyntax', () => {
  it.each([
    ['a NUL byte', '/home/reader/texts\0.txt'],
    ['a NUL byte at the end', '/home/reader/texts\0'],
    ['.. in an absolute path', '/home/reader/texts/../../etc'],
    ['.. as the last segment', '/home/reader/texts/..'],
    ['.. in a relative path', '../etc/passwd'],
    ['.. in the middle of a relative path', 'texts/../../etc'],
    ['.. behind a backslash', 'C:\\texts\\..\\windows'],
    ['an empty string', ''],
  ])('refuses %s with E_PATH', (_label, input) => {
    const r = checkPathSyntax(input, { base: root });
    expect(codeOf(r)).toBe('E_PATH');
  });

  it.each([[null], [undefined], [42], [{ path: '/tmp' }], [['/tmp']]])('refuses a non-string (%j)', (input) => {
    expect(codeOf(checkPathSyntax(input))).toBe('E_PATH');
  });

  it('keeps names that merely contain dots', () => {
    for (const p of [`${root}/..hidden`, `${root}/notes..txt`, `${root}/.../x`, `${root}/./a`]) {
      expect(checkPathSyntax(p)).toEqual({ ok: true, value: join(p) });
    }
  });

  it('refuses relative paths without a base, and resolves them against one', () => {
    const without = checkPathSyntax('texts');
    expect(codeOf(without)).toBe('E_PATH');
    expect(without.ok ? '' : without.error.message).toMatch(/full path/);
    expect(checkPathSyntax('texts/a.txt', { base: root })).toEqual({ ok: true, value: join(root, 'texts', 'a.txt') });
    // A base must itself be absolute, or "relative to it" means nothing.
    expect(codeOf(checkPathSyntax('texts', { base: 'relative/base' }))).toBe('E_PATH');
  });

  it('refuses every path with a NUL byte or a .. segment, whatever else is in it', () => {
    const segment = fc.stringMatching(/^[^/\\\0]{0,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.array(segment, { maxLength: 5 }), fc.boolean(), (before, after, nul) => {
        const bad = nul ? `/${before.join('/')}\0${after.join('/')}` : `/${[...before, '..', ...after].join('/')}`;
        expect(codeOf(checkPathSyntax(bad, { base: root }))).toBe('E_PATH');
      }),
    );
  });
});

describe('checkInputPaths', () => {
  it('accepts existing files and folders and returns them absolute', async () => {
    expect(await checkInputPaths([corpus, file])).toEqual({ ok: true, value: [corpus, file] });
    expect(await checkInputPaths(['texts', `texts${sep}sub`], { base: root })).toEqual({
      ok: true,
      value: [corpus, join(corpus, 'sub')],
    });
  });

  it('accepts a link to a folder: the engine then keeps inside that folder', async () => {
    expect(codeOf(await checkInputPaths([join(root, 'link-to-texts')]))).toBe('ok');
  });

  it('refuses paths that do not exist, broken links and an empty list', async () => {
    for (const p of [join(root, 'missing'), join(corpus, 'missing.txt'), join(root, 'broken-link')]) {
      const r = await checkInputPaths([corpus, p]);
      expect(codeOf(r)).toBe('E_PATH');
      expect(r.ok ? '' : r.error.message).toContain('No such file or folder');
    }
    expect(codeOf(await checkInputPaths([]))).toBe('E_PATH');
  });

  it('refuses what is neither a file nor a folder', async () => {
    expect(codeOf(await checkInputPaths(['/dev/null']))).toBe('E_PATH');
  });

  it('shows a refused path with its control characters escaped', async () => {
    const r = await checkInputPaths([`${root}/a\nb\0`]);
    expect(r.ok ? '' : r.error.message).not.toMatch(/[\n\0]/);
  });
});

describe('guardPaths', () => {
  it('checks openCorpus, keywords and keyword exports before the engine sees them', async () => {
    const engine = fakeEngine();
    const handlers = guardPaths(createHandlers(engine));
    const bad = `${corpus}/../../etc`;
    expect(codeOf(await handlers.openCorpus({ paths: [corpus, bad] }))).toBe('E_PATH');
    expect(codeOf(await handlers.openCorpus({ paths: ['texts'] }))).toBe('E_PATH');
    expect(codeOf(await handlers.openCorpus({ paths: [join(root, 'gone')] }))).toBe('E_PATH');
    expect(codeOf(await handlers.keywords({ reference: [bad] }))).toBe('E_PATH');
    expect(codeOf(await handlers.exportData({ what: 'keywords', format: 'csv', keywords: { reference: [`${file}\0`] } }))).toBe('E_PATH');
    expect(engine.calls).toEqual([]);
  });

  it('lets project requests name only .loupe.json files: existing ones to open, new ones in real folders', async () => {
    const engine = fakeEngine();
    const handlers = guardPaths(createHandlers(engine));
    const project = join(root, 'study.loupe.json');
    writeFileSync(project, '{}');
    expect(codeOf(await handlers.openProject({ file }))).toBe('E_PATH'); // a text file is not a project
    expect(codeOf(await handlers.openProject({ file: join(root, 'gone.loupe.json') }))).toBe('E_PATH');
    expect(codeOf(await handlers.openProject({ file: `${corpus}/../study.loupe.json` }))).toBe('E_PATH');
    expect(codeOf(await handlers.newProject({ file: join(root, '.bashrc') }))).toBe('E_PATH');
    expect(codeOf(await handlers.newProject({ file: join(root, 'nowhere', 'x.loupe.json') }))).toBe('E_PATH');
    expect(engine.calls).toEqual([]);
    expect(codeOf(await handlers.openProject({ file: project }))).toBe('ok');
    expect(codeOf(await handlers.newProject({ file: join(corpus, 'new.loupe.json') }))).toBe('ok');
    expect(codeOf(await handlers.newProject({ name: 'By name only' }))).toBe('ok');
    expect(engine.calls.map((c) => c.request)).toEqual([
      { file: project },
      { file: join(corpus, 'new.loupe.json') },
      { name: 'By name only' },
    ]);
  });

  it('passes checked paths through, normalised', async () => {
    const engine = fakeEngine();
    const handlers = guardPaths(createHandlers(engine));
    expect(codeOf(await handlers.openCorpus({ paths: [`${corpus}/./sub/`] }))).toBe('ok');
    expect(codeOf(await handlers.keywords({ reference: [corpus], limit: 5 }))).toBe('ok');
    expect(codeOf(await handlers.keywords({ reference: 'brown' }))).toBe('ok');
    expect(codeOf(await handlers.openCorpus({}))).toBe('ok');
    expect(engine.calls.map((c) => c.request)).toEqual([
      { paths: [join(corpus, 'sub')] },
      { reference: [corpus], limit: 5 },
      { reference: 'brown' },
      {},
    ]);
  });

  it('leaves malformed payloads to the schema (E_PAYLOAD), and other methods alone', async () => {
    const engine = fakeEngine();
    const handlers = guardPaths(createHandlers(engine));
    expect(codeOf(await handlers.openCorpus({ paths: [] }))).toBe('E_PAYLOAD');
    expect(codeOf(await handlers.openCorpus({ paths: corpus }))).toBe('E_PAYLOAD');
    expect(codeOf(await handlers.openCorpus(null))).toBe('E_PAYLOAD');
    expect(codeOf(await handlers.count({ query: 'bureaucracy' }))).toBe('ok');
    expect(engine.calls.map((c) => c.method)).toEqual(['count']);
  });

  it('guards the web host too: a path with .. never reaches its engine', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'loupe-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Loupe</title>');
    const engine = fakeEngine();
    const host = await startWebHost({ engine, rendererDir: dist, openAtStart: false });
    try {
      const refused = await api(host.port, host.token, 'openCorpus', { paths: [`${corpus}/../../etc`] });
      expect(JSON.parse(refused.body).error.code).toBe('E_PATH');
      const opened = await api(host.port, host.token, 'openCorpus', { paths: [corpus] });
      expect(JSON.parse(opened.body).ok).toBe(true);
      expect(engine.calls).toEqual([{ method: 'openCorpus', request: { paths: [corpus] } }]);
    } finally {
      await host.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
