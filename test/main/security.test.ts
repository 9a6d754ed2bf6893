import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  appFileOf,
  checkSender,
  cspHeader,
  isAllowedNavigation,
  isVettedExternalUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  windowOpenDecision,
  windowOptions,
} from '../../main/security.js';

describe('windowOptions', () => {
  it('isolates and sandboxes the renderer, with the preload as its only bridge', () => {
    const { webPreferences: p } = windowOptions('/app/main/dist/preload.cjs');
    expect(p).toMatchObject({
      preload: '/app/main/dist/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
    expect(p).not.toHaveProperty('enableBlinkFeatures');
    expect(p.disableBlinkFeatures).toBe('Auxclick');
    expect(p.devTools).toBe(false);
    expect(windowOptions('/p', { devTools: true }).webPreferences.devTools).toBe(true);
  });

  it('opens at a size the UI is designed for and hidden until ready', () => {
    const o = windowOptions('/p');
    expect([o.width, o.height]).toEqual([1280, 800]);
    expect(o.show).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it.each([APP_ENTRY, 'loupe://app/', 'loupe://app/index.html#concordance'])('allows the app itself: %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });

  it.each([
    'https://www.marxists.org/archive/cliff/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'loupe://other/index.html',
    'loupe://user:pw@app/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
    '',
  ])('refuses navigation to %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it('never opens a window; vetted links go to the browser instead', () => {
    expect(windowOpenDecision('https://www.marxists.org/archive/cliff/works/1955/statecap/')).toEqual({
      action: 'deny',
      openExternally: true,
    });
    expect(windowOpenDecision('https://evil.example/')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision(APP_ENTRY)).toEqual({ action: 'deny', openExternally: false });
  });
});

describe('isVettedExternalUrl', () => {
  it.each(['https://www.marxists.org/archive/cliff/', 'https://github.com/loupe', 'https://WWW.MARXISTS.ORG/'])('accepts %s', (url) =>
    expect(isVettedExternalUrl(url)).toBe(true),
  );
  it.each([
    'http://www.marxists.org/',
    'https://www.marxists.org.evil.example/',
    'https://evil.example/?u=https://github.com',
    'https://user@github.com/',
    'https://github.com:8443/',
    'file:///C:/Windows/System32/calc.exe',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'javascript:alert(1)',
    '',
  ])('refuses %s', (url) => expect(isVettedExternalUrl(url)).toBe(false));
});

describe('checkSender', () => {
  it('accepts the app page in the top frame only', () => {
    expect(checkSender('loupe://app/index.html')).toBe(true);
    expect(checkSender('loupe://app/index.html', false)).toBe(false);
  });
  it.each([undefined, null, '', 'https://www.marxists.org/', 'file:///app/renderer/dist/index.html', 'loupe://evil/x', 'about:blank'])(
    'refuses a sender frame at %s',
    (url) => expect(checkSender(url)).toBe(false),
  );
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial', 'usb'])(
    'denies %s',
    (permission) => {
      let granted: boolean | undefined;
      permissionRequestHandler(null, permission, (g) => (granted = g), { requestingUrl: APP_ENTRY });
      expect(granted).toBe(false);
      expect(permissionCheckHandler(null, permission, 'loupe://app')).toBe(false);
    },
  );
  it('lets only the app page write (not read) the clipboard, for copying lines', () => {
    let granted: boolean | undefined;
    permissionRequestHandler(null, 'clipboard-sanitized-write', (g) => (granted = g), { requestingUrl: APP_ENTRY });
    expect(granted).toBe(true);
    permissionRequestHandler(null, 'clipboard-sanitized-write', (g) => (granted = g), { requestingUrl: 'https://evil.example/' });
    expect(granted).toBe(false);
    permissionRequestHandler(null, 'clipboard-sanitized-write', (g) => (granted = g));
    expect(granted).toBe(false);
  });
});

describe('cspHeader', () => {
  it("allows only the app's own scripts and nothing remote", () => {
    const csp = cspHeader();
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    for (const values of directives.values()) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values.some((v) => v.startsWith('http') || v === '*')).toBe(false);
    }
  });
});

describe('appFileOf (the loupe:// protocol)', () => {
  it('maps app URLs to renderer files', () => {
    expect(appFileOf('loupe://app/')).toBe('index.html');
    expect(appFileOf('loupe://app/index.html')).toBe('index.html');
    expect(appFileOf('loupe://app/assets/index-abc.js?x=1')).toBe('assets/index-abc.js');
  });
  it.each([
    'loupe://app/../package.json',
    'loupe://app/%2e%2e/package.json',
    'loupe://app/assets/..%2f..%2fmain.ts',
    'loupe://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => expect(appFileOf(url)).toBeNull());
});
