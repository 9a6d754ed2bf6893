/**
 * The reader's settings, kept as JSON in Electron's userData folder. Reading never fails: a
 * missing file gives the defaults, a damaged one is moved aside (not lost) and each bad field
 * falls back to its default on its own, so one odd value does not reset the rest.
 * Writes go to a temporary file first and are renamed over the old one, so a crash mid-write
 * leaves the old settings intact. The file (recent corpora name the reader's folders) is readable by
 * its owner only, like everything else Loupe writes.
 */
import { readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../app/contract/errors.js';
import { makePrivateFolder, writeAtomically } from '../app/fs/atomic.js';
import { LIMITS, pathString } from '../app/contract/schema.js';
import {
  DEFAULT_SETTINGS,
  MAX_RECENT,
  SETTINGS_BOUNDS,
  type RecentCorpus,
  type Settings,
  type SettingsPatch,
} from '../app/contract/shell.js';

export const SETTINGS_FILE = 'settings.json';
export { DEFAULT_SETTINGS, MAX_RECENT };
export type { RecentCorpus, Settings };

const spanSide = z.number().int().min(SETTINGS_BOUNDS.spanSide[0]).max(Math.min(SETTINGS_BOUNDS.spanSide[1], LIMITS.context));
const corpusPaths = z.array(pathString).min(1).max(1_000);
const FIELDS = {
  theme: z.enum(['light', 'dark', 'system']),
  contextWidth: z.number().int().min(SETTINGS_BOUNDS.contextWidth[0]).max(Math.min(SETTINGS_BOUNDS.contextWidth[1], LIMITS.context)),
  collocationSpan: z.tuple([spanSide, spanSide]).refine(([l, r]) => l + r > 0, 'the span needs at least one side'),
  lastCorpus: corpusPaths.nullable(),
  recentCorpora: z
    .array(z.object({ paths: corpusPaths, label: z.string().max(500), openedAt: z.string().datetime() }).strict())
    .max(MAX_RECENT),
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> };

/** What the renderer may change; the recent list is main's own bookkeeping. */
const settingsPatch = z
  .object({
    theme: FIELDS.theme.optional(),
    contextWidth: FIELDS.contextWidth.optional(),
    collocationSpan: FIELDS.collocationSpan.optional(),
  })
  .strict() satisfies z.ZodType<SettingsPatch>;

function copyOf(s: Readonly<Settings>): Settings {
  return structuredClone(s) as Settings;
}

/** Any JSON value -> valid settings, field by field. */
export function validateSettings(raw: unknown): Settings {
  const out = copyOf(DEFAULT_SETTINGS);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(FIELDS) as Array<keyof Settings>) {
    const parsed = FIELDS[key].safeParse(record[key]);
    if (parsed.success) (out as unknown as Record<string, unknown>)[key] = parsed.data;
  }
  return out;
}

export function applyPatch(settings: Settings, patch: unknown): Result<Settings> {
  const parsed = settingsPatch.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('E_PAYLOAD', `Invalid settings: ${issue ? `${issue.path.join('.') || 'patch'}: ${issue.message}` : 'unknown'}`);
  }
  return ok({ ...copyOf(settings), ...parsed.data });
}

/** Record an opened corpus: most recent first, no duplicates, at most MAX_RECENT. Null paths = bundled. */
export function withOpenedCorpus(settings: Settings, paths: string[] | null, label: string, now: Date): Settings {
  const next = copyOf(settings);
  next.lastCorpus = paths === null ? null : [...paths];
  if (paths === null) return next;
  const key = JSON.stringify([...paths].sort());
  next.recentCorpora = [
    { paths: [...paths], label, openedAt: now.toISOString() },
    ...settings.recentCorpora.filter((r) => JSON.stringify([...r.paths].sort()) !== key),
  ].slice(0, MAX_RECENT);
  return next;
}

export async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return copyOf(DEFAULT_SETTINGS);
  }
  try {
    return validateSettings(JSON.parse(text));
  } catch {
    // Keep the damaged file for the reader (or a bug report) rather than overwriting it.
    await rename(file, `${file}.damaged-${Date.now()}`).catch(() => undefined);
    return copyOf(DEFAULT_SETTINGS);
  }
}

export async function writeSettings(file: string, settings: Settings): Promise<void> {
  // Not mkdir's `recursive`: it can spin forever on paths like /proc/... (see makeFolders).
  await makePrivateFolder(dirname(file));
  await writeAtomically(file, `${JSON.stringify(validateSettings(settings), null, 2)}\n`);
}

/** Settings in memory plus their file; writes are serialised so the last change always wins on disk. */
export class SettingsStore {
  private current: Settings = copyOf(DEFAULT_SETTINGS);
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async load(): Promise<Settings> {
    this.current = await readSettings(this.file);
    return this.get();
  }

  get(): Settings {
    return copyOf(this.current);
  }

  /** Replace the settings and queue a write; resolves when this version is on disk. */
  set(next: Settings): Promise<void> {
    this.current = validateSettings(next);
    const snapshot = this.get();
    this.writing = this.writing.catch(() => undefined).then(() => writeSettings(this.file, snapshot));
    return this.writing;
  }

  async update(patch: unknown): Promise<Result<Settings>> {
    const next = applyPatch(this.current, patch);
    if (!next.ok) return next;
    await this.set(next.value);
    return ok(this.get());
  }
}
