/**
 * Watching a corpus's folders and files (chokidar): a burst of edits (an editor saving, a sync tool
 * copying a folder) becomes one callback after the files have settled, with the paths that changed.
 * Hidden files and files Loupe does not read are ignored, so a swap file or `.DS_Store` never
 * causes a re-index; the files named as inputs are always watched, whatever their names.
 */
import type * as Chokidar from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { lazyPackage } from '../structures/lazy-package.js';
import { basename, extname, resolve, sep } from 'node:path';
import { SUPPORTED_EXTENSIONS } from './formats/index.js';
import { SIDECAR_NAME } from './read.js';

const chokidar = lazyPackage<typeof Chokidar>('chokidar');

export type ChangeKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface CorpusChangeBatch {
  /** Absolute paths with what happened to them, in arrival order (a path may appear more than once). */
  changes: Array<{ kind: ChangeKind; path: string }>;
}

export interface WatchOptions {
  /** Quiet time after the last event before the callback (default 300 ms). */
  debounceMs?: number;
  /** A file must keep its size this long before it counts as written (default 200 ms). */
  stableMs?: number;
  /** Folders never to watch inside (the index cache, when someone keeps it in the corpus folder). */
  ignore?: string[];
  onError?: (error: Error) => void;
}

export interface CorpusWatcher {
  /** Settles once the initial scan is done: changes after this are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function watchCorpus(inputs: string[], onChange: (batch: CorpusChangeBatch) => void, opts: WatchOptions = {}): CorpusWatcher {
  const roots = new Set(inputs.map((p) => resolve(p)));
  const ignoredDirs = (opts.ignore ?? []).map((d) => resolve(d));
  const isIgnored = (path: string, isFile: boolean | undefined): boolean => {
    const abs = resolve(path);
    if (roots.has(abs)) return false;
    if (ignoredDirs.some((d) => abs === d || abs.startsWith(d + sep))) return true;
    const name = basename(abs);
    if (name.startsWith('.')) return true;
    // Folders are walked; a file counts only if Loupe reads it (or it is the metadata sidecar).
    if (isFile) return name !== SIDECAR_NAME && !SUPPORTED_EXTENSIONS.has(extname(name).toLowerCase());
    return false;
  };
  const watcher: FSWatcher = chokidar().watch([...roots], {
    ignoreInitial: true,
    persistent: true,
    ignored: (path, stats) => isIgnored(path, stats ? stats.isFile() : undefined),
    awaitWriteFinish: { stabilityThreshold: opts.stableMs ?? 200, pollInterval: 50 },
  });
  let pending: CorpusChangeBatch['changes'] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const flush = () => {
    timer = undefined;
    if (closed || pending.length === 0) return;
    const batch = { changes: pending };
    pending = [];
    onChange(batch);
  };
  watcher.on('all', (event, path) => {
    if (event !== 'add' && event !== 'change' && event !== 'unlink' && event !== 'addDir' && event !== 'unlinkDir') return;
    // Without stats (unlink), the extension decides whether it was a file Loupe read.
    if ((event === 'unlink' || event === 'change' || event === 'add') && isIgnored(path, true)) return;
    pending.push({ kind: event, path: resolve(path) });
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, opts.debounceMs ?? 300);
  });
  watcher.on('error', (e) => opts.onError?.(e instanceof Error ? e : new Error(String(e))));
  const ready = new Promise<void>((res) => watcher.once('ready', () => res()));
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
