/**
 * The web host: the same renderer and the same engine handlers as the desktop app, served over
 * loopback HTTP; `npm run web` (app/cli/web.ts) starts it from the command line. Loopback only, a
 * free port, a random per-run token, a Host-header check against DNS rebinding. Protocol (the renderer's web bridge is the only client):
 *
 *   POST /api/<method>            header `x-loupe-token`, JSON body = the request, 200 + Result JSON
 *                                 403 E_FORBIDDEN (token), 404 E_NOT_FOUND (method), 413 E_PAYLOAD (> 1 MB);
 *                                 a refused request gets `connection: close` and its body is never read
 *   GET  /api/events?token=...    Server-Sent Events, `event: progress` + IndexProgress JSON; with --watch,
 *                                 `event: corpus` + the new CorpusInfo JSON after a watched corpus re-indexed
 *   GET  /...                     the built renderer (renderer/dist)
 *
 * The page URL carries the token in its fragment (`/#token=...`), which browsers never send to servers.
 * With `--corpus`, the fragment also says `corpus=given`, so the page does not reopen its last corpus.
 *
 * The engine runs in a child process (engine-fork.ts), one call at a time, behind a fair queue
 * (queue.ts): this process only parses, checks and forwards, so a slow query never holds up another
 * connection, a static file or the event stream. An API request may name the view it comes from in
 * `x-loupe-view` (any id unique to the requesting view); a newer request for a SUPERSEDABLE method from
 * the same view answers the older one, if it is still waiting, with E_CANCELLED.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CorpusInfo, IndexProgress } from '../contract/types.js';
import { fail, type LoupeError, type Result } from '../contract/errors.js';
import { isApiMethod } from '../contract/schema.js';
import { securityHeaders } from './csp.js';
import { childEngine } from './engine-fork.js';
import { API_METHODS, createHandlers, type EngineApi, type Handlers } from './handlers.js';
import { guardPaths } from './paths.js';
import { FairQueue, SUPERSEDABLE, SUPERSEDED, UNQUEUED } from './queue.js';
import { RENDERER_DIST } from './renderer-dist.js';
import { contentTypeOf, resolveStaticFile } from './static.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** The request header naming the requesting view (see the protocol above); longer values are ignored. */
export const VIEW_HEADER = 'x-loupe-view';
const MAX_VIEW_ID = 200;
/**
 * How long an idle keep-alive connection stays open; the server announces it (`Keep-Alive: timeout`)
 * and Node's and browsers' clients stop reusing a connection before then. Node's default is 5 s, and
 * a client that sends its next request on a connection just as the server closes it for idleness
 * sees ECONNRESET: a reader pauses between requests for seconds, not minutes. The headers timeout
 * stays above it, the usual rule (some Node versions counted a kept-alive connection's idle time
 * against it).
 */
const KEEP_ALIVE_MS = 65_000;
const HEADERS_TIMEOUT_MS = 70_000;

/** The engine as the host uses it; `close` is optional so a test double need not have one. */
export type HostEngine = EngineApi & {
  onProgress(listener: (p: IndexProgress) => void): () => void;
  close?(): unknown;
  /** Watching the open corpus (class Engine has these; a test double need not). */
  watch?(): Promise<Result<null>>;
  onCorpusChanged?(listener: (change: Result<{ info: CorpusInfo }>) => void): () => void;
};

export interface WebHostOptions {
  /** 0 (default) = a free port chosen by the system. */
  port?: number;
  /** Corpus to open at start; undefined = the bundled corpus. */
  corpus?: string[];
  /** The start-up corpus's language and stemming settings (see Api.openCorpus). */
  language?: string;
  stem?: boolean;
  /** Where the engine keeps saved indexes. */
  indexDir?: string;
  /** Where projects and the recent-projects list are kept (default: the user's data folder). */
  dataDir?: string;
  /** Built renderer to serve; default renderer/dist (see ensureRendererBuilt in renderer-dist.ts). */
  rendererDir?: string;
  /** An engine to use in this process instead of an engine process of its own (tests). */
  engine?: HostEngine;
  /** Open the start-up corpus (default true). */
  openAtStart?: boolean;
  /** Watch the open corpus and re-index it as its files change (default false). */
  watch?: boolean;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /** Settles when the start-up corpus has been opened or has failed to. */
  ready: Promise<Result<unknown>>;
  close(): Promise<void>;
}

