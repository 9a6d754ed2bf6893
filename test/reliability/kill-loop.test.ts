/**
 * SIGKILL at any moment while a corpus is indexed and saved, again and again: afterwards the corpus
 * always opens (the old index, the new one, or a rebuild) with exactly the figures of a fresh build of
 * the files as they are, and killed writers leave no temporary files behind for good.
 *
 * Each round changes the corpus, starts a child that opens it (re-indexing and saving) and then saves
 * in a loop, and kills it: on even rounds at a random moment between the child's start and the time
 * its first open took (so before, during or just after the first save), on odd rounds a random few
 * milliseconds after it has opened (mostly mid-save). Kills are timed from the child's own "starting"
 * line, not from the spawn, so a slow or fast interpreter start does not decide which path is taken;
 * round 0 kills at once so the rebuild path is always exercised.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndexSync } from '../../app/indexing/build.js';
import { seededRandom } from '../../app/query/kwic.js';
import { runQuery } from '../../app/query/run.js';
import { brownTexts } from '../../scripts/brown.js';
import { indexFilesIn, temporariesIn } from './index-file.js';
import { open, removeDir, ROOT, tempDir, writeFiles } from './support.js';

const ROUNDS = 16;
let corpus: string;
let cache: string;

beforeAll(() => {
  corpus = tempDir('kill');
  cache = tempDir('kill-cache');
  writeFiles(corpus, Object.fromEntries(brownTexts(5).map((b) => [`${b.id}.txt`, b.text])));
});
afterAll(() => {
  removeDir(corpus);
  removeDir(cache);
});

function fresh() {
  const names = readdirSync(corpus).sort();
  const index = buildIndexSync(names.map((name) => ({ name, path: join(corpus, name), text: readFileSync(join(corpus, name), 'utf8') })));
  return { tokens: index.tokenCount, zebra: runQuery(index, 'zebra').starts.length, the: runQuery(index, 'the').starts.length };
}

/**
 * Starts the child and SIGKILLs it `delay` ms after its "starting" line, or after its "opened" line
 * when `afterOpen`. Reports how long the child took from starting to opened, when it got that far.
 */
function runAndKill(indexFile: string, delay: number, afterOpen: boolean): Promise<{ opened: boolean; openMs: number | null }> {
  const script = join(ROOT, 'test/reliability/fixtures/save-forever.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, corpus, cache, indexFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let started = 0;
  let openMs: number | null = null;
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const kill = () => setTimeout(() => child.kill('SIGKILL'), delay);
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!started && stdout.includes('starting\n')) {
      started = performance.now();
      if (!afterOpen) kill();
    }
    if (openMs === null && stdout.includes('opened')) {
      openMs = performance.now() - started;
      if (afterOpen) kill();
    }
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (${code}): ${stderr}`));
      else resolve({ opened: openMs !== null, openMs });
    }),
  );
}

describe('SIGKILL while indexing and saving, repeated', () => {
  it(`${ROUNDS} rounds: the corpus always opens with the right figures`, async () => {
    const first = await open([corpus], cache);
    const [indexFile] = indexFilesIn(cache) as [string];
    expect(first.info.tokens).toBe(fresh().tokens);
    const rand = seededRandom(20261127);
    const outcomes = { reused: 0, rebuilt: 0, killedMidRun: 0, killedAfterOpen: 0 };
    // How long a child takes from starting to opened; learnt from the children that got that far.
    let openMs = 500;
    for (let round = 0; round < ROUNDS; round++) {
      appendFileSync(join(corpus, `${brownTexts(5)[round % 5]!.id}.txt`), `\nRound ${round}: a zebra.\n`);
      const afterOpen = round % 2 === 1;
      const delay = afterOpen ? Math.floor(rand() * 30) : round === 0 ? 0 : Math.floor(rand() * openMs * 1.2);
      const r = await runAndKill(indexFile, delay, afterOpen);
      if (r.openMs !== null) openMs = r.openMs;
      if (afterOpen) outcomes.killedAfterOpen++;
      else if (!r.opened) outcomes.killedMidRun++;
      const o = await open([corpus], cache);
      const want = fresh();
      expect({
        tokens: o.info.tokens,
        zebra: runQuery(o.index, 'zebra').starts.length,
        the: runQuery(o.index, 'the').starts.length,
      }).toEqual(want);
      expect(want.zebra).toBe(round + 1);
      if (o.info.reused) outcomes.reused++;
      else outcomes.rebuilt++;
    }
    // Both endings happened: a child that finished its first save before dying (index reused), and one killed before.
    expect(outcomes.reused).toBeGreaterThan(0);
    expect(outcomes.rebuilt).toBeGreaterThan(0);
    // Killed writers' temporaries are swept by the next save.
    appendFileSync(join(corpus, 'ca01.txt'), '\nOne more zebra.\n');
    await open([corpus], cache);
    expect(temporariesIn(cache)).toEqual([]);
  }, 150_000);
});
