/**
 * A tiny in-page LoupeApi for working on the UI without the engine (`?mock` in the URL).
 * Plain word matching over a short text; `many` returns 150,000 synthetic lines to exercise
 * the virtualised concordance. Numbers here are placeholders, not Loupe's statistics.
 */
import type { LoupeApi } from '../../app/contract/api';
import type { Result } from '../../app/contract/errors';
import type { CorpusInfo, KwicLine, KwicPage, KwicRequest, SortKey } from '../../app/contract/types';
import type { ProjectState } from '../../app/contract/project';

const TEXT = `The bureaucracy rose above the workers' councils, and the councils withered.
Planning gave the bureaucracy its power; the workers gave it their labour.
Where the councils met, the workers spoke freely, and the bureaucracy listened with a guilty conscience.
A new generation of workers grew up in the factories the bureaucracy had built.
<script>alert("documents may contain markup; it must show as text")</script>
The bureaucracy feared the councils more than any foreign army.`;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tok {
  w: string;
  s: number;
  e: number;
}
const TOKENS: Tok[] = [...TEXT.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]*)?|[^\s\p{L}\p{N}]/gu)].map((m) => ({
  w: m[0],
  s: m.index ?? 0,
  e: (m.index ?? 0) + m[0].length,
}));
const WORDS = TOKENS.filter((t) => /[\p{L}\p{N}]/u.test(t.w));

const INFO: CorpusInfo = {
  fingerprint: 'mock0000000000000000000000000000',
  label: 'Mock corpus (UI development)',
  documents: [{ id: 0, name: 'mock/sample.txt', tokens: TOKENS.length, counted: WORDS.length, encoding: 'utf-8', warnings: [] }],
  skipped: [],
  tokens: TOKENS.length,
  counted: WORDS.length,
  types: new Set(WORDS.map((t) => t.w.toLowerCase())).size,
  reused: true,
};

