/**
 * What Electron adds to `process` in the processes main/ runs in. Separate from electron.d.ts so
 * that importing a type from there (tests do, through menu.ts) does not add these to other programs.
 */
import type { ParentPort } from './electron.js';

declare global {
  namespace NodeJS {
    interface Process {
      /** Electron: the packaged app's resources folder (extraResources land here). */
      resourcesPath: string;
      /** Electron: true when running from source under the stock binary (`electron .`); argv[1] is then the app folder. */
      defaultApp?: boolean;
      /** Electron utility processes only: the port to the process that forked this one. */
      parentPort?: ParentPort;
    }
  }
}
