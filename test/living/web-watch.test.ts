/**
 * The web host with --watch: an edit to the corpus reaches the page as `event: corpus` carrying the
 * new CorpusInfo, and the API answers with the new figures.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusInfo } from '../../app/contract/types.js';
import { startWebHost, type WebHost } from '../../app/host/web-host.js';
import { api } from '../host/http-client.js';
import { brownFiles, removeDir, tempDir, writeAll } from './support.js';

let dir: string;
let cache: string;
let dist: string;
let host: WebHost;

beforeAll(async () => {
  dir = tempDir('web-watch');
  cache = tempDir('web-watch-cache');
  dist = tempDir('web-watch-dist');
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Loupe</title>');
  mkdirSync(join(dist, 'assets'));
  writeAll(dir, brownFiles(5));
  host = await startWebHost({ corpus: [dir], indexDir: cache, rendererDir: dist, watch: true });
  const ready = await host.ready;
  expect(ready.ok).toBe(true);
});
afterAll(async () => {
  await host?.close();
  for (const d of [dir, cache, dist]) removeDir(d);
});

/** Opens the event stream, calls `act` once it is open, resolves with the first `corpus` event's data. */
function corpusEvent(act: () => void, ms = 20_000): Promise<CorpusInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no corpus event'));
    }, ms);
    const req = request(
      { host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: `127.0.0.1:${host.port}` } },
      (res) => {
        let text = '';
        let acted = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (!acted && text.includes(': connected')) {
            acted = true;
            act();
          }
          const m = /event: corpus\ndata: (.*)\n\n/.exec(text);
          if (m) {
            clearTimeout(timer);
            req.destroy();
            resolve(JSON.parse(m[1]!) as CorpusInfo);
          }
        });
      },
    );
    req.on('error', (e) => {
      if (!(e as NodeJS.ErrnoException).code?.includes('ECONNRESET')) reject(e);
    });
    req.end();
  });
}

describe('web host watching its corpus', () => {
  it('pushes the new CorpusInfo after a file changes; queries see the change', async () => {
    const before = JSON.parse((await api(host.port, host.token, 'corpusInfo', {})).body).value as CorpusInfo;
    const info = await corpusEvent(() => appendFileSync(join(dir, 'ca02.txt'), '\nA zebra, then another zebra.\n'));
    expect(info.fingerprint).not.toBe(before.fingerprint);
    expect(info.tokens).toBeGreaterThan(before.tokens);
    expect(info.documents).toHaveLength(5);
    const count = JSON.parse((await api(host.port, host.token, 'count', { query: 'zebra' })).body);
    expect(count.value.hits).toBe(2);
  });
});
