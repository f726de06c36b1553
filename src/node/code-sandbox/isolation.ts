// How model-written programs are isolated on this machine. On Linux with bubblewrap (`bwrap`, Debian/Ubuntu package
// `bubblewrap`) and user namespaces, every test runs in its own user, PID, network, IPC, UTS and mount namespaces:
// the system folders read-only, the interpreter's own folders read-only, a size-limited tmpfs as the only writable
// place, no home, no /etc beyond the dynamic linker's cache, its own /proc (it sees only itself), no network at
// all, and it dies with us (run-test.ts builds the command). When the CLI runs as root, bwrap is started as the
// unprivileged `nobody` user whenever the interpreter is readable by it, because the kernel does not enforce the
// process-count limit (RLIMIT_NPROC) for root.
// Without bubblewrap (macOS, Windows, kernels or distributions that forbid unprivileged user namespaces) the code
// reward refuses, unless the user allowed the weak guard (--allow-weak-sandbox / rolloutLens.codeExecution.
// allowWeakSandbox): then programs run as a plain subprocess with the Python audit-hook guard, which a program can
// get around. Probed once per process and interpreter.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Isolation {
  kind: 'bwrap' | 'weak';
  /** Absolute path of bwrap (kind 'bwrap'). */
  bwrap: string | null;
  /** Start bwrap as uid/gid 65534 (we are root and the interpreter is readable by nobody). */
  asNobody: boolean;
  /** Plain description for the opt-in dialog and results: how network access is cut. */
  network: string;
  /** Why bubblewrap cannot be used and how to enable it (kind 'weak'). */
  unavailable: string | null;
}

export const NOBODY = 65534;

let weakAllowed = false;

/** --allow-weak-sandbox / rolloutLens.codeExecution.allowWeakSandbox (after the consent modal). */
export function setWeakSandboxAllowed(allowed: boolean): void {
  weakAllowed = allowed;
}

export function weakSandboxAllowed(): boolean {
  return weakAllowed;
}

/** Code execution was asked for where it cannot be isolated and the weak guard is not allowed. */
export class SandboxUnavailableError extends Error {}

/** The text of the refusal when bwrap is unavailable and the weak guard is not allowed. */
export function refusalMessage(iso: Isolation): string {
  return `code execution needs an OS sandbox: ${iso.unavailable ?? 'bubblewrap is not available'}. ` +
    'To run the programs anyway with only the in-process Python guard (which a program can get around), pass ' +
    '--allow-weak-sandbox (CLI) or set rolloutLens.codeExecution.allowWeakSandbox (editor). See docs/sandbox.md.';
}

function findBwrap(): string | null {
  const env = process.env.ROLLOUT_LENS_BWRAP;
  if (env !== undefined) return env === '' ? null : env;
  for (const dir of ['/usr/bin', '/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    if (!dir) continue;
    const p = join(dir, 'bwrap');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return null;
}

/** Top-level system entries a Python interpreter may need: bound read-only (or recreated as the same symlink). */
export const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** bwrap arguments that recreate the read-only system view (merged-/usr symlinks stay symlinks). */
export function systemBindArgs(): string[] {
  const args: string[] = [];
  for (const d of SYSTEM_DIRS) {
    let st;
    try {
      st = lstatSync(d);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(d), d);
    else if (st.isDirectory()) args.push('--ro-bind', d, d);
  }
  for (const f of ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/localtime']) if (existsSync(f)) args.push('--ro-bind', f, f);
  return args;
}

const cache = new Map<string, Isolation>();

function weak(why: string): Isolation {
  return {
    kind: 'weak', bwrap: null, asNobody: false, unavailable: why,
    network: 'refused by the Python audit hook only (no OS sandbox on this system)',
  };
}

/**
 * Probes bubblewrap with the interpreter that will run the programs (its folders are bound into the sandbox).
 * `pythonDirs` are the interpreter's prefixes (resolvePython()).
 */
export function probeIsolation(python?: string, pythonDirs: readonly string[] = []): Isolation {
  const key = `${python ?? ''}\0${pythonDirs.join('\0')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let result: Isolation;
  if (process.platform !== 'linux') {
    result = weak(`bubblewrap exists only on Linux (this is ${process.platform})`);
  } else {
    const bwrap = findBwrap();
    if (bwrap === null) {
      result = weak('bubblewrap (bwrap) is not installed: install the `bubblewrap` package (apt install bubblewrap, dnf install bubblewrap)');
    } else {
      const binds = pythonDirs.flatMap((d) => ['--ro-bind', d, d]);
      const cmd = python ?? '/usr/bin/true';
      const args = [
        '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--die-with-parent',
        '--cap-drop', 'ALL', ...systemBindArgs(), ...binds, '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
        '--', cmd, ...(python ? ['-I', '-c', 'pass'] : []),
      ];
      const run = (asNobody: boolean): ReturnType<typeof spawnSync> => spawnSync(bwrap, args, {
        timeout: 10_000, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'],
        ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
      });
      const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
      const nobody = isRoot ? run(true) : null;
      const plain = nobody?.status === 0 ? null : run(false);
      if (nobody?.status === 0 || plain?.status === 0) {
        result = {
          kind: 'bwrap', bwrap, asNobody: nobody?.status === 0, unavailable: null,
          network: 'none: each test runs in its own network namespace (bubblewrap), with no interface but a loopback that is down',
        };
      } else {
        const err = String(plain?.stderr ?? plain?.error?.message ?? '').trim().split('\n')[0] ?? '';
        result = weak(
          `bubblewrap cannot create a sandbox here (${err || `exit ${plain?.status ?? '?'}`}); unprivileged user namespaces ` +
          'may be disabled: sysctl kernel.unprivileged_userns_clone=1 (Debian), or on Ubuntu 24.04+ ' +
          'sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in a container, run it with ' +
          'user namespaces allowed (e.g. docker --security-opt seccomp=unconfined)',
        );
      }
    }
  }
  cache.set(key, result);
  return result;
}
