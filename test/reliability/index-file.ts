/**
 * Test-side knowledge of the saved index layout (see app/index/persist.ts), to damage it on purpose:
 *   "LOUPEIDX" | u32 version | u32 padded header length | u32 header crc32 | u32 header length | header | sections
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const PREFIX = 24;

export interface Section {
  name: string;
  type: string;
  offset: number;
  length: number;
  crc: number;
}

export interface Parsed {
  header: { formatVersion: number; sections: Section[]; [k: string]: unknown };
  /** Absolute offset where the sections begin. */
  base: number;
}

export function parseIndex(bytes: Buffer): Parsed {
  const padded = bytes.readUInt32LE(12);
  const len = bytes.readUInt32LE(20);
  return { header: JSON.parse(bytes.subarray(PREFIX, PREFIX + len).toString('utf8')), base: PREFIX + padded };
}

/** The same file with another header (checksummed properly, so only its content is wrong). */
export function withHeader(bytes: Buffer, header: unknown): Buffer {
  const { base } = parseIndex(bytes);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = (json.length + 7) & ~7;
  const prefix = Buffer.from(bytes.subarray(0, PREFIX));
  prefix.writeUInt32LE(padded, 12);
  prefix.writeUInt32LE(crc32(json), 16);
  prefix.writeUInt32LE(json.length, 20);
  return Buffer.concat([prefix, json, Buffer.alloc(padded - json.length), bytes.subarray(base)]);
}

/** The same file with one section's bytes changed and its checksum updated to match. */
export function withSection(bytes: Buffer, name: string, edit: (data: Buffer) => void): Buffer {
  const out = Buffer.from(bytes);
  const { header, base } = parseIndex(out);
  const s = header.sections.find((x) => x.name === name)!;
  const data = out.subarray(base + s.offset, base + s.offset + s.length);
  edit(data);
  s.crc = crc32(data);
  return withHeader(out, header);
}

/** Every index file under a cache folder. */
export function indexFilesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const full = join(d, n);
      if (statSync(full).isDirectory()) walk(full);
      else if (n === 'index.loupe') out.push(full);
    }
  };
  walk(dir);
  return out;
}

export function temporariesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const full = join(d, n);
      if (statSync(full).isDirectory()) walk(full);
      else if (n.endsWith('.tmp')) out.push(full);
    }
  };
  walk(dir);
  return out;
}
