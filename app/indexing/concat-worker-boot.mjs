// Helper-thread bootstrap when the engine runs from TypeScript sources (tsx, vitest): register the
// TypeScript loader inside this thread, then load the real helper.
import { register } from 'tsx/esm/api';

register();
await import('./concat-worker.ts');
