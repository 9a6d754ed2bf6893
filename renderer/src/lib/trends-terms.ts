/**
 * The terms of a trends chart: the query in force first, then the ones the reader adds, typed
 * comma-separated or one a line. A comma inside quotes or brackets belongs to its query
 * (`[word=","]`, `"a, b"`), so only top-level commas separate.
 */

/** At most this many series: what the engine accepts in one request (LIMITS.compareQueries). */
export const MAX_TERMS = 10;

function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && i + 1 < text.length) {
        cur += c + text[++i];
        continue;
      }
      if (c === quote) quote = '';
    } else if (c === '"') quote = c;
    else if (c === '[' || c === '(' || c === '{') depth++;
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--;
    else if ((c === ',' || c === '\n') && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/** The query in force and the added terms, without repeats, capped at MAX_TERMS; `dropped` says how many were left out. */
export function trendTerms(query: string, added: string): { terms: string[]; dropped: number } {
  const all = [query.trim(), ...splitTerms(added)].filter((t) => t !== '');
  const seen = new Set<string>();
  const unique = all.filter((t) => {
    const key = t.replace(/\s+/g, ' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { terms: unique.slice(0, MAX_TERMS), dropped: Math.max(0, unique.length - MAX_TERMS) };
}
