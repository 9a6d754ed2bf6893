/**
 * Saving and loading a CorpusIndex as one file:
 *
 *   "LOUPEIDX" | u32 format version | u32 padded header length | u32 header crc32 | u32 header length | header JSON | sections
 *
 * The header lists every section with its offset, length and crc32, plus the fingerprints of the
 * source files the index was built from. A file that is truncated, has a flipped byte, carries another
 * format version or does not parse is refused (LoadFailure), so the caller rebuilds: a damaged index is
 * never trusted. Writes go to a temporary file that is renamed over the old one, so a crash while saving
 * leaves the old index or the new one, never a mix.
 *
 * Small files are read whole and every section verified at open. Files of LAZY_ABOVE bytes or more are
 * opened lazily (lazy.ts): the header, the document table and the per-document counts at open, every
 * other section checksummed when first read whole, so opening does not grow with the corpus.
 */
import { promises as fs, openSync, readSync, closeSync, fsyncSync, fstatSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { LoupeFailure } from '../contract/errors.js';
import { TOKEN_KINDS, type SkippedFile } from '../contract/types.js';
import { UPOS_TAGS } from '../text/tokenise.js';
import { TOKENISER_VERSION } from '../text/tokenise.js';
import { exactKey } from '../text/normalise.js';
import { CorpusIndex, type StoreColumns, type StoredDocument } from './store.js';
import {
  LazySource,
  LoadFailure,
  lazyTexts,
  readExactly,
  SectionFile,
  u32Of,
  type LazyFacts,
  type SectionEntry,
  type SourcedDocument,
} from './lazy.js';
import { encodeIndex, textSourceOf } from './encode.js';
import { BLOCK } from './codec.js';
import { makePrivateFolder, PRIVATE_FILE, processAlive, temporaryName } from '../fs/atomic.js';
import { sectionInMemory, type SectionOut } from './spool.js';

export { LoadFailure } from './lazy.js';

/**
 * 3: vocabulary, word postings and per-document counts saved, so an index can be opened lazily.
 * 4: compact columns (encode.ts); plain-text documents read back from their files.
 * 5: postings of exact forms and POS tags.
 * 6: exact forms and lemmas saved sorted, like the words, so one is found without reading them all.
 * 7: the words spelled backwards, sorted, so the words with a given ending are one range.
 * 8: word postings saved in the words' code-point order, so the words of a prefix are one run.
 * 9: a word of one or two tokens has its positions in the tables of words spelled backwards.
 */
export const FORMAT_VERSION = 9;
const MAGIC = Buffer.from('LOUPEIDX', 'latin1');
const PREFIX = 24;

export interface FileFingerprint {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

export interface SavedManifest {
  /** The inputs as given (absolute paths), which key the cache folder. */
  inputs: string[];
  files: FileFingerprint[];
  skipped: SkippedFile[];
  fingerprint: string;
  /** metadata.csv files applied to the documents. */
  sidecars?: FileFingerprint[];
  /** The corpus-wide language setting the documents were tokenised under, if any. */
  language?: string;
  /** Whether lemmas outside English are Snowball stems (OpenOptions.stem). */
  stem?: boolean;
  /** For an index merged from segments: how many of `files` each segment holds, in order. */
  segments?: number[];
}

interface Header {
  formatVersion: number;
  /** The tokeniser that produced the columns (TOKENISER_VERSION); another one means rebuild. */
  tokeniserVersion?: number;
  manifest: SavedManifest;
  docs: Array<Omit<StoredDocument, 'text'> & SourcedDocument>;
  /** Sizes and totals a lazily opened index needs before reading any column. */
  facts: LazyFacts;
  sections: SectionEntry[];
}

function jsonBytes(x: unknown): Buffer {
  return Buffer.from(JSON.stringify(x), 'utf8');
}

/** Not `(n + 7) & ~7`: bitwise operators are 32-bit, and index sections pass 2 GiB. */
const align8 = (n: number) => Math.ceil(n / 8) * 8;

export async function saveIndex(file: string, index: CorpusIndex, manifest: SavedManifest): Promise<void> {
  const sources = index.docs.map(textSourceOf);
  const sections = encodeIndex(index, sources).map((s) => sectionInMemory(s.name, s.type, s.data));
  await writeIndexFile(
    file,
    {
      manifest,
      docs: index.docs.map(({ text: _t, ...meta }, d) => (sources[d] ? { ...meta, textSource: sources[d] } : meta)),
      facts: {
        block: BLOCK,
        tokens: index.tokenCount,
        countedTotal: index.countedTotal,
        docCounted: Array.from(index.docCounted),
        words: index.wordCount,
        forms: index.forms.length,
        lemmas: index.lemmas.length,
        longS: index.mayHoldLongS(),
      },
    },
    sections,
  );
}

/** What a saved index says of itself besides its sections. */
export type IndexHeading = Pick<Header, 'manifest' | 'docs' | 'facts'>;

/**
 * Writes an index file from its heading and sections, atomically: a temporary file renamed over the
 * old one once complete and flushed.
 */
export async function writeIndexFile(file: string, heading: IndexHeading, sections: SectionOut[]): Promise<void> {
  // Section offsets are relative to the end of the header, so the header can be written after sizing.
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const s of sections) {
    entries.push({ name: s.name, type: s.type, offset, length: s.length, crc: s.crc });
    offset = align8(offset + s.length);
  }
  const header: Header = { formatVersion: FORMAT_VERSION, tokeniserVersion: TOKENISER_VERSION, ...heading, sections: entries };
  const headerBytes = jsonBytes(header);
  const headerPadded = align8(headerBytes.byteLength);
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(FORMAT_VERSION, 8);
  prefix.writeUInt32LE(headerPadded, 12);
  prefix.writeUInt32LE(crc32(headerBytes), 16);
  prefix.writeUInt32LE(headerBytes.byteLength, 20);

  try {
    // The index holds the texts of the corpus: only its owner may read it, whatever the umask.
    await makePrivateFolder(dirname(file));
  } catch (e) {
    throw new LoupeFailure('E_INDEX', `Cannot create the index folder ${dirname(file)}: ${(e as Error).message}`);
  }
  await removeStaleTemporaries(file);
  // The pid lets removeStaleTemporaries tell a dead writer's file; the random part and 'wx' mean
  // no file or link planted under a guessed name is ever written through.
  const tmp = temporaryName(file, String(process.pid));
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, 'wx', PRIVATE_FILE);
    created = true;
    writeSync(fd, prefix);
    writeSync(fd, headerBytes);
    const zero = Buffer.alloc(8);
    if (headerPadded > headerBytes.byteLength) writeSync(fd, zero, 0, headerPadded - headerBytes.byteLength);
    let written = 0;
    sections.forEach((s, i) => {
      s.writeTo(fd!);
      written += s.length;
      // No padding after the last section: then any truncation cuts into checksummed bytes.
      const pad = i < sections.length - 1 ? align8(written) - written : 0;
      if (pad) writeSync(fd!, zero, 0, pad);
      written += pad;
    });
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (created) await fs.rm(tmp, { force: true });
    throw new LoupeFailure('E_INDEX', `Cannot save the index to ${file}: ${(e as Error).message}`);
  }
}

