/**
 * The preload: runs sandboxed and context-isolated, so it only wires ipcRenderer to the two
 * objects the page may see, `window.loupe` (LoupeApi) and `window.loupeShell`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildLoupeApi, buildLoupeShell, type RendererIpc } from './preload-api.js';

const ipc: RendererIpc = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe(channel, listener) {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward as (...args: unknown[]) => void);
    };
  },
};

contextBridge.exposeInMainWorld('loupe', buildLoupeApi(ipc));
contextBridge.exposeInMainWorld(
  'loupeShell',
  buildLoupeShell(ipc, (file) => webUtils.getPathForFile(file)),
);
