const intFormat = new Intl.NumberFormat('en');

export const int = (n: number): string => intFormat.format(n);

/** Scores: two decimals, a real minus sign, and words for the non-finite cases. */
export function score(n: number, digits = 2): string {
  if (Number.isNaN(n)) return 'n/a';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  const s = n.toFixed(digits);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

export const perMillion = (n: number): string => score(n, n >= 100 ? 0 : 1);

export const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

/** "36 hits in 1 document", "6,028,889 hits in 530 documents": the status line of every query. */
export const hitsStatus = (hits: number, documents: number): string =>
  `${int(hits)} ${plural(hits, 'hit')} in ${int(documents)} ${plural(documents, 'document')}`;