export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const engine: HostEngine =
    opts.engine ??
    childEngine({
      ...(opts.indexDir === undefined ? {} : { indexDir: opts.indexDir }),
      ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
      ...(opts.watch ? { watch: true } : {}),
    });
  const queue = new FairQueue<Result<unknown>>(SUPERSEDED);
  const openAtStart = opts.openAtStart !== false;
  let settleReady: (r: Result<unknown>) => void = () => {};
  const ready: Promise<Result<unknown>> = openAtStart
    ? new Promise((resolve) => (settleReady = resolve))
    : Promise.resolve({ ok: true, value: null });
  const site: Site = {
    rendererDir: opts.rendererDir ?? RENDERER_DIST,
    token: randomBytes(32).toString('base64url'),
    port: 0,
    events: new Set(),
    handlersFor: (view, signal) => guardPaths(createHandlers(queued(engine, queue, view, signal), { ready })),
  };
  const stopForwarding = forwardEngineEvents(engine, site.events);
  const server = createServer((req, res) => answer(site, req, res));
  site.port = await listen(server, opts.port ?? 0);
  if (openAtStart) void openStartupCorpus(engine, queue, opts).then(settleReady);

  let closed = false;
  return {
    // `corpus=given` tells the page the reader chose a corpus for this run, so it does not reopen
    // the last one it remembers (web mode keeps settings in the browser's storage).
    url: `http://127.0.0.1:${site.port}/#token=${site.token}${opts.corpus === undefined ? '' : '&corpus=given'}`,
    port: site.port,
    token: site.token,
    ready,
    async close() {
      if (closed) return;
      closed = true;
      await shutDown(server, engine, site.events, stopForwarding);
    },
  };
}

/** What answering a request needs of the running host. */
interface Site {
  readonly rendererDir: string;
  readonly token: string;
  /** The port listened on (no request arrives before it is known). */
  port: number;
  /** The open event streams. */
  readonly events: Set<ServerResponse>;
  /**
   * The handlers for one request: paths from the page are checked like Electron main checks them
   * (E_PATH), payloads validated here, and only then does the call join the queue for the engine.
   */
  handlersFor(view: string | undefined, signal: AbortSignal): Handlers;
}

/** Sends the engine's progress, and a watched corpus's new information, to every open event stream. */
function forwardEngineEvents(engine: HostEngine, events: Set<ServerResponse>): () => void {
  const unsubscribe = engine.onProgress((p) => {
    const frame = `event: progress\ndata: ${JSON.stringify(p)}\n\n`;
    for (const res of events) res.write(frame);
  });
  const unsubscribeChanges = engine.onCorpusChanged?.((change) => {
    if (!change.ok) return;
    const frame = `event: corpus\ndata: ${JSON.stringify(change.value.info)}\n\n`;
    for (const res of events) res.write(frame);
  });
  return () => {
    unsubscribe();
    unsubscribeChanges?.();
  };
}

