/**
 * Which words of an Electron command line are corpus paths. Used for this instance's own command
 * line at start and for the one a second instance hands over (`second-instance`), so
 * `loupe ~/texts` opens ~/texts whether or not Loupe is already running.
 * Only picks the words out; app/host/paths.ts then checks them like any path from outside.
 */
export interface ArgvShape {
  /**
   * True when the app runs from source under the stock Electron binary (`electron .`,
   * process.defaultApp): then argv[1] is the app's folder, not a path the reader gave.
   */
  defaultApp: boolean;
}

/**
 * argv[0] is the executable, argv[1] the app folder in development; switches (`--flag`,
 * `--flag=value`, `-psn_...` from macOS, the ones Chromium adds to a second instance's argv) are not
 * paths. After a bare `--` every word is a path, even one starting with '-'.
 */
export function pathsFromArgv(argv: readonly string[], shape: ArgvShape): string[] {
  const out: string[] = [];
  let switches = true;
  for (const word of argv.slice(shape.defaultApp ? 2 : 1)) {
    if (switches && word === '--') {
      switches = false;
      continue;
    }
    if (switches && word.startsWith('-')) continue;
    if (word === '') continue;
    out.push(word);
  }
  return out;
}

export type HandOverOutcome = { opened: string[] } | { refused: string } | { nothing: true };

/**
 * What the first instance does with a second instance's command line: picks out the paths,
 * checks them against the second instance's working folder, and opens them; until the first
 * instance is ready to open anything (start-up), hand-overs wait in order.
 */
export class HandOver {
  private waiting: Array<() => void> = [];
  private openNow: ((paths: string[]) => Promise<unknown>) | null = null;
  /** Hand-overs are checked and opened one after another, so they open in the order they came. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly shape: ArgvShape,
    private readonly check: (
      paths: string[],
      base: string,
    ) => Promise<{ ok: true; value: string[] } | { ok: false; error: { message: string } }>,
    private readonly refuse: (message: string) => void,
  ) {}

  /** From `second-instance`: resolves when the paths were opened, refused, or there were none. */
  receive(argv: readonly string[], workingDirectory: string): Promise<HandOverOutcome> {
    const words = pathsFromArgv(argv, this.shape);
    if (words.length === 0) return Promise.resolve({ nothing: true });
    return new Promise((resolve) => {
      const run = () => {
        this.chain = this.chain.then(async () => {
          const checked = await this.check(words, workingDirectory);
          if (!checked.ok) {
            this.refuse(checked.error.message);
            return resolve({ refused: checked.error.message });
          }
          await this.openNow!(checked.value);
          resolve({ opened: checked.value });
        });
      };
      if (this.openNow) run();
      else this.waiting.push(run);
    });
  }

  /** The first instance is up: open what waited, and from now on open at once. */
  ready(open: (paths: string[]) => Promise<unknown>): void {
    this.openNow = open;
    for (const run of this.waiting.splice(0)) run();
  }
}
