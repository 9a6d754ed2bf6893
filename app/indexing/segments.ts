/**
 * How a large corpus is cut into segments: consecutive runs of its files, each about a given amount of
 * text, saved in a folder beside the corpus's index under a name that follows from its files' paths. A
 * changed file then rebuilds its own segment only, and a segment no longer wanted is removed once the
 * merged index no longer needs it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SkippedFile } from '../contract/types.js';
import type { SourceFile } from '../corpus/read.js';
import type { SavedManifest } from '../index/persist.js';

export function totalBytes(files: readonly SourceFile[]): number {
  return files.reduce((n, f) => n + f.size, 0);
}

/**
 * The files in runs of about `bytes` each (a file larger than that is a run of its own). A saved index
 * cut from earlier files keeps its cuts: a run still begins at each file that began one, so a file
 * that changed, came or went touches its own run only, and the others keep their segments. Such a run
 * is cut by size only once it holds twice the usual text.
 */
export function segmentGroups(files: readonly SourceFile[], bytes: number, saved?: SavedManifest): SourceFile[][] {
  const cuts = savedCuts(saved);
  const most = cuts.size ? 2 * bytes : bytes;
  const groups: SourceFile[][] = [];
  let group: SourceFile[] = [];
  let size = 0;
  for (const f of files) {
    if (group.length && (cuts.has(f.path) || size + f.size > most)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(f);
    size += f.size;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** The paths that began a segment of the saved index, when it was indexed in segments. */
function savedCuts(saved: SavedManifest | undefined): Set<string> {
  const counts = saved?.segments;
  const cuts = new Set<string>();
  if (!counts || !counts.every((c) => Number.isInteger(c) && c > 0) || counts.reduce((a, b) => a + b, 0) !== saved.files.length)
    return cuts;
  let at = 0;
  for (const c of counts) {
    cuts.add(saved.files[at]!.path);
    at += c;
  }
  return cuts;
}

export function segmentFolder(indexFile: string): string {
  return join(dirname(indexFile), 'segments');
}

/** A segment's file, named by its files' paths. */
export function segmentFile(folder: string, files: readonly SourceFile[]): string {
  const key = createHash('sha256')
    .update(JSON.stringify(files.map((f) => f.path)))
    .digest('hex')
    .slice(0, 24);
  return join(folder, `${key}.loupe`);
}

/** Removes the segment files other than `keep` (segments of files since removed or regrouped). */
export function removeOtherSegments(folder: string, keep: readonly string[]): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  const wanted = new Set(keep);
  for (const name of names) {
    const path = join(folder, name);
    if (name.endsWith('.loupe') && !wanted.has(path)) rmSync(path, { force: true });
  }
}

/** Skipped files once each, in order: every segment lists a sidecar it could not read. */
export function distinctSkipped(skipped: readonly SkippedFile[]): SkippedFile[] {
  const seen = new Set<string>();
  return skipped.filter((s) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
