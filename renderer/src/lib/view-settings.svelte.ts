/**
 * A view's own controls kept in AppState.viewSettings, both ways: every change of the controls is
 * written there (so the history and the project keep it), and a state put there from outside (back,
 * forward, a saved query, a reopened project) is put back into the controls. Call it while the
 * view's component is being set up.
 */
import { untrack } from 'svelte';
import type { AppState } from './state.svelte';

export function keepViewSettings<K extends Record<string, unknown>>(
  app: () => AppState,
  id: string,
  kept: () => K,
  restore: (k: Partial<K>) => void,
): void {
  // The JSON last seen on either side, so neither effect answers the other's write.
  let last = '';
  $effect(() => {
    const k = app().viewSettings[id] as Partial<K> | undefined;
    const json = JSON.stringify(k ?? null);
    if (!k || json === last) return;
    untrack(() => {
      if (json !== JSON.stringify(kept())) restore(k);
      last = json;
    });
  });
  $effect(() => {
    const k = kept();
    const json = JSON.stringify(k);
    if (json === last) return;
    last = json;
    untrack(() => (app().viewSettings[id] = k));
  });
}
