/**
 * Starts the web-mode host once for the whole run, on a fresh index directory, and hands its URL
 * to the tests (LOUPE_URL).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost } from './host';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const indexDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-'));
  // Projects go to a data folder of the run's own, never the user's.
  const host = await startHost(['--index', indexDir, '--data', join(indexDir, 'data')]);
  process.env.LOUPE_URL = host.url;
  return async () => {
    await host.stop();
    await rm(indexDir, { recursive: true, force: true });
  };
}
