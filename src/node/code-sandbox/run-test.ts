// Runs one test of a program in a subprocess: the Python harness (runner-source.ts), in its own process group, with
// a stripped environment whose HOME and TMPDIR are its working folder, stdin fed from the test, stdout/stderr
// capped, and a wall-clock timeout. With bubblewrap (isolation.ts) the harness runs in fresh namespaces whose only
// writable place is a size-limited tmpfs; killing bwrap at the timeout tears the PID namespace down, so every
// process the program started (setsid or not) dies with it. The job (program, arguments, a per-run nonce) goes in on
// fd 3, a socket; the harness answers on the same socket, each line tagged with the nonce, so lines a program
// writes there itself are recognised as forged. Expected outputs never enter the sandbox.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { JsonValue } from '../../core/types';
import type { TestRun } from '../../core/code/judge';
import { NOBODY, systemBindArgs, type Isolation } from './isolation';
import { killGroup, trackGroup, untrackGroup } from '../process-cleanup';
import { RUNNER_SOURCE } from './runner-source';

export interface SandboxLimits {
  /** Wall-clock seconds per test (open-r1 exec_timeout = 5). */
  timeoutSeconds: number;
  /** Address-space limit (RLIMIT_AS) in MB. */
  memoryMb: number;
  /** stdout and stderr are each cut beyond this many KB (the process is stopped). */
  outputKb: number;
  /** Largest file the program may write (RLIMIT_FSIZE), in MB. */
  fileMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutSeconds: 5, memoryMb: 1024, outputKb: 1024, fileMb: 16 };

export interface TestJob {
  /** script: run the program (stdin/stdout tests); call: call a function; assert: the program, then the tests. */
  mode: 'script' | 'call' | 'assert';
  program: string;
  stdin: string;
  fn?: string;
  args?: JsonValue[];
  /** assert mode: the test script the harness runs after the program, in its namespace. */
  tests?: string;
}

export interface SampleDirs {
  /** Holds runner.py; the program may read but not write there (not visible at all under bwrap). */
  root: string;
  /** The program's working directory, HOME and TMPDIR (weak mode; under bwrap a tmpfs at /work). */
  work: string;
  runner: string;
}

/** Where things are inside the bwrap sandbox. */
const BOX_WORK = '/work';
const BOX_RUNNER = '/harness/runner.py';

/** Processes the program may have at once under bwrap (RLIMIT_NPROC, counted per sandbox user). */
const MAX_PROCESSES = 64;

/** The bwrap command line for one test. */
export function bwrapArgs(python: string, pythonDirs: readonly string[], limits: SandboxLimits): string[] {
  const tmpfsBytes = Math.max(1, limits.fileMb) * 4 * 1024 * 1024;
  return [
    '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', 'sandbox', '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
    ...systemBindArgs(),
    ...pythonDirs.flatMap((d) => ['--ro-bind', d, d]),
    '--proc', '/proc', '--dev', '/dev',
    '--size', String(tmpfsBytes), '--tmpfs', BOX_WORK,
    // The harness source arrives on fd 4 (no host file to bind: nothing for `nobody` to be denied, nothing left).
    '--ro-bind-data', '4', BOX_RUNNER,
    '--chdir', BOX_WORK,
    '--', python, '-I', '-B', BOX_RUNNER,
  ];
}

/** Only what a Python program needs; nothing of the user's environment (tokens, proxies, PYTHONPATH) leaks in. */
function sandboxEnv(work: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: work,
    TMPDIR: work,
    TEMP: work,
    TMP: work,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    // One BLAS/OpenMP thread: each thread reserves address space, and numpy would not import under RLIMIT_AS.
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
}

class CappedText {
  private chunks: Buffer[] = [];
  private size = 0;
  cut = false;
  constructor(private readonly cap: number) {}
  /** Returns false once the cap is exceeded. */
  push(b: Buffer): boolean {
    if (this.cut) return false;
    const room = this.cap - this.size;
    if (b.length > room) {
      if (room > 0) this.chunks.push(b.subarray(0, room));
      this.size = this.cap;
      this.cut = true;
      return false;
    }
    this.chunks.push(b);
    this.size += b.length;
    return true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8') + (this.cut ? '\n[output cut]' : '');
  }
}


/** A harness line: tagged with the run's nonce, else written by the program itself. */
interface HarnessLine {
  n?: string;
  blocked?: string;
  call?: TestRun['call'];
  asserted?: TestRun['asserted'];
  limit?: string;
}

