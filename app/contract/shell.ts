/**
 * What the desktop shell adds to LoupeApi under Electron, exposed by the preload as
 * `window.loupeShell` (absent in web mode, so the renderer feature-detects it).
 * LoupeApi (api.ts) stays the same in both modes; these are the desktop-only extras: settings,
 * native dialogs, drag-and-drop paths, vetted external links and menu commands.
 * Types and constants only: main validates what arrives (main/settings.ts, main/paths.ts), the
 * renderer imports this file for the shapes.
 */
import type { Result } from './errors.js';
import type { CorpusInfo } from './types.js';

export type Theme = 'light' | 'dark' | 'system';

export interface RecentCorpus {
  /** The paths that were opened together (a folder, or files). */
  paths: string[];
  label: string;
  /** ISO 8601. */
  openedAt: string;
}

/** The reader's settings; kept by main under Electron, in localStorage in web mode. */
export interface Settings {
  theme: Theme;
  /** Counted tokens of KWIC context each side. */
  contextWidth: number;
  /** Counted tokens left and right of the node for collocates (and compare). */
  collocationSpan: [number, number];
  /** The corpus to open at start; null = the bundled corpus. */
  lastCorpus: string[] | null;
  /** Most recent first; at most MAX_RECENT. */
  recentCorpora: RecentCorpus[];
}

/** What the renderer may change; the corpus fields are the host's own bookkeeping of what it opened. */
export interface SettingsPatch {
  theme?: Theme;
  contextWidth?: number;
  collocationSpan?: [number, number];
}

export const MAX_RECENT = 10;
/** Bounds shared by main's validation and the renderer's controls. */
export const SETTINGS_BOUNDS = { contextWidth: [1, 50], spanSide: [0, 50] } as const;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  theme: 'system',
  contextWidth: 8,
  collocationSpan: [5, 5] as [number, number],
  lastCorpus: null,
  recentCorpora: [],
});

export const SHELL_CHANNELS = {
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  chooseFolder: 'dialog:choose-folder',
  chooseFiles: 'dialog:choose-files',
  openExternal: 'shell:open-external',
} as const;
export type ShellMethod = keyof typeof SHELL_CHANNELS;
/** Main -> renderer: a menu item was chosen, or main opened a corpus itself. */
export const COMMAND_CHANNEL = 'app:command';

export type ShellCommand =
  | { type: 'view'; index: number } // 1..10, as Ctrl/Cmd+1..9, 0
  | { type: 'focus-query' }
  | { type: 'export' }
  | { type: 'theme'; theme: Theme }
  /** Main opened a corpus (menu, recent list, second instance); settings changed with it. */
  | { type: 'corpus-opened'; info: CorpusInfo }
  /** Main is opening a corpus on its own (menu, second instance): the renderer shows it as indexing. */
  | { type: 'corpus-opening' }
  /** Main could not open what it was asked to (second instance, menu): the message to show. */
  | { type: 'corpus-failed'; message: string }
  /** File > New Project… chose where to save a new project on the open corpus. */
  | { type: 'project-new'; file: string }
  /** File > Open Project… or Recent Projects chose a project file to open. */
  | { type: 'project-open'; file: string };

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
