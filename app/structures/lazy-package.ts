/**
 * A package loaded the first time it is used rather than when the engine loads: a new process opening
 * a saved index should not parse the regex engine, the spreadsheet writer or the passage index before
 * its first answer. Loaded through Node's require (each has a CommonJS build), so it stays synchronous
 * for its callers and a bundler leaves it out of the bundle, to be read from node_modules when needed.
 */
import { createRequire } from 'node:module';

export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
}
