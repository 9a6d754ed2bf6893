/**
 * The objects the preload exposes, built from three functions over ipcRenderer rather than
 * ipcRenderer itself: the page can call the named methods and nothing else (no arbitrary
 * channel, no event object, no sender). Kept apart from preload.ts so tests can build them.
 */
import { CHANNELS, PROGRESS_CHANNEL, type ApiMethod, type LoupeApi } from '../app/contract/api.js';
import type { Result } from '../app/contract/errors.js';
import type { IndexProgress } from '../app/contract/types.js';
import { COMMAND_CHANNEL, SHELL_CHANNELS, type LoupeShell, type ShellCommand } from '../app/contract/shell.js';

export interface RendererIpc {
  invoke(channel: string, payload?: unknown): Promise<unknown>;
  /** Subscribe to a main -> renderer channel; the listener gets the payload only; returns unsubscribe. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function buildLoupeApi(ipc: RendererIpc): LoupeApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(CHANNELS) as Array<[ApiMethod, string]>) {
    api[method] = (req?: unknown) => ipc.invoke(channel, req);
  }
  api.onProgress = (listener: (p: IndexProgress) => void) => ipc.subscribe(PROGRESS_CHANNEL, (p) => listener(p as IndexProgress));
  return Object.freeze(api) as unknown as LoupeApi;
}

export function buildLoupeShell(ipc: RendererIpc, pathForFile: (file: File) => string): LoupeShell {
  const call = <T>(channel: string, payload?: unknown) => ipc.invoke(channel, payload) as Promise<Result<T>>;
  return Object.freeze({
    getSettings: () => call(SHELL_CHANNELS.getSettings),
    updateSettings: (patch) => call(SHELL_CHANNELS.updateSettings, patch),
    chooseFolder: () => call(SHELL_CHANNELS.chooseFolder),
    chooseFiles: () => call(SHELL_CHANNELS.chooseFiles),
    openExternal: (url) => call(SHELL_CHANNELS.openExternal, url),
    pathForFile: (file) => {
      try {
        return pathForFile(file);
      } catch {
        return '';
      }
    },
    onCommand: (listener) => ipc.subscribe(COMMAND_CHANNEL, (c) => listener(c as ShellCommand)),
  } satisfies LoupeShell);
}