function match(query: string, caseSensitive = false): Array<[number, number]> {
  const parts = query.replace(/^"|"$/g, '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return [];
  if (query.includes('[') && !query.includes(']')) {
    throw Object.assign(new Error('Unclosed [ in the query'), { position: query.indexOf('[') });
  }
  const norm = (s: string) => (caseSensitive ? s : s.toLowerCase()).replace(/’/g, "'");
  const pats = parts.map(
    (p) =>
      new RegExp(
        `^${norm(p)
          .replace(/[.+?^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
        caseSensitive ? 'u' : 'iu',
      ),
  );
  const out: Array<[number, number]> = [];
  for (let i = 0; i + parts.length <= TOKENS.length; i++) {
    let k = 0;
    let j = i;
    while (k < pats.length && j < TOKENS.length && pats[k]!.test(norm(TOKENS[j]!.w))) {
      k++;
      j++;
      // A possessive apostrophe written in the query is its own token here.
    }
    if (k === pats.length) out.push([i, j]);
  }
  return out;
}

function line(i: number, j: number, ctx: number): KwicLine {
  const leftToks = TOKENS.slice(Math.max(0, i - ctx), i);
  const rightToks = TOKENS.slice(j, j + ctx);
  const join = (ts: Tok[]) =>
    ts
      .map((t) => t.w)
      .join(' ')
      .replace(/ ([,.;:!?])/g, '$1');
  return {
    doc: 0,
    docName: 'mock/sample.txt',
    position: i,
    docPosition: i,
    left: join(leftToks),
    node: join(TOKENS.slice(i, j)),
    right: join(rightToks),
    start: TOKENS[i]!.s,
    end: TOKENS[j - 1]!.e,
  };
}

function sortLines(lines: KwicLine[], keys: SortKey[]): KwicLine[] {
  const slot = (l: KwicLine, k: SortKey): string => {
    const left = l.left
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => /\p{L}/u.test(w));
    const right = l.right
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => /\p{L}/u.test(w));
    if (k === 'node') return l.node.toLowerCase();
    if (k.startsWith('L')) return left[left.length - Number(k.slice(1))] ?? '';
    if (k.startsWith('R')) return right[Number(k.slice(1)) - 1] ?? '';
    return String(l.position).padStart(9, '0');
  };
  return [...lines].sort((a, b) => {
    for (const k of keys) {
      const c = slot(a, k).localeCompare(slot(b, k));
      if (c !== 0) return c;
    }
    return a.position - b.position;
  });
}

export function createMockApi(): LoupeApi {
  const kwic = async (req: KwicRequest): Promise<Result<KwicPage>> => {
    await wait(80);
    const offset = req.offset ?? 0;
    const limit = req.limit ?? 50;
    if (req.query === 'many') {
      const hits = 150_000;
      const lines = Array.from({ length: Math.max(0, Math.min(limit, hits - offset)) }, (_, k) => ({
        ...line(1, 2, req.context ?? 8),
        position: offset + k,
        node: `line${offset + k + 1}`,
      }));
      return ok({ query: req.query, hits, of: hits, documents: 1, offset, lines });
    }
    let spans: Array<[number, number]>;
    try {
      spans = match(req.query, req.caseSensitive);
    } catch (e) {
      return { ok: false, error: { code: 'E_QUERY', message: (e as Error).message, position: (e as { position?: number }).position } };
    }
    let lines = spans.map(([i, j]) => line(i, j, req.context ?? 8));
    if (req.sort && req.sort.length > 0) lines = sortLines(lines, req.sort);
    return ok({
      query: req.query,
      hits: lines.length,
      of: lines.length,
      documents: lines.length > 0 ? 1 : 0,
      offset,
      lines: lines.slice(offset, offset + limit),
    });
  };
  // One project kept in memory, so the workbench can be tried without a host.
  let project: ProjectState | null = null;
  const noProject = { ok: false as const, error: { code: 'E_PROJECT' as const, message: 'No project is open.' } };

  const api: LoupeApi = {
    openCorpus: async () => (await wait(300), ok(INFO)),
    corpusInfo: async () => ok(INFO),
    cancelIndexing: async () => ok(null),
    count: async ({ query }) => {
      const r = await kwic({ query, limit: 0 });
      return r.ok ? ok({ query, hits: r.value.hits, documents: r.value.documents }) : r;
    },
    kwic,
    documentText: async ({ query, caseSensitive }) => {
      const spans = query ? match(query, caseSensitive) : [];
      return ok({
        doc: 0,
        name: 'mock/sample.txt',
        text: TEXT,
        hits: spans.map(([i, j]) => [TOKENS[i]!.s, TOKENS[j - 1]!.e] as [number, number]),
      });
    },
    passages: async ({ text }) =>
      ok(
        TEXT.split('\n')
          .map((p, i) => ({ p, i, start: TEXT.indexOf(p) }))
          .filter(({ p }) =>
            text
              .toLowerCase()
              .split(/\s+/)
              .some((w) => w && p.toLowerCase().includes(w)),
          )
          .map(({ p, i, start }) => ({ doc: 0, docName: 'mock/sample.txt', paragraph: i, text: p, start, end: start + p.length })),
      ),
    suggest: async ({ prefix, limit }) =>
      ok([...new Set(WORDS.map((t) => t.w.toLowerCase()))].filter((w) => w.startsWith(prefix.toLowerCase())).slice(0, limit ?? 8)),
    freq: async (req) => {
      const counts = new Map<string, number>();
      for (const t of WORDS) counts.set(t.w.toLowerCase(), (counts.get(t.w.toLowerCase()) ?? 0) + 1);
      const rows = [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([term, freq], i) => ({ rank: i + 1, term, freq, perMillion: (freq / WORDS.length) * 1e6, range: 1 }));
      const off = req.offset ?? 0;
      return ok({
        by: req.by ?? 'word',
        corpusTokens: WORDS.length,
        types: rows.length,
        total: rows.length,
        rows: req.limit ? rows.slice(off, off + req.limit) : rows,
      });
    },
    ngrams: async (req) =>
      ok({ n: req.n, total: 1, rows: [{ ngram: 'the bureaucracy', freq: 5, range: 1, perMillion: (5 / WORDS.length) * 1e6 }] }),
    colloc: async (req) => {
      const N = WORDS.length;
      const rows = ['workers', 'councils', 'the'].map((term, i) => {
        const O = 3 - i + 1,
          C = 4 + i * 3,
          R1 = 40,
          E = (R1 * C) / N;
        return {
          term,
          observed: O,
          expected: E,
          termFreq: C,
          mi: Math.log2(O / E),
          mi3: Math.log2(O ** 3 / E),
          t: (O - E) / Math.sqrt(O),
          z: (O - E) / Math.sqrt(E),
          ll: 2 * O * Math.log(O / E),
          logDice: 14 + Math.log2((2 * O) / (5 + C)),
          dice: (2 * O) / (5 + C),
          deltaP: O / R1 - (C - O) / (N - R1),
        };
      });
      return ok({ query: req.query, hits: 5, windowTokens: 40, corpusTokens: N, truncated: false, rows });
    },
    dispersion: async (req) => {
      const spans = match(req.query, req.caseSensitive);
      const positions = spans.map(([i]) => i / TOKENS.length);
      return ok({
        query: req.query,
        hits: spans.length,
        corpusTokens: WORDS.length,
        perMillion: (spans.length / WORDS.length) * 1e6,
        range: spans.length ? 1 : 0,
        parts: req.parts ?? 10,
        dp: 0.2,
        dpNorm: 0.2,
        juillandD: 0.8,
        corpusPositions: positions,
        documents: [{ doc: 0, name: 'mock/sample.txt', tokens: WORDS.length, hits: spans.length, perMillion: 0, positions }],
      });
    },
    keywords: async () =>
      ok({
        corpusTokens: WORDS.length,
        referenceTokens: 1_000_000,
        reference: 'brown',
        positive: [{ term: 'bureaucracy', freq: 5, refFreq: 2, perMillion: 50000, refPerMillion: 2, ll: 80, logRatio: 14.6 }],
        negative: [],
      }),
    compare: async (req) => {
      const terms = await Promise.all(
        req.queries.map(async (q) => {
          const d = await api.dispersion({ query: q });
          const disp = d.ok ? d.value : (undefined as never);
          return {
            query: q,
            hits: disp.hits,
            perMillion: disp.perMillion,
            documents: disp.range,
            dp: disp.dp,
            dispersion: disp,
            collocates: [],
            distinctive: [],
          };
        }),
      );
      return ok({ measure: req.measure ?? 'logDice', span: req.span ?? [5, 5], corpusTokens: WORDS.length, terms, shared: ['the'] });
    },
    exportData: async (req) => {
      const r = await kwic({ ...req.kwic!, offset: 0, limit: 1e9 });
      if (!r.ok) return r;
      const rows = [
        ['document', 'position', 'left', 'node', 'right'],
        ...r.value.lines.map((l) => [l.docName, String(l.docPosition), l.left, l.node, l.right]),
      ];
      const sep = req.format === 'csv' ? ',' : '\t';
      return ok({ filename: `mock.${req.format}`, mime: 'text/plain', encoding: 'utf8', content: rows.map((x) => x.join(sep)).join('\n') });
    },
    trends: async (req) => {
      const buckets = Array.from({ length: req.segments ?? 10 }, (_, i) => ({
        label: `${i + 1}/${req.segments ?? 10}`,
        tokens: Math.ceil(WORDS.length / (req.segments ?? 10)),
      }));
      const series = req.queries.map((q) => {
        const counts = buckets.map(() => 0);
        for (const [i] of match(q)) counts[Math.min(buckets.length - 1, Math.floor((i / TOKENS.length) * buckets.length))]!++;
        return {
          query: q,
          hits: counts.reduce((a, b) => a + b, 0),
          counts,
          perMillion: counts.map((c, i) => (c / buckets[i]!.tokens) * 1e6),
        };
      });
      return ok({ by: req.by, corpusTokens: WORDS.length, buckets, series });
    },
    listProjects: async () =>
      ok(
        project
          ? [{ file: project.file, name: project.name, savedAt: project.savedAt, corpus: null, codedLines: project.lines.length }]
          : [],
      ),
    newProject: async (req) => {
      project = {
        file: req.file ?? `mock/${req.name ?? 'Untitled'}.loupe.json`,
        name: req.name ?? 'Untitled',
        corpus: null,
        categories: [],
        lines: [],
        queries: [],
        history: [],
        historyAt: -1,
        savedAt: new Date().toISOString(),
      };
      return ok(project);
    },
    openProject: async () => (project ? ok(project) : noProject),
    projectState: async () => ok(project),
    updateProject: async (patch) => {
      if (!project) return noProject;
      project = { ...project, ...patch, savedAt: new Date().toISOString() };
      return ok({ savedAt: project.savedAt });
    },
    codeLines: async () => (project ? ok(project.lines) : noProject),
    onProgress: () => () => {},
  };
  return api;
}
