/**
 * Electron main: one window, the engine in a utility process, the IPC surface, menus, settings.
 * Every decision lives in a plain module (security, settings, menu, ipc, app/host/engine-link); this file
 * only connects them to Electron. Bundled to main/dist/main.cjs by main/build.mjs.
 */
import {
  app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell, utilityProcess,
} from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PROGRESS_CHANNEL } from '../app/contract/api.js';
import { fail, ok, type Result } from '../app/contract/errors.js';
import type { ProjectState } from '../app/contract/project.js';
import type { CorpusInfo } from '../app/contract/types.js';
import { securityHeaders } from '../app/host/csp.js';
import { createHandlers, type EngineApi } from '../app/host/handlers.js';
import { checkInputPaths, guardPaths } from '../app/host/paths.js';
import { contentTypeOf, resolveRelativeFile } from '../app/host/static.js';
import { HandOver, pathsFromArgv } from './argv.js';
import { EngineClient, type EngineProcess } from '../app/host/engine-link.js';
import { registerIpc, type ShellHandlers } from './ipc.js';
import {
  checkProjectFile, menuTemplate, newProjectChoice, newProjectDialog, openProjectChoice, openProjectDialog, ProjectList,
} from './menu.js';
import {
  APP_ENTRY, APP_SCHEME, appFileOf, isAllowedNavigation, isVettedExternalUrl, permissionCheckHandler,
  permissionRequestHandler, windowOpenDecision, windowOptions,
} from './security.js';
import { SETTINGS_FILE, SettingsStore, withOpenedCorpus } from './settings.js';
import { COMMAND_CHANNEL, type ShellCommand } from '../app/contract/shell.js';

// Layout of a build (dev and packaged alike): main/dist/{main.cjs, preload.cjs, engine/...}.
const DIST = __dirname;
const PRELOAD = join(DIST, 'preload.cjs');
const ENGINE_ENTRY = join(DIST, 'engine', 'main', 'engine-process.js');

