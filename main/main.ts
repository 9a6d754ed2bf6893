/**
 * Electron main: one window, the engine in a utility process, the IPC surface, menus, settings.
 * Every decision lives in a plain module (security, settings, menu, ipc, app/host/engine-link); this file
 * only connects them to Electron. Bundled to main/dist/main.cjs by main/build.mjs.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell, utilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PROGRESS_CHANNEL } from '../app/contract/api.js';
import { fail, ok, type Result } from '../app/contract/errors.js';
import type { ProjectState } from '../app/contract/project.js';
import type { CorpusInfo, IndexProgress } from '../app/contract/types.js';
import { securityHeaders } from '../app/host/csp.js';
import { createHandlers, type EngineApi, type Handlers } from '../app/host/handlers.js';
import { checkInputPaths, guardPaths } from '../app/host/paths.js';
import { contentTypeOf, resolveRelativeFile } from '../app/host/static.js';
import { HandOver, pathsFromArgv } from './argv.js';
import { EngineClient, type EngineProcess } from '../app/host/engine-link.js';
import { registerIpc, type ShellHandlers } from './ipc.js';
import {
  checkProjectFile,
  menuTemplate,
  newProjectChoice,
  newProjectDialog,
  openProjectChoice,
  openProjectDialog,
  ProjectList,
} from './menu.js';
import {
  APP_ENTRY,
  APP_SCHEME,
  appFileOf,
  isAllowedNavigation,
  isVettedExternalUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  windowOpenDecision,
  windowOptions,
} from './security.js';
import { SETTINGS_FILE, SettingsStore, withOpenedCorpus } from './settings.js';
import { COMMAND_CHANNEL, type ShellCommand } from '../app/contract/shell.js';

// Layout of a build (dev and packaged alike): main/dist/{main.cjs, preload.cjs, engine/...}.
const DIST = __dirname;
const PRELOAD = join(DIST, 'preload.cjs');
const ENGINE_ENTRY = join(DIST, 'engine', 'main', 'engine-process.js');

async function start(): Promise<void> {
  const rendererDir = join(app.getAppPath(), 'renderer', 'dist');
  const bundledCorpus = app.isPackaged ? join(process.resourcesPath, 'corpus') : join(app.getAppPath(), 'corpus');
  const store = new SettingsStore(join(app.getPath('userData'), SETTINGS_FILE));
  const mainWindow = new MainWindow();
  const handOver = receiveHandOvers(mainWindow);
  guardWebContents();

  await app.whenReady();
  const settings = await store.load();
  nativeTheme.themeSource = settings.theme;
  setUpSession(rendererDir);

  const engine = new EngineClient(() => spawnEngine(bundledCorpus, app.getPath('userData')));
  engine.onProgress((p) => mainWindow.showProgress(p));
  // The menu opens corpora through the handlers, which rebuild the menu: the menu reaches the
  // handlers only when clicked, by which time they exist.
  const menu = new AppMenu(engine, store, mainWindow, (paths) => openFromShell(handlers, mainWindow, paths));
  const { openCorpus, openProject, newProject } = withBookkeeping(engine, store, mainWindow, () => menu.refresh());
  const startup = openAtStart(store, openCorpus);
  // Every path from the renderer is checked (E_PATH) before the engine sees it; the renderer has no
  // working folder, so its paths must be absolute.
  const handlers = guardPaths(createHandlers({ ...engine, openCorpus, openProject, newProject }, { ready: startup }));
  const shellHandlers = shellHandlersFor(store, mainWindow);
  registerIpc(ipcMain, handlers, shellHandlers);

  menu.refresh();
  mainWindow.create();
  handOver.ready((paths) => openFromShell(handlers, mainWindow, paths));
  followAppLifecycle(mainWindow, engine);
}

/** The one window, while it is open: main's commands to its page, its progress bar, its dialogs. */
class MainWindow {
  win: BrowserWindow | undefined;

  readonly send = (command: ShellCommand): void => {
    if (this.win && !this.win.isDestroyed()) this.win.webContents.send(COMMAND_CHANNEL, command);
  };

