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
