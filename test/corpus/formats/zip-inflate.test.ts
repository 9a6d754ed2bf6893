import { deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inflateCapped, ZipArchive } from '../../../app/corpus/formats/zip.js';

describe('the capped inflater', () => {
  // Numbers that do not repeat soon, so the deflated form spans many of the inflater's input slices.
  const text = strToU8(Array.from({ length: 60_000 }, (_, i) => `line ${(i * 7919) % 100_003}`).join('\n'));
  const deflated = deflateRawSync(text);

  it('gives back exactly what was deflated when it fits', () => {
    const out = inflateCapped(deflated, text.length);
    expect(out.overflow).toBe(false);
    expect(out.produced).toBe(text.length);
    expect(Buffer.from(out.bytes).equals(Buffer.from(text))).toBe(true);
    expect(inflateCapped(deflateRawSync(new Uint8Array(0)), 0)).toMatchObject({ overflow: false, produced: 0 });
  });

  it('stops once the real bytes pass the limit, keeping only the limit', () => {
    const out = inflateCapped(deflated, 1000);
    expect(out.overflow).toBe(true);
    expect(out.bytes.length).toBe(1000);
    expect(out.produced).toBeLessThan(text.length);
  });

  it('refuses deflate data that ends early', () => {
    expect(() => inflateCapped(deflated.subarray(0, deflated.length >> 1), text.length)).toThrow(/unexpected EOF|ends early/);
  });

  it('refuses a stored entry whose data is longer than its header says', () => {
    const zip = zipSync({ 'a.txt': [strToU8('z'.repeat(5000)), { level: 0 }] });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i < zip.length - 4; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 10, true);
    const opened = ZipArchive.open(zip);
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.archive.readChecked(['a.txt'])).toEqual({
      ok: false,
      reason: 'archive entry a.txt holds more than the 10 bytes its header declares (inflating stopped there)',
    });
  });

  it('lists and reads an ordinary archive as before', () => {
    const zip = zipSync({ 'dir/a.txt': strToU8('alpha'), 'b.bin': [new Uint8Array([1, 2, 3]), { level: 0 }] });
    const opened = ZipArchive.open(zip);
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.archive.entries.map((e) => [e.name, e.originalSize])).toEqual([
      ['dir/a.txt', 5],
      ['b.bin', 3],
    ]);
    const read = opened.archive.readChecked(['dir/a.txt', 'b.bin', 'missing']);
    expect(read.ok && [...read.files.keys()]).toEqual(['dir/a.txt', 'b.bin']);
    expect(read.ok && new TextDecoder().decode(read.files.get('dir/a.txt'))).toBe('alpha');
  });
});
