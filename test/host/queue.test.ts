/**
 * The web host's queue in front of the engine: one call at a time, lanes (API methods) served in
 * turn, a waiting call superseded by a newer one with the same key, a call whose client left
 * dropped; and the same through HTTP with a stand-in engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../app/host/handlers.js';
import { FairQueue, NEVER_SUPERSEDED, SUPERSEDABLE, UNQUEUED } from '../../app/host/queue.js';
import { startWebHost, VIEW_HEADER, type WebHost } from '../../app/host/web-host.js';
import type { Result } from '../../app/contract/errors.js';
import { fakeEngine } from './fake-engine.js';
import { send } from './http-client.js';

const CANCELLED = 'cancelled';

/** Tasks that finish when the test says so, recording the order they started in. */
function gate() {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const task = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      release.set(name, () => resolve(name));
    });
  const finish = async (name: string) => {
    release.get(name)!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { started, task, finish };
}

describe('FairQueue', () => {
  it('runs one call at a time and takes the lanes in turn, oldest first within a lane', async () => {
    const q = new FairQueue<string>(() => CANCELLED);
    const g = gate();
    const all = [
      q.run('kwic', g.task('kwic-1')),
      q.run('kwic', g.task('kwic-2')),
      q.run('kwic', g.task('kwic-3')),
      q.run('kwic', g.task('kwic-4')),
      q.run('count', g.task('count-1')),
      q.run('freq', g.task('freq-1')),
      q.run('count', g.task('count-2')),
    ];
    expect(g.started).toEqual(['kwic-1']);
    expect(q.running).toBe(1);
    expect(q.waiting).toBe(6);
    for (const name of ['kwic-1', 'kwic-2', 'count-1', 'freq-1', 'kwic-3', 'count-2', 'kwic-4']) await g.finish(name);
    // After kwic-1, the lanes take turns: a flood of one method does not hold up the others.
    expect(g.started).toEqual(['kwic-1', 'kwic-2', 'count-1', 'freq-1', 'kwic-3', 'count-2', 'kwic-4']);
    expect(await Promise.all(all)).toEqual(['kwic-1', 'kwic-2', 'kwic-3', 'kwic-4', 'count-1', 'freq-1', 'count-2']);
    expect(q.waiting).toBe(0);
    expect(q.running).toBe(0);
  });

  it('answers a waiting call at once when a newer one with its key comes, and never runs it', async () => {
    const q = new FairQueue<string>(() => CANCELLED);
    const g = gate();
    const first = q.run('kwic', g.task('a'), { supersede: 'kwic view-1' });
    const older = q.run('kwic', g.task('ab'), { supersede: 'kwic view-1' });
    const other = q.run('kwic', g.task('x'), { supersede: 'kwic view-2' });
    const plain = q.run('kwic', g.task('plain'));
    const newer = q.run('kwic', g.task('abc'), { supersede: 'kwic view-1' });
    expect(await older).toBe(CANCELLED);
    await g.finish('a'); // the one already running is not superseded: it runs to its end
    expect(await first).toBe('a');
    await g.finish('x');
    await g.finish('plain');
    await g.finish('abc');
    expect(await Promise.all([other, plain, newer])).toEqual(['x', 'plain', 'abc']);
    expect(g.started).toEqual(['a', 'x', 'plain', 'abc']);
  });

  it('drops a waiting call whose client has gone, and refuses one that has already gone', async () => {
    const q = new FairQueue<string>(() => CANCELLED);
    const g = gate();
    const running = q.run('kwic', g.task('running'));
    const leaving = new AbortController();
    const left = q.run('count', g.task('left'), { signal: leaving.signal });
    const gone = new AbortController();
    gone.abort();
    expect(await q.run('count', g.task('never'), { signal: gone.signal })).toBe(CANCELLED);
    leaving.abort();
    expect(await left).toBe(CANCELLED);
    expect(q.waiting).toBe(0);
    await g.finish('running');
    expect(await running).toBe('running');
    expect(g.started).toEqual(['running']);
  });

  it("passes a failing call's error to its caller and goes on with the next", async () => {
    const q = new FairQueue<string>(() => CANCELLED);
    const bad = q.run('kwic', () => Promise.reject(new Error('boom')));
    const thrown = q.run('kwic', () => {
      throw new Error('thrown');
    });
    const good = q.run('count', async () => 'fine');
    await expect(bad).rejects.toThrow('boom');
    await expect(thrown).rejects.toThrow('thrown');
    expect(await good).toBe('fine');
  });

  it('says of every API method whether it may be superseded, and queues all but cancelIndexing', () => {
    for (const m of API_METHODS) expect(SUPERSEDABLE.has(m) !== NEVER_SUPERSEDED.has(m)).toBe(true);
    for (const m of ['openCorpus', 'openProject', 'newProject', 'updateProject', 'codeLines', 'exportData'] as const) {
      expect(SUPERSEDABLE.has(m)).toBe(false);
    }
    expect([...UNQUEUED]).toEqual(['cancelIndexing']);
  });
});

