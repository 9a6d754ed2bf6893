/**
 * The tokeniser reads wink-nlp's and its model's internals (app/text/wink.ts), so both are pinned to
 * an exact version in package.json, and loading wink refuses any other installed version loudly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LoupeFailure } from '../../app/contract/errors.js';
import { checkWinkVersions, installedWinkVersions, openWink, WINK_VERSIONS } from '../../app/text/wink.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
};

function failure(f: () => void): LoupeFailure {
  try {
    f();
  } catch (e) {
    return e as LoupeFailure;
  }
  throw new Error('expected a failure');
}

describe('wink version pin', () => {
  it('package.json and package-lock.json pin exactly the versions wink.ts was written for', () => {
    for (const [name, version] of Object.entries(WINK_VERSIONS)) {
      expect(pkg.dependencies[name], name).toBe(version);
      expect(lock.packages['']!.dependencies![name], name).toBe(version);
      expect(lock.packages[`node_modules/${name}`]!.version, name).toBe(version);
    }
  });

  it('the installed versions are the pinned ones, so wink loads', () => {
    expect(installedWinkVersions()).toEqual(WINK_VERSIONS);
    expect(() => checkWinkVersions()).not.toThrow();
    expect(openWink().read('A probe.').numOfTokens).toBe(3);
  });

  it('another installed version fails with E_INTERNAL naming both versions', () => {
    const e = failure(() => checkWinkVersions({ ...WINK_VERSIONS, 'wink-nlp': '2.5.0' }));
    expect(e).toBeInstanceOf(LoupeFailure);
    expect(e.code).toBe('E_INTERNAL');
    expect(e.message).toContain('wink-nlp 2.5.0 is installed');
    expect(e.message).toContain(`wink-nlp ${WINK_VERSIONS['wink-nlp']} exactly`);

    const m = failure(() => checkWinkVersions({ ...WINK_VERSIONS, 'wink-eng-lite-web-model': '1.9.0' }));
    expect(m.code).toBe('E_INTERNAL');
    expect(m.message).toContain('wink-eng-lite-web-model 1.9.0 is installed');
    expect(m.message).toContain(`wink-eng-lite-web-model ${WINK_VERSIONS['wink-eng-lite-web-model']} exactly`);
  });

  it('an unreadable version fails too', () => {
    const e = failure(() => checkWinkVersions({ 'wink-eng-lite-web-model': WINK_VERSIONS['wink-eng-lite-web-model'] }));
    expect(e.code).toBe('E_INTERNAL');
    expect(e.message).toContain('wink-nlp (version unreadable) is installed');
  });
});
