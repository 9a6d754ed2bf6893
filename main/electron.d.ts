/**
 * The slice of Electron's API that main/ uses, typed by hand: the electron package (and its
 * types) cannot be installed where Loupe is built. main/tsconfig.json maps the module name
 * `electron` to this file, so the type check is the same with or without the real package.
 * Signatures follow Electron 37's documentation; only the members used here are declared.
 */

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  webviewTag?: boolean;
  experimentalFeatures?: boolean;
  navigateOnDragDrop?: boolean;
  spellcheck?: boolean;
  devTools?: boolean;
  safeDialogs?: boolean;
  disableBlinkFeatures?: string;
  disableDialogs?: boolean;
}

export interface BrowserWindowConstructorOptions {
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  title?: string;
  backgroundColor?: string;
  autoHideMenuBar?: boolean;
  webPreferences?: WebPreferences;
}

export interface Event {
  preventDefault(): void;
}

export interface WebFrameMain {
  url: string;
  origin: string;
  parent: WebFrameMain | null;
}

export type PermissionRequestHandler = (
  webContents: WebContents,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; isMainFrame?: boolean },
) => void;
export type PermissionCheckHandler = (
  webContents: WebContents | null,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl?: string; isMainFrame?: boolean },
) => boolean;

export interface WebContents {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): this;
  on(event: 'will-attach-webview', listener: (event: Event) => void): this;
  on(event: 'render-process-gone', listener: (event: Event, details: { reason: string }) => void): this;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  isDestroyed(): boolean;
}

export class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions);
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  setProgressBar(progress: number): void;
  on(event: 'ready-to-show' | 'closed', listener: () => void): this;
  once(event: 'ready-to-show' | 'closed', listener: () => void): this;
  static getAllWindows(): BrowserWindow[];
}

export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: WebFrameMain | null;
}

export interface IpcMain {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcRendererEvent {
  sender: unknown;
}
export interface IpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): this;
  removeListener(channel: string, listener: (...args: unknown[]) => void): this;
}

export interface ContextBridge {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export interface WebUtils {
  getPathForFile(file: File): string;
}

export interface App {
  isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(code?: number): void;
  enableSandbox(): void;
  whenReady(): Promise<void>;
  getPath(name: 'userData' | 'sessionData' | 'temp' | 'home' | 'documents'): string;
  setPath(name: 'userData' | 'sessionData', path: string): void;
  getAppPath(): string;
  addRecentDocument(path: string): void;
  on(event: 'second-instance', listener: (event: Event, argv: string[], cwd: string) => void): this;
  on(event: 'window-all-closed' | 'before-quit', listener: () => void): this;
  on(event: 'activate', listener: () => void): this;
  on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): this;
}

export interface CustomScheme {
  scheme: string;
  privileges?: {
    standard?: boolean;
    secure?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
    bypassCSP?: boolean;
  };
}
export interface Protocol {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface Session {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void;
  protocol: Protocol;
}

export interface MenuItemConstructorOptions {
  label?: string;
  role?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  registerAccelerator?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemConstructorOptions[];
}
export class Menu {
  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
  static setApplicationMenu(menu: Menu | null): void;
}

export interface OpenDialogOptions {
  title?: string;
  properties?: Array<'openFile' | 'openDirectory' | 'multiSelections'>;
  filters?: Array<{ name: string; extensions: string[] }>;
}
export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  properties?: Array<'showOverwriteConfirmation' | 'createDirectory' | 'showHiddenFiles' | 'treatPackageAsDirectory'>;
}
export interface Dialog {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  showErrorBox(title: string, content: string): void;
}

export interface Shell {
  openExternal(url: string): Promise<void>;
}

export interface NativeTheme {
  themeSource: 'system' | 'light' | 'dark';
  shouldUseDarkColors: boolean;
}

export interface MessageEvent {
  data: unknown;
}
export interface UtilityProcess {
  pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  on(event: 'spawn', listener: () => void): this;
}
export interface UtilityProcessModule {
  fork(
    modulePath: string,
    args?: string[],
    options?: { env?: Record<string, string | undefined>; serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' },
  ): UtilityProcess;
}

/** `process.parentPort` inside a utility process. */
export interface ParentPort {
  on(event: 'message', listener: (event: MessageEvent) => void): this;
  postMessage(message: unknown): void;
}

export const app: App;
export const ipcMain: IpcMain;
export const ipcRenderer: IpcRenderer;
export const contextBridge: ContextBridge;
export const webUtils: WebUtils;
export const protocol: Protocol;
export const session: { defaultSession: Session };
export const dialog: Dialog;
export const shell: Shell;
export const nativeTheme: NativeTheme;
export const utilityProcess: UtilityProcessModule;
