/**
 * Pieces of a context string with the words the sort keys read marked, so a line shows what it was
 * sorted by. Offsets come from the engine (KwicLine.marks) and index the raw context; whitespace is
 * collapsed per piece afterwards, so the marks stay on their words.
 */
import type { KwicLine, SortKey } from '../../../app/contract/types';

export interface ContextPiece {
  text: string;
  /** Sort level (1-based) of the key that reads this word; 0 for plain text. */
  level: number;
  key?: SortKey;
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

export function contextPieces(line: KwicLine, side: 'left' | 'right', sort: SortKey[]): ContextPiece[] {
  const text = side === 'left' ? line.left : line.right;
  const marks = (line.marks ?? [])
    .filter((m) => m.side === side && sort.includes(m.key) && m.start >= 0 && m.end <= text.length && m.start < m.end)
    .sort((a, b) => a.start - b.start);
  const out: ContextPiece[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start < at) continue;
    if (m.start > at) out.push({ text: flat(text.slice(at, m.start)), level: 0 });
    out.push({ text: flat(text.slice(m.start, m.end)), level: sort.indexOf(m.key) + 1, key: m.key });
    at = m.end;
  }
  if (at < text.length) out.push({ text: flat(text.slice(at)), level: 0 });
  return out;
}

/**
 * What a sort key reads, for the legend. On right-to-left lines L keys read the words before the
 * node, which stand on its right, and R keys the words after it, on its left.
 */
export function describeKey(key: SortKey, rtl = false): string {
  if (key === 'node') return 'the node';
  if (key === 'doc') return 'location (document, then position)';
  if (key === 'code') return 'category';
  if (key === 'random') return 'random order';
  const n = Number(key.slice(1));
  const nth = ['', 'first', 'second', 'third', 'fourth', 'fifth'][n] ?? `${n}th`;
  if (rtl) return `${nth} word ${key[0] === 'L' ? 'before the node, on its right' : 'after the node, on its left'}`;
  return `${nth} word ${key[0] === 'L' ? 'left' : 'right'} of the node`;
}
