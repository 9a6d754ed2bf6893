/**
 * The application menu as data. Actions main performs itself (dialogs, recent corpora) register
 * their accelerators; keys the renderer already handles (Ctrl/Cmd+F, 1..9, Esc) are only shown,
 * not registered, so the page's own keyboard handling works the same in Electron and web mode.
 */
import type { MenuItemConstructorOptions } from './electron.js';
import type { RecentCorpus } from './settings.js';
import type { ShellCommand } from '../app/contract/shell.js';

export const VIEW_NAMES = [
  'Concordance', 'Word list', 'Collocates', 'N-grams', 'Keywords', 'Dispersion', 'Passages', 'Compare', 'Corpus',
] as const;

export interface MenuActions {
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
}

export function menuTemplate(ctx: MenuContext, act: MenuActions): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: 'No recent corpora', enabled: false }]
      : ctx.recent.map((r) => ({ label: r.label, click: () => act.openRecent(r) }));
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: act.openFolder },
      { label: 'Open Files…', accelerator: 'CmdOrCtrl+Shift+O', click: act.openFiles },
      {
        label: 'Open Recent',
        submenu: [
          ...recentItems,
          { type: 'separator' },
          { label: 'Clear Recent', enabled: ctx.recent.length > 0, click: act.clearRecent },
        ],
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
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
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
      ...VIEW_NAMES.map(
        (name, i): MenuItemConstructorOptions => ({
          label: name,
          accelerator: `CmdOrCtrl+${i + 1}`,
          registerAccelerator: false,
          click: () => act.send({ type: 'view', index: i + 1 }),
        }),
      ),
      { type: 'separator' },
      { label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+T', click: act.toggleTheme },
      { type: 'separator' },
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
      { role: 'togglefullscreen' },
      // Developer tools only in development builds.
      ...(ctx.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'reload' }, { role: 'toggleDevTools' }]),
    ],
  };
  const template: MenuItemConstructorOptions[] = [file, edit, view, { role: 'windowMenu' }];
  if (ctx.isMac) template.unshift({ role: 'appMenu' });
  return template;
}
