/**
 * Where the renderer's LoupeApi comes from: the Electron preload (window.loupe), the web-mode
 * host (HTTP + server-sent events, token in the URL hash), or, with `?mock` in the URL, a tiny
 * in-page mock for working on the UI without an engine.
 */
import type { LoupeApi } from '../../app/contract/api';
import { CHANNELS } from '../../app/contract/api';
import type { Result } from '../../app/contract/errors';
import type { IndexProgress } from '../../app/contract/types';
import type { CorpusChanges } from './lib/state.svelte';

/**
 * Not part of LoupeApi: the web host started with `--watch` says when the open corpus re-indexed
 * (its new CorpusInfo). The desktop app and the mock have no such source.
 */
/**
 * `forView(id)`: the same API with each call marked as coming from view `id`, so the web host may
 * drop a call of that view still waiting when a newer one comes (it answers the older E_CANCELLED;
 * the view has already moved on from it). Absent where calls are never superseded (Electron).
 */
export type RendererApi = LoupeApi & { onCorpusChanged?: CorpusChanges; forView?: (id: string) => LoupeApi };

declare global {
  interface Window {
    loupe?: LoupeApi;
  }
}

export async function resolveApi(): Promise<RendererApi> {
  if (window.loupe) return window.loupe;
  if (new URLSearchParams(location.search).has('mock')) {
    const { createMockApi } = await import('./mock-api');
    return createMockApi();
  }
  return createWebApi(readToken());
}

function readToken(): string {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = hash.get('token');
  if (fromHash) {
    // A reload from a URL without the hash (a bookmark, a typed address) still finds the token.
    sessionStorage.setItem('loupe-token', fromHash);
    return fromHash;
  }
  return sessionStorage.getItem('loupe-token') ?? '';
}

/** Every method is `POST /api/<method>` with the token header; the response body is a Result. */
function createWebApi(token: string): RendererApi {
  const api = methods(token, undefined);
  const byView = new Map<string, LoupeApi>();
  api.forView = (id: string) => {
    let a = byView.get(id);
    if (!a) byView.set(id, (a = methods(token, id) as unknown as LoupeApi));
    return a;
  };
  api.onProgress = (listener: (p: IndexProgress) => void) => listen(token, 'progress', listener);
  api.onCorpusChanged = ((listener) => listen(token, 'corpus', listener)) satisfies CorpusChanges;
  return api as unknown as RendererApi;
}

function methods(token: string, view: string | undefined): Record<string, unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-loupe-token': token };
  if (view) headers['x-loupe-view'] = view;
  const call = async (method: string, req: unknown): Promise<Result<unknown>> => {
    try {
      const body = JSON.stringify(req ?? {});
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers,
        body,
        // A small request (a project's view state sent as the page closes) outlives the page;
        // browsers allow that only below 64 KB.
        keepalive: body.length < 60_000,
      });
      const text = await res.text();
      try {
        return JSON.parse(text) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'E_INTERNAL', message: `HTTP ${res.status}: ${text.slice(0, 200)}` } };
      }
    } catch (e) {
      return { ok: false, error: { code: 'E_INTERNAL', message: `The Loupe host did not answer (${String(e)})` } };
    }
  };
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(CHANNELS)) {
    api[method] = (req: unknown) => call(method, req);
  }
  return api;
}

/** One EventSource per listener on the host's event stream, for frames of one event name. */
function listen<T>(token: string, event: 'progress' | 'corpus', listener: (value: T) => void): () => void {
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  const onEvent = (ev: MessageEvent<string>) => {
    let value: T;
    try {
      value = JSON.parse(ev.data) as T;
    } catch {
      return; // a malformed event is not worth breaking the UI for
    }
    listener(value);
  };
  source.addEventListener(event, onEvent as EventListener);
  return () => {
    source.removeEventListener(event, onEvent as EventListener);
    source.close();
  };
}
