/**
 * Every security decision of the Electron main process, as plain functions: main.ts only wires
 * them to Electron's hooks, and test/main checks them without an Electron binary.
 * The checklist they implement: https://www.electronjs.org/docs/latest/tutorial/security
 */
import { contentSecurityPolicy } from '../app/host/csp.js';
import { relativeFileOf } from '../app/host/static.js';

/** The app's own content is served from this origin by the `loupe://` protocol handler. */
export const APP_SCHEME = 'loupe';
const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Hosts a link in the app (or in a corpus's metadata) may open in the reader's browser. */
const VETTED_HOSTS: ReadonlySet<string> = new Set(['www.marxists.org', 'marxists.org', 'github.com', 'www.gutenberg.org']);

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    disableBlinkFeatures: string;
    spellcheck: boolean;
    devTools: boolean;
  };
}

/** The one window's options. The preload is the renderer's only door to main (context-isolated, sandboxed). */
export function windowOptions(preloadPath: string, opts: { devTools?: boolean } = {}): WindowOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    // Shown on ready-to-show, so the reader never sees an unstyled flash.
    show: false,
    title: 'Loupe',
    backgroundColor: '#faf9f6',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // A file dropped outside the drop zone must not replace the app with that file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click on a link would otherwise ask for a new window (denied anyway, but not even asked).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: opts.devTools ?? false,
    },
  };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL inside the app's own origin. */
function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string') return false;
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * Navigation of the window: only within the app itself (a reload). Everything else, including
 * links in a text the reader opened, is refused; vetted links go to the browser instead.
 */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** Links that may be handed to shell.openExternal: https, a vetted host, no credentials, default port. */
export function isVettedExternalUrl(url: string): boolean {
  const u = parse(url);
  if (u === null) return false;
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && VETTED_HOSTS.has(u.hostname.toLowerCase());
}

/** What to do with a request to open a new window: never open one; vetted links go to the browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isVettedExternalUrl(url) };
}

/**
 * IPC is answered only for the app's own top-level frame. `frameUrl` is event.senderFrame.url;
 * a missing frame (destroyed, navigated away) or a subframe is refused.
 */
export function checkSender(frameUrl: string | null | undefined, isMainFrame = true): boolean {
  return isMainFrame && isAppUrl(frameUrl);
}

export function cspHeader(): string {
  return contentSecurityPolicy();
}

/**
 * Permission requests: all denied. The one exception is writing (never reading) the clipboard
 * from the app's own page, which "copy selected lines" needs and which Chromium ties to a user gesture.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

function permissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

/** `session.setPermissionRequestHandler` callback. */
export function permissionRequestHandler(
  _webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string } = {},
): void {
  callback(permissionGranted(permission, details.requestingUrl));
}

/** `session.setPermissionCheckHandler` callback. */
export function permissionCheckHandler(_webContents: unknown, permission: string, requestingOrigin: string): boolean {
  return permissionGranted(permission, requestingOrigin);
}

/**
 * The relative renderer file a `loupe://app/...` request names, or null when it is for another
 * host or tries to leave the renderer folder.
 */
export function appFileOf(requestUrl: string): string | null {
  if (!isAppUrl(requestUrl) || !requestUrl.startsWith(`${APP_ORIGIN}/`)) return null;
  // The raw path, before WHATWG parsing resolved any dot segments in it.
  return relativeFileOf(requestUrl.slice(APP_ORIGIN.length));
}
