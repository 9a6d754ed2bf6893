/**
 * A .docx whose zip headers understate the size of word/document.xml: a few hundred KB on disk that
 * inflates to hundreds of MB. The caps judge the declared sizes, so the bytes really inflated must
 * be counted too, before mammoth (whose unzip would inflate the whole entry) sees anything.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../../app/corpus/formats/index.js';
import { ZipArchive } from '../../../app/corpus/formats/zip.js';
import { MB } from '../../../app/corpus/formats/limits.js';
import { buildDocx } from './build-fixtures.js';

interface RawEntry {
  name: string;
  data: Uint8Array;
  method: 0 | 8;
  crc: number;
  /** The uncompressed size written in both the local and the central header. */
  declared: number;
}

/** A zip written byte by byte, so its headers say whatever the entry says. */
function writeZip(entries: RawEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declared, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x800, 8);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.crc, 16);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.declared, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(e.data));
    central.push(dir, name);
    offset += local.length + name.length + e.data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, dirBytes, end]));
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REAL_BODY_BYTES = 256 * MB;
const DECLARED = 4096;

/**
 * A valid Word body of REAL_BODY_BYTES, deflated without ever holding it whole: one 1 MB piece is
 * compressed once with a full flush (so pieces can follow each other in one stream) and repeated.
 */
function bombBody(): { data: Uint8Array; crc: number } {
  const head = Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>`);
  const tail = Buffer.from('</w:t></w:r></w:p></w:body></w:document>');
  const piece = Buffer.from('bureaucracy '.repeat(Math.ceil(MB / 12)).slice(0, MB));
  const pieces = Math.floor((REAL_BODY_BYTES - head.length - tail.length) / piece.length);
  const flush = { finishFlush: constants.Z_FULL_FLUSH, level: 9 };
  const deflatedPiece = deflateRawSync(piece, flush);
  const out: Buffer[] = [deflateRawSync(head, flush)];
  let crc = crc32(head);
  for (let i = 0; i < pieces; i++) {
    out.push(deflatedPiece);
    crc = crc32(piece, crc);
  }
  out.push(deflateRawSync(tail));
  crc = crc32(tail, crc);
  return { data: new Uint8Array(Buffer.concat(out)), crc };
}

describe('a docx whose headers understate its sizes', () => {
  let bytes: Uint8Array;

  beforeAll(() => {
    // The parts of a real (tiny) docx, written honestly, with word/document.xml swapped for the bomb.
    const honest = unzipSync(buildDocx({ paragraphs: [{ text: 'A small document.' }] }));
    const bomb = bombBody();
    const entries: RawEntry[] = Object.entries(honest).map(([name, data]) =>
      name === 'word/document.xml'
        ? { name, data: bomb.data, method: 8, crc: bomb.crc, declared: DECLARED }
        : { name, data: deflateRawSync(data), method: 8, crc: crc32(data), declared: data.length },
    );
    bytes = writeZip(entries);
  });

  it('is a small file whose declared sizes pass the caps', () => {
    expect(bytes.length).toBeLessThan(2 * MB);
    const opened = ZipArchive.open(bytes);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.archive.entries.find((e) => e.name === 'word/document.xml')!.originalSize).toBe(DECLARED);
  });

  it('is skipped with a reason, having inflated little more than the declared size', async () => {
    const before = process.resourceUsage().maxRSS * 1024;
    const r = await extract('bomb.docx', bytes);
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - before;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^not a readable \.docx: archive entry word\/document\.xml holds more than the 4 KB its header declares/);
    // The peak resident size of this process: unbounded inflation would add the whole body (and
    // mammoth's copies of it) to it; the capped path adds one slice's worth at most.
    expect(peakGrowth).toBeLessThan(REAL_BODY_BYTES / 2);
  });

  it('counts the bytes really inflated and stops just past the declared size', () => {
    const opened = ZipArchive.open(bytes);
    if (!opened.ok) throw new Error(opened.reason);
    const zip = opened.archive;
    const read = zip.readChecked(['word/document.xml']);
    expect(read.ok).toBe(false);
    // Deflate expands at most about 1032:1, and the inflater is fed 4 KiB at a time.
    expect(zip.inflatedBytes).toBeGreaterThan(DECLARED);
    expect(zip.inflatedBytes).toBeLessThanOrEqual(DECLARED + 1032 * 4096 + 64 * 1024);
  });

  it('still reads the same docx when its headers tell the truth', async () => {
    const honest = unzipSync(buildDocx({ paragraphs: [{ text: 'A small document.' }] }));
    const entries: RawEntry[] = Object.entries(honest).map(([name, data]) => ({ name, data: deflateRawSync(data), method: 8, crc: crc32(data), declared: data.length }));
    const r = await extract('honest.docx', writeZip(entries));
    expect(r.ok && r.documents[0]!.text).toBe('A small document.\n');
  });
});
