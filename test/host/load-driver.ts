/**
 * A bounded load on a web host over loopback: a fixed number of clients, each with a keep-alive
 * connection pool of its own (as a browser tab has), send a fixed list of API calls and stop.
 * Each client sends its calls one after another, except a burst of KWIC calls from one view
 * (a reader typing a query), of which only the last must be answered: the host may supersede
 * the others. Reports every outcome and the latency of each answered call.
 */
import { Agent, request } from 'node:http';

export interface Call {
  method: string;
  payload: unknown;
  /** The view the call comes from (sent as x-loupe-view). */
  view: string;
}

/** One step of a client: a call, or calls sent together from one view (only the last must be answered). */
export type Step = Call | Call[];

export interface Outcome {
  client: number;
  call: Call;
  /** 'ok', an error code from the engine ('E_CANCELLED', ...), `http <status>`, or a socket error code. */
  result: string;
  /** The connection failed before an answer came (a reset, a hang-up, a refused connection). */
  dropped: boolean;
  ms: number;
  /** A call that a later one of its burst may supersede. */
  supersedable: boolean;
}

export interface LoadReport {
  outcomes: Outcome[];
  /** Connection failures: resets, hang-ups, refused connections. */
  dropped: Outcome[];
  /** Calls answered with something other than a result (or E_CANCELLED where a newer call of the burst came). */
  wrong: Outcome[];
  cancelled: number;
  p50: number;
  p95: number;
  max: number;
  wallMs: number;
}

/** The `q`-th quantile (0..1) of `values`, nearest rank. */
function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The calls of the mix, over an English corpus: KWIC pages with sorts, counts, collocates, lemma:
 * and pos: queries, frequency lists, dispersion, corpus info. Steps are dealt to the clients in
 * turn, so every client sends a different slice of the same list.
 */
function standardMix(): Step[] {
  const page = (query: string, sort: string[], offset: number, view: string): Call => ({
    method: 'kwic',
    payload: { query, sort, offset, limit: 50 },
    view,
  });
  return [
    page('the', ['R1', 'R2'], 0, 'concordance'),
    { method: 'count', payload: { query: 'lemma:be' }, view: 'status' },
    { method: 'colloc', payload: { query: 'the' }, view: 'collocates' },
    page('of', ['L1', 'node'], 0, 'concordance'),
    { method: 'freq', payload: { limit: 100 }, view: 'wordlist' },
    { method: 'count', payload: { query: '[pos="ADJ"] [pos="NOUN"]' }, view: 'status' },
    page('pos:NOUN', ['R1'], 50, 'concordance'),
    { method: 'colloc', payload: { query: 'lemma:say', by: 'lemma' }, view: 'collocates' },
    { method: 'corpusInfo', payload: undefined, view: 'corpus' },
    page('lemma:have', ['L1'], 0, 'concordance'),
    { method: 'freq', payload: { by: 'lemma', limit: 100 }, view: 'wordlist' },
    { method: 'dispersion', payload: { query: 'government' }, view: 'dispersion' },
    page('the', ['R1', 'R2'], 100, 'concordance'),
    { method: 'count', payload: { query: 'the' }, view: 'status' },
    [page('m*', ['node'], 0, 'concordance'), page('ma*', ['node'], 0, 'concordance'), page('man*', ['node'], 0, 'concordance')],
  ];
}

/** `steps` steps per client, dealt from `mix` in turn starting at the client's own offset. */
function stepsFor(client: number, steps: number, mix: Step[]): Step[] {
  return Array.from({ length: steps }, (_, i) => mix[(client * steps + i) % mix.length]!);
}

export async function runLoad(opts: {
  port: number;
  token: string;
  clients: number;
  /** Steps per client (a burst is one step). */
  steps: number;
  mix?: Step[];
  /** Connections per client, as a browser keeps per host. */
  sockets?: number;
}): Promise<LoadReport> {
  const mix = opts.mix ?? standardMix();
  const outcomes: Outcome[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, client) => {
      const agent = new Agent({ keepAlive: true, maxSockets: opts.sockets ?? 6 });
      try {
        for (const step of stepsFor(client, opts.steps, mix)) {
          const calls = Array.isArray(step) ? step : [step];
          // The calls of a burst are sent together, in order; each but the last may be superseded.
          const answers = await Promise.all(
            calls.map((call, i) => {
              const view = `client-${client}:${call.view}`;
              return send(opts.port, opts.token, agent, call, view).then((r) => ({
                client,
                call,
                ...r,
                supersedable: i < calls.length - 1,
              }));
            }),
          );
          outcomes.push(...answers);
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  const wallMs = performance.now() - started;
  const dropped = outcomes.filter((o) => o.dropped);
  const wrong = outcomes.filter((o) => !o.dropped && o.result !== 'ok' && !(o.result === 'E_CANCELLED' && o.supersedable));
  const answered = outcomes.filter((o) => o.result === 'ok').map((o) => o.ms);
  return {
    outcomes,
    dropped,
    wrong,
    cancelled: outcomes.filter((o) => o.result === 'E_CANCELLED').length,
    p50: quantile(answered, 0.5),
    p95: quantile(answered, 0.95),
    max: quantile(answered, 1),
    wallMs,
  };
}

export function summary(label: string, r: LoadReport): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  return (
    `${label}: ${r.outcomes.length} calls in ${ms(r.wallMs)}; dropped connections ${r.dropped.length}` +
    `${r.dropped.length ? ` (${[...new Set(r.dropped.map((o) => o.result))].join(', ')})` : ''}; ` +
    `wrong answers ${r.wrong.length}; superseded ${r.cancelled}; ` +
    `latency p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, max ${ms(r.max)}`
  );
}

function send(
  port: number,
  token: string,
  agent: Agent,
  call: Call,
  view: string,
): Promise<{ result: string; dropped: boolean; ms: number }> {
  const body = JSON.stringify(call.payload ?? {});
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: string, dropped = false) => {
      if (settled) return;
      settled = true;
      resolve({ result, dropped, ms: performance.now() - t0 });
    };
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/${call.method}`,
        agent,
        headers: {
          host: `127.0.0.1:${port}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-loupe-token': token,
          'x-loupe-view': view,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message, true));
        res.on('end', () => {
          if (res.statusCode !== 200) return done(`http ${res.statusCode}`);
          try {
            const r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; error?: { code: string } };
            done(r.ok ? 'ok' : (r.error?.code ?? 'E_?'));
          } catch {
            done('bad json');
          }
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message, true));
    req.end(body);
  });
}
