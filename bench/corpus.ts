/**
 * The benchmark corpus: Brown (tags stripped, scripts/brown.ts) repeated until it reaches the size
 * asked for. Repeating Brown verbatim would freeze the vocabulary at ~50,000 types, which flatters
 * every vocabulary scan; real corpora keep meeting new words. So each copy after the first respells
 * the words that are rare in Brown (frequency <= RARE_MAX) with a copy tag (`Durwood` -> `Durwoodb`
 * in copy 1, `Durwoodba` in copy 26): ~29,000 new types per 1.16M tokens, >2 million at 1e8.
 *
 * Texts are concatenated into files of about `fileBytes` each. A corpus already generated in the
 * folder with the same parameters is reused (its manifest says so), since writing 600 MB takes a while.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brownTexts } from '../scripts/brown.js';

/** Words at most this frequent in Brown (case-folded) get a copy-specific spelling. */
const RARE_MAX = 2;
const GENERATOR_VERSION = 1;

export interface CorpusParams {
  /** Brown words (as Brown splits them) to generate; the tokeniser's count differs slightly. */
  tokens: number;
  fileBytes: number;
}

export interface GeneratedCorpus {
  dir: string;
  files: number;
  bytes: number;
  /** Brown words written (Brown's own tokenisation). */
  brownWords: number;
  copies: number;
  reused: boolean;
  ms: number;
}

interface Manifest extends CorpusParams {
  version: number;
  files: number;
  bytes: number;
  brownWords: number;
  copies: number;
}

/** A Brown text as fixed pieces with rare-word slots between them: piece0 rare0 piece1 rare1 ... pieceN. */
interface Template {
  pieces: string[];
  rare: string[];
  words: number;
}

/** Copy tag in base 26 (a..z), so copy 1 is `b`, copy 26 is `ba`; copy 0 keeps Brown's spelling. */
export function copyTag(copy: number): string {
  if (copy === 0) return '';
  let s = '';
  let k = copy;
  do {
    s = String.fromCharCode(97 + (k % 26)) + s;
    k = Math.floor(k / 26);
  } while (k > 0);
  return s;
}

/** Only words that end in a letter are respelled: `1913b` or `$4b` would tokenise as two tokens. */
const RESPELLABLE = /\p{L}$/u;

function templates(): Template[] {
  const texts = brownTexts();
  const freq = new Map<string, number>();
  for (const t of texts) for (const w of t.words) freq.set(w.toLowerCase(), (freq.get(w.toLowerCase()) ?? 0) + 1);
  return texts.map((t) => {
    const pieces: string[] = [];
    const rare: string[] = [];
    let current = '';
    let words = 0;
    // brownTexts joins words with single spaces and paragraphs with blank lines: rebuild the same text.
    const paragraphs = t.text.trimEnd().split('\n\n');
    paragraphs.forEach((para, pi) => {
      if (pi > 0) current += '\n\n';
      para.split(' ').forEach((w, wi) => {
        if (wi > 0) current += ' ';
        words++;
        if ((freq.get(w.toLowerCase()) ?? 0) <= RARE_MAX && RESPELLABLE.test(w)) {
          pieces.push(current + w);
          rare.push(w);
          current = '';
        } else current += w;
      });
    });
    pieces.push(current + '\n');
    return { pieces, rare, words };
  });
}

function render(t: Template, tag: string): string {
  // pieces[i] ends with rare[i] (for i < rare.length), so joining with the tag respells each rare word.
  return t.pieces.join(tag);
}

export function generateCorpus(dir: string, params: CorpusParams, log: (m: string) => void = () => {}): GeneratedCorpus {
  const started = performance.now();
  // Beside the folder, not in it: the folder is the corpus and holds only its texts.
  const manifestFile = `${dir}.json`;
  if (existsSync(manifestFile)) {
    try {
      const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
      if (m.version === GENERATOR_VERSION && m.tokens === params.tokens && m.fileBytes === params.fileBytes && filesIntact(dir, m)) {
        return {
          dir,
          files: m.files,
          bytes: m.bytes,
          brownWords: m.brownWords,
          copies: m.copies,
          reused: true,
          ms: performance.now() - started,
        };
      }
    } catch {
      // Unreadable manifest: generate afresh.
    }
  }
  rmSync(manifestFile, { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tpl = templates();
  let written = 0;
  let files = 0;
  let bytes = 0;
  let buffer: string[] = [];
  let bufferLength = 0;
  let copy = 0;
  let copies = 0;
  const flush = () => {
    if (bufferLength === 0) return;
    const data = buffer.join('\n');
    writeFileSync(join(dir, fileName(files)), data);
    files++;
    bytes += Buffer.byteLength(data);
    buffer = [];
    bufferLength = 0;
  };
  outer: for (; ; copy++) {
    const tag = copyTag(copy);
    for (const t of tpl) {
      if (written >= params.tokens) break outer;
      const text = render(t, tag);
      copies = copy + 1;
      buffer.push(text);
      bufferLength += text.length + 1;
      written += t.words;
      if (bufferLength >= params.fileBytes) flush();
    }
    if (copy % 10 === 9) log(`generated ${written.toLocaleString('en')} words in ${files} files`);
  }
  flush();
  const manifest: Manifest = {
    version: GENERATOR_VERSION,
    ...params,
    files,
    bytes,
    brownWords: written,
    copies,
  };
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  return { dir, files, bytes, brownWords: written, copies: manifest.copies, reused: false, ms: performance.now() - started };
}

function fileName(i: number): string {
  return `brown-${String(i).padStart(5, '0')}.txt`;
}

function filesIntact(dir: string, m: Manifest): boolean {
  let total = 0;
  for (let i = 0; i < m.files; i++) {
    const f = join(dir, fileName(i));
    if (!existsSync(f)) return false;
    total += statSync(f).size;
  }
  return total === m.bytes && !existsSync(join(dir, fileName(m.files)));
}
