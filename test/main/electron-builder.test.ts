/**
 * electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json),
 * plus the settings the security checklist depends on. js-yaml and ajv come with electron-builder.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
const Ajv = require('ajv') as new (opts: object) => { compile(schema: object): Validate };

const root = new URL('../../', import.meta.url);
type Config = Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  extraResources: Array<{ from: string; to: string }>;
  files: string[];
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};

describe('electron-builder.yml', () => {
  let config: Config;
  let validate: Validate;

  beforeAll(() => {
    config = yaml.load(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Config;
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  });

  it("is valid against electron-builder's schema", () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check would catch a mistake', () => {
    expect(validate({ ...config, electronFusez: {} })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).toBe(false);
  });

  // The fuses themselves are checked, exactly, by item 19 of test/main/checklist.test.ts.

  it('ships the bundled corpus as an extra resource and the built code as the app', () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'corpus', to: 'corpus' }));
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'main/dist/**/*', 'renderer/dist/**/*']));
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { main: string };
    expect(pkg.main.startsWith('main/dist/')).toBe(true);
  });

  it('targets Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
    expect(config.productName).toBe('Loupe');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });
});
