/**
 * The open project as the renderer sees it: categories, coded lines, saved queries, the query
 * history (back/forward) and the view state. Every change goes to the host, which saves the project
 * file at once; the view state is sent a moment after it settles. Coding with no project open makes
 * one (named after the corpus) in the data folder, so a reader's first code is never lost.
 */
import type { LoupeApi } from '../../../app/contract/api';
import type { LoupeError, Result } from '../../../app/contract/errors';
import type {
  Category,
  CodeLinesRequest,
  HistoryEntry,
  ProjectState,
  ProjectSummary,
  ResolvedLine,
  SavedQueryEntry,
} from '../../../app/contract/project';

/** Category colours that read on light and dark backgrounds, in the order new categories take them. */
const CATEGORY_COLOURS = ['#d1495b', '#2e86ab', '#e09f3e', '#3f8f4f', '#8e6cc4', '#c2417f', '#4a9d9c', '#8c6d46', '#5d6bc0'];

const VIEW_SAVE_DELAY_MS = 400;
const MAX_HISTORY = 200;

export interface ProjectHost {
  readonly api: LoupeApi;
  corpusLabel(): string | undefined;
  say(text: string, kind?: 'info' | 'error'): void;
}

export class ProjectStore {
  state = $state<ProjectState | null>(null);
  recent = $state<ProjectSummary[]>([]);
  /** Bumped when coded lines change, so views showing codes fetch their lines again. */
  codesVersion = $state(0);
  error = $state<LoupeError | null>(null);

  categories = $derived<Category[]>(this.state?.categories ?? []);
  lines = $derived<ResolvedLine[]>(this.state?.lines ?? []);
  history = $derived<HistoryEntry[]>(this.state?.history ?? []);
  historyAt = $derived(this.state?.historyAt ?? -1);
  canBack = $derived(this.historyAt > 0);
  canForward = $derived(this.historyAt >= 0 && this.historyAt < this.history.length - 1);

  /** Lines per category id, and lines flagged because their text changed or moved. */
  counts = $derived.by(() => {
    const byCategory = new Map<string, number>();
    let flagged = 0;
    for (const l of this.lines) {
      for (const id of l.codes) byCategory.set(id, (byCategory.get(id) ?? 0) + 1);
      if (l.state !== 'ok') flagged++;
    }
    return { byCategory, flagged };
  });

  private viewTimer: ReturnType<typeof setTimeout> | undefined;
  /** Changes go to the host one after another, so a code never arrives before its category. */
  private chain: Promise<unknown> = Promise.resolve();
  private creating: Promise<boolean> | undefined;

  private inOrder<T>(call: () => Promise<T>): Promise<T> {
    const run = this.chain.then(call, call);
    this.chain = run.catch(() => undefined);
    return run;
  }

  constructor(private readonly host: ProjectHost) {}

  private get api(): LoupeApi {
    return this.host.api;
  }

  private take<T>(r: Result<T>): T | undefined {
    if (r.ok) {
      this.error = null;
      return r.value;
    }
    this.error = r.error;
    this.host.say(r.error.message, 'error');
    return undefined;
  }

  categoryOf(id: string): Category | undefined {
    return this.categories.find((c) => c.id === id);
  }

  async refresh(): Promise<ProjectState | null> {
    const r = await this.api.projectState();
    if (r.ok) this.state = r.value;
    return r.ok ? r.value : null;
  }

  async list(): Promise<ProjectSummary[]> {
    const r = await this.api.listProjects();
    if (r.ok) this.recent = r.value;
    return this.recent;
  }

  async create(req: { name?: string; file?: string }): Promise<ProjectState | undefined> {
    const s = this.take(await this.inOrder(() => this.api.newProject(req)));
    if (s) {
      this.state = s;
      this.codesVersion++;
      void this.list();
    }
    return s;
  }

  async open(file: string): Promise<ProjectState | undefined> {
    const s = this.take(await this.inOrder(() => this.api.openProject({ file })));
    if (s) {
      this.state = s;
      this.codesVersion++;
      void this.list();
      const flagged = s.lines.filter((l) => l.state !== 'ok').length;
      if (flagged > 0)
        this.host.say(
          `${flagged} coded ${flagged === 1 ? 'line is' : 'lines are'} in text that changed since they were coded; they are kept and marked.`,
        );
    }
    return s;
  }

  /** The open project, or a new one named after the corpus. */
  async ensure(): Promise<boolean> {
    if (this.state) return true;
    // One project however many first codes arrive at once.
    this.creating ??= this.create({ name: this.host.corpusLabel() ?? 'Untitled' })
      .then((s) => s !== undefined)
      .finally(() => (this.creating = undefined));
    return this.creating;
  }

