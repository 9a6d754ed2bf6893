/**
 * Matching keys. Text is compared after NFC, with the typographic apostrophes folded onto the
 * straight one (so `workers' councils` finds `workers’ councils`), and case-folded unless the
 * user asks for case.
 */
const APOSTROPHES = /[\u2019\u2018\u02BC\u2032\uFF07]/g;

export function exactKey(s: string): string {
  const n = s.normalize('NFC');
  return APOSTROPHES.test(n) ? n.replace(APOSTROPHES, "'") : n;
}

/**
 * Lower case for matching, of a string already in exact-key form. Unicode lower-casing maps `Σ` to
 * `σ`, but Greek writes `ς` at the end of a word: all three must compare equal. This is lower-casing,
 * not Unicode full case folding: `ß` stays `ß` (`Straße` does not meet `STRASSE`), because full
 * folding changes lengths and would make different words (`Masse`, `Maße`) the same.
 */
export function lowerFold(s: string): string {
  const l = s.toLowerCase();
  return l.includes('ς') ? l.replaceAll('ς', 'σ') : l;
}

export function foldKey(s: string): string {
  return lowerFold(exactKey(s));
}
