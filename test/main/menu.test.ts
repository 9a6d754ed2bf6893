import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from '../../main/electron.js';
import { menuTemplate, VIEW_NAMES, type MenuActions } from '../../main/menu.js';
import type { ShellCommand } from '../../app/contract/shell.js';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
}

function build(recent = [{ paths: ['/texts/cliff'], label: 'cliff', openedAt: '2025-01-01T00:00:00.000Z' }], isPackaged = true) {
  const calls: string[] = [];
  const sent: ShellCommand[] = [];
  const act: MenuActions = {
    openFolder: () => calls.push('openFolder'),
    openFiles: () => calls.push('openFiles'),
    openRecent: (r) => calls.push(`openRecent:${r.paths.join(',')}`),
    openBundled: () => calls.push('openBundled'),
    clearRecent: () => calls.push('clearRecent'),
    toggleTheme: () => calls.push('toggleTheme'),
    send: (c) => sent.push(c),
    quit: () => calls.push('quit'),
  };
  const items = flatten(menuTemplate({ isMac: false, isPackaged, recent }, act));
  const byLabel = (label: string) => items.find((i) => i.label === label)!;
  return { items, byLabel, calls, sent };
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

  it('shows Ctrl/Cmd+1..9 for the nine views but leaves the keys to the page', () => {
    const { byLabel, sent } = build();
    VIEW_NAMES.forEach((name, i) => {
      const item = byLabel(name);
      expect(item.accelerator).toBe(`CmdOrCtrl+${i + 1}`);
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

  it('uses each accelerator once', () => {
    const accelerators = build().items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('says when there are no recent corpora, and offers developer tools only in development', () => {
    const empty = build([], true);
    expect(empty.byLabel('No recent corpora').enabled).toBe(false);
    expect(empty.items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(build([], false).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
