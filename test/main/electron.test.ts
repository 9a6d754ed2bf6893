/**
 * The real desktop app driven by Playwright's `_electron`. These run only where an Electron
 * binary and a display exist: the binary cannot be downloaded on the machines Loupe is usually
 * built on (see CONTRIBUTING.md, "Testing"), where the same guards are covered by the
 * unit tests next to this file and the UI by the web-mode end-to-end tests.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function electronBinary(): string | undefined {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}
const binary = electronBinary();
const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
// Why skipIf: without an Electron binary (not downloadable here) or a display there is nothing to launch.
const hasElectron = binary !== undefined && hasDisplay;

describe('Loupe under Electron', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let userData: string;

  beforeAll(async () => {
    if (!hasElectron) return;
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { buildMain } = (await import('../../main/build.mjs')) as { buildMain(): Promise<unknown> };
    await buildMain();
    if (!existsSync(join(ROOT, 'renderer', 'dist', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
    }
    userData = mkdtempSync(join(tmpdir(), 'loupe-electron-'));
    app = await _electron.launch({
      executablePath: binary!,
      args: [ROOT],
      env: { ...process.env, LOUPE_USER_DATA: userData, LOUPE_CACHE_DIR: join(userData, 'cache') },
    });
    page = await app.firstWindow();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it.skipIf(!hasElectron)('loads from loupe://app with the preload API and no Node in the page', async () => {
    expect(page.url()).toMatch(/^loupe:\/\/app\//);
    // The page's globals, seen from inside the page (root tsconfig has no DOM types, hence the casts).
    const seen = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      return {
        loupe: Object.keys(w.loupe as object).sort(),
        shell: typeof w.loupeShell,
        require: typeof w.require,
        process: typeof w.process,
        ipc: 'ipcRenderer' in w,
      };
    });
    expect(seen.loupe).toContain('kwic');
    expect(seen.loupe).toContain('onProgress');
    expect(seen).toMatchObject({ shell: 'object', require: 'undefined', process: 'undefined', ipc: false });
  });

  it.skipIf(!hasElectron)('runs the window isolated and sandboxed', async () => {
    const prefs = await app!.evaluate(({ BrowserWindow }) => {
      const p = BrowserWindow.getAllWindows()[0]!.webContents.getLastWebPreferences()!;
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it.skipIf(!hasElectron)('finds 36 hits of bureaucracy in the bundled corpus', async () => {
    await page.getByRole('searchbox', { name: 'Query' }).fill('bureaucracy');
    await page.keyboard.press('Enter');
    await expect(page.getByText(/36 hits in 1 document/).waitFor()).resolves.toBeUndefined();
  });

  it.skipIf(!hasElectron)('stays on the app when the page tries to navigate away or open a window', async () => {
    await page.evaluate("window.open('https://evil.example/'); location.href = 'https://evil.example/';");
    // A round trip through main after the attempts: by then a navigation would have started.
    await page.evaluate(() => (globalThis as unknown as { loupe: { corpusInfo(): Promise<unknown> } }).loupe.corpusInfo());
    expect(await page.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href)).toMatch(/^loupe:\/\/app\//);
    expect(app!.windows()).toHaveLength(1);
  });
});
