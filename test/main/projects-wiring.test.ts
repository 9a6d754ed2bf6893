/**
 * How main.ts and the engine process connect projects, checked in their source: both run only
 * under Electron, which cannot start here. The decisions themselves are tested in menu.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const source = (path: string) => readFileSync(new URL(path, root), 'utf8');
const mainTs = source('main/main.ts');
const engineProcess = source('main/engine-process.ts');

describe('projects in the Electron shell', () => {
  it('gives the engine process userData as its data folder', () => {
    expect(mainTs).toMatch(/spawnEngine\(bundledCorpus, app\.getPath\('userData'\)\)/);
    expect(mainTs).toMatch(/env: \{[^}]*LOUPE_DATA_DIR: dataDir/);
    expect(engineProcess).toMatch(/new Engine\(\{ dataDir: process\.env\.LOUPE_DATA_DIR, passagesOnOpen: true \}\)/);
  });

  it('answers openProject and newProject through main, which checks the file and rebuilds the menu', () => {
    expect(mainTs).toMatch(/createHandlers\(\{ \.\.\.engine, openCorpus, openProject, newProject \}/);
    for (const [name, purpose] of [
      ['openProject', 'open'],
      ['newProject', 'create'],
    ] as const) {
      const body = mainTs.match(new RegExp(`const ${name}: EngineApi\\['${name}'\\] = async[^]*?\\n  \\};`))?.[0] ?? '';
      expect(body).toContain(`checkProjectFile(req.file, '${purpose}')`);
      expect(body).toMatch(/if \(result\.ok\)[^]*refreshMenu\(\)/);
    }
  });

  it('sends the chosen project file to the page', () => {
    expect(mainTs).toMatch(/send\(\{ type: 'project-new', file \}\)/);
    expect(mainTs).toMatch(/send\(\{ type: 'project-open', file \}\)/);
  });
});
