/**
 * The desktop extras (window.loupeShell, from the Electron preload) and the reader's settings.
 * Under Electron, main keeps the settings (main/settings.ts) and records opened corpora itself;
 * in web mode there is no shell, so settings live in this browser's localStorage and the renderer
 * records opened corpora. Either way the rest of the renderer sees one SettingsSource.
 */
import type { CorpusInfo } from '../../../app/contract/types';
import {
  DEFAULT_SETTINGS,
  MAX_RECENT,
  SETTINGS_BOUNDS,
  type LoupeShell,
  type RecentCorpus,
  type Settings,
  type SettingsPatch,
} from '../../../app/contract/shell';

declare global {
  interface Window {
    loupeShell?: LoupeShell;
  }
}

/** The preload's extras, or null in web mode. */
export function desktopShell(): LoupeShell | null {
  const shell = window.loupeShell;
  return shell && typeof shell.getSettings === 'function' ? shell : null;
}

export interface SettingsSource {
  readonly desktop: boolean;
  load(): Promise<Settings>;
  /** The settings after the change (the old ones when it was refused). */
  update(patch: SettingsPatch): Promise<Settings>;
  /** After the renderer opened a corpus itself: the settings with it recorded. Null paths = bundled. */
  opened(paths: string[] | null, info: CorpusInfo): Promise<Settings>;
}

const copy = (s: Readonly<Settings>): Settings => JSON.parse(JSON.stringify(s)) as Settings;

const isInt = (x: unknown, [min, max]: readonly [number, number]): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
const isPathList = (x: unknown): x is string[] =>
  Array.isArray(x) && x.length > 0 && x.every((p) => typeof p === 'string' && p.length > 0 && !p.includes('\0'));

/** Any stored value -> valid settings, field by field (what main/settings.ts does with zod). */
function sanitiseSettings(raw: unknown): Settings {
  const out = copy(DEFAULT_SETTINGS);
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (r.theme === 'light' || r.theme === 'dark' || r.theme === 'system') out.theme = r.theme;
  if (isInt(r.contextWidth, SETTINGS_BOUNDS.contextWidth)) out.contextWidth = r.contextWidth;
  const span = r.collocationSpan;
  if (
    Array.isArray(span) &&
    span.length === 2 &&
    isInt(span[0], SETTINGS_BOUNDS.spanSide) &&
    isInt(span[1], SETTINGS_BOUNDS.spanSide) &&
    span[0] + span[1] > 0
  ) {
    out.collocationSpan = [span[0], span[1]];
  }
  if (r.lastCorpus === null || isPathList(r.lastCorpus)) out.lastCorpus = r.lastCorpus === null ? null : [...r.lastCorpus];
  if (Array.isArray(r.recentCorpora)) {
    out.recentCorpora = r.recentCorpora
      .filter((c): c is RecentCorpus => {
        const e = c as Partial<RecentCorpus> | null;
        return !!e && isPathList(e.paths) && typeof e.label === 'string' && typeof e.openedAt === 'string';
      })
      .slice(0, MAX_RECENT)
      .map((c) => ({ paths: [...c.paths], label: c.label, openedAt: c.openedAt }));
  }
  return out;
}

/** Most recent first, no duplicates (same set of paths), at most MAX_RECENT. */
function withOpened(s: Settings, paths: string[] | null, label: string, now: Date): Settings {
  const next = copy(s);
  next.lastCorpus = paths === null ? null : [...paths];
  if (paths === null) return next;
  const key = JSON.stringify([...paths].sort());
  next.recentCorpora = [
    { paths: [...paths], label, openedAt: now.toISOString() },
    ...s.recentCorpora.filter((r) => JSON.stringify([...r.paths].sort()) !== key),
  ].slice(0, MAX_RECENT);
  return next;
}

function shellSettings(shell: LoupeShell): SettingsSource {
  let current = copy(DEFAULT_SETTINGS);
  const load = async () => {
    const r = await shell.getSettings();
    if (r.ok) current = sanitiseSettings(r.value);
    return copy(current);
  };
  return {
    desktop: true,
    load,
    async update(patch) {
      const r = await shell.updateSettings(patch);
      if (r.ok) current = sanitiseSettings(r.value);
      return copy(current);
    },
    // Main records what it opens; read back the list it keeps.
    opened: () => load(),
  };
}

const SETTINGS_KEY = 'loupe-settings';
/** The fingerprint of lastCorpus when it was opened, to tell at start whether the host already shows it. */
const LAST_FINGERPRINT_KEY = 'loupe-last-fingerprint';

function localSettings(storage: Storage): SettingsSource {
  const read = (): Settings => {
    try {
      const raw = storage.getItem(SETTINGS_KEY);
      if (raw !== null) return sanitiseSettings(JSON.parse(raw));
      // Earlier versions kept only the theme, under its own key.
      return sanitiseSettings({ theme: storage.getItem('loupe-theme') });
    } catch {
      return copy(DEFAULT_SETTINGS);
    }
  };
  const write = (s: Settings): Settings => {
    try {
      storage.setItem(SETTINGS_KEY, JSON.stringify(s));
    } catch {
      /* storage full or disabled: the settings hold for this session */
    }
    return copy(s);
  };
  return {
    desktop: false,
    load: async () => read(),
    async update(patch) {
      const next = read();
      // Field by field: a value the bounds refuse leaves that setting as it was.
      for (const [key, value] of Object.entries(patch) as Array<[keyof SettingsPatch, unknown]>) {
        const one = sanitiseSettings({ [key]: value });
        if (JSON.stringify(one[key]) === JSON.stringify(value)) (next as unknown as Record<string, unknown>)[key] = one[key];
      }
      return write(next);
    },
    async opened(paths, info) {
      try {
        storage.setItem(LAST_FINGERPRINT_KEY, info.fingerprint);
      } catch {
        /* as above */
      }
      return write(withOpened(read(), paths, info.label, new Date()));
    },
  };
}

export function settingsSource(shell: LoupeShell | null): SettingsSource {
  return shell ? shellSettings(shell) : localSettings(window.localStorage);
}

/** Web mode: the host was started with a corpus of its own (`--corpus`), which wins over the last one. */
export function hostChoseCorpus(): boolean {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get('corpus') === 'given';
}

export function storedFingerprint(): string | null {
  try {
    return window.localStorage.getItem(LAST_FINGERPRINT_KEY);
  } catch {
    return null;
  }
}
