// What isolation this machine allows without root: on Linux a user + network namespace via util-linux `unshare`
// (the process sees only a loopback interface that is down, so every connection fails at the OS level). Probed once
// per process; elsewhere (macOS, Windows, kernels without unprivileged user namespaces) the network is refused only
// by the runner's Python audit hook, and the report says so.
import { spawnSync } from 'node:child_process';

export interface Isolation {
  /** Command prefix that runs the interpreter in a fresh network namespace, or [] when none is available. */
  prefix: string[];
  /** Plain description for the opt-in dialog and results: how network access is cut. */
  network: string;
}

let cached: Isolation | null = null;

const CANDIDATES: string[][] = [
  ['unshare', '--map-current-user', '--net', '--'],
  ['unshare', '--map-root-user', '--net', '--'],
  ['unshare', '--net', '--'],
];

export function probeIsolation(): Isolation {
  if (cached) return cached;
  cached = { prefix: [], network: 'refused by the Python audit hook only (no network namespace can be created on this system)' };
  if (process.platform === 'linux') {
    for (const c of CANDIDATES) {
      const [cmd, ...args] = c;
      if (cmd === undefined) continue;
      const r = spawnSync(cmd, [...args, 'true'], { timeout: 3000, stdio: 'ignore' });
      if (r.status === 0) {
        cached = { prefix: c, network: `none: an own network namespace (${c.slice(0, -1).join(' ')}), and the Python audit hook refuses socket calls` };
        break;
      }
    }
  }
  return cached;
}
