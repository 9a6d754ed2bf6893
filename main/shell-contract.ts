/**
 * What the desktop shell adds to LoupeApi under Electron, exposed by the preload as
 * `window.loupeShell` (absent in web mode, so the renderer treats it as optional).
 * LoupeApi (app/contract/api.ts) stays the same in both modes; these are the desktop-only extras:
 * settings, native dialogs, drag-and-drop paths, vetted external links and menu commands.
 */
import type { CorpusInfo } from '../app/contract/types.js';
import type { Result } from '../app/contract/errors.js';
import type { Settings, SettingsPatch } from './settings.js';

export const SHELL_CHANNELS = {
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  chooseFolder: 'dialog:choose-folder',
  chooseFiles: 'dialog:choose-files',
  openExternal: 'shell:open-external',
} as const;
export type ShellMethod = keyof typeof SHELL_CHANNELS;
/** Main -> renderer: a menu item was chosen (or main opened a corpus itself). */
export const COMMAND_CHANNEL = 'app:command';

export type ShellCommand =
  | { type: 'view'; index: number } // 1..9, as Ctrl/Cmd+1..9
  | { type: 'focus-query' }
  | { type: 'export' }
  | { type: 'theme'; theme: Settings['theme'] }
  | { type: 'corpus-opened'; info: CorpusInfo };

export interface LoupeShell {
  getSettings(): Promise<Result<Settings>>;
  updateSettings(patch: SettingsPatch): Promise<Result<Settings>>;
  /** Native folder picker; the chosen paths (empty when cancelled), to pass to loupe.openCorpus. */
  chooseFolder(): Promise<Result<string[]>>;
  chooseFiles(): Promise<Result<string[]>>;
  /** Opens https links on vetted hosts in the browser; anything else is E_FORBIDDEN. */
  openExternal(url: string): Promise<Result<null>>;
  /** The file-system path of a dropped File (Electron's webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
  onCommand(listener: (command: ShellCommand) => void): () => void;
}
