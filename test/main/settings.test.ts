import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyPatch,
  DEFAULT_SETTINGS,
  MAX_RECENT,
  readSettings,
  SETTINGS_FILE,
  SettingsStore,
  validateSettings,
  withOpenedCorpus,
  writeSettings,
} from '../../main/settings.js';

describe('validateSettings', () => {
  it('gives the defaults for anything that is not an object', () => {
    for (const raw of [null, 42, 'dark', [], undefined]) expect(validateSettings(raw)).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps each valid field and replaces each invalid one with its default', () => {
    const s = validateSettings({
      theme: 'dark',
      contextWidth: 500,
      collocationSpan: [3, 4],
      lastCorpus: ['/home/reader/texts\0'],
      recentCorpora: 'none',
      unknown: true,
    });
    expect(s).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', collocationSpan: [3, 4] });
    expect(s).not.toHaveProperty('unknown');
  });

  it('refuses a span with no side', () => {
    expect(validateSettings({ collocationSpan: [0, 0] }).collocationSpan).toEqual([5, 5]);
  });
});

describe('applyPatch', () => {
  it('applies the fields the renderer may change', () => {
    const r = applyPatch(validateSettings({}), { theme: 'light', contextWidth: 12 });
    expect(r.ok && r.value).toMatchObject({ theme: 'light', contextWidth: 12 });
  });
  it.each([{ theme: 'blue' }, { contextWidth: 0 }, { lastCorpus: ['/etc'] }, { recentCorpora: [] }, 'dark'])(
    'refuses %o with E_PAYLOAD',
    (patch) => {
      const r = applyPatch(validateSettings({}), patch);
      expect(r.ok === false && r.error.code).toBe('E_PAYLOAD');
    },
  );
});

describe('withOpenedCorpus', () => {
  const now = new Date('2025-01-02T03:04:05Z');
  it('puts the newest first, drops duplicates (in any path order) and keeps at most MAX_RECENT', () => {
    let s = validateSettings({});
    for (let i = 0; i < MAX_RECENT + 3; i++) s = withOpenedCorpus(s, [`/texts/${i}`], `texts ${i}`, now);
    s = withOpenedCorpus(s, ['/b', '/a'], 'two', now);
    s = withOpenedCorpus(s, ['/a', '/b'], 'two again', now);
    expect(s.recentCorpora).toHaveLength(MAX_RECENT);
    expect(s.recentCorpora[0]).toEqual({ paths: ['/a', '/b'], label: 'two again', openedAt: '2025-01-02T03:04:05.000Z' });
    expect(s.recentCorpora.filter((r) => r.label.startsWith('two'))).toHaveLength(1);
    expect(s.recentCorpora[1]?.label).toBe(`texts ${MAX_RECENT + 2}`);
    expect(s.lastCorpus).toEqual(['/a', '/b']);
  });
  it('records the bundled corpus as null without adding it to the recent list', () => {
    const s = withOpenedCorpus(withOpenedCorpus(validateSettings({}), ['/x'], 'x', now), null, 'bundled', now);
    expect(s.lastCorpus).toBeNull();
    expect(s.recentCorpora.map((r) => r.label)).toEqual(['x']);
  });
});

describe('settings on disk', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loupe-settings-'));
    file = join(dir, SETTINGS_FILE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads defaults when there is no file', async () => {
    expect(await readSettings(file)).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips through the file', async () => {
    const s = withOpenedCorpus({ ...validateSettings({}), theme: 'dark' }, ['/texts'], 'texts', new Date());
    await writeSettings(file, s);
    expect(await readSettings(file)).toEqual(s);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('moves a damaged file aside instead of losing it', async () => {
    writeFileSync(file, '{"theme": "dark", ');
    expect(await readSettings(file)).toEqual(DEFAULT_SETTINGS);
    const kept = readdirSync(dir).filter((f) => f.startsWith(`${SETTINGS_FILE}.damaged-`));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe('{"theme": "dark", ');
  });

  it('SettingsStore writes the last of several quick updates', async () => {
    const store = new SettingsStore(file);
    await store.load();
    const writes = [8, 9, 10, 11].map((contextWidth) => store.update({ contextWidth }));
    await Promise.all(writes);
    expect((await readSettings(file)).contextWidth).toBe(11);
    const bad = await store.update({ contextWidth: -1 });
    expect(bad.ok).toBe(false);
    expect(store.get().contextWidth).toBe(11);
  });
});
