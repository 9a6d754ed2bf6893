/**
 * The application menu as data, and the project dialogs' options and answers. Actions main
 * performs itself (dialogs, recent corpora) register their accelerators; keys the renderer already
 * handles (Ctrl/Cmd+F, 1..9, Esc) are only shown, not registered, so the page's own keyboard
 * handling works the same in Electron and web mode.
 */
import { basename, dirname, join } from 'node:path';
import { fail, ok, type Result } from '../app/contract/errors.js';
import type { ProjectSummary } from '../app/contract/project.js';
import type { ShellCommand } from '../app/contract/shell.js';
import { checkPathSyntax } from '../app/host/paths.js';
import type { MenuItemConstructorOptions, OpenDialogOptions, SaveDialogOptions } from './electron.js';
import type { RecentCorpus } from './settings.js';

export const VIEW_NAMES = [
  'Concordance',
  'Word list',
  'Collocates',
  'N-grams',
  'Keywords',
  'Dispersion',
  'Passages',
  'Compare',
  'Corpus',
  'Trends',
] as const;

export interface MenuActions {
  /** Asks where to save a new project, then sends `project-new`. */
  newProject(): void;
  /** Asks for a project file, then sends `project-open`. */
  openProject(): void;
  openFolder(): void;
  openFiles(): void;
  openRecent(recent: RecentCorpus): void;
  openBundled(): void;
  clearRecent(): void;
  toggleTheme(): void;
  send(command: ShellCommand): void;
  quit(): void;
}

export interface MenuContext {
  isMac: boolean;
  isPackaged: boolean;
  recent: RecentCorpus[];
  /** The engine's listProjects(), most recent first. */
  projects: ProjectSummary[];
  /** Shown as `~` in folder names; leave out where that is not the convention (Windows). */
  home?: string;
}

/** At most this many projects in File > Recent Projects; the projects panel lists them all. */
export const MAX_MENU_PROJECTS = 10;
/** Folders longer than this are cut at the front: the end of a path says most about it. */
const MAX_FOLDER_CHARS = 50;

/** Names from files and corpora may hold `&`, which Windows and Linux read as a mnemonic marker. */
export function literalLabel(text: string): string {
  return text.replaceAll('&', '&&');
}

/** `name — folder`: two projects of the same name stay apart, and the reader sees where each is. */
export function projectLabel(project: Pick<ProjectSummary, 'name' | 'file'>, home?: string): string {
  let folder = dirname(project.file);
  if (home && (folder === home || folder.startsWith(`${home}/`))) folder = `~${folder.slice(home.length)}`;
  if (folder.length > MAX_FOLDER_CHARS) folder = `…${folder.slice(-(MAX_FOLDER_CHARS - 1))}`;
  return literalLabel(`${project.name} — ${folder}`);
}

/**
 * The engine's list of projects as the menu last saw it. Only the newest request's answer is kept:
 * an older one arriving late would bring back the list from before the latest change. A failed
 * request keeps the list as it was (an engine that is restarting answers the next time).
 */
export class ProjectList {
  current: ProjectSummary[] = [];
  private asked = 0;

  constructor(
    private readonly list: () => Promise<Result<ProjectSummary[]>>,
    private readonly changed: () => void,
  ) {}

  async refresh(): Promise<void> {
    const asked = ++this.asked;
    let r: Result<ProjectSummary[]>;
    try {
      r = await this.list();
    } catch {
      return;
    }
    if (asked !== this.asked || !r.ok) return;
    this.current = r.value;
    this.changed();
  }
}

function recentProjectItems(ctx: MenuContext, act: MenuActions): MenuItemConstructorOptions[] {
  if (ctx.projects.length === 0) return [{ label: 'No recent projects', enabled: false }];
  return ctx.projects.slice(0, MAX_MENU_PROJECTS).map((p) => ({
    label: projectLabel(p, ctx.home),
    click: () => act.send({ type: 'project-open', file: p.file }),
  }));
}

