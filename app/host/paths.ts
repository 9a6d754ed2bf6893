/**
 * The path guard of both hosts (Electron main and the web host). Every file-system path that comes
 * from the renderer, or from another instance's command line, passes here before the engine sees
 * it. The renderer is not trusted: it may only name real files and folders by full paths, the way
 * a dialog, a drop or the reader's own typing gives them.
 *
 * Refused with E_PATH: non-strings and empty strings, NUL bytes (they truncate paths in C APIs),
 * any `..` segment (a chosen path never needs one; a built one uses it to climb out), relative paths
 * when there is no folder to resolve them against, and paths that do not exist or are neither a
 * file nor a folder. Symbolic links inside a chosen folder that lead out of it are the engine's
 * business (app/corpus/read.ts skips them with a reason).
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fail, ok, type Result } from '../contract/errors.js';
import { LIMITS } from '../contract/schema.js';
import type { Handler, Handlers } from './handlers.js';

export interface PathCheckOptions {
  /**
   * The folder relative paths are resolved against (a second instance's working folder). Without
   * one, a relative path is refused: the renderer has no working folder it could mean.
   */
  base?: string;
}

/** Shown in messages: long or odd paths are cut, control characters made visible. */
function shown(p: string): string {
  const safe = JSON.stringify(p.length > 200 ? `${p.slice(0, 200)}…` : p);
  return safe.slice(1, -1);
}

/** The syntactic checks, without touching the disk. Returns the absolute path or a failure. */
export function checkPathSyntax(input: unknown, opts: PathCheckOptions = {}): Result<string> {
  if (typeof input !== 'string' || input.length === 0) return fail('E_PATH', 'A path is empty or not text.');
  if (input.includes('\0')) return fail('E_PATH', `A path contains a NUL byte: ${shown(input)}`);
  if (input.split(/[\\/]/).includes('..')) {
    return fail('E_PATH', `A path may not contain '..': ${shown(input)}`);
  }
  if (!isAbsolute(input)) {
    if (opts.base === undefined || !isAbsolute(opts.base)) {
      return fail('E_PATH', `Give the full path of a folder or file, not ${shown(input)}`);
    }
    return ok(resolve(opts.base, input));
  }
  return ok(resolve(input));
}

/** Checks every path (syntax, then existence); the resolved absolute paths, or the first failure. */
export async function checkInputPaths(inputs: readonly unknown[], opts: PathCheckOptions = {}): Promise<Result<string[]>> {
  if (inputs.length === 0) return fail('E_PATH', 'No path given.');
  const out: string[] = [];
  for (const input of inputs) {
    const syntax = checkPathSyntax(input, opts);
    if (!syntax.ok) return syntax;
    let st;
    try {
      st = await stat(syntax.value);
    } catch {
      return fail('E_PATH', `No such file or folder: ${shown(syntax.value)}`);
    }
    if (!st.isFile() && !st.isDirectory()) {
      return fail('E_PATH', `Not a file or a folder: ${shown(syntax.value)}`);
    }
    out.push(syntax.value);
  }
  return ok(out);
}

type PathSlot = {
  get(payload: Record<string, unknown>): unknown;
  set(payload: Record<string, unknown>, paths: string[]): Record<string, unknown>;
};

/** Where each method's request carries paths: openCorpus.paths, keywords.reference, exportData.keywords.reference. */
const PATH_SLOTS: Partial<Record<keyof Handlers, PathSlot>> = {
  openCorpus: {
    get: (p) => p.paths,
    set: (p, paths) => ({ ...p, paths }),
  },
  keywords: {
    get: (p) => p.reference,
    set: (p, paths) => ({ ...p, reference: paths }),
  },
  exportData: {
    get: (p) => (isRecord(p.keywords) ? p.keywords.reference : undefined),
    set: (p, paths) => ({ ...p, keywords: { ...(p.keywords as Record<string, unknown>), reference: paths } }),
  },
};

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const PROJECT_SUFFIX = '.loupe.json';

/**
 * A project file named by the renderer: a full path ending in `.loupe.json`, so a page can never
 * have the host write (or read as a project) any other kind of file. An existing file must be a
 * file; a new one must not exist yet and its folder must.
 */
async function checkProjectPath(input: unknown, opts: PathCheckOptions & { exists: boolean }): Promise<Result<string>> {
  const syntax = checkPathSyntax(input, opts);
  if (!syntax.ok) return syntax;
  const file = syntax.value;
  if (!file.endsWith(PROJECT_SUFFIX)) return fail('E_PATH', `A project file's name ends in ${PROJECT_SUFFIX}: ${shown(file)}`);
  const st = await stat(file).catch(() => undefined);
  if (opts.exists) {
    if (!st?.isFile()) return fail('E_PATH', `No such project file: ${shown(file)}`);
  } else {
    const dir = await stat(dirname(file)).catch(() => undefined);
    if (!dir?.isDirectory()) return fail('E_PATH', `No such folder: ${shown(dirname(file))}`);
  }
  return ok(file);
}

/** Where a request names a project file: openProject.file (must exist), newProject.file (may not yet). */
const PROJECT_SLOTS: Partial<Record<keyof Handlers, { exists: boolean }>> = {
  openProject: { exists: true },
  newProject: { exists: false },
};

/**
 * The handlers with every path in a request checked first and replaced by its resolved form.
 * A payload of the wrong shape passes through untouched: the handler's own schema answers E_PAYLOAD.
 */
export function guardPaths(handlers: Handlers, opts: PathCheckOptions = {}): Handlers {
  const guarded: Handlers = { ...handlers };
  for (const [method, slot] of Object.entries(PROJECT_SLOTS) as Array<[keyof Handlers, { exists: boolean }]>) {
    const inner: Handler = handlers[method];
    guarded[method] = async (payload: unknown) => {
      if (!isRecord(payload) || payload.file === undefined) return inner(payload);
      const checked = await checkProjectPath(payload.file, { ...opts, exists: slot.exists });
      if (!checked.ok) return checked;
      return inner({ ...payload, file: checked.value });
    };
  }
  for (const [method, slot] of Object.entries(PATH_SLOTS) as Array<[keyof Handlers, PathSlot]>) {
    const inner: Handler = handlers[method];
    guarded[method] = async (payload: unknown) => {
      if (!isRecord(payload)) return inner(payload);
      const paths = slot.get(payload);
      if (!Array.isArray(paths)) return inner(payload);
      // Empty or oversized lists are the schema's to refuse (E_PAYLOAD), before any disk access.
      if (paths.length === 0 || paths.length > LIMITS.paths) return inner(payload);
      const checked = await checkInputPaths(paths, opts);
      if (!checked.ok) return checked;
      return inner(slot.set(payload, checked.value));
    };
  }
  return guarded;
}
