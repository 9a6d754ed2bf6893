import { describe, expect, it } from 'vitest';
import { CHANNELS, PROGRESS_CHANNEL } from '../../app/contract/api.js';
import type { Result } from '../../app/contract/errors.js';
import { createHandlers } from '../../app/host/handlers.js';
import { registerIpc, type IpcEventLike, type IpcMainLike, type ShellHandlers } from '../../main/ipc.js';
import { buildLoupeApi, buildLoupeShell, type RendererIpc } from '../../main/preload-api.js';
import { APP_ENTRY } from '../../main/security.js';
import { COMMAND_CHANNEL, SHELL_CHANNELS } from '../../app/contract/shell.js';
import { fakeEngine } from '../host/fake-engine.js';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/** ipcMain as a table of handlers, so a test can invoke a channel the way the renderer would. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
  };
  const invoke = (channel: string, payload: unknown, frame: IpcEventLike['senderFrame']) =>
    handlers.get(channel)!({ senderFrame: frame }, payload) as Promise<Result<unknown>>;
  return { ipc, handlers, invoke };
}

const appFrame = { url: APP_ENTRY, parent: null };
const shellStub: ShellHandlers = {
  getSettings: async () => ({ ok: true, value: 'settings' }),
  updateSettings: async () => ({ ok: true, value: 'updated' }),
  chooseFolder: async () => ({ ok: true, value: [] }),
  chooseFiles: async () => ({ ok: true, value: [] }),
  openExternal: async () => ({ ok: true, value: null }),
};

describe('registerIpc', () => {
  it('registers exactly one handler per API channel and per shell channel', () => {
    const { ipc, handlers } = fakeIpcMain();
    const channels = registerIpc(ipc, createHandlers(fakeEngine()), shellStub);
    const expected = [...Object.values(CHANNELS), ...Object.values(SHELL_CHANNELS)].sort();
    expect([...handlers.keys()].sort()).toEqual(expected);
    expect(channels.sort()).toEqual(expected);
  });

  it('answers the app window and forwards the validated request', async () => {
    const engine = fakeEngine();
    const { ipc, invoke } = fakeIpcMain();
    registerIpc(ipc, createHandlers(engine), shellStub);
    const r = await invoke(CHANNELS.kwic, { query: 'bureaucracy', sort: ['R1'] }, appFrame);
    expect(r.ok).toBe(true);
    expect(engine.calls).toEqual([{ method: 'kwic', request: { query: 'bureaucracy', sort: ['R1'] } }]);
  });

  it.each([
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a subframe of the app', { url: APP_ENTRY, parent: {} }],
    ['a file: page', { url: 'file:///tmp/x.html', parent: null }],
    ['a destroyed frame', null],
  ])('refuses %s with E_FORBIDDEN before looking at the payload', async (_name, frame) => {
    const engine = fakeEngine();
    const { ipc, invoke } = fakeIpcMain();
    registerIpc(ipc, createHandlers(engine), shellStub);
    for (const channel of [CHANNELS.count, CHANNELS.openCorpus, SHELL_CHANNELS.openExternal, SHELL_CHANNELS.getSettings]) {
      const r = await invoke(channel, { query: 'a' }, frame);
      expect(r.ok === false && r.error.code).toBe('E_FORBIDDEN');
    }
    expect(engine.calls).toEqual([]);
  });

  it('refuses a bad payload from the app window with E_PAYLOAD', async () => {
    const engine = fakeEngine();
    const { ipc, invoke } = fakeIpcMain();
    registerIpc(ipc, createHandlers(engine));
    const r = await invoke(CHANNELS.openCorpus, { paths: ['/a\0/b'] }, appFrame);
    expect(r.ok === false && r.error.code).toBe('E_PAYLOAD');
    expect(engine.calls).toEqual([]);
  });

  it('turns a throwing shell handler into a Result', async () => {
    const { ipc, invoke } = fakeIpcMain();
    registerIpc(ipc, createHandlers(fakeEngine()), {
      ...shellStub,
      chooseFolder: async () => {
        throw new Error('no display');
      },
    });
    expect(await invoke(SHELL_CHANNELS.chooseFolder, undefined, appFrame)).toEqual({
      ok: false,
      error: { code: 'E_INTERNAL', message: 'no display' },
    });
  });
});

describe('preload API', () => {
  function recordingIpc() {
    const invoked: Array<[string, unknown]> = [];
    const subscribers = new Map<string, Set<(p: unknown) => void>>();
    const ipc: RendererIpc = {
      invoke: async (channel, payload) => {
        invoked.push([channel, payload]);
        return { ok: true, value: channel };
      },
      subscribe(channel, listener) {
        const set = subscribers.get(channel) ?? new Set();
        set.add(listener);
        subscribers.set(channel, set);
        return () => set.delete(listener);
      },
    };
    const emit = (channel: string, payload: unknown) => subscribers.get(channel)?.forEach((l) => l(payload));
    return { ipc, invoked, emit, subscribers };
  }

  it('exposes exactly the LoupeApi methods as plain functions, nothing of ipcRenderer', () => {
    const api = buildLoupeApi(recordingIpc().ipc) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...Object.keys(CHANNELS), 'onProgress'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const leak of ['invoke', 'send', 'on', 'sendSync', 'ipcRenderer', 'subscribe']) expect(api).not.toHaveProperty(leak);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each method on its own channel with the request as given', async () => {
    const { ipc, invoked } = recordingIpc();
    const api = buildLoupeApi(ipc);
    await api.count({ query: 'bureaucracy' });
    await api.corpusInfo();
    expect(invoked).toEqual([
      [CHANNELS.count, { query: 'bureaucracy' }],
      [CHANNELS.corpusInfo, undefined],
    ]);
  });

  it('delivers progress events without the IPC event object and unsubscribes', () => {
    const { ipc, emit, subscribers } = recordingIpc();
    const api = buildLoupeApi(ipc);
    const seen: unknown[] = [];
    const stop = api.onProgress((p) => seen.push(p));
    emit(PROGRESS_CHANNEL, { phase: 'reading', done: 1, total: 3 });
    stop();
    emit(PROGRESS_CHANNEL, { phase: 'reading', done: 2, total: 3 });
    expect(seen).toEqual([{ phase: 'reading', done: 1, total: 3 }]);
    expect(subscribers.get(PROGRESS_CHANNEL)?.size).toBe(0);
  });

  it('gives the shell its named functions, menu commands and a pathForFile that never throws', async () => {
    const { ipc, invoked, emit } = recordingIpc();
    const shell = buildLoupeShell(ipc, () => {
      throw new Error('not a file from disk');
    });
    await shell.updateSettings({ theme: 'dark' });
    await shell.openExternal('https://www.marxists.org/');
    expect(invoked).toEqual([
      [SHELL_CHANNELS.updateSettings, { theme: 'dark' }],
      [SHELL_CHANNELS.openExternal, 'https://www.marxists.org/'],
    ]);
    expect(shell.pathForFile({} as File)).toBe('');
    const commands: unknown[] = [];
    shell.onCommand((c) => commands.push(c));
    emit(COMMAND_CHANNEL, { type: 'view', index: 3 });
    expect(commands).toEqual([{ type: 'view', index: 3 }]);
  });
});