/**
 * A process killed while saving leaves its temporary file behind; remove those whose writer is gone
 * (a live writer, perhaps a second instance, keeps its own).
 */
async function removeStaleTemporaries(file: string): Promise<void> {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    await fs.rm(join(dir, name), { force: true }).catch(() => {});
  }
}

/** Reads only the header: enough to decide whether the index is still current. */
export function readManifest(file: string): SavedManifest | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const prefix = Buffer.alloc(PREFIX);
    if (readSync(fd, prefix, 0, PREFIX, 0) !== PREFIX) return undefined;
    const header = parseHeader(prefix, (len) => {
      const b = Buffer.alloc(len);
      return readSync(fd!, b, 0, len, PREFIX) === len ? b : undefined;
    });
    return header.manifest;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function parseHeader(prefix: Buffer, read: (len: number) => Buffer | undefined): Header {
  if (!prefix.subarray(0, 8).equals(MAGIC)) throw new LoadFailure('not a Loupe index');
  const version = prefix.readUInt32LE(8);
  if (version !== FORMAT_VERSION) throw new LoadFailure(`index format ${version}, expected ${FORMAT_VERSION}`);
  const padded = prefix.readUInt32LE(12);
  const crc = prefix.readUInt32LE(16);
  const len = prefix.readUInt32LE(20);
  if (len > padded || padded > 1 << 30) throw new LoadFailure('bad header length');
  const bytes = read(padded);
  if (!bytes) throw new LoadFailure('truncated header');
  const json = bytes.subarray(0, len);
  if (crc32(json) !== crc) throw new LoadFailure('header checksum mismatch');
  const header = JSON.parse(json.toString('utf8')) as Header;
  if (header.formatVersion !== FORMAT_VERSION) throw new LoadFailure('header format mismatch');
  if (header.tokeniserVersion !== TOKENISER_VERSION)
    throw new LoadFailure(`made by tokeniser ${header.tokeniserVersion ?? 1}, this is ${TOKENISER_VERSION}`);
  return header;
}

export interface LoadOptions {
  /**
   * Files at least this large are opened lazily (sections read on first use, see lazy.ts); smaller
   * ones are read, checksummed and checked whole. Default 32 MiB.
   */
  lazyAbove?: number;
}

