/**
 * Saved queries in two shapes: as the app shows them (a view, a query, the view's settings) and as
 * the API request `loupe project run` sends. The app's entry is kept whole under `ui`; the request
 * is derived from it, so a project saved by the app runs from the command line too.
 */
import type { ProjectViewId, SavedQueryEntry } from '../contract/project.js';
import { parsePayload } from '../contract/schema.js';
import type { ProjectView, SavedQuery } from './project.js';

const API_OF: Partial<Record<ProjectViewId, ProjectView>> = {
  concordance: 'kwic',
  collocates: 'colloc',
  dispersion: 'dispersion',
  passages: 'passages',
  compare: 'compare',
  trends: 'trends',
};
const VIEW_OF: Record<ProjectView, ProjectViewId> = {
  count: 'concordance',
  kwic: 'concordance',
  freq: 'wordlist',
  ngrams: 'ngrams',
  colloc: 'collocates',
  dispersion: 'dispersion',
  keywords: 'keywords',
  compare: 'compare',
  passages: 'passages',
  trends: 'trends',
};

/** Settings of the concordance that are also fields of a KWIC request. */
const KWIC_SETTINGS = ['context', 'sort', 'filter', 'filterSpan', 'sample', 'seed', 'range', 'codes'] as const;

function pick(settings: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!settings) return out;
  for (const k of keys) {
    const v = settings[k];
    // Empty values mean "not set" in the app's controls.
    if (v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/** The request the entry stands for, under the API method that answers it; a count when nothing fits. */
function requestOf(entry: SavedQueryEntry): { view: ProjectView; request: Record<string, unknown> } {
  const scope = { ...(entry.where ? { where: entry.where } : {}) };
  const cs = entry.caseSensitive ? { caseSensitive: true } : {};
  const candidates: Array<{ view: ProjectView; request: Record<string, unknown> }> = [];
  const api = API_OF[entry.view];
  const s = entry.settings;
  if (entry.query) {
    if (api === 'kwic') candidates.push({ view: 'kwic', request: { query: entry.query, ...scope, ...cs, ...pick(s, KWIC_SETTINGS) } });
    else if (api === 'colloc')
      candidates.push({ view: 'colloc', request: { query: entry.query, ...scope, ...cs, ...pick(s, ['span', 'by', 'sort', 'stoplist']) } });
    else if (api === 'dispersion') candidates.push({ view: 'dispersion', request: { query: entry.query, ...scope, ...cs } });
    else if (api === 'passages') candidates.push({ view: 'passages', request: { text: entry.query, ...scope } });
    else if (api === 'compare' || api === 'trends') {
      const queries = Array.isArray(s?.queries) ? s.queries : undefined;
      if (queries)
        candidates.push({ view: api, request: { queries, ...scope, ...cs, ...(api === 'trends' ? { by: s?.by ?? 'segment' } : {}) } });
    }
    candidates.push({ view: 'count', request: { query: entry.query, ...scope, ...cs } });
  }
  candidates.push({ view: 'freq', request: { ...scope, limit: 100 } });
  for (const c of candidates) if (parsePayload(c.view, c.request).ok) return c;
  return { view: 'freq', request: { limit: 100 } };
}

export function toSavedQuery(entry: SavedQueryEntry): SavedQuery {
  const { name, ...ui } = entry;
  return { name, ...requestOf(entry), ui };
}

/** The app's entry for a saved query: as the app saved it, or read off a request made elsewhere. */
export function toEntry(q: SavedQuery, i: number): SavedQueryEntry {
  if (q.ui) return { ...q.ui, name: q.name ?? q.ui.query ?? `Query ${i + 1}` };
  const r = q.request;
  const query =
    typeof r.query === 'string'
      ? r.query
      : typeof r.text === 'string'
        ? r.text
        : Array.isArray(r.queries)
          ? String(r.queries[0] ?? '')
          : '';
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!['query', 'text', 'where', 'caseSensitive'].includes(k)) settings[k] = v;
  return {
    name: q.name ?? (query || `Query ${i + 1}`),
    view: VIEW_OF[q.view],
    query,
    ...(typeof r.where === 'string' ? { where: r.where } : {}),
    ...(r.caseSensitive === true ? { caseSensitive: true } : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
  };
}
