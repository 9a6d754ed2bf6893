/**
 * The built renderer that web mode serves (renderer/dist), and building it when nobody has.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const RENDERER_DIST = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));
const RENDERER_CONFIG = fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url));

/** Web mode serves the built renderer; build it once if nobody has (vite's own build, quietly). */
export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(fileURLToPath(new URL('index.html', pathToFileURL(RENDERER_DIST))))) return;
  process.stderr.write('renderer/dist is missing; building the renderer with vite first.\n');
  const { build } = await import('vite');
  await build({ configFile: RENDERER_CONFIG, logLevel: 'warn' });
}
