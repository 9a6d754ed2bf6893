/**
 * Opening corpora and remembering settings, in both of the renderer's modes:
 * - web mode (no window.loupeShell): paths typed in the Corpus view, settings in localStorage,
 *   the last corpus reopened at start, a drop answered with a note;
 * - desktop mode, with a stand-in for the Electron preload's window.loupeShell installed before the
 *   app loads: the dialog buttons, drag-and-drop paths, menu commands and settings through the shell.
 * The engine behind both is the real web host, so every corpus here is really opened and indexed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { hostApi, openApp, queryBox, search, waitForLines } from './helpers';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

let root: string;
let texts: string;
let letters: string;

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'loupe-e2e-shell-'));
  texts = join(root, 'pamphlets');
  letters = join(root, 'letters');
  mkdirSync(join(texts, 'part-two'), { recursive: true });
  mkdirSync(letters);
  writeFileSync(join(texts, 'one.txt'), 'The bureaucracy grew while the councils withered.\n\nThe councils met again in spring.\n');
  writeFileSync(join(texts, 'part-two', 'two.txt'), 'A second pamphlet on the bureaucracy and the state.\n');
  writeFileSync(join(letters, 'first.txt'), 'Dear comrade, the councils send their greetings.\n');
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

// The host is shared by every spec: put the bundled corpus back for the next test.
test.afterEach(async () => {
  await hostApi('openCorpus', {});
});

const header = (page: Page) => page.getByRole('banner');
const corpusName = (page: Page) => page.getByTestId('corpus-name');
const html = (page: Page) => page.locator('html');

async function idle(page: Page): Promise<void> {
  await expect(html(page)).toHaveAttribute('data-ready', 'true');
}

/** Fires the events a drop of these files onto the window fires (Chromium fills in dataTransfer.files). */
async function dropFiles(page: Page, names: string[], phase: 'enter' | 'all' = 'all'): Promise<void> {
  await page.evaluate(
    ([fileNames, until]) => {
      const dt = new DataTransfer();
      for (const name of fileNames) dt.items.add(new File(['x'], name, { type: 'text/plain' }));
      const types = until === 'enter' ? ['dragenter', 'dragover'] : ['dragenter', 'dragover', 'drop'];
      for (const type of types) {
        document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    },
    [names, phase] as const,
  );
}

test.describe('web mode', () => {
  test('open a folder by its path; it joins the recent list; settings and the corpus survive a reload', async ({ page }) => {
    await openApp(page);
    await page.getByRole('button', { name: 'Open corpus…' }).click();
    await expect(page.getByRole('tab', { name: 'Corpus' })).toHaveAttribute('aria-selected', 'true');
    const box = page.getByLabel(/Full paths of folders or files/);
    await expect(box).toBeFocused();
    await box.fill(texts);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(corpusName(page)).toHaveText('pamphlets');
    await idle(page);
    await expect(page.getByRole('table', { name: 'Documents' })).toContainText('part-two/two.txt');
    const recent = page.getByRole('list', { name: 'Recent corpora' });
    await expect(recent).toContainText('pamphlets');
    await expect(recent).toContainText(texts);

    // Settings: context width, collocation span and theme.
    await page.keyboard.press('Control+1');
    await search(page, 'bureaucracy');
    await waitForLines(page, 'bureaucracy');
    await page.getByLabel('Context width').selectOption('12');
    await page.keyboard.press('Control+3');
    await page.getByLabel('Span left').fill('3');
    await page.getByLabel('Span right').fill('2');
    const toggle = page.getByRole('button', { name: /^Theme:/ });
    for (let i = 0; i < 3 && (await html(page).getAttribute('data-theme')) !== 'dark'; i++) await toggle.click();
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    await idle(page);

    await page.reload();
    await idle(page);
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    await expect(corpusName(page)).toHaveText('pamphlets');
    // The project brings back the view the reader left (Collocates): the width is in Concordance.
    await page.keyboard.press('Control+1');
    await expect(page.getByLabel('Context width')).toHaveValue('12');
    await page.keyboard.press('Control+3');
    await expect(page.getByLabel('Span left')).toHaveValue('3');
    await expect(page.getByLabel('Span right')).toHaveValue('2');

    // The host restarted on its bundled corpus (here: switched behind the page's back): the page
    // reopens the corpus it had last.
    expect((await hostApi('openCorpus', {})).ok).toBe(true);
    await page.reload();
    await expect(corpusName(page)).toHaveText('pamphlets');
    await idle(page);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('loupe-settings') ?? '{}'));
    expect(stored).toMatchObject({ theme: 'dark', contextWidth: 12, collocationSpan: [3, 2], lastCorpus: [texts] });
  });

  test('a recent corpus reopens with one click; the bundled one is not listed', async ({ page }) => {
    await openApp(page);
    await page.keyboard.press('Control+9');
    for (const folder of [letters, texts]) {
      await page.getByLabel(/Full paths of folders or files/).fill(folder);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await expect(corpusName(page)).toHaveText(basename(folder));
      await idle(page);
    }
    await page.getByRole('button', { name: 'Open the bundled corpus' }).click();
    await expect(corpusName(page)).toContainText('Cliff');
    await idle(page);
    const recent = page.getByRole('list', { name: 'Recent corpora' }).getByRole('listitem');
    await expect(recent).toHaveCount(2);
    await expect(recent.first()).toContainText('pamphlets');
    await recent.nth(1).getByRole('button').click();
    await expect(corpusName(page)).toHaveText('letters');
    await idle(page);
    await expect(recent.first()).toContainText('letters');
  });

  test('paths the guard refuses say why; a drop says it needs the desktop app', async ({ page }) => {
    await openApp(page);
    await page.keyboard.press('Control+9');
    const box = page.getByLabel(/Full paths of folders or files/);
    for (const [path, message] of [
      [`${texts}/../letters`, "may not contain '..'"],
      ['pamphlets', 'Give the full path'],
      [join(root, 'no-such-folder'), 'No such file or folder'],
    ] as const) {
      await box.fill(path);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await expect(page.locator('.error-note')).toContainText(message);
      await expect(page.locator('.error-note')).toContainText('E_PATH');
    }
    await expect(corpusName(page)).toContainText('Cliff');

    await dropFiles(page, ['a.txt'], 'enter');
    await expect(page.locator('.drop-veil')).toHaveText('Drag-and-drop needs the desktop app');
    await dropFiles(page, ['a.txt']);
    await expect(page.locator('.drop-veil')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Drag-and-drop needs the desktop app' })).toBeVisible();
    await expect(corpusName(page)).toContainText('Cliff');
  });

  test('screenshots of the Corpus view in web mode, light and dark', async ({ page }) => {
    await mkdir(ARTIFACTS, { recursive: true });
    await openApp(page);
    await page.keyboard.press('Control+9');
    await page.getByLabel(/Full paths of folders or files/).fill(letters);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(corpusName(page)).toHaveText('letters');
    await page.getByRole('button', { name: 'Open the bundled corpus' }).click();
    await expect(corpusName(page)).toContainText('Cliff');
    await idle(page);
    await expect(html(page)).toHaveAttribute('data-theme', 'light');
    const light = await page.screenshot({ path: `${ARTIFACTS}corpus-web-light-1280x800.png` });
    await test.info().attach('corpus view, web mode, light', { body: light, contentType: 'image/png' });
    const toggle = page.getByRole('button', { name: /^Theme:/ });
    for (let i = 0; i < 3 && (await html(page).getAttribute('data-theme')) !== 'dark'; i++) await toggle.click();
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    const dark = await page.screenshot({ path: `${ARTIFACTS}corpus-web-dark-1280x800.png` });
    await test.info().attach('corpus view, web mode, dark', { body: dark, contentType: 'image/png' });
  });
});

