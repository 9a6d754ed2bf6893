import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from '../../main/electron.js';
import {
  checkProjectFile,
  literalLabel,
  MAX_MENU_PROJECTS,
  menuTemplate,
  newProjectChoice,
  newProjectDialog,
  openProjectChoice,
  openProjectDialog,
  ProjectList,
  projectLabel,
  VIEW_NAMES,
  withProjectSuffix,
  type MenuActions,
} from '../../main/menu.js';
import { fail, ok, type Result } from '../../app/contract/errors.js';
import type { ProjectSummary } from '../../app/contract/project.js';
import type { ShellCommand } from '../../app/contract/shell.js';

const NOTES: ProjectSummary = {
  file: '/home/ada/Documents/notes.loupe.json',
  name: 'Notes',
  savedAt: '2025-01-02T00:00:00.000Z',
  corpus: null,
  codedLines: 3,
};

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
}

function build(
  recent = [{ paths: ['/texts/cliff'], label: 'cliff', openedAt: '2025-01-01T00:00:00.000Z' }],
  isPackaged = true,
  projects: ProjectSummary[] = [NOTES],
  isMac = false,
) {
  const calls: string[] = [];
  const sent: ShellCommand[] = [];
  const act: MenuActions = {
    newProject: () => calls.push('newProject'),
    openProject: () => calls.push('openProject'),
    openFolder: () => calls.push('openFolder'),
    openFiles: () => calls.push('openFiles'),
    openRecent: (r) => calls.push(`openRecent:${r.paths.join(',')}`),
    openBundled: () => calls.push('openBundled'),
    clearRecent: () => calls.push('clearRecent'),
    toggleTheme: () => calls.push('toggleTheme'),
    send: (c) => sent.push(c),
    quit: () => calls.push('quit'),
  };
  const template = menuTemplate({ isMac, isPackaged, recent, projects, home: '/home/ada' }, act);
  const items = flatten(template);
  const byLabel = (label: string) => items.find((i) => i.label === label)!;
  return { template, items, byLabel, calls, sent };
}

