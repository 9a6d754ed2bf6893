/**
 * A stand-in engine for host tests that must not depend on indexing: it records the requests it
 * receives and answers with them, so a test sees exactly what crossed the validation boundary.
 */
import type { ApiMethod } from '../../app/contract/api.js';
import type { Result } from '../../app/contract/errors.js';
import type { IndexProgress } from '../../app/contract/types.js';
import { API_METHODS } from '../../app/host/handlers.js';
import type { HostEngine } from '../../app/host/web-host.js';

export interface FakeEngine extends HostEngine {
  calls: Array<{ method: ApiMethod; request: unknown }>;
  emit(p: IndexProgress): void;
  listeners(): number;
}

export function fakeEngine(overrides: Partial<Record<ApiMethod, (req: unknown) => Promise<Result<unknown>>>> = {}): FakeEngine {
  const listeners = new Set<(p: IndexProgress) => void>();
  const calls: FakeEngine['calls'] = [];
  const engine: Record<string, unknown> = {
    calls,
    emit: (p: IndexProgress) => listeners.forEach((l) => l(p)),
    listeners: () => listeners.size,
    onProgress(listener: (p: IndexProgress) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  for (const method of API_METHODS) {
    engine[method] = async (request: unknown): Promise<Result<unknown>> => {
      calls.push({ method, request });
      const override = overrides[method];
      if (override) return override(request);
      return { ok: true, value: { method, request: request ?? null } };
    };
  }
  return engine as unknown as FakeEngine;
}