interface FakeShellOptions {
  folder: string;
  files: string[];
  /** File name -> path, as webUtils.getPathForFile would answer for a dropped File. */
  pathsByName: Record<string, string>;
  settings: Record<string, unknown>;
}

/** A stand-in for the preload's window.loupeShell, recording what the renderer asks of it. */
async function installFakeShell(page: Page, opts: FakeShellOptions): Promise<void> {
  await page.addInitScript((o: FakeShellOptions) => {
    type Listener = (command: unknown) => void;
    const calls: Array<[string, unknown]> = [];
    const listeners = new Set<Listener>();
    let settings: Record<string, unknown> = {
      theme: 'light',
      contextWidth: 8,
      collocationSpan: [5, 5],
      lastCorpus: null,
      recentCorpora: [],
      ...o.settings,
    };
    const w = window as unknown as Record<string, unknown>;
    w.__shell = { calls, emit: (c: unknown) => listeners.forEach((l) => l(c)) };
    w.loupeShell = Object.freeze({
      getSettings: async () => ({ ok: true, value: settings }),
      updateSettings: async (patch: Record<string, unknown>) => {
        calls.push(['updateSettings', patch]);
        settings = { ...settings, ...patch };
        return { ok: true, value: settings };
      },
      chooseFolder: async () => {
        calls.push(['chooseFolder', null]);
        return { ok: true, value: [o.folder] };
      },
      chooseFiles: async () => {
        calls.push(['chooseFiles', null]);
        return { ok: true, value: o.files };
      },
      openExternal: async () => ({ ok: false, error: { code: 'E_FORBIDDEN', message: 'not vetted' } }),
      pathForFile: (file: File) => o.pathsByName[file.name] ?? '',
      onCommand: (listener: Listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
  }, opts);
}

const shellCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { __shell: { calls: Array<[string, unknown]> } }).__shell.calls);
const emit = (page: Page, command: unknown) =>
  page.evaluate((c) => (window as unknown as { __shell: { emit(c: unknown): void } }).__shell.emit(c), command);

test.describe('desktop mode (window.loupeShell)', () => {
  const options = (): FakeShellOptions => ({
    folder: texts,
    files: [join(letters, 'first.txt')],
    pathsByName: { 'first.txt': join(letters, 'first.txt'), pamphlets: texts },
    settings: {
      theme: 'dark',
      contextWidth: 7,
      collocationSpan: [3, 4],
      recentCorpora: [{ paths: [letters], label: 'letters', openedAt: '2026-01-05T10:00:00.000Z' }],
    },
  });

  test('dialog buttons open what was chosen; stored settings apply; changes go back to the shell', async ({ page }) => {
    await installFakeShell(page, options());
    await openApp(page);
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByLabel('Context width')).toHaveValue('7');
    await page.keyboard.press('Control+9');
    await expect(page.getByLabel(/Full paths of folders or files/)).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Recent corpora' })).toContainText('letters');

    await page.locator('#view-panel').getByRole('button', { name: 'Open folder…' }).click();
    await expect(corpusName(page)).toHaveText('pamphlets');
    await idle(page);
    await page.getByRole('button', { name: 'Open files…' }).click();
    await expect(corpusName(page)).toHaveText('first.txt');
    await idle(page);
    await header(page).getByRole('button', { name: 'Open folder…' }).click();
    await expect(corpusName(page)).toHaveText('pamphlets');
    await idle(page);

    await page.keyboard.press('Control+3');
    await expect(page.getByLabel('Span left')).toHaveValue('3');
    await expect(page.getByLabel('Span right')).toHaveValue('4');
    await page.getByLabel('Span right').fill('6');
    await page.keyboard.press('Control+1');
    await page.getByLabel('Context width').selectOption('10');
    await expect
      .poll(async () => (await shellCalls(page)).filter(([m]) => m === 'updateSettings').map(([, p]) => p))
      .toEqual([{ collocationSpan: [3, 6] }, { contextWidth: 10 }]);
    expect((await shellCalls(page)).map(([m]) => m).filter((m) => m.startsWith('choose'))).toEqual([
      'chooseFolder',
      'chooseFiles',
      'chooseFolder',
    ]);
  });

  test('menu commands: views, focus the query, export, theme, corpora opened by main', async ({ page }) => {
    await installFakeShell(page, options());
    await openApp(page);
    await emit(page, { type: 'view', index: 2 });
    await expect(page.getByRole('tab', { name: 'Word list' })).toHaveAttribute('aria-selected', 'true');
    await emit(page, { type: 'focus-query' });
    await expect(queryBox(page)).toBeFocused();
    await emit(page, { type: 'theme', theme: 'light' });
    await expect(html(page)).toHaveAttribute('data-theme', 'light');

    await emit(page, { type: 'view', index: 1 });
    await search(page, 'bureaucracy');
    await waitForLines(page, 'bureaucracy');
    await emit(page, { type: 'export' });
    await expect(page.getByRole('button', { name: 'Export as TSV' })).toBeFocused();

    await emit(page, { type: 'corpus-opening' });
    await expect(page.getByRole('group', { name: 'Indexing progress' })).toBeVisible();
    await emit(page, { type: 'corpus-failed', message: 'No such file or folder: /gone' });
    await expect(page.getByRole('status').filter({ hasText: 'Could not open the corpus: No such file or folder: /gone' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Indexing progress' })).toHaveCount(0);
    await expect(corpusName(page)).toContainText('Cliff');

    // Main opened a corpus from its menu: the page shows it and reruns the query on it.
    const opened = await hostApi('openCorpus', { paths: [texts] });
    await emit(page, { type: 'corpus-opened', info: opened.value });
    await expect(corpusName(page)).toHaveText('pamphlets');
    await waitForLines(page, 'bureaucracy');
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: /hits? in/ })
        .first(),
    ).toHaveText('2 hits in 2 documents');
  });

  test('files and folders dropped on the window open as the corpus, by the paths the preload gives', async ({ page }) => {
    await installFakeShell(page, options());
    await openApp(page);
    await dropFiles(page, ['pamphlets'], 'enter');
    await expect(page.locator('.drop-veil')).toHaveText('Drop folders or files to open them as the corpus');
    await dropFiles(page, ['pamphlets', 'first.txt', 'not-on-disk.txt']);
    await expect(page.locator('.drop-veil')).toHaveCount(0);
    await expect(corpusName(page)).toHaveText('pamphlets, first.txt');
    await idle(page);
    await page.keyboard.press('Control+9');
    await expect(page.getByRole('table', { name: 'Documents' }).getByRole('row')).toHaveCount(4);

    // Nothing with a path: a note, and the corpus stays.
    await dropFiles(page, ['not-on-disk.txt']);
    await expect(page.getByRole('status').filter({ hasText: 'Nothing that was dropped is a file or folder' })).toBeVisible();
    await expect(corpusName(page)).toHaveText('pamphlets, first.txt');
  });

  test('screenshot of the Corpus view in desktop mode', async ({ page }) => {
    await mkdir(ARTIFACTS, { recursive: true });
    await installFakeShell(page, { ...options(), settings: { ...options().settings, theme: 'light' } });
    await openApp(page);
    await page.keyboard.press('Control+9');
    await idle(page);
    const shot = await page.screenshot({ path: `${ARTIFACTS}corpus-desktop-light-1280x800.png` });
    await test.info().attach('corpus view, desktop mode', { body: shot, contentType: 'image/png' });
  });
});