export const LAZY_ABOVE = 32 * 1024 * 1024;

export async function loadIndex(file: string, opts: LoadOptions = {}): Promise<{ index: CorpusIndex; manifest: SavedManifest }> {
  // Each section is read into its own buffer: no single Buffer of the whole file (which would stay
  // alive behind every column view and double the resident size of a large index).
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    // Gone, a folder, unreadable: whatever it is, it cannot be trusted.
    throw new LoadFailure(`cannot read the saved index: ${(e as Error).message}`);
  }
  let sections: SectionFile;
  let header: Header;
  try {
    ({ sections, header } = openSections(file, fd));
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let keepOpen = false;
  try {
    if (fstatSync(fd).size >= (opts.lazyAbove ?? LAZY_ABOVE)) {
      const index = openLazily(sections, header);
      // The file stays open for the index's reads, and is closed when the index is collected.
      sections.closeWith(index);
      keepOpen = true;
      return { index, manifest: header.manifest };
    }
    return { index: loadWhole(sections, header), manifest: header.manifest };
  } finally {
    if (!keepOpen) sections.close();
  }
}

/**
 * A saved index opened lazily, with its sections and what its header says, to be read part by part
 * (merge.ts). The caller closes `sections`.
 */
export function openSavedParts(file: string): { sections: SectionFile; heading: IndexHeading; index: CorpusIndex } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new LoadFailure(`cannot read the saved index: ${(e as Error).message}`);
  }
  let sections: SectionFile | undefined;
  try {
    const opened = openSections(file, fd);
    sections = opened.sections;
    const { manifest, docs, facts } = opened.header;
    return { sections, heading: { manifest, docs, facts }, index: openLazily(sections, opened.header) };
  } catch (e) {
    if (sections) sections.close();
    else closeSync(fd);
    throw e;
  }
}

function openSections(file: string, fd: number): { sections: SectionFile; header: Header } {
  let size: number;
  let prefix: Buffer;
  let header: Header;
  try {
    size = fstatSync(fd).size;
    if (size < PREFIX) throw new LoadFailure('truncated index');
    prefix = readExactly(fd, PREFIX, 0);
    header = parseHeader(prefix, (len) => (size >= PREFIX + len ? readExactly(fd, len, PREFIX) : undefined));
  } catch (e) {
    throw e instanceof LoadFailure ? e : new LoadFailure(`unreadable header: ${(e as Error).message}`);
  }
  const base = PREFIX + prefix.readUInt32LE(12);
  const last = header.sections.reduce((m, s) => Math.max(m, s.offset + s.length), 0);
  // Every section must fit: a truncated file is refused at open, not on some later query.
  if (base + last > size) throw new LoadFailure('truncated index');
  return { sections: new SectionFile(file, fd, base, size, header.sections), header };
}

/** The header and the small tables are checked now; columns as they are first read (lazy.ts). */
function openLazily(sections: SectionFile, header: Header): CorpusIndex {
  try {
    const f = header.facts;
    const docStart = u32Of(sections.read('docStart'), 'docStart');
    const textBytes = u32Of(sections.read('textBytes'), 'textBytes');
    const docs = header.docs;
    if (!f || ![f.tokens, f.countedTotal, f.words, f.forms, f.lemmas].every((x) => Number.isInteger(x) && x >= 0))
      throw new LoadFailure('bad index facts');
    if (f.block !== BLOCK) throw new LoadFailure(`columns in blocks of ${f.block} tokens, this version reads ${BLOCK}`);
    if (!Array.isArray(f.docCounted) || f.docCounted.length !== docs.length) throw new LoadFailure('bad per-document counts');
    if (textBytes.length !== docs.length) throw new LoadFailure('text table does not match the documents');
    if (docStart.length !== docs.length + 1 || docStart[0] !== 0 || docStart[docs.length] !== f.tokens)
      throw new LoadFailure('document table does not match the tokens');
    for (let d = 0; d < docs.length; d++) if (docStart[d + 1]! < docStart[d]!) throw new LoadFailure('document table out of order');
    let textTotal = 0;
    for (const b of textBytes) textTotal += b;
    if (textTotal !== sections.entry('texts').length) throw new LoadFailure('texts do not match their table');
    docs.forEach((d, i) => {
      const t = d.textSource;
      if (t && (typeof t.hash !== 'string' || !Number.isInteger(t.chars) || textBytes[i] !== 0))
        throw new LoadFailure(`bad text source for ${d.name}`);
      if (t?.slices && !(t.slices.size === t.chars && typeof t.slices.mtimeMs === 'number'))
        throw new LoadFailure(`bad text source for ${d.name}`);
    });
    const source = new LazySource(sections, f);
    return new CorpusIndex({ docStart, tokens: f.tokens }, lazyTexts(docs, textBytes, source), source);
  } catch (e) {
    throw e instanceof LoadFailure ? e : new LoadFailure(`unreadable index: ${(e as Error).message}`);
  }
}

