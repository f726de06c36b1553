// Processes never outlive a command. Every child we start that may run untrusted or user code (code sandboxes,
// reward-function drivers) is spawned in its own process group and registered here; temp folders too. On exit
// (normal, error, or a signal the CLI turns into an exit) every registered group gets SIGKILL and every temp
// folder and pending `.…tmp` output is removed, synchronously, so nothing is left whatever path ended the process.
import { rmSync } from 'node:fs';
import { removeLiveTemps } from './atomic-write';

const groups = new Set<number>();
const tempDirs = new Set<string>();
let installed = false;

/** SIGKILL to a whole process group (the child was spawned with detached: true, so its pid is the group id). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function trackGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  groups.add(pid);
  installExitCleanup();
}

export function untrackGroup(pid: number | undefined): void {
  if (pid !== undefined) groups.delete(pid);
}

export function trackTempDir(path: string): void {
  tempDirs.add(path);
  installExitCleanup();
}

export function untrackTempDir(path: string): void {
  tempDirs.delete(path);
}

/** Kills every registered process group (the processes' own exit handlers then settle their promises). */
export function killAllGroups(): void {
  for (const g of groups) killGroup(g);
  groups.clear();
}

/** Everything at once, synchronously: groups, temp folders, uncommitted output files. */
export function cleanupNow(): void {
  killAllGroups();
  for (const d of tempDirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
  tempDirs.clear();
  removeLiveTemps();
}

export function installExitCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
}

/** Live counts, for tests and the extension's deactivate(). */
export function liveCounts(): { groups: number; tempDirs: number } {
  return { groups: groups.size, tempDirs: tempDirs.size };
}
