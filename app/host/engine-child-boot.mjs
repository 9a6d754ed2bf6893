// Engine-process bootstrap when the host runs from TypeScript sources (tsx, vitest): register the
// TypeScript loader in this process, then load the real entry. Compiled builds fork engine-child.js.
import { register } from 'tsx/esm/api';

register();
await import('./engine-child.ts');
