import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../app/host/web-host.js';
import { fakeEngine, type FakeEngine } from './fake-engine.js';
import { api, send } from './http-client.js';

/** A stand-in renderer build, so these tests do not depend on the renderer being built. */
function fakeRendererDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Loupe</title><script type="module" src="/assets/app.js"></script>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("loupe");');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body { margin: 0 }');
  return dir;
}

/**
 * Starts a POST whose headers announce `declared` bytes, then sends the body slowly in small pieces
 * until the server closes the connection or `stopAfter` bytes are sent. Reports what the server
 * answered and how much of the body went out before the connection closed.
 */
function slowPost(
  port: number,
  headers: Record<string, string>,
  opts: { declared: number; stopAfter: number; piece?: number; everyMs?: number },
): Promise<{ reply: string; sent: number; closedByServer: boolean }> {
  const piece = Buffer.alloc(opts.piece ?? 64 * 1024, 0x61);
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    let closedByServer = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(timer);
      socket.destroy();
      resolve({ reply, sent, closedByServer });
    };
    socket.on('data', (c: Buffer) => (reply += c.toString('latin1')));
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', () => {
      closedByServer = true; // EPIPE or ECONNRESET: the server closed while the body was still coming
      finish();
    });
    socket.on('connect', () => {
      const head = Object.entries({
        host: `127.0.0.1:${port}`,
        'content-type': 'application/json',
        'content-length': String(opts.declared),
        ...headers,
      })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`POST /api/count HTTP/1.1\r\n${head}\r\n`);
      timer = setInterval(() => {
        if (sent >= opts.stopAfter) return finish();
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(piece);
        sent += piece.length;
      }, opts.everyMs ?? 2);
    });
  });
}