describe("the web host's queue, through HTTP", () => {
  let dist: string;
  let host: WebHost;
  const held: Array<() => void> = [];
  const seen: string[] = [];
  const hold =
    (label: string) =>
    (req: unknown): Promise<Result<unknown>> => {
      seen.push(`${label} ${JSON.stringify(req)}`);
      return new Promise((resolve) => held.push(() => resolve({ ok: true, value: req })));
    };

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'loupe-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Loupe</title>');
    host = await startWebHost({
      engine: fakeEngine({ kwic: hold('kwic'), count: hold('count'), openCorpus: hold('openCorpus') }),
      rendererDir: dist,
      openAtStart: false,
    });
  });
  afterAll(async () => {
    await host.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const call = (method: string, payload: unknown, view?: string) =>
    send(host.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: { 'content-type': 'application/json', 'x-loupe-token': host.token, ...(view ? { [VIEW_HEADER]: view } : {}) },
      body: JSON.stringify(payload),
    }).then((r) => JSON.parse(r.body) as Result<unknown>);
  const settle = () => new Promise((r) => setTimeout(r, 50));
  const releaseAll = async () => {
    while (held.length > 0) {
      held.shift()!();
      await settle();
    }
  };

  it("supersedes a view's waiting kwic, keeps other views' and unnamed calls, never supersedes openCorpus", async () => {
    seen.length = 0;
    const running = call('count', { query: 'slow' }, 'status');
    await settle();
    const older = call('kwic', { query: 'a' }, 'concordance-1');
    const otherView = call('kwic', { query: 'x' }, 'concordance-2');
    const unnamed1 = call('kwic', { query: 'p1' });
    await settle();
    const unnamed2 = call('kwic', { query: 'p2' });
    const open1 = call('openCorpus', {}, 'corpus');
    await settle();
    const open2 = call('openCorpus', {}, 'corpus');
    const newer = call('kwic', { query: 'ab' }, 'concordance-1');
    expect(await older).toEqual({ ok: false, error: { code: 'E_CANCELLED', message: 'Superseded by a newer request.' } });
    await releaseAll();
    const answers = await Promise.all([running, otherView, unnamed1, unnamed2, open1, open2, newer]);
    for (const a of answers) expect(a.ok).toBe(true);
    expect(seen).not.toContain('kwic {"query":"a"}');
    expect(seen.filter((s) => s.startsWith('openCorpus'))).toHaveLength(2);
  });

  it('takes a waiting call out of the queue when its client goes away', async () => {
    seen.length = 0;
    const busy = call('count', { query: 'busy' });
    await settle();
    const body = JSON.stringify({ query: 'abandoned' });
    const abandoned = request({
      host: '127.0.0.1',
      port: host.port,
      method: 'POST',
      path: '/api/kwic',
      headers: { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json', 'x-loupe-token': host.token },
    });
    abandoned.on('error', () => {});
    abandoned.end(body);
    await settle();
    abandoned.destroy();
    await settle();
    await releaseAll();
    expect((await busy).ok).toBe(true);
    expect(seen).toEqual(['count {"query":"busy"}']);
  });

  it('answers a static file and a bad payload at once while the engine is busy', async () => {
    const busy = call('count', { query: 'slow' });
    await settle();
    expect((await send(host.port, { path: '/' })).status).toBe(200);
    expect(await call('kwic', { query: 'a', limit: -5 })).toMatchObject({ ok: false, error: { code: 'E_PAYLOAD' } });
    await releaseAll();
    expect((await busy).ok).toBe(true);
  });
});