describe('menuTemplate', () => {
  it('opens folders and files with registered accelerators', () => {
    const { byLabel, calls } = build();
    expect(byLabel('Open Folder…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Open Files…').accelerator).toBe('CmdOrCtrl+Shift+O');
    expect(byLabel('Open Folder…').registerAccelerator).toBeUndefined();
    byLabel('Open Folder…').click!();
    byLabel('Open Files…').click!();
    byLabel('cliff').click!();
    expect(calls).toEqual(['openFolder', 'openFiles', 'openRecent:/texts/cliff']);
  });

  it('shows Ctrl/Cmd+1..9, 0 for the ten views but leaves the keys to the page', () => {
    const { byLabel, sent } = build();
    VIEW_NAMES.forEach((name, i) => {
      const item = byLabel(name);
      expect(item.accelerator).toBe(`CmdOrCtrl+${(i + 1) % 10}`);
      expect(item.registerAccelerator).toBe(false);
      item.click!();
    });
    expect(sent).toEqual(VIEW_NAMES.map((_, i) => ({ type: 'view', index: i + 1 })));
  });

  it('has Export and Toggle theme', () => {
    const { byLabel, sent, calls } = build();
    byLabel('Export…').click!();
    byLabel('Toggle Theme').click!();
    expect(sent).toEqual([{ type: 'export' }]);
    expect(calls).toEqual(['toggleTheme']);
  });

  it('uses each accelerator once, on every platform', () => {
    for (const isMac of [false, true]) {
      const accelerators = build(undefined, false, [NOTES], isMac)
        .items.map((i) => i.accelerator)
        .filter(Boolean);
      expect(new Set(accelerators).size).toBe(accelerators.length);
    }
  });

  it('says when there are no recent corpora, and offers developer tools only in development', () => {
    const empty = build([], true);
    expect(empty.byLabel('No recent corpora').enabled).toBe(false);
    expect(empty.items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(build([], false).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('offers New Project and Open Project with their own registered accelerators', () => {
    const { byLabel, calls } = build();
    const created = byLabel('New Project…');
    const opened = byLabel('Open Project…');
    expect(created.accelerator).toBe('CmdOrCtrl+N');
    expect(opened.accelerator).toBe('CmdOrCtrl+Shift+P');
    expect(created.registerAccelerator).toBeUndefined();
    expect(opened.registerAccelerator).toBeUndefined();
    created.click!();
    opened.click!();
    expect(calls).toEqual(['newProject', 'openProject']);
  });

  it('puts the project items first in the File menu', () => {
    const file = build().template.find((i) => i.label === '&File')!;
    const labels = file.submenu!.slice(0, 3).map((i) => i.label);
    expect(labels).toEqual(['New Project…', 'Open Project…', 'Recent Projects']);
  });

  it('lists recent projects by name and folder; a click asks the page to open the file', () => {
    const other: ProjectSummary = { ...NOTES, file: '/srv/shared/notes.loupe.json' };
    const { byLabel, sent } = build(undefined, true, [NOTES, other]);
    const recent = byLabel('Recent Projects').submenu!;
    expect(recent.map((i) => i.label)).toEqual(['Notes — ~/Documents', 'Notes — /srv/shared']);
    recent[1]!.click!();
    recent[0]!.click!();
    expect(sent).toEqual([
      { type: 'project-open', file: '/srv/shared/notes.loupe.json' },
      { type: 'project-open', file: '/home/ada/Documents/notes.loupe.json' },
    ]);
  });

  it('says when there are no recent projects, and lists at most MAX_MENU_PROJECTS', () => {
    const empty = build(undefined, true, []).byLabel('Recent Projects').submenu!;
    expect(empty).toEqual([{ label: 'No recent projects', enabled: false }]);
    const many = Array.from({ length: MAX_MENU_PROJECTS + 5 }, (_, i) => ({ ...NOTES, file: `/p/${i}.loupe.json` }));
    expect(build(undefined, true, many).byLabel('Recent Projects').submenu).toHaveLength(MAX_MENU_PROJECTS);
  });
});

describe('menu labels', () => {
  it('keeps & literal in names that come from files', () => {
    expect(literalLabel('Pride & Prejudice')).toBe('Pride && Prejudice');
    const { items } = build([{ paths: ['/t/a'], label: 'A & B', openedAt: '2025-01-01T00:00:00.000Z' }], true, [{ ...NOTES, name: 'Q&A' }]);
    expect(items.some((i) => i.label === 'A && B')).toBe(true);
    expect(items.some((i) => i.label === 'Q&&A — ~/Documents')).toBe(true);
  });

  it('shows the home folder as ~ only where given, and cuts long folders at the front', () => {
    expect(projectLabel(NOTES)).toBe('Notes — /home/ada/Documents');
    expect(projectLabel(NOTES, '/home/ada')).toBe('Notes — ~/Documents');
    expect(projectLabel({ name: 'x', file: '/home/ada/x.loupe.json' }, '/home/ada')).toBe('x — ~');
    // A folder that only starts with the same letters is not under home.
    expect(projectLabel({ name: 'x', file: '/home/adam/x.loupe.json' }, '/home/ada')).toBe('x — /home/adam');
    const deep = `/${'a'.repeat(30)}/${'b'.repeat(30)}/end`;
    const label = projectLabel({ name: 'x', file: `${deep}/x.loupe.json` });
    expect(label.endsWith('/end')).toBe(true);
    expect(label).toBe(`x — …${deep.slice(-49)}`);
  });
});

describe('project dialogs', () => {
  it('adds the project suffix once, whatever the dialog returned', () => {
    expect(withProjectSuffix('/d/notes')).toBe('/d/notes.loupe.json');
    expect(withProjectSuffix('/d/notes.loupe.json')).toBe('/d/notes.loupe.json');
    expect(withProjectSuffix('/d/Notes.LOUPE.JSON')).toBe('/d/Notes.LOUPE.JSON');
    // The macOS panel appends the filter's last extension to a bare name.
    expect(withProjectSuffix('/d/notes.json')).toBe('/d/notes.loupe.json');
    expect(withProjectSuffix('/d/notes.')).toBe('/d/notes.loupe.json');
    expect(withProjectSuffix('/d/chapter.1')).toBe('/d/chapter.1.loupe.json');
    expect(withProjectSuffix(withProjectSuffix('/d/x'))).toBe('/d/x.loupe.json');
  });

  it('offers Untitled.loupe.json in the given folder, filtered to project files', () => {
    const save = newProjectDialog('/home/ada/Documents');
    expect(save.defaultPath).toBe('/home/ada/Documents/Untitled.loupe.json');
    expect(save.filters).toEqual([{ name: 'Loupe projects', extensions: ['loupe.json'] }]);
    expect(save.properties).toContain('showOverwriteConfirmation');
    const open = openProjectDialog();
    expect(open.filters).toEqual(save.filters);
    expect(open.properties).toEqual(['openFile']);
  });

  it('reads the save dialog: cancel, the file, or ask again before replacing a suffixed name', () => {
    const none = () => false;
    expect(newProjectChoice({ canceled: true, filePath: '/d/x' }, none)).toEqual({ kind: 'cancel' });
    expect(newProjectChoice({ canceled: false, filePath: '' }, none)).toEqual({ kind: 'cancel' });
    expect(newProjectChoice({ canceled: false }, none)).toEqual({ kind: 'cancel' });
    const bare = { canceled: false, filePath: '/d/x' };
    expect(newProjectChoice(bare, none)).toEqual({ kind: 'file', file: '/d/x.loupe.json' });
    const taken = (p: string) => p === '/d/x.loupe.json';
    expect(newProjectChoice(bare, taken)).toEqual({ kind: 'confirm', file: '/d/x.loupe.json' });
    // The dialog itself asked before returning a name that exists.
    expect(newProjectChoice({ canceled: false, filePath: '/d/x.loupe.json' }, taken)).toEqual({
      kind: 'file',
      file: '/d/x.loupe.json',
    });
  });

  it('reads the open dialog', () => {
    expect(openProjectChoice({ canceled: true, filePaths: ['/d/x.loupe.json'] })).toBeUndefined();
    expect(openProjectChoice({ canceled: false, filePaths: [] })).toBeUndefined();
    expect(openProjectChoice({ canceled: false, filePaths: ['/d/x.loupe.json'] })).toBe('/d/x.loupe.json');
  });
});

describe('checkProjectFile', () => {
  it('takes full paths without .. and, to create, only project file names', () => {
    expect(checkProjectFile('/d/x.loupe.json', 'create')).toEqual({ ok: true, value: '/d/x.loupe.json' });
    expect(checkProjectFile('/d/x.json', 'open')).toEqual({ ok: true, value: '/d/x.json' });
    for (const bad of ['x.loupe.json', '/d/../x.loupe.json', '/d/x\0.loupe.json', '']) {
      const r = checkProjectFile(bad, 'open');
      expect(r.ok ? 'ok' : r.error.code).toBe('E_PATH');
    }
    const notProject = checkProjectFile('/home/ada/.bashrc', 'create');
    expect(notProject.ok ? 'ok' : notProject.error.code).toBe('E_PATH');
  });
});

describe('ProjectList', () => {
  it('keeps the newest answer only, and the old list when the engine fails', async () => {
    const answers: Array<(r: Result<ProjectSummary[]>) => void> = [];
    let changes = 0;
    const list = new ProjectList(
      () => new Promise((resolve) => answers.push(resolve)),
      () => changes++,
    );
    const first = list.refresh();
    const second = list.refresh();
    answers[1]!(ok([NOTES]));
    await second;
    answers[0]!(ok([]));
    await first;
    expect(list.current).toEqual([NOTES]);
    expect(changes).toBe(1);

    const failed = list.refresh();
    answers[2]!(fail('E_INTERNAL', 'The engine stopped.'));
    await failed;
    expect(list.current).toEqual([NOTES]);
    const thrown = new ProjectList(
      () => Promise.reject(new Error('gone')),
      () => changes++,
    );
    await thrown.refresh();
    expect(thrown.current).toEqual([]);
    expect(changes).toBe(1);
  });
});