app.enableSandbox();
// Tests (and a reader who wants a clean profile) can point settings and session data elsewhere.
if (process.env.LOUPE_USER_DATA) app.setPath('userData', process.env.LOUPE_USER_DATA);
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another Loupe is running: it gets focus (second-instance below); this one leaves.
  app.quit();
} else {
  void start().catch((e: unknown) => {
    dialog.showErrorBox('Loupe could not start', e instanceof Error ? (e.stack ?? e.message) : String(e));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  let win: BrowserWindow | undefined;
  const rendererDir = join(app.getAppPath(), 'renderer', 'dist');
  const bundledCorpus = app.isPackaged ? join(process.resourcesPath, 'corpus') : join(app.getAppPath(), 'corpus');
  const store = new SettingsStore(join(app.getPath('userData'), SETTINGS_FILE));

  // A second `loupe PATH...` hands its paths over (checked like any path from outside) and leaves;
  // this instance opens them once it is up, and comes to the front either way.
  const handOver = new HandOver(
    { defaultApp: Boolean(process.defaultApp) },
    (paths, base) => checkInputPaths(paths, { base }),
    (message) => send({ type: 'corpus-failed', message }),
  );
  app.on('second-instance', (_event, argv, workingDirectory) => {
    void handOver.receive(argv, workingDirectory);
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Guards for every web contents, including any created later.
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

  await app.whenReady();
  const settings = await store.load();
  nativeTheme.themeSource = settings.theme;

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

  const engine = new EngineClient(() => spawnEngine(bundledCorpus, app.getPath('userData')));
  engine.onProgress((p) => {
    if (!win || win.isDestroyed()) return;
    win.webContents.send(PROGRESS_CHANNEL, p);
    win.setProgressBar(p.total > 0 ? Math.min(1, p.done / p.total) : 2);
  });

  // Recent Projects comes from the engine: the menu is built at once with the last list known,
  // and again when the engine answers.
  const projects = new ProjectList(() => engine.listProjects(), () => applyMenu());
  const clearProgress = () => {
    if (win && !win.isDestroyed()) win.setProgressBar(-1);
  };
  /** The shell's bookkeeping of an opened corpus: last and recent corpora, the OS's recent documents. */
  const rememberCorpus = async (paths: string[] | null, info: CorpusInfo) => {
    await store.set(withOpenedCorpus(store.get(), paths, labelOf(paths, info), new Date()));
    if (paths) for (const p of paths) app.addRecentDocument(p);
  };

  /** openCorpus with the shell's bookkeeping: taskbar progress cleared, recent corpora updated. */
  const openCorpus: EngineApi['openCorpus'] = async (req) => {
    const result = await engine.openCorpus(req);
    clearProgress();
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
    clearProgress();
    if (result.ok) {
      await rememberProjectCorpus(result.value);
      refreshMenu();
    }
    return result;
  };
  const rememberProjectCorpus = async (project: ProjectState) => {
    const info = await engine.corpusInfo();
    if (info.ok) await rememberCorpus(project.corpus, info.value);
  };
  /** newProject, then Recent Projects rebuilt; the corpus stays the one already open. */
  const newProject: EngineApi['newProject'] = async (req) => {
    const file = req.file === undefined ? undefined : checkProjectFile(req.file, 'create');
    if (file && !file.ok) return file;
    const result = await engine.newProject(file ? { ...req, file: file.value } : req);
    if (result.ok) refreshMenu();
    return result;
  };

  // At start: paths on the command line, else the last corpus, else the bundled one. Requests wait for it.
  const startup = (async () => {
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
  })();
  // Every path from the renderer is checked (E_PATH) before the engine sees it; the renderer has no
  // working folder, so its paths must be absolute.
  const handlers = guardPaths(createHandlers({ ...engine, openCorpus, openProject, newProject }, { ready: startup }));

  const send = (command: ShellCommand) => {
    if (win && !win.isDestroyed()) win.webContents.send(COMMAND_CHANNEL, command);
  };
  /** Opens a corpus on main's own initiative (menu, recent list, second instance) and tells the renderer. */
  const openFromShell = async (paths: string[] | undefined) => {
    send({ type: 'corpus-opening' });
    const r = (await handlers.openCorpus(paths ? { paths } : {})) as Result<CorpusInfo>;
    if (r.ok) send({ type: 'corpus-opened', info: r.value });
    else send({ type: 'corpus-failed', message: r.error.code === 'E_CANCELLED' ? '' : r.error.message });
  };
  const openFromMenu = openFromShell;
  const choose = async (kind: 'folder' | 'files'): Promise<string[]> => {
    if (!win) return [];
    const r = await dialog.showOpenDialog(win, {
      title: kind === 'folder' ? 'Open a folder of texts' : 'Open texts',
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
    });
    return r.canceled ? [] : r.filePaths;
  };
  /** Where a new project goes; the renderer then creates it there (project-new). */
  const chooseNewProject = async (): Promise<string | undefined> => {
    let options = newProjectDialog(defaultProjectFolder());
    for (;;) {
      if (!win) return undefined;
      const choice = newProjectChoice(await dialog.showSaveDialog(win, options), existsSync);
      if (choice.kind !== 'confirm') return choice.kind === 'file' ? choice.file : undefined;
      options = { ...options, defaultPath: choice.file };
    }
  };
  const chooseProject = async (): Promise<string | undefined> =>
    win ? openProjectChoice(await dialog.showOpenDialog(win, openProjectDialog())) : undefined;
  const setTheme = async (theme: 'light' | 'dark' | 'system') => {
    nativeTheme.themeSource = theme;
    await store.update({ theme });
    send({ type: 'theme', theme });
  };

  const shellHandlers: ShellHandlers = {
    getSettings: async () => ok(store.get()),
    updateSettings: async (patch) => {
      const r = await store.update(patch);
      if (r.ok) nativeTheme.themeSource = r.value.theme;
      return r;
    },
    chooseFolder: async () => ok(await choose('folder')),
    chooseFiles: async () => ok(await choose('files')),
    openExternal: async (url): Promise<Result<unknown>> => {
      if (typeof url !== 'string' || !isVettedExternalUrl(url)) {
        return fail('E_FORBIDDEN', 'Only https links to vetted sites open outside Loupe.');
      }
      await shell.openExternal(url);
      return ok(null);
    },
  };
  registerIpc(ipcMain, handlers, shellHandlers);

  function refreshMenu(): void {
    applyMenu();
    void projects.refresh();
  }
  function applyMenu(): void {
    const template = menuTemplate(
      {
        isMac: process.platform === 'darwin',
        isPackaged: app.isPackaged,
        recent: store.get().recentCorpora,
        projects: projects.current,
        home: process.platform === 'win32' ? undefined : app.getPath('home'),
      },
      {
        newProject: () => void chooseNewProject().then((file) => file && send({ type: 'project-new', file })),
        openProject: () => void chooseProject().then((file) => file && send({ type: 'project-open', file })),
        openFolder: () => void choose('folder').then((p) => (p.length > 0 ? openFromMenu(p) : undefined)),
        openFiles: () => void choose('files').then((p) => (p.length > 0 ? openFromMenu(p) : undefined)),
        openRecent: (recent) => void openFromMenu(recent.paths),
        openBundled: () => void openFromMenu(undefined),
        clearRecent: () => void store.set({ ...store.get(), recentCorpora: [] }).then(refreshMenu),
        toggleTheme: () => void setTheme(nativeTheme.shouldUseDarkColors ? 'light' : 'dark'),
        send,
        quit: () => app.quit(),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }
  refreshMenu();

  const createWindow = () => {
    win = new BrowserWindow(windowOptions(PRELOAD, { devTools: !app.isPackaged }));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = undefined));
    void win.loadURL(APP_ENTRY);
  };
  createWindow();
  handOver.ready(openFromShell);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
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
