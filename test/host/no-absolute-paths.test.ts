/**
 * The renderer refers to documents by opaque ids and shows names relative to the corpus folder:
 * no answer it gets (corpus info, progress, lines, texts, passages, exports) carries the absolute
 * path of the reader's files. Run through the same guarded handlers the hosts use, on the real engine.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../app/contract/errors.js';
import type { CorpusInfo, IndexProgress, KwicPage } from '../../app/contract/types.js';
import { Engine } from '../../app/engine.js';
import { createHandlers, type Handlers } from '../../app/host/handlers.js';
import { guardPaths } from '../../app/host/paths.js';

let root: string;
let corpus: string;
let engine: Engine;
let handlers: Handlers;
const progress: IndexProgress[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'loupe-private-home-'));
  corpus = join(root, 'diaries');
  mkdirSync(join(corpus, '1917'), { recursive: true });
  mkdirSync(join(root, 'elsewhere'));
  writeFileSync(join(corpus, 'spring.txt'), 'The bureaucracy met the councils in spring.\n\nThe councils answered.\n');
  writeFileSync(join(corpus, '1917', 'october.txt'), 'In October the councils took power from the bureaucracy.\n');
  writeFileSync(join(root, 'elsewhere', 'secret.txt'), 'Not part of the corpus.\n');
  symlinkSync(join(root, 'elsewhere', 'secret.txt'), join(corpus, 'secret-link.txt'));
  engine = new Engine({ indexDir: join(root, 'index') });
  engine.onProgress((p) => progress.push(p));
  handlers = guardPaths(createHandlers(engine));
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('answers the renderer gets', () => {
  it('never contain the absolute path of the corpus', async () => {
    const opened = await handlers.openCorpus({ paths: [corpus] });
    expect(opened.ok).toBe(true);
    const answers: Record<string, unknown> = {
      opened,
      info: await handlers.corpusInfo(undefined),
      kwic: await handlers.kwic({ query: 'councils', limit: 10 }),
      text: await handlers.documentText({ doc: 0, query: 'councils' }),
      passages: await handlers.passages({ text: 'councils' }),
      freq: await handlers.freq({ limit: 5 }),
      export: await handlers.exportData({ what: 'kwic', format: 'json', kwic: { query: 'councils' } }),
      progress,
    };
    for (const [name, answer] of Object.entries(answers)) {
      const json = JSON.stringify(answer);
      expect(json.length, name).toBeGreaterThan(20);
      expect(json.includes(root), `${name} mentions ${root}`).toBe(false);
    }
    expect(progress.length).toBeGreaterThan(0);
  }, 60_000);

  it('names documents relative to the corpus folder, refers to them by id, and says why a link was skipped', async () => {
    const info = (await handlers.corpusInfo(undefined)) as Result<CorpusInfo>;
    if (!info.ok) throw new Error(info.error.message);
    expect(info.value.documents.map((d) => [d.id, d.name])).toEqual([
      [0, '1917/october.txt'],
      [1, 'spring.txt'],
    ]);
    expect(info.value.skipped).toEqual([{ name: 'secret-link.txt', reason: expect.stringMatching(/outside the corpus folder/) }]);
    const line = (await handlers.kwic({ query: 'October' })) as Result<KwicPage>;
    expect(line.ok && line.value.lines.map((l) => [l.doc, l.docName])).toEqual([[0, '1917/october.txt']]);
  });
});
