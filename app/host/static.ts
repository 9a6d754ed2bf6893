/**
 * Static files of the built renderer: URL path -> file inside the root, never outside it.
 * Shared by the web host and Electron's `loupe://app/` protocol handler.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The relative file path a URL path names, or null when it tries to leave the root or is malformed.
 * Works on the raw path, before any URL normalisation could quietly resolve `..` segments, and
 * refuses encoded separators, NUL bytes and dot segments outright rather than resolving them.
 */
export function relativeFileOf(rawPath: string): string | null {
  const path = rawPath.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/')) return null;
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..') return null;
    if (/[\\/\0:]/.test(segment)) return null;
    if (segment !== '') segments.push(segment);
  }
  // A directory (or the root) means its index.html.
  if (segments.length === 0 || path.endsWith('/')) segments.push('index.html');
  return segments.join('/');
}

/** The absolute path of an existing regular file for this URL path, inside root (symlinks included). */
export async function resolveStaticFile(root: string, rawPath: string): Promise<string | null> {
  const relative = relativeFileOf(rawPath);
  return relative === null ? null : resolveRelativeFile(root, relative);
}

/** As resolveStaticFile, for a relative path relativeFileOf has already checked. */
export async function resolveRelativeFile(root: string, relative: string): Promise<string | null> {
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(realRoot, ...relative.split('/')));
    if (!file.startsWith(realRoot + sep)) return null;
    const info = await stat(file);
    return info.isFile() ? file : null;
  } catch {
    return null;
  }
}