export function menuTemplate(ctx: MenuContext, act: MenuActions): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: 'No recent corpora', enabled: false }]
      : ctx.recent.map((r) => ({ label: literalLabel(r.label), click: () => act.openRecent(r) }));
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: act.newProject },
      // Ctrl/Cmd+O already opens a folder, the usual first step; P for project.
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+Shift+P', click: act.openProject },
      { label: 'Recent Projects', submenu: recentProjectItems(ctx, act) },
      { type: 'separator' },
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: act.openFolder },
      { label: 'Open Files…', accelerator: 'CmdOrCtrl+Shift+O', click: act.openFiles },
      {
        label: 'Open Recent',
        submenu: [...recentItems, { type: 'separator' }, { label: 'Clear Recent', enabled: ctx.recent.length > 0, click: act.clearRecent }],
      },
      { label: 'Open Bundled Corpus', click: act.openBundled },
      { type: 'separator' },
      {
        label: 'Export…',
        accelerator: 'CmdOrCtrl+E',
        registerAccelerator: false,
        click: () => act.send({ type: 'export' }),
      },
      { type: 'separator' },
      ctx.isMac ? { role: 'close' } : { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: act.quit },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      {
        label: 'Find in Corpus',
        accelerator: 'CmdOrCtrl+F',
        registerAccelerator: false,
        click: () => act.send({ type: 'focus-query' }),
      },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...VIEW_NAMES.map((name, i): MenuItemConstructorOptions => ({
        label: name,
        // The tenth view takes 0, as the digit keys run 1..9, 0.
        accelerator: `CmdOrCtrl+${(i + 1) % 10}`,
        registerAccelerator: false,
        click: () => act.send({ type: 'view', index: i + 1 }),
      })),
      { type: 'separator' },
      { label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+T', click: act.toggleTheme },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'togglefullscreen' },
      // Developer tools only in development builds.
      ...(ctx.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'reload' }, { role: 'toggleDevTools' }]),
    ],
  };
  const template: MenuItemConstructorOptions[] = [file, edit, view, { role: 'windowMenu' }];
  if (ctx.isMac) template.unshift({ role: 'appMenu' });
  return template;
}

/** Project files end so; the engine's data folder names them the same way. */
const PROJECT_SUFFIX = '.loupe.json';
// Windows and GTK match the whole `*.loupe.json`; macOS takes only the last part (`json`), so its
// dialogs also offer other JSON files and the engine's own check of the file decides.
const PROJECT_FILTERS = [{ name: 'Loupe projects', extensions: ['loupe.json'] }];

/**
 * The name the reader typed, made a project file name. A bare name gets the suffix; a name ending
 * in `.json` only is taken as the macOS panel having added the filter's last extension to it.
 */
export function withProjectSuffix(path: string): string {
  if (path.toLowerCase().endsWith(PROJECT_SUFFIX)) return path;
  const stem = path.toLowerCase().endsWith('.json') ? path.slice(0, -'.json'.length) : path;
  // `notes.` would otherwise become `notes..loupe.json`.
  return `${stem.replace(/\.+$/, '')}${PROJECT_SUFFIX}`;
}

export function newProjectDialog(folder: string): SaveDialogOptions {
  return {
    title: 'New project',
    defaultPath: join(folder, `Untitled${PROJECT_SUFFIX}`),
    filters: PROJECT_FILTERS,
    // GTK asks before replacing a file only when told to.
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
}

export function openProjectDialog(): OpenDialogOptions {
  return { title: 'Open a project', properties: ['openFile'], filters: PROJECT_FILTERS };
}

/**
 * What the save dialog's answer means. The dialog asked before replacing the name it returned,
 * not the suffixed one; when the suffix makes the name of a file that exists, the dialog is shown
 * again with that name (`confirm`), so the reader is asked before a project is replaced.
 */
export type NewProjectChoice = { kind: 'cancel' } | { kind: 'file'; file: string } | { kind: 'confirm'; file: string };

export function newProjectChoice(answer: { canceled: boolean; filePath?: string }, exists: (path: string) => boolean): NewProjectChoice {
  if (answer.canceled || !answer.filePath) return { kind: 'cancel' };
  const file = withProjectSuffix(answer.filePath);
  if (file !== answer.filePath && exists(file)) return { kind: 'confirm', file };
  return { kind: 'file', file };
}

/** The open dialog's answer: one file, or nothing when cancelled. */
export function openProjectChoice(answer: { canceled: boolean; filePaths: string[] }): string | undefined {
  return answer.canceled ? undefined : answer.filePaths[0];
}

/**
 * Main's check of a project file the renderer names, before the engine reads or writes it: a full
 * path without `..`, and, for a new project, the project suffix, so a page that went wrong can
 * write a project over a project at worst, never over any other file of the reader's.
 */
export function checkProjectFile(file: string, purpose: 'open' | 'create'): Result<string> {
  const syntax = checkPathSyntax(file);
  if (!syntax.ok) return syntax;
  if (purpose === 'create' && !syntax.value.toLowerCase().endsWith(PROJECT_SUFFIX)) {
    return fail('E_PATH', `A new project's file name must end in ${PROJECT_SUFFIX}: ${basename(syntax.value)}`);
  }
  return ok(syntax.value);
}