  create(): void {
    this.win = new BrowserWindow(windowOptions(PRELOAD, { devTools: !app.isPackaged }));
    this.win.once('ready-to-show', () => this.win?.show());
    this.win.on('closed', () => (this.win = undefined));
    void this.win.loadURL(APP_ENTRY);
  }

  bringToFront(): void {
    if (!this.win) return;
    if (this.win.isMinimized()) this.win.restore();
    this.win.focus();
  }

  showProgress(p: IndexProgress): void {
    if (!this.win || this.win.isDestroyed()) return;
    this.win.webContents.send(PROGRESS_CHANNEL, p);
    this.win.setProgressBar(p.total > 0 ? Math.min(1, p.done / p.total) : 2);
  }

  clearProgress(): void {
    if (this.win && !this.win.isDestroyed()) this.win.setProgressBar(-1);
  }

  async chooseInputs(kind: 'folder' | 'files'): Promise<string[]> {
    if (!this.win) return [];
    const r = await dialog.showOpenDialog(this.win, {
      title: kind === 'folder' ? 'Open a folder of texts' : 'Open texts',
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
    });
    return r.canceled ? [] : r.filePaths;
  }

  /** Where a new project goes; the renderer then creates it there (project-new). */
  async chooseNewProject(): Promise<string | undefined> {
    let options = newProjectDialog(defaultProjectFolder());
    for (;;) {
      if (!this.win) return undefined;
      const choice = newProjectChoice(await dialog.showSaveDialog(this.win, options), existsSync);
      if (choice.kind !== 'confirm') return choice.kind === 'file' ? choice.file : undefined;
      options = { ...options, defaultPath: choice.file };
    }
  }

  async chooseProject(): Promise<string | undefined> {
    return this.win ? openProjectChoice(await dialog.showOpenDialog(this.win, openProjectDialog())) : undefined;
  }
}

/**
 * A second `loupe PATH...` hands its paths over (checked like any path from outside) and leaves;
 * this instance opens them once it is up, and comes to the front either way.
 */
function receiveHandOvers(mainWindow: MainWindow): HandOver {
  const handOver = new HandOver(
    { defaultApp: Boolean(process.defaultApp) },
    (paths, base) => checkInputPaths(paths, { base }),
    (message) => mainWindow.send({ type: 'corpus-failed', message }),
  );
  app.on('second-instance', (_event, argv, workingDirectory) => {
    void handOver.receive(argv, workingDirectory);
    mainWindow.bringToFront();
  });
  return handOver;
}

/** Guards for every web contents, including any created later. */
function guardWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(url);
      return { action: decision.action };
    });
  });
}

/** The session's permission answers, and the app's own protocol serving the built renderer. */
function setUpSession(rendererDir: string): void {
  session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
  session.defaultSession.setPermissionCheckHandler(permissionCheckHandler);
  protocol.handle(APP_SCHEME, async (request) => {
    const relative = appFileOf(request.url);
    const file = relative === null ? null : await resolveRelativeFile(rendererDir, relative);
    if (file === null) return new Response('Not found', { status: 404, headers: securityHeaders() });
    return new Response(await readFile(file), {
      headers: { ...securityHeaders(), 'content-type': contentTypeOf(file) },
    });
  });
}

