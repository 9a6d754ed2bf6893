/**
 * electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json),
 * plus the settings the security checklist depends on. js-yaml and ajv come with electron-builder.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

  it('ships a corpus folder that holds the corpus only (no reference lists)', () => {
    const corpus = config.extraResources.find((r) => r.to === 'corpus')!;
    const dir = fileURLToPath(new URL(`${corpus.from}/`, root));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: string[] };
    expect(
      readdirSync(dir)
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(['manifest.json', ...manifest.files].sort());
  });

  it('targets Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
    expect(config.productName).toBe('Loupe');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });
});

describe('main/build.mjs output (packed as main/dist/**)', () => {
  const outDir = fileURLToPath(new URL(`main/dist/.test-reference-${process.pid}/`, root));
  let engineDir: string;

  beforeAll(async () => {
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { buildMain } = (await import('../../main/build.mjs')) as { buildMain(o: { outDir: string }): Promise<unknown> };
    await buildMain({ outDir });
    engineDir = join(outDir, 'engine');
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('puts the reference lists where the compiled engine reads them, outside the corpus copy', async () => {
    for (const f of ['brown-words.tsv', 'brown-lemmas.tsv', 'stopwords-en.txt'])
      expect(existsSync(join(engineDir, 'reference', f))).toBe(true);
    expect(existsSync(join(engineDir, 'corpus', 'reference'))).toBe(false);
    const compiled = (await import(join(engineDir, 'app', 'stats', 'reference.js'))) as {
      BROWN_WORDS_PATH: string;
      loadBrownReference(): { tokens: number; freq: Map<string, number> };
    };
    expect(compiled.BROWN_WORDS_PATH).toBe(join(engineDir, 'reference', 'brown-words.tsv'));
    expect(compiled.loadBrownReference().tokens).toBeGreaterThan(1_000_000);
  });
});