/** Listens on loopback; the port listened on. */
async function listen(server: Server, port: number): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  // requestTimeout (Node's default, 5 minutes) bounds receiving a request, not answering it: a call
  // that waits long in the queue is not cut. maxConnections stays unset (no limit): past a limit
  // Node drops new connections, which a client sees as a reset.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The accept queue for connections that arrive faster than they are taken: Node's default, named
    // because a burst of clients must wait there, not be refused.
    server.listen({ port, host: '127.0.0.1', backlog: 511 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Opens the start-up corpus through the queue, then watches it if asked; settles with a Result, never rejects. */
function openStartupCorpus(engine: HostEngine, queue: FairQueue<Result<unknown>>, opts: WebHostOptions): Promise<Result<unknown>> {
  const paths = opts.corpus;
  return Promise.resolve()
    .then(() =>
      queued(engine, queue).openCorpus({
        ...(paths === undefined ? {} : { paths }),
        ...(opts.language ? { language: opts.language } : {}),
        ...(opts.stem ? { stem: true } : {}),
      }),
    )
    .then(async (r) => {
      if (r.ok && opts.watch) await engine.watch?.();
      return r;
    })
    .catch((e: unknown): Result<unknown> => ({ ok: false, error: asError(e) }));
}

async function shutDown(server: Server, engine: HostEngine, events: Set<ServerResponse>, stopForwarding: () => void): Promise<void> {
  stopForwarding();
  for (const res of events) res.end();
  events.clear();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await engine.close?.();
}

/** Answers one request; a failure of the host's own is logged and answered E_INTERNAL while it still can be. */
function answer(site: Site, req: IncomingMessage, res: ServerResponse): void {
  route(site, req, res).catch((e: unknown) => {
    process.stderr.write(`loupe web: ${e instanceof Error ? e.stack : String(e)}\n`);
    if (!res.headersSent) sendResult(res, 500, fail('E_INTERNAL', 'The host failed to answer.'));
    else res.destroy();
  });
}

async function route(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!hostAllowed(req.headers.host, site.port)) {
    return refuse(req, res, 403, fail('E_FORBIDDEN', 'Unexpected Host header.'));
  }
  const rawUrl = req.url ?? '/';
  const pathname = rawUrl.split('?', 1)[0] ?? '/';
  if (pathname === '/api/events') return serveEvents(site, req, res);
  if (pathname.startsWith('/api/')) return serveApi(site, req, res, pathname.slice('/api/'.length));
  return serveStatic(site.rendererDir, req, res, rawUrl);
}

async function serveStatic(rendererDir: string, req: IncomingMessage, res: ServerResponse, rawUrl: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return refuse(req, res, 405, fail('E_USAGE', 'Only GET and HEAD are served here.'), { allow: 'GET, HEAD' });
  }
  const file = await resolveStaticFile(rendererDir, rawUrl);
  if (file === null) return sendText(res, 404, 'Not found');
  const body = await readFile(file);
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': contentTypeOf(file),
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function serveApi(site: Site, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  // Everything is judged on the headers alone: not one byte of a refused request's body is read.
  if (!tokenMatches(req.headers['x-loupe-token'], site.token) || !originAllowed(req.headers.origin, site.port)) {
    return refuse(req, res, 403, fail('E_FORBIDDEN', 'Missing or wrong token.'));
  }
  if (!isApiMethod(name)) {
    return refuse(req, res, 404, fail('E_NOT_FOUND', `No API method ${JSON.stringify(name.slice(0, 100))}.`));
  }
  if (req.method !== 'POST') {
    return refuse(req, res, 405, fail('E_USAGE', 'API methods take POST.'), { allow: 'POST' });
  }
  const body = await readBody(req);
  if (body === 'too-large') {
    return refuse(req, res, 413, fail('E_PAYLOAD', `Request body over ${MAX_BODY_BYTES} bytes.`));
  }
  let payload: unknown;
  try {
    payload = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    return sendResult(res, 400, fail('E_PAYLOAD', 'The request body is not JSON.'));
  }
  const view = req.headers[VIEW_HEADER];
  // A client that leaves before its answer takes its waiting call out of the queue.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) gone.abort();
  });
  const handlers = site.handlersFor(typeof view === 'string' && view.length <= MAX_VIEW_ID ? view : undefined, gone.signal);
  const result = await handlers[name](payload);
  if (!res.destroyed) sendResult(res, 200, result);
}

function serveEvents(site: Site, req: IncomingMessage, res: ServerResponse): void {
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  if (req.method !== 'GET' || !tokenMatches(query.get('token') ?? undefined, site.token)) {
    return refuse(req, res, 403, fail('E_FORBIDDEN', 'Missing or wrong token.'));
  }
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  // A first frame at once, so the client's EventSource reports "open" without waiting for work.
  res.write('retry: 1000\n: connected\n\n');
  site.events.add(res);
  req.on('close', () => site.events.delete(res));
}

/** The only Host headers a page served from this host sends: anything else is a rebinding attempt. */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-origin and on POST requests; when present it must be ours. */
function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The body of an accepted request, up to MAX_BODY_BYTES; past that (announced or sent), reading stops
 * and the caller refuses the request, which closes the connection.
 */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | 'too-large') => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        return done('too-large');
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onError = (e: Error) => {
      req.off('data', onData).off('end', onEnd);
      reject(e);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Answers a request the host will not serve, then closes its connection without reading its body:
 * a client without the token must not be able to make the host take in a body of any size, nor keep
 * the connection for another try. The answer is written first, so the client still receives it.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  result: Result<unknown>,
  extra: Record<string, string> = {},
): void {
  // Once written (`finish`), Node would resume reading to discard the body until the connection is
  // shut; a body that has not all arrived is not waited for: the socket is destroyed there and then.
  if (!req.complete) res.once('finish', () => req.socket.destroy());
  sendResult(res, status, result, { ...extra, connection: 'close' });
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(result);
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function asError(e: unknown): LoupeError {
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/**
 * The engine as one request sees it: each call waits its turn in the queue (lane = method), and
 * a SUPERSEDABLE call from a named view replaces that view's waiting call of the same method.
 */
function queued(engine: EngineApi, queue: FairQueue<Result<unknown>>, view?: string, signal?: AbortSignal): EngineApi {
  const api: Record<string, (req: unknown) => Promise<Result<unknown>>> = {};
  for (const method of API_METHODS) {
    const call = (req: unknown) => (engine[method] as (req: unknown) => Promise<Result<unknown>>).call(engine, req);
    api[method] = UNQUEUED.has(method)
      ? call
      : (req) =>
          queue.run(method, () => call(req), {
            supersede: view !== undefined && SUPERSEDABLE.has(method) ? `${method} ${view}` : undefined,
            signal,
          });
  }
  return api as unknown as EngineApi;
}