/** Every section read, checksummed and decoded now, and the columns checked against the texts. */
function loadWhole(sections: SectionFile, header: Header): CorpusIndex {
  try {
    const lazy = openLazily(sections, header);
    const docs = lazy.docs.map((d) => ({ ...d })); // reads every text now (from the index or its file)
    const cols = {
      forms: lazy.forms,
      lemmas: lazy.lemmas,
      form: lazy.form,
      lemma: lazy.lemma,
      pos: lazy.pos,
      kind: lazy.kind,
      flags: lazy.flags,
      start: lazy.start,
      end: lazy.end,
      docStart: lazy.docStart,
    };
    // The derived tables are rebuilt from the columns below (cheap at this size), but they must still
    // be intact: an index with them damaged could not be opened lazily either.
    void lazy.words;
    void lazy.wordRank;
    void lazy.formToWord;
    const saved = lazy.byWord;
    if (lazy.wordId(lazy.words[0] ?? '') !== (lazy.words.length ? 0 : undefined))
      throw new LoadFailure('the sorted vocabulary does not find its words');
    checkConsistent(cols, docs);
    // Every section's checksum: those the decoding above read only in part (vocabulary probes, texts
    // by range) are read whole now; the others were checked as they were read.
    for (const e of header.sections) if (!sections.verified.has(e.name)) sections.read(e.name);
    const index = new CorpusIndex(cols, docs);
    // The saved postings were written from the same columns: any token whose word differs shows here.
    const built = index.byWord;
    if (
      built.positions.length !== saved.positions.length ||
      built.offsets.some((o, t) => o !== saved.offsets[t]) ||
      built.positions.some((p, k) => p !== saved.positions[k])
    )
      throw new LoadFailure('the word postings do not match the token columns');
    const f = header.facts;
    if (f.countedTotal !== index.countedTotal || f.words !== index.wordCount || f.docCounted.some((c, d) => c !== index.docCounted[d]))
      throw new LoadFailure('index facts do not match its columns');
    return index;
  } catch (e) {
    if (e instanceof LoupeFailure && e.code === 'E_INDEX') throw new LoadFailure(e.message);
    throw e instanceof LoadFailure ? e : new LoadFailure(`unreadable index: ${(e as Error).message}`);
  }
}

/**
 * Checksums catch damage; this catches a well-formed file whose parts do not belong together (ids past
 * the end of a table, offsets past the end of a text), which would otherwise surface as wrong results.
 */
function checkConsistent(
  cols: Pick<StoreColumns, 'forms' | 'lemmas' | 'form' | 'lemma' | 'pos' | 'kind' | 'start' | 'end' | 'docStart'>,
  docs: StoredDocument[],
): void {
  if (!Array.isArray(cols.forms) || !Array.isArray(cols.lemmas)) throw new LoadFailure('bad string tables');
  if (cols.forms.some((f) => typeof f !== 'string') || cols.lemmas.some((f) => typeof f !== 'string'))
    throw new LoadFailure('bad string tables');
  const nForms = cols.forms.length;
  const nLemmas = cols.lemmas.length;
  const nPos = UPOS_TAGS.length;
  const nKinds = TOKEN_KINDS.length;
  if (cols.docStart[0] !== 0) throw new LoadFailure('document table does not start at 0');
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    if (typeof doc.text !== 'string' || typeof doc.name !== 'string') throw new LoadFailure(`bad document ${d}`);
    const lo = cols.docStart[d]!;
    const hi = cols.docStart[d + 1]!;
    if (hi < lo) throw new LoadFailure('document table out of order');
    const len = doc.text.length;
    for (let i = lo; i < hi; i++) {
      if (cols.form[i]! >= nForms || cols.lemma[i]! >= nLemmas || cols.pos[i]! >= nPos || cols.kind[i]! >= nKinds)
        throw new LoadFailure(`token ${i} refers past the end of a table`);
      if (cols.start[i]! > cols.end[i]! || cols.end[i]! > len) throw new LoadFailure(`token ${i} lies outside its text`);
    }
    // Spot checks that texts and tokens still belong together: the first and last token of every
    // document and a few in between must slice back to their own forms.
    const step = Math.max(1, Math.floor((hi - lo) / 16));
    for (let i = lo; i < hi; i += i + step < hi ? step : Math.max(1, hi - 1 - i)) {
      if (exactKey(doc.text.slice(cols.start[i]!, cols.end[i]!)) !== cols.forms[cols.form[i]!])
        throw new LoadFailure(`token ${i} no longer matches its text`);
    }
  }
}

export function indexFileIn(dir: string): string {
  return join(dir, 'index.loupe');
}
