import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type ApiMethod } from '../../app/contract/api.js';
import { LoupeFailure } from '../../app/contract/errors.js';
import { LIMITS } from '../../app/contract/schema.js';
import { API_METHODS, createHandlers } from '../../app/host/handlers.js';
import { fakeEngine } from './fake-engine.js';

/** One valid request per method, as the renderer would send it. */
const GOOD: Record<ApiMethod, unknown> = {
  openCorpus: { paths: ['/home/reader/texts'] },
  corpusInfo: undefined,
  cancelIndexing: {},
  count: { query: 'bureaucracy' },
  kwic: { query: 'bureaucracy', context: 8, sort: ['R1', 'R2'], offset: 0, limit: 50 },
  documentText: { doc: 0, query: 'bureaucracy' },
  passages: { text: 'state capitalism', limit: 10 },
  suggest: { prefix: 'bur', limit: 8 },
  freq: { by: 'lemma', limit: 100, sort: 'freq' },
  ngrams: { n: 3, query: 'state', position: 2 },
  colloc: { query: 'bureaucracy', span: [5, 5], sort: 'logDice' },
  dispersion: { query: 'bureaucracy', parts: 10 },
  keywords: { reference: 'brown', limit: 50 },
  compare: { queries: ['bureaucracy', "workers' councils"], measure: 'logDice' },
  trends: { queries: ['bureaucracy', 'workers'], by: 'segment', segments: 10 },
  exportData: { what: 'kwic', format: 'csv', kwic: { query: 'bureaucracy' } },
  listProjects: undefined,
  newProject: { name: 'Bureaucracy' },
  openProject: { file: '/home/reader/bureaucracy.loupe.json' },
  projectState: {},
  updateProject: { categories: [{ id: 'c1', name: 'ruling class', colour: '#d1495b' }], historyAt: 0 },
  codeLines: { lines: [{ doc: 0, start: 10, end: 21 }], add: ['c1'], note: 'the bureaucracy as a class' },
};

describe('createHandlers', () => {
  it('has one handler per channel', () => {
    expect(Object.keys(createHandlers(fakeEngine())).sort()).toEqual(Object.keys(CHANNELS).sort());
  });

  it.each(API_METHODS)('passes a valid %s request to the engine method of the same name', async (method) => {
    const engine = fakeEngine();
    const result = await createHandlers(engine)[method](GOOD[method]);
    expect(result.ok).toBe(true);
    expect(engine.calls.map((c) => c.method)).toEqual([method]);
  });

  const BAD: Array<[ApiMethod, unknown, string]> = [
    ['count', undefined, 'missing request'],
    ['count', { query: '' }, 'empty query'],
    ['count', { query: 'x'.repeat(LIMITS.queryChars + 1) }, 'query over 100,000 characters'],
    ['count', { query: 'a', extra: 1 }, 'unknown key'],
    ['count', { query: 42 }, 'query not a string'],
    ['kwic', { query: 'a', limit: 10_001 }, 'limit over 10,000'],
    ['kwic', { query: 'a', limit: 2.5 }, 'fractional limit'],
    ['kwic', { query: 'a', context: 51 }, 'context over 50'],
    ['kwic', { query: 'a', offset: -1 }, 'negative offset'],
    ['kwic', { query: 'a', sort: ['R9'] }, 'unknown sort key'],
    ['colloc', { query: 'a', sort: 'pmi' }, 'unknown measure'],
    ['colloc', { query: 'a', span: [5] }, 'span with one side'],
    ['exportData', { what: 'kwic', format: 'docx', kwic: { query: 'a' } }, 'unknown format'],
    ['exportData', { what: 'colloc', format: 'csv', kwic: { query: 'a' } }, 'export without its request'],
    ['openCorpus', { paths: ['/tmp/a\0b'] }, 'NUL byte in a path'],
    ['openCorpus', { paths: [] }, 'empty path list'],
    ['openCorpus', { paths: '/tmp' }, 'paths not an array'],
    ['compare', { queries: ['one'] }, 'fewer than two queries'],
    ['ngrams', { n: 7 }, 'n over 6'],
    ['ngrams', { n: 2, position: 3 }, 'position outside the n-gram'],
    ['documentText', { doc: -1 }, 'negative document id'],
    ['corpusInfo', { anything: true }, 'arguments to a method that takes none'],
    ['keywords', { reference: 'bnc' }, 'unknown reference'],
  ];
  it.each(BAD)('%s refuses %o (%s) with E_PAYLOAD and never calls the engine', async (method, payload) => {
    const engine = fakeEngine();
    const result = await createHandlers(engine)[method](payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('E_PAYLOAD');
      expect(result.error.message).toContain(method);
    }
    expect(engine.calls).toEqual([]);
  });

  it('hands the engine the validated request, not extra input', async () => {
    const engine = fakeEngine();
    await createHandlers(engine).corpusInfo(null);
    expect(engine.calls).toEqual([{ method: 'corpusInfo', request: undefined }]);
  });

  it('turns a thrown LoupeFailure into its code and any other throw into E_INTERNAL', async () => {
    const engine = fakeEngine({
      count: async () => {
        throw new LoupeFailure('E_QUERY', 'Unbalanced bracket', 3);
      },
      kwic: async () => {
        throw new TypeError('boom');
      },
      freq: async () => undefined as never,
    });
    const handlers = createHandlers(engine);
    expect(await handlers.count({ query: '(a' })).toEqual({
      ok: false,
      error: { code: 'E_QUERY', message: 'Unbalanced bracket', position: 3 },
    });
    expect(await handlers.kwic({ query: 'a' })).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: 'boom' } });
    const freq = await handlers.freq({});
    expect(freq.ok === false && freq.error.code).toBe('E_INTERNAL');
  });

  it('makes requests wait for the start-up corpus, except cancelIndexing', async () => {
    let open!: () => void;
    const ready = new Promise<void>((resolve) => (open = resolve));
    const engine = fakeEngine();
    const handlers = createHandlers(engine, { ready });
    const counted = handlers.count({ query: 'a' });
    await handlers.cancelIndexing(undefined);
    expect(engine.calls.map((c) => c.method)).toEqual(['cancelIndexing']);
    open();
    expect((await counted).ok).toBe(true);
    expect(engine.calls.map((c) => c.method)).toEqual(['cancelIndexing', 'count']);
  });

  it('answers every arbitrary payload with a Result and never rejects', async () => {
    const handlers = createHandlers(fakeEngine());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...API_METHODS), fc.jsonValue(), async (method, payload) => {
        const result = await handlers[method](payload);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.error.code).toBe('E_PAYLOAD');
      }),
      { numRuns: 300 },
    );
  });
});
