/**
 * The one set of request handlers behind every host: Electron main (and its engine process) and
 * the web-mode host call exactly these. Each handler validates its payload, calls the engine and
 * resolves to a Result; none of them ever throws or rejects, whatever the payload or the engine does.
 */
import type { ApiMethod, LoupeApi } from '../contract/api.js';
import { CHANNELS } from '../contract/api.js';
import { fail, toLoupeError, type Result } from '../contract/errors.js';
import { parsePayload } from '../contract/schema.js';

/** What the handlers need from the engine: LoupeApi's request methods (class Engine has them all). */
export type EngineApi = Pick<LoupeApi, ApiMethod>;
export type Handler = (payload: unknown) => Promise<Result<unknown>>;
export type Handlers = Record<ApiMethod, Handler>;

export interface HandlerOptions {
  /**
   * Settles when the host's start-up corpus has been opened (or failed to open). Requests other
   * than cancelIndexing wait for it, so a renderer that asks early sees the corpus, not an error.
   */
  ready?: Promise<unknown>;
}

export const API_METHODS = Object.keys(CHANNELS) as ApiMethod[];

export function createHandlers(engine: EngineApi, opts: HandlerOptions = {}): Handlers {
  const ready = opts.ready?.then(
    () => undefined,
    () => undefined,
  );
  const handlers = {} as Handlers;
  for (const method of API_METHODS) {
    handlers[method] = async (payload: unknown): Promise<Result<unknown>> => {
      try {
        const request = parsePayload(method, payload);
        if (!request.ok) return request;
        if (ready && method !== 'cancelIndexing') await ready;
        // The schema has checked the payload against this method's request type.
        const call = engine[method] as (req: unknown) => Promise<Result<unknown>>;
        const result = await call.call(engine, request.value);
        if (!isResult(result)) return fail('E_INTERNAL', `The engine returned no result for ${method}.`);
        return result;
      } catch (e) {
        return { ok: false, error: toLoupeError(e) };
      }
    };
  }
  return handlers;
}

function isResult(x: unknown): x is Result<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}
