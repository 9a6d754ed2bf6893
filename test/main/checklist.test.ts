/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), one
 * block per item, checked without an Electron binary: the plain functions main.ts wires in, and
 * main.ts / preload.ts themselves where the point is that the wiring exists at all.
 *
 * The one permission Loupe grants is `clipboard-sanitized-write` to its own page: "copy selected
 * lines" writes TSV + HTML to the clipboard (navigator.clipboard.write), which Chromium asks for
 * as that permission. Reading the clipboard, and everything else, is denied.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../app/contract/api.js';
import type { Result } from '../../app/contract/errors.js';
import { SHELL_CHANNELS } from '../../app/contract/shell.js';
import { CSP_DIRECTIVES, securityHeaders } from '../../app/host/csp.js';
import { createHandlers } from '../../app/host/handlers.js';
import { guardPaths } from '../../app/host/paths.js';
import { registerIpc, type IpcEventLike, type ShellHandlers } from '../../main/ipc.js';
import { buildLoupeApi, buildLoupeShell } from '../../main/preload-api.js';
import {
  ALLOWED_PERMISSIONS,
  APP_ENTRY,
  APP_ORIGIN,
  appFileOf,
  checkSender,
  isAllowedNavigation,
  isVettedExternalUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  windowOpenDecision,
  windowOptions,
} from '../../main/security.js';
import { fakeEngine } from '../host/fake-engine.js';

const root = new URL('../../', import.meta.url);
const source = (path: string) => readFileSync(new URL(path, root), 'utf8');
const mainTs = source('main/main.ts');
const prefs = windowOptions('/app/preload.cjs').webPreferences;

const ELECTRON_PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'fileSystem',
  'hid',
  'serial',
  'usb',
  'bluetooth',
  'unknown',
];
const HOSTILE_URLS = [
  'https://evil.example/',
  'http://www.marxists.org/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'loupe://other/index.html',
  'loupe://user:pw@app/index.html',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
];

