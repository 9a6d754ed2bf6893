/**
 * Files Loupe writes for itself (projects, settings, the index cache) hold the reader's texts or
 * choices: they are readable by their owner only, in folders only their owner can enter, whatever the
 * umask or the permissions of the folders the texts came from. Temporary files are created
 * exclusively under an unpredictable name, so nobody can plant a file or a link where one is written.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Mode of files Loupe writes: owner read/write. */
export const PRIVATE_FILE = 0o600;
/** Mode of folders Loupe makes: owner only. */
const PRIVATE_FOLDER = 0o700;

/** A name beside `file` that nobody can guess: `<file>.<tag.><random>.tmp`. */
export function temporaryName(file: string, tag?: string): string {
  return `${file}.${tag === undefined ? '' : `${tag}.`}${randomBytes(8).toString('hex')}.tmp`;
}

/**
 * Writes `text` to `file` atomically: a new file (created exclusively, readable by its owner only)
 * beside it, flushed, then renamed over the old one. A crash leaves the old file or the new one.
 */
export async function writeAtomically(file: string, text: string | Uint8Array): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/**
 * mkdir -p without Node's `recursive: true`, which spins forever where a parent exists but cannot hold
 * children (a path in /proc, a dangling symlink): ENOENT there is final, not "make the parent first".
 * Folders it makes get `mode` (owner only unless asked otherwise); folders that exist are left alone.
 */
export async function makeFolders(dir: string, mode: number = PRIVATE_FOLDER): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ;) {
    try {
      if ((await fs.stat(d)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a folder, ${d}`), { code: 'ENOTDIR' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const parent = dirname(d);
      if (parent === d) throw e;
      missing.push(d);
      d = parent;
    }
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Makes `dir` (and missing parents) owner-only, and narrows `dir` itself to owner-only if an older
 * version made it wider. Only for folders that are Loupe's own, never a folder the reader chose.
 */
export async function makePrivateFolder(dir: string): Promise<void> {
  await makeFolders(dir, PRIVATE_FOLDER);
  const st = await fs.stat(dir);
  if ((st.mode & 0o077) !== 0 && (typeof process.getuid !== 'function' || st.uid === process.getuid())) {
    await fs.chmod(dir, st.mode & 0o700).catch(() => undefined);
  }
}

/**
 * Whether process `pid` is still running: a temporary file or folder named after its writer's pid is
 * left alone while the writer lives (perhaps a second instance) and removed once it is gone.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
