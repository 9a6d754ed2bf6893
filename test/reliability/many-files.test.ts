/**
 * A corpus of very many small files reads without exhausting file handles: reads run with bounded
 * concurrency (16). The test uses 20,000 files (100,000 takes ~15 s just to create and read on a 2-core
 * CI machine; the code path is the same) and runs the reader in a child process whose open-file limit
 * is 64, so an unbounded reader would hit EMFILE; a control run with concurrency 500 shows that it does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, removeDir, tempDir } from './support.js';

const FILES = 20_000;
const PER_FOLDER = 1_000;
let dir: string;

beforeAll(() => {
  // In memory where there is a tmpfs: creating 20,000 files on a busy disk can take a minute.
  dir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/loupe-rel-many-') : tempDir('many');
  for (let f = 0; f < FILES / PER_FOLDER; f++) {
    const sub = join(dir, `f${String(f).padStart(2, '0')}`);
    mkdirSync(sub);
    for (let i = 0; i < PER_FOLDER; i++) {
      const name = `t${String(i).padStart(4, '0')}.txt`;
      writeFileSync(join(sub, name), `word f${String(f).padStart(2, '0')}/${name}\n`);
    }
  }
});
afterAll(() => removeDir(dir));

function readUnderLimit(concurrency: number) {
  const script = join(ROOT, 'test/reliability/fixtures/read-many.ts');
  const r = spawnSync('bash', ['-c', `ulimit -n 64 && exec "${process.execPath}" --import tsx "${script}" "${dir}" ${concurrency}`], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as {
    names: string[];
    listSkipped: unknown[];
    skipped: number;
    reasons: string[];
    textsMatch: boolean;
    documents: number;
  };
}

describe(`${FILES} small files`, () => {
  it('are all listed and all read, with 64 file handles to go round', () => {
    const out = readUnderLimit(16);
    expect(out.names).toHaveLength(FILES);
    expect(new Set(out.names).size).toBe(FILES);
    expect(out.names.slice(0, 2)).toEqual(['f00/t0000.txt', 'f00/t0001.txt']);
    expect(out.listSkipped).toEqual([]);
    expect(out.skipped).toBe(0);
    expect(out.documents).toBe(FILES);
    expect(out.textsMatch).toBe(true);
  }, 120_000);

  it('control: without the bound, the same limit does bite (so the test above means something)', () => {
    const out = readUnderLimit(500);
    expect(out.skipped).toBeGreaterThan(0);
    expect(out.reasons.join(' ')).toMatch(/EMFILE|too many open files/i);
  }, 120_000);
});
