/**
 * The IPC surface of the main process: one `ipcMain.handle` per channel in CHANNELS (and the
 * shell's extras). Every handler first checks the sender frame, then validates the payload
 * (inside the shared handlers), and always answers with a Result.
 * Takes ipcMain as a parameter so the registration is testable without Electron.
 */
import { CHANNELS, type ApiMethod } from '../app/contract/api.js';
import { fail, toLoupeError, type Result } from '../app/contract/errors.js';
import type { Handlers } from '../app/host/handlers.js';
import { checkSender } from './security.js';
import { SHELL_CHANNELS, type ShellMethod } from '../app/contract/shell.js';

/** The parts of ipcMain and its event that registration uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
}
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export type ShellHandlers = Record<ShellMethod, (payload: unknown) => Promise<Result<unknown>>>;

const FORBIDDEN = (): Result<never> => fail('E_FORBIDDEN', 'This request did not come from the Loupe window.');

function senderTrusted(event: IpcEventLike): boolean {
  const frame = event.senderFrame;
  return frame !== null && checkSender(frame.url, frame.parent === null);
}

function guarded(handler: (payload: unknown) => Promise<Result<unknown>>) {
  return async (event: IpcEventLike, payload?: unknown): Promise<Result<unknown>> => {
    if (!senderTrusted(event)) return FORBIDDEN();
    try {
      return await handler(payload);
    } catch (e) {
      return { ok: false, error: toLoupeError(e) };
    }
  };
}

/** Registers every channel; returns the channel names registered (for teardown and tests). */
export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers, shell?: ShellHandlers): string[] {
  const channels: string[] = [];
  for (const [method, channel] of Object.entries(CHANNELS) as Array<[ApiMethod, string]>) {
    ipcMain.handle(channel, guarded(handlers[method]));
    channels.push(channel);
  }
  if (shell) {
    for (const [method, channel] of Object.entries(SHELL_CHANNELS) as Array<[ShellMethod, string]>) {
      ipcMain.handle(channel, guarded(shell[method]));
      channels.push(channel);
    }
  }
  return channels;
}
