/**
 * The web host under a bounded load, over loopback, with its engine in its own process: a Brown
 * corpus big enough for queries to take real time, a fixed number of clients sending a fixed mix of
 * calls (load-driver.ts), then it stops. No connection may be dropped and every call must be
 * answered (E_CANCELLED only for a call its own view superseded). Latency is printed, not asserted:
 * it depends on the machine. And while the engine works on a slow call, the host still answers at
 * once what it answers itself (a static file, a refused payload): its event loop is free.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../app/host/web-host.js';
import { removeDir, writeBrownCorpus } from '../support/corpus.js';
import { api, send } from './http-client.js';
import { runLoad, summary } from './load-driver.js';

const TEXTS = 500; // all of Brown, about 1.2 million tokens
const CLIENTS = 24;
const STEPS = 9; // per client; with the mix's bursts of three, about 240 calls in all

describe('the web host under load', () => {
  let root: string;
  let host: WebHost;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'loupe-load-'));
    const corpus = join(root, 'brown');
    writeBrownCorpus(corpus, TEXTS);
    const dist = join(root, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Loupe</title>');
    // Brown is English throughout: saying so skips language detection, which would double the indexing time.
    host = await startWebHost({ corpus: [corpus], indexDir: join(root, 'index'), rendererDir: dist, language: 'en' });
    const opened = await host.ready;
    expect(opened.ok).toBe(true);
  });
  afterAll(async () => {
    await host?.close();
    removeDir(root);
  });

  it(`answers ${CLIENTS} clients' calls without dropping a connection`, async () => {
    const report = await runLoad({ port: host.port, token: host.token, clients: CLIENTS, steps: STEPS });
    console.log(summary(`load, ${CLIENTS} clients, Brown ${TEXTS} texts`, report));
    expect(report.dropped.map((o) => `${o.call.method}: ${o.result}`)).toEqual([]);
    expect(report.wrong.map((o) => `${o.call.method} ${JSON.stringify(o.call.payload)}: ${o.result}`)).toEqual([]);
    expect(report.outcomes.length).toBeGreaterThanOrEqual(CLIENTS * STEPS);
  });

  it('serves a static file and refuses a bad payload while a slow query runs', async () => {
    // Every two- and three-token sequence, sorted five ways: slow on purpose, and asked nowhere else (not cached).
    const t0 = performance.now();
    let slowMs = 0;
    const slow = api(host.port, host.token, 'kwic', { query: '[]{2,3}', sort: ['R1', 'R2', 'R3', 'L1', 'L2'], limit: 5 }).then((r) => {
      slowMs = performance.now() - t0;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20)); // the slow call is in the engine by now
    const s0 = performance.now();
    const page = await send(host.port, { path: '/' });
    const staticMs = performance.now() - s0;
    const p0 = performance.now();
    const refused = JSON.parse((await api(host.port, host.token, 'kwic', { query: 'a', limit: -1 })).body);
    const refusedMs = performance.now() - p0;
    const stillRunning = slowMs === 0;
    const answer = JSON.parse((await slow).body);
    console.log(
      `while a ${Math.round(slowMs)} ms query ran: static file in ${staticMs.toFixed(1)} ms, refused payload in ${refusedMs.toFixed(1)} ms`,
    );
    expect(answer.ok).toBe(true);
    expect(page.status).toBe(200);
    expect(refused.error.code).toBe('E_PAYLOAD');
    expect(stillRunning).toBe(true);
  });
});
