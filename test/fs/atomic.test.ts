import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFolders, temporaryName, writeAtomically } from '../../app/fs/atomic.js';
import { writeAtomically as fromProject } from '../../app/project/project.js';

describe('private files and folders', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'loupe-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names temporary files unpredictably, beside the file, keeping an optional tag first', () => {
    const file = join(dir, 'index.loupe');
    const names = new Set(Array.from({ length: 50 }, () => temporaryName(file, '123')));
    expect(names.size).toBe(50);
    for (const n of names) expect(basename(n)).toMatch(/^index\.loupe\.123\.[0-9a-f]{16}\.tmp$/);
    expect(basename(temporaryName(file))).toMatch(/^index\.loupe\.[0-9a-f]{16}\.tmp$/);
  });

  it('is the same writer the project module exports', () => {
    expect(fromProject).toBe(writeAtomically);
  });

  it.runIf(process.platform !== 'win32')('writes 0600 files and makes 0700 folders', async () => {
    const umask = process.umask(0o022);
    try {
      await makeFolders(join(dir, 'a', 'b'));
      expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
      await writeAtomically(join(dir, 'a', 'b', 'x.json'), '{}\n');
      expect(statSync(join(dir, 'a', 'b', 'x.json')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'a', 'b', 'x.json'), 'utf8')).toBe('{}\n');
      expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['x.json']);
    } finally {
      process.umask(umask);
    }
  });
});