/** Runs one test; resolves with what was observed. Rejects only when the interpreter cannot be started. */
export async function runTest(
  python: string, dirs: SampleDirs, job: TestJob, limits: SandboxLimits, isolation: Isolation, signal: AbortSignal,
  pythonDirs: readonly string[] = [],
): Promise<TestRun> {
  const nonce = randomBytes(16).toString('hex');
  const jobLine = JSON.stringify({
    nonce, mode: job.mode, program: job.program, fn: job.fn ?? null, args: job.args ?? [], tests: job.tests ?? null,
    memoryMb: limits.memoryMb, cpuSeconds: Math.ceil(limits.timeoutSeconds) + 1, fileMb: limits.fileMb,
    nproc: isolation.kind === 'bwrap' ? MAX_PROCESSES : null,
  }) + '\n';
  const boxed = isolation.kind === 'bwrap' && isolation.bwrap !== null;
  const cmd = boxed ? (isolation.bwrap as string) : python;
  const argv = boxed ? bwrapArgs(python, pythonDirs, limits) : ['-I', '-B', dirs.runner];
  const work = boxed ? BOX_WORK : dirs.work;
  const started = performance.now();
  return new Promise<TestRun>((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: boxed ? '/' : dirs.work,
      env: sandboxEnv(work),
      detached: true, // own process group: the timeout kills the sandbox and anything it managed to start
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', boxed ? 'pipe' : 'ignore'],
      ...(boxed && isolation.asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    trackGroup(child.pid);
    const cap = limits.outputKb * 1024;
    const out = new CappedText(cap);
    const err = new CappedText(cap);
    let report = '';
    let timedOut = false;
    let outputCut = false;
    let settled = false;
    let exited: { code: number | null; sig: NodeJS.Signals | null } | null = null;
    const stop = (): void => killGroup(child.pid);
    const timer = setTimeout(() => { timedOut = true; stop(); }, limits.timeoutSeconds * 1000);
    const onAbort = (): void => stop();
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (b: Buffer) => { if (!out.push(b)) { outputCut = true; stop(); } });
    child.stderr?.on('data', (b: Buffer) => { if (!err.push(b)) { outputCut = true; stop(); } });
    const fd4 = child.stdio[4] as Duplex | null;
    if (fd4) {
      fd4.on('error', () => undefined);
      fd4.end(RUNNER_SOURCE);
    }
    const fd3 = child.stdio[3] as Duplex | null;
    if (fd3) {
      fd3.on('data', (b: Buffer) => { if (report.length < 1 << 20) report += b.toString('utf8'); });
      fd3.on('error', () => undefined);
      fd3.write(jobLine);
    }
    // A program that exits without reading stdin closes the pipe under us: that is not an error.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(job.stdin);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      untrackGroup(child.pid);
    };
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new Error(`cannot start ${cmd}: ${e.message}`));
    });
    const finish = (): void => {
      if (settled || exited === null) return;
      settled = true;
      cleanup();
      stop(); // anything the program left behind in its group
      // Processes outside the sandbox's namespace (weak mode, setsid) may still hold the pipes: stop listening.
      for (const s of [child.stdout, child.stderr, fd3, fd4]) s?.destroy();
      const run: TestRun = {
        stdout: out.text(), stderr: err.text(), exitCode: exited.code, signal: exited.sig, timedOut, outputCut,
        ms: performance.now() - started, blocked: [],
      };
      for (const line of report.split('\n')) {
        if (!line.trim()) continue;
        let m: HarnessLine;
        try {
          m = JSON.parse(line) as HarnessLine;
        } catch {
          m = {};
        }
        if (m.n !== nonce) {
          // The program wrote on the harness channel itself: a forged result is never taken, and it is reported.
          const what = 'writing on the test harness\'s result channel (a forged result, ignored)';
          if (!run.blocked.includes(what)) run.blocked.push(what);
          run.forged = true;
          continue;
        }
        if (typeof m.blocked === 'string' && !run.blocked.includes(m.blocked)) run.blocked.push(m.blocked);
        if (m.call) run.call = m.call;
        if (m.asserted) run.asserted = m.asserted;
      }
      resolve(run);
    };
    child.on('exit', (code, sig) => {
      exited = { code, sig };
      // The output still buffered in the pipes arrives before 'close'; a process that escaped the group and holds
      // the pipes (weak mode) must not hold the test: at most a short grace, then the result stands.
      setTimeout(finish, 300);
    });
    child.on('close', () => finish());
  });
}
