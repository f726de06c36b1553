// SIGINT, SIGTERM and SIGHUP end a command the same way: every child process group is killed at once (sandboxes,
// reward-function drivers and whatever they started), the running command is asked to stop through `signal` (score
// drops its --out temp file and says so), and if it has not finished within a moment the process exits anyway
// after removing temp folders and files. Exit code 128 + the signal's number, as shells report it.
import { cleanupNow, installExitCleanup, killAllGroups } from '../node/process-cleanup';

const NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
const controller = new AbortController();
let received: string | null = null;

/** Aborted when the CLI receives SIGINT, SIGTERM or SIGHUP. */
export const interruptSignal: AbortSignal = controller.signal;

/** 128 + the signal number once a signal arrived, else null. */
export function interruptExitCode(): number | null {
  return received === null ? null : 128 + (NUMBERS[received] ?? 0);
}

export function installInterruptHandlers(): void {
  installExitCleanup();
  for (const sig of Object.keys(NUMBERS) as NodeJS.Signals[]) {
    process.on(sig, () => {
      if (received !== null) {
        // A second signal: stop now.
        cleanupNow();
        process.exit(128 + (NUMBERS[sig] ?? 0));
      }
      received = sig;
      killAllGroups();
      controller.abort();
      // The command unwinds on its own (score prints "cancelled"); this is the bound if it cannot.
      setTimeout(() => {
        cleanupNow();
        process.exit(128 + (NUMBERS[sig] ?? 0));
      }, 1500).unref();
    });
  }
}
