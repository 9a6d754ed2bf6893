import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_FILE, validateSettings, withOpenedCorpus, writeSettings } from '../../main/settings.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe.runIf(process.platform !== 'win32')('settings file permissions', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022);
    dir = mkdtempSync(join(tmpdir(), 'loupe-settings-perms-'));
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  // The settings name the reader's corpus folders: nobody else should read them.
  const settings = withOpenedCorpus(validateSettings({}), ['/home/reader/private'], 'private', new Date());

  it('writes the settings file 0600 in folders made 0700', async () => {
    const file = join(dir, 'config', 'Loupe', SETTINGS_FILE);
    await writeSettings(file, settings);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(dir, 'config'))).toBe(0o700);
    expect(mode(join(dir, 'config', 'Loupe'))).toBe(0o700);
    expect(readdirSync(join(dir, 'config', 'Loupe'))).toEqual([SETTINGS_FILE]);
  });

  it('replaces a settings file an older version left readable to all with a 0600 one', async () => {
    const file = join(dir, SETTINGS_FILE);
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    await writeSettings(file, settings);
    expect(mode(file)).toBe(0o600);
  });
});