describe('Electron security checklist', () => {
  it('1 + 18. only secure, local content: the app is served from loupe://app, never file:// or the network', () => {
    expect(APP_ENTRY).toBe('loupe://app/index.html');
    expect(mainTs).toMatch(/win\.loadURL\(APP_ENTRY\)/);
    expect(mainTs).not.toMatch(/loadFile\(|file:\/\//);
    // The protocol handler serves only files inside renderer/dist.
    expect(appFileOf('loupe://app/assets/index.js')).toBe('assets/index.js');
    for (const url of ['loupe://app/../main/dist/main.cjs', 'loupe://app/%2e%2e/package.json', 'loupe://evil/index.html']) {
      expect(appFileOf(url), url).toBeNull();
    }
  });

  it('2. no Node.js integration anywhere in the renderer', () => {
    expect(prefs).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('3. context isolation', () => {
    expect(prefs.contextIsolation).toBe(true);
  });

  it('4. process sandboxing, for this window and every renderer', () => {
    expect(prefs.sandbox).toBe(true);
    expect(mainTs).toMatch(/app\.enableSandbox\(\)/);
  });

  it('5. permission requests denied, except clipboard writes from the app page', () => {
    expect([...ALLOWED_PERMISSIONS]).toEqual(['clipboard-sanitized-write']);
    for (const permission of ELECTRON_PERMISSIONS) {
      const expected = permission === 'clipboard-sanitized-write';
      let granted: boolean | undefined;
      permissionRequestHandler(null, permission, (g) => (granted = g), { requestingUrl: APP_ENTRY });
      expect(granted, `request ${permission}`).toBe(expected);
      expect(permissionCheckHandler(null, permission, APP_ORIGIN), `check ${permission}`).toBe(expected);
      // Never for any other origin, not even the clipboard write.
      for (const url of HOSTILE_URLS) {
        permissionRequestHandler(null, permission, (g) => (granted = g), { requestingUrl: url });
        expect(granted, `${permission} for ${url}`).toBe(false);
      }
    }
    permissionRequestHandler(null, 'clipboard-sanitized-write', (g) => expect(g).toBe(false));
    expect(mainTs).toMatch(/setPermissionRequestHandler\(permissionRequestHandler\)/);
    expect(mainTs).toMatch(/setPermissionCheckHandler\(permissionCheckHandler\)/);
  });

  it('6, 8, 9, 10. webSecurity on; no insecure content, experimental features or extra Blink features', () => {
    expect(prefs).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });

  it('7. a strict Content-Security-Policy, as a header and as a <meta> with the same directives', () => {
    expect(CSP_DIRECTIVES['script-src']).toBe("'self'");
    expect(CSP_DIRECTIVES['object-src']).toBe("'none'");
    expect(CSP_DIRECTIVES['base-uri']).toBe("'none'");
    expect(CSP_DIRECTIVES['frame-ancestors']).toBe("'none'");
    for (const value of Object.values(CSP_DIRECTIVES)) expect(value).not.toMatch(/unsafe-eval|\*|https?:/);
    expect(CSP_DIRECTIVES['style-src']).toBe("'self' 'unsafe-inline'");
    // Every response of the loupe:// protocol carries the header.
    const responses = mainTs.match(/new Response\([^;]*;/g) ?? [];
    expect(responses.length).toBeGreaterThan(0);
    for (const r of responses) expect(r).toMatch(/securityHeaders\(\)/);
    expect(securityHeaders()['content-security-policy']).toContain("script-src 'self'");

    const html = source('renderer/index.html');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const metaDirectives = Object.fromEntries(
      meta!
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...values] = d.split(/\s+/);
          return [name!, values.join(' ')];
        }),
    );
    // frame-ancestors is ignored in a <meta> (browsers warn about it): the header alone carries it.
    const { 'frame-ancestors': _headerOnly, ...rest } = CSP_DIRECTIVES;
    expect(metaDirectives).toEqual(rest);
  });

  it('11, 12. no <webview>: the tag is off and attaching one is prevented', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(mainTs).toMatch(/'will-attach-webview', \(event\) => event\.preventDefault\(\)/);
  });

  it('13. navigation limited to the app itself', () => {
    expect(isAllowedNavigation(APP_ENTRY)).toBe(true);
    for (const url of HOSTILE_URLS) expect(isAllowedNavigation(url), url).toBe(false);
    expect(mainTs).toMatch(/'will-navigate'[^]*?if \(!isAllowedNavigation\(url\)\) event\.preventDefault\(\)/);
    expect(mainTs).toMatch(/'will-redirect'[^]*?if \(!isAllowedNavigation\(url\)\) event\.preventDefault\(\)/);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('14. new windows never open; vetted links go to the browser instead', () => {
    for (const url of [...HOSTILE_URLS, APP_ENTRY, 'https://www.marxists.org/archive/cliff/']) {
      expect(windowOpenDecision(url).action).toBe('deny');
    }
    expect(windowOpenDecision('https://www.marxists.org/archive/cliff/').openExternally).toBe(true);
    expect(mainTs).toMatch(/setWindowOpenHandler\(\(\{ url \}\) => \{[^]*?windowOpenDecision\(url\)/);
  });

  it('15. shell.openExternal only for vetted https links, and every call is behind that check', () => {
    expect(isVettedExternalUrl('https://www.marxists.org/archive/cliff/works/1948/stalruss/')).toBe(true);
    for (const url of [
      ...HOSTILE_URLS,
      'https://marxists.org.evil.example/',
      'https://www.marxists.org:8443/',
      'https://a:b@github.com/',
    ]) {
      expect(isVettedExternalUrl(url), url).toBe(false);
    }
    const lines = mainTs.split('\n');
    const calls = lines.flatMap((line, i) => (line.includes('shell.openExternal(') ? [i] : []));
    expect(calls.length).toBeGreaterThan(0);
    for (const i of calls) {
      const before = lines.slice(Math.max(0, i - 4), i + 1).join('\n');
      expect(before, `main.ts:${i + 1}`).toMatch(/isVettedExternalUrl\(url\)|decision\.openExternally/);
    }
  });

  it('16. a current Electron major is what the app is built for', () => {
    const pkg = JSON.parse(source('package.json')) as { optionalDependencies?: Record<string, string> };
    const major = Number(/(\d+)/.exec(pkg.optionalDependencies?.electron ?? '')?.[1]);
    // Electron supports its latest three majors; 37 was current when this was written.
    expect(major).toBeGreaterThanOrEqual(37);
  });

  it('17. IPC: the sender frame is checked and every payload validated, paths included', async () => {
    const engine = fakeEngine();
    const registered = new Map<string, (event: IpcEventLike, payload?: unknown) => Promise<Result<unknown>>>();
    const shell: ShellHandlers = {
      getSettings: async () => ({ ok: true, value: {} }),
      updateSettings: async () => ({ ok: true, value: {} }),
      chooseFolder: async () => ({ ok: true, value: [] }),
      chooseFiles: async () => ({ ok: true, value: [] }),
      openExternal: async () => ({ ok: true, value: null }),
    };
    registerIpc({ handle: (channel, listener) => registered.set(channel, listener as never) }, guardPaths(createHandlers(engine)), shell);
    expect([...registered.keys()].sort()).toEqual([...Object.values(CHANNELS), ...Object.values(SHELL_CHANNELS)].sort());
    const strangers: Array<IpcEventLike['senderFrame']> = [
      null,
      { url: 'https://evil.example/', parent: null },
      { url: APP_ENTRY, parent: {} }, // a subframe, even of the app
      { url: 'file:///tmp/x.html', parent: null },
    ];
    for (const [channel, handler] of registered) {
      for (const frame of strangers) {
        const r = await handler({ senderFrame: frame }, {});
        expect(r.ok ? 'ok' : r.error.code, `${channel} from ${JSON.stringify(frame)}`).toBe('E_FORBIDDEN');
      }
    }
    const app = { senderFrame: { url: APP_ENTRY, parent: null } };
    const code = async (channel: string, payload: unknown) => {
      const r = await registered.get(channel)!(app, payload);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await code(CHANNELS.kwic, { query: 'x', limit: -1 })).toBe('E_PAYLOAD');
    expect(await code(CHANNELS.kwic, { query: 'x', extra: true })).toBe('E_PAYLOAD');
    expect(await code(CHANNELS.openCorpus, { paths: ['/home/reader/../../etc'] })).toBe('E_PATH');
    expect(await code(CHANNELS.openCorpus, { paths: ['/tmp\0'] })).toBe('E_PATH');
    expect(await code(CHANNELS.openCorpus, { paths: ['relative/texts'] })).toBe('E_PATH');
    expect(engine.calls).toEqual([]);
    expect(checkSender(APP_ENTRY, true)).toBe(true);
    // main.ts registers exactly these guarded handlers.
    expect(mainTs).toMatch(/const handlers = guardPaths\(createHandlers\(/);
    expect(mainTs).toMatch(/registerIpc\(ipcMain, handlers, shellHandlers\)/);
  });

  it('19. fuses: no run-as-node, no NODE_OPTIONS or inspector flags, asar only and integrity-checked', () => {
    const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
    const config = yaml.load(source('electron-builder.yml')) as { electronFuses: Record<string, boolean>; asar: boolean };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('20. no Electron API reaches the page: the preload exposes two frozen objects of named functions', () => {
    const preload = source('main/preload.ts');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(2);
    expect(preload).toMatch(/exposeInMainWorld\('loupe', buildLoupeApi\(ipc\)\)/);
    expect(preload).toMatch(/exposeInMainWorld\(\s*'loupeShell',\s*buildLoupeShell\(/);
    const ipc = { invoke: async () => ({ ok: true, value: null }), subscribe: () => () => {} };
    const api = buildLoupeApi(ipc);
    const shell = buildLoupeShell(ipc, () => '');
    expect(Object.keys(api).sort()).toEqual([...Object.keys(CHANNELS), 'onProgress'].sort());
    expect(Object.keys(shell).sort()).toEqual([...Object.keys(SHELL_CHANNELS), 'onCommand', 'pathForFile'].sort());
    for (const obj of [api, shell] as unknown as Array<Record<string, unknown>>) {
      expect(Object.isFrozen(obj)).toBe(true);
      for (const value of Object.values(obj)) expect(typeof value).toBe('function');
    }
  });
});