  async setCategories(categories: Category[]): Promise<void> {
    if (!(await this.ensure())) return;
    const before = this.state!;
    this.state = {
      ...before,
      categories,
      lines: before.lines
        .map((l) => ({ ...l, codes: l.codes.filter((id) => categories.some((c) => c.id === id)) }))
        .filter((l) => l.codes.length > 0 || l.note),
    };
    const saved = this.take(await this.inOrder(() => this.api.updateProject({ categories })));
    if (!saved) this.state = before;
    this.codesVersion++;
  }

  async addCategory(name: string): Promise<Category | undefined> {
    const clean = name.trim();
    if (!clean) return undefined;
    if (!(await this.ensure())) return undefined;
    const existing = this.categories.find((c) => c.name.toLowerCase() === clean.toLowerCase());
    if (existing) return existing;
    const used = new Set(this.categories.map((c) => c.id));
    let n = this.categories.length + 1;
    while (used.has(`c${n}`)) n++;
    const colour = CATEGORY_COLOURS[this.categories.length % CATEGORY_COLOURS.length]!;
    const category = { id: `c${n}`, name: clean, colour };
    await this.setCategories([...this.categories, category]);
    return this.categoryOf(category.id);
  }

  async code(req: CodeLinesRequest): Promise<boolean> {
    if (req.lines.length === 0 || !(await this.ensure())) return false;
    const lines = this.take(await this.inOrder(() => this.api.codeLines(req)));
    if (!lines) return false;
    this.state = { ...this.state!, lines };
    this.codesVersion++;
    return true;
  }

  async saveQueries(queries: SavedQueryEntry[]): Promise<void> {
    if (!(await this.ensure())) return;
    this.state = { ...this.state!, queries };
    this.take(await this.inOrder(() => this.api.updateProject({ queries })));
  }

  /** A new state of the reader's work: drops any forward entries, like a browser. */
  push(entry: HistoryEntry): void {
    if (!this.state) return;
    const cur = this.history[this.historyAt];
    if (cur && JSON.stringify(cur) === JSON.stringify(entry)) return;
    const history = [...this.history.slice(0, this.historyAt + 1), entry].slice(-MAX_HISTORY);
    this.state = { ...this.state, history, historyAt: history.length - 1 };
    void this.inOrder(() => this.api.updateProject({ history, historyAt: history.length - 1 }));
  }

  /**
   * Keeps the entry at `at` in step with the screen (a new sort, another view of the same query),
   * like history.replaceState, so Back returns to a query as the reader left it.
   */
  replace(at: number, entry: HistoryEntry): void {
    if (!this.state || at !== this.historyAt || at < 0) return;
    if (JSON.stringify(this.history[at]) === JSON.stringify(entry)) return;
    const history = this.history.map((e, i) => (i === at ? entry : e));
    this.state = { ...this.state, history };
    void this.inOrder(() => this.api.updateProject({ history }));
  }

  /** Moves through the history; returns the entry to show. */
  step(delta: -1 | 1): HistoryEntry | undefined {
    if (!this.state) return undefined;
    const at = this.historyAt + delta;
    const entry = this.history[at];
    if (!entry) return undefined;
    this.state = { ...this.state, historyAt: at };
    void this.inOrder(() => this.api.updateProject({ historyAt: at }));
    return entry;
  }

  /** Keeps the view state, sent once it has stopped changing for a moment. */
  /** A view state waiting for its burst of changes to settle. */
  private pendingView: ((now: boolean) => void) | undefined;
  /** Sends a waiting view state at once, not behind other changes: the page is closing. */
  flushView(): void {
    const send = this.pendingView;
    this.pendingView = undefined;
    clearTimeout(this.viewTimer);
    this.viewTimer = undefined;
    send?.(true);
  }

  saveView(view: Record<string, unknown>): void {
    if (!this.state) return;
    // Bound to this project: another one opened in the meantime must not receive this view.
    const file = this.state.file;
    const send = (now = false) => {
      this.pendingView = undefined;
      if (!this.state || this.state.file !== file) return;
      this.state = { ...this.state, view };
      if (now) void this.api.updateProject({ view });
      else void this.inOrder(() => this.api.updateProject({ view }));
    };
    // A change after a quiet moment is saved at once (a reader may close the window right after
    // it); a burst of changes (typing in a box) is saved once more when it settles.
    const quiet = this.viewTimer === undefined;
    clearTimeout(this.viewTimer);
    if (quiet) send();
    else this.pendingView = send;
    this.viewTimer = setTimeout(() => {
      this.viewTimer = undefined;
      this.pendingView?.(false);
    }, VIEW_SAVE_DELAY_MS);
  }
}