/** The engine's calls that open or create, each followed by the shell's bookkeeping. */
function withBookkeeping(
  engine: EngineClient,
  store: SettingsStore,
  mainWindow: MainWindow,
  refreshMenu: () => void,
): Pick<EngineApi, 'openCorpus' | 'openProject' | 'newProject'> {
  /** The shell's bookkeeping of an opened corpus: last and recent corpora, the OS's recent documents. */
  const rememberCorpus = async (paths: string[] | null, info: CorpusInfo) => {
    await store.set(withOpenedCorpus(store.get(), paths, labelOf(paths, info), new Date()));
    if (paths) for (const p of paths) app.addRecentDocument(p);
  };
  const rememberProjectCorpus = async (project: ProjectState) => {
    const info = await engine.corpusInfo();
    if (info.ok) await rememberCorpus(project.corpus, info.value);
  };

  /** openCorpus with the shell's bookkeeping: taskbar progress cleared, recent corpora updated. */
  const openCorpus: EngineApi['openCorpus'] = async (req) => {
    const result = await engine.openCorpus(req);
    mainWindow.clearProgress();
    if (result.ok) {
      await rememberCorpus(req.paths ?? null, result.value);
      refreshMenu();
    }
    return result;
  };
  /**
   * openProject with the same bookkeeping: opening a project opens its corpus, which becomes the
   * one to reopen at start; Recent Projects is rebuilt. Project files are not given to the OS's
   * recent documents: reopened from there they would arrive as corpus paths on the command line.
   */
  const openProject: EngineApi['openProject'] = async (req) => {
    const file = checkProjectFile(req.file, 'open');
    if (!file.ok) return file;
    const result = await engine.openProject({ file: file.value });
    mainWindow.clearProgress();
    if (result.ok) {
      await rememberProjectCorpus(result.value);
      refreshMenu();
    }
    return result;
  };
  /** newProject, then Recent Projects rebuilt; the corpus stays the one already open. */
  const newProject: EngineApi['newProject'] = async (req) => {
    const file = req.file === undefined ? undefined : checkProjectFile(req.file, 'create');
    if (file && !file.ok) return file;
    const result = await engine.newProject(file ? { ...req, file: file.value } : req);
    if (result.ok) refreshMenu();
    return result;
  };
  return { openCorpus, openProject, newProject };
}

/** At start: paths on the command line, else the last corpus, else the bundled one. Requests wait for it. */
async function openAtStart(store: SettingsStore, openCorpus: EngineApi['openCorpus']): ReturnType<EngineApi['openCorpus']> {
  const given = pathsFromArgv(process.argv, { defaultApp: Boolean(process.defaultApp) });
  const candidates = given.length > 0 ? [{ paths: given, base: process.cwd() }] : [];
  const last = store.get().lastCorpus;
  if (last) candidates.push({ paths: last, base: process.cwd() });
  for (const { paths, base } of candidates) {
    const checked = await checkInputPaths(paths, { base });
    if (!checked.ok) continue;
    const r = await openCorpus({ paths: checked.value });
    if (r.ok) return r;
  }
  return openCorpus({});
}

/** Opens a corpus on main's own initiative (menu, recent list, second instance) and tells the renderer. */
async function openFromShell(handlers: Handlers, mainWindow: MainWindow, paths: string[] | undefined): Promise<void> {
  mainWindow.send({ type: 'corpus-opening' });
  const r = (await handlers.openCorpus(paths ? { paths } : {})) as Result<CorpusInfo>;
  if (r.ok) mainWindow.send({ type: 'corpus-opened', info: r.value });
  else mainWindow.send({ type: 'corpus-failed', message: r.error.code === 'E_CANCELLED' ? '' : r.error.message });
}

function shellHandlersFor(store: SettingsStore, mainWindow: MainWindow): ShellHandlers {
  return {
    getSettings: async () => ok(store.get()),
    updateSettings: async (patch) => {
      const r = await store.update(patch);
      if (r.ok) nativeTheme.themeSource = r.value.theme;
      return r;
    },
    chooseFolder: async () => ok(await mainWindow.chooseInputs('folder')),
    chooseFiles: async () => ok(await mainWindow.chooseInputs('files')),
    openExternal: async (url): Promise<Result<unknown>> => {
      if (typeof url !== 'string' || !isVettedExternalUrl(url)) {
        return fail('E_FORBIDDEN', 'Only https links to vetted sites open outside Loupe.');
      }
      await shell.openExternal(url);
      return ok(null);
    },
  };
}

/** The application menu, rebuilt whenever what it lists changes. */
class AppMenu {
  // Recent Projects comes from the engine: the menu is built at once with the last list known,
  // and again when the engine answers.
  private readonly projects: ProjectList;