describe('web host', () => {
  let dist: string;
  let engine: FakeEngine;
  let host: WebHost;

  beforeAll(async () => {
    dist = fakeRendererDist();
    engine = fakeEngine();
    host = await startWebHost({ engine, rendererDir: dist });
  });
  afterAll(async () => {
    await host.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('listens on a free loopback port with a long random token in the URL fragment', () => {
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('marks a URL whose host was given a corpus, so the page keeps it rather than its last one', async () => {
    const other = await startWebHost({ engine: fakeEngine(), rendererDir: dist, corpus: ['/home/reader/texts'] });
    try {
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/#token=${other.token}&corpus=given`);
      expect(new URLSearchParams(new URL(other.url).hash.slice(1)).get('token')).toBe(other.token);
    } finally {
      await other.close();
    }
  });

  it('opens the start-up corpus once, with no paths for the bundled one', async () => {
    expect((await host.ready).ok).toBe(true);
    expect(engine.calls.filter((c) => c.method === 'openCorpus')).toEqual([{ method: 'openCorpus', request: {} }]);
  });

  it('serves the renderer with content types, a strict CSP and nosniff', async () => {
    const page = await send(host.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Loupe</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("object-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const js = await send(host.port, { path: '/assets/app.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await send(host.port, { path: '/assets/app.css?v=1' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await send(host.port, { path: '/assets/missing.js' })).status).toBe(404);
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/assets%5c..%5c..%5cpackage.json',
    '/%00index.html',
  ])('refuses to serve %s', async (path) => {
    const reply = await send(host.port, { path });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('"name"');
  });

  it('answers API calls with the token and refuses them without it', async () => {
    const good = await api(host.port, host.token, 'count', { query: 'bureaucracy' });
    expect(good.status).toBe(200);
    expect(good.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(good.body)).toEqual({ ok: true, value: { method: 'count', request: { query: 'bureaucracy' } } });

    for (const token of [undefined, '', 'x'.repeat(43), host.token.slice(1)]) {
      const bad = await api(host.port, token, 'count', { query: 'bureaucracy' });
      expect(bad.status).toBe(403);
      expect(JSON.parse(bad.body).error.code).toBe('E_FORBIDDEN');
    }
  });

  it('closes the connection of a refused request at once, without reading its body', async () => {
    const MiB = 1024 * 1024;
    const refused: Array<[Record<string, string>, RegExp]> = [
      [{}, /^HTTP\/1\.1 403 /], // no token
      [{ 'x-loupe-token': 'x'.repeat(43) }, /^HTTP\/1\.1 403 /],
      [{ 'x-loupe-token': host.token, host: 'evil.example' }, /^HTTP\/1\.1 403 /],
      [{ 'x-loupe-token': host.token, origin: 'http://evil.example' }, /^HTTP\/1\.1 403 /],
      [{ 'x-loupe-token': host.token }, /^HTTP\/1\.1 413 /], // announces more than MAX_BODY_BYTES
    ];
    for (const [headers, status] of refused) {
      // 300 MiB announced; a host that reads refused bodies to the end keeps taking them.
      const r = await slowPost(host.port, headers, { declared: 300 * MiB, stopAfter: 16 * MiB });
      expect(r.closedByServer).toBe(true);
      expect(r.sent).toBeLessThan(4 * MiB);
      expect(r.reply).toMatch(status);
      expect(r.reply.toLowerCase()).toContain('connection: close');
    }
    // The host still answers.
    expect((await api(host.port, host.token, 'corpusInfo')).status).toBe(200);
  });

  it('still delivers the refusal when a small body is sent whole', async () => {
    for (let i = 0; i < 50; i++) {
      const bad = await api(host.port, undefined, 'count', { query: 'bureaucracy '.repeat(i * 100) });
      expect(bad.status).toBe(403);
      expect(bad.headers.connection).toBe('close');
      expect(JSON.parse(bad.body).error.code).toBe('E_FORBIDDEN');
    }
  });

  it('refuses a foreign Origin even with the token', async () => {
    const reply = await send(host.port, {
      method: 'POST',
      path: '/api/count',
      headers: { 'x-loupe-token': host.token, origin: 'http://evil.example' },
      body: JSON.stringify({ query: 'a' }),
    });
    expect(reply.status).toBe(403);
  });

  it('guards against DNS rebinding: only 127.0.0.1:PORT and localhost:PORT as Host', async () => {
    expect((await send(host.port, { path: '/', headers: { host: `localhost:${host.port}` } })).status).toBe(200);
    for (const h of ['evil.example', `evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`]) {
      const reply = await send(host.port, { path: '/', headers: { host: h } });
      expect(reply.status).toBe(403);
      const apiReply = await send(host.port, {
        method: 'POST',
        path: '/api/count',
        headers: { host: h, 'x-loupe-token': host.token },
        body: '{"query":"a"}',
      });
      expect(apiReply.status).toBe(403);
    }
  });

  it('404s unknown methods, including inherited object keys', async () => {
    for (const name of ['nope', '__proto__', 'toString', 'constructor', 'onProgress']) {
      const reply = await api(host.port, host.token, name, {});
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body).error.code).toBe('E_NOT_FOUND');
    }
  });

  it('validates payloads: bad JSON, a bad request, and a body over 1 MB', async () => {
    const notJson = await send(host.port, {
      method: 'POST',
      path: '/api/count',
      headers: { 'x-loupe-token': host.token },
      body: '{query:',
    });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('E_PAYLOAD');

    const bad = await api(host.port, host.token, 'kwic', { query: 'a', limit: 1e6 });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body).error.code).toBe('E_PAYLOAD');

    const big = await api(host.port, host.token, 'count', { query: 'a'.repeat(MAX_BODY_BYTES) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('E_PAYLOAD');
  });

  it('takes an empty body as a call without arguments', async () => {
    const reply = await api(host.port, host.token, 'corpusInfo');
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { method: 'corpusInfo', request: null } });
  });

  it('streams indexing progress as server-sent events to a client with the token', async () => {
    expect((await send(host.port, { path: '/api/events' })).status).toBe(403);
    expect((await send(host.port, { path: '/api/events?token=wrong' })).status).toBe(403);

    const frames = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: `127.0.0.1:${host.port}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            // The first frame says the stream is open; progress is sent only after that.
            if (text.includes(': connected') && !text.includes('event: progress')) {
              engine.emit({ phase: 'tokenising', done: 1, total: 2, file: 'a.txt' });
            }
            if (text.includes('event: progress')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    const data = /event: progress\ndata: (.*)\n\n/.exec(frames)?.[1];
    expect(JSON.parse(data ?? 'null')).toEqual({ phase: 'tokenising', done: 1, total: 2, file: 'a.txt' });
  });

  it('stops listening and unsubscribes from progress on close', async () => {
    const other = await startWebHost({ engine: fakeEngine(), rendererDir: dist, openAtStart: false });
    await other.close();
    await expect(send(other.port, { path: '/' })).rejects.toThrow();
  });
});

describe('web host on the bundled corpus with the real engine', () => {
  let host: WebHost;
  let indexDir: string;
  let dist: string;

  beforeAll(async () => {
    indexDir = mkdtempSync(join(tmpdir(), 'loupe-index-'));
    dist = fakeRendererDist();
    host = await startWebHost({ indexDir, rendererDir: dist });
  });
  afterAll(async () => {
    await host?.close();
    rmSync(indexDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  });

  it('counts 36 hits of bureaucracy through POST /api/count', async () => {
    const reply = await api(host.port, host.token, 'count', { query: 'bureaucracy' });
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body);
    expect(result.ok).toBe(true);
    expect(result.value.hits).toBe(36);
    expect(result.value.documents).toBe(1);
  });

  it("returns the engine's query error as a value", async () => {
    const reply = await api(host.port, host.token, 'count', { query: '"unbalanced' });
    const result = JSON.parse(reply.body);
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('E_QUERY');
  });
});