  constructor(
    engine: EngineClient,
    private readonly store: SettingsStore,
    private readonly mainWindow: MainWindow,
    private readonly openFromMenu: (paths: string[] | undefined) => Promise<void>,
  ) {
    this.projects = new ProjectList(
      () => engine.listProjects(),
      () => this.apply(),
    );
  }

  refresh(): void {
    this.apply();
    void this.projects.refresh();
  }

  private apply(): void {
    const { store, mainWindow, openFromMenu } = this;
    const { send } = mainWindow;
    const template = menuTemplate(
      {
        isMac: process.platform === 'darwin',
        isPackaged: app.isPackaged,
        recent: store.get().recentCorpora,
        projects: this.projects.current,
        home: process.platform === 'win32' ? undefined : app.getPath('home'),
      },
      {
        newProject: () => void mainWindow.chooseNewProject().then((file) => file && send({ type: 'project-new', file })),
        openProject: () => void mainWindow.chooseProject().then((file) => file && send({ type: 'project-open', file })),
        openFolder: () => void mainWindow.chooseInputs('folder').then((p) => (p.length > 0 ? openFromMenu(p) : undefined)),
        openFiles: () => void mainWindow.chooseInputs('files').then((p) => (p.length > 0 ? openFromMenu(p) : undefined)),
        openRecent: (recent) => void openFromMenu(recent.paths),
        openBundled: () => void openFromMenu(undefined),
        clearRecent: () => void store.set({ ...store.get(), recentCorpora: [] }).then(() => this.refresh()),
        toggleTheme: () => void setTheme(store, mainWindow, nativeTheme.shouldUseDarkColors ? 'light' : 'dark'),
        send,
        quit: () => app.quit(),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }
}

async function setTheme(store: SettingsStore, mainWindow: MainWindow, theme: 'light' | 'dark' | 'system'): Promise<void> {
  nativeTheme.themeSource = theme;
  await store.update({ theme });
  mainWindow.send({ type: 'theme', theme });
}

/** The window comes back when the app is activated without one; closing it quits, except on macOS. */
function followAppLifecycle(mainWindow: MainWindow, engine: EngineClient): void {
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow.create();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => engine.close());
}

/** The engine keeps projects made without a chosen file (and its list of recent ones) in dataDir. */
function spawnEngine(bundledCorpus: string, dataDir: string): EngineProcess {
  const child = utilityProcess.fork(ENGINE_ENTRY, [], {
    serviceName: 'Loupe engine',
    env: { ...process.env, LOUPE_BUNDLED_CORPUS: bundledCorpus, LOUPE_DATA_DIR: dataDir },
  });
  return {
    send: (message) => child.postMessage(message),
    receive: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => void child.kill(),
  };
}

/** The reader's documents folder where the platform has one, else the home folder. */
function defaultProjectFolder(): string {
  try {
    return app.getPath('documents');
  } catch {
    // Electron throws when the platform reports no documents folder (some Linux desktops).
    return app.getPath('home');
  }
}

function labelOf(paths: string[] | null, info: CorpusInfo): string {
  if (info.label) return info.label;
  if (!paths || paths.length === 0) return 'Bundled corpus';
  return paths.length === 1 ? basename(paths[0]!) : `${basename(paths[0]!)} and ${paths.length - 1} more`;
}

// The app starts last, once the classes above exist: unlike a function, a class cannot be used
// before its declaration has run.
app.enableSandbox();
// Tests (and a reader who wants a clean profile) can point settings and session data elsewhere.
if (process.env.LOUPE_USER_DATA) app.setPath('userData', process.env.LOUPE_USER_DATA);
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // Another Loupe is running: it gets focus (second-instance in receiveHandOvers); this one leaves.
  app.quit();
} else {
  void start().catch((e: unknown) => {
    dialog.showErrorBox('Loupe could not start', e instanceof Error ? (e.stack ?? e.message) : String(e));
    app.exit(1);
  });
}
