// Runs one test of a program in a subprocess: the Python runner (runner-source.ts) in the sample's scratch folder,
// in its own process group (so the timeout kills everything it started), with a stripped environment whose HOME
// and TMPDIR point into the scratch folder, stdin fed from the test, stdout/stderr capped, and a wall-clock
// timeout. Everything is scratch: the caller removes the folder afterwards.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue } from '../../core/types';
import type { TestRun } from '../../core/code/judge';
import type { Isolation } from './isolation';

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
  mode: 'script' | 'call';
  program: string;
  stdin: string;
  fn?: string;
  args?: JsonValue[];
}

export interface SampleDirs {
  /** Holds runner.py and job files; the program may read but not write there. */
  root: string;
  /** The program's working directory, HOME and TMPDIR. */
  work: string;
  runner: string;
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

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

let jobCounter = 0;

/** Runs one test; resolves with what was observed. Rejects only when the interpreter cannot be started. */
export async function runTest(
  python: string, dirs: SampleDirs, job: TestJob, limits: SandboxLimits, isolation: Isolation, signal: AbortSignal,
): Promise<TestRun> {
  const jobPath = join(dirs.root, `job-${process.pid}-${jobCounter++}.json`);
  await writeFile(jobPath, JSON.stringify({
    mode: job.mode, program: job.program, fn: job.fn ?? null, args: job.args ?? [],
    memoryMb: limits.memoryMb, cpuSeconds: Math.ceil(limits.timeoutSeconds) + 1, fileMb: limits.fileMb,
  }));
  const [cmd, ...pre] = [...isolation.prefix, python, '-I', '-B', dirs.runner, jobPath];
  const started = performance.now();
  return new Promise<TestRun>((resolve, reject) => {
    const child = spawn(cmd ?? python, pre, {
      cwd: dirs.work,
      env: sandboxEnv(dirs.work),
      detached: true, // own process group: the timeout kills the program and anything it managed to start
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const cap = limits.outputKb * 1024;
    const out = new CappedText(cap);
    const err = new CappedText(cap);
    let report = '';
    let timedOut = false;
    let outputCut = false;
    let settled = false;
    const stop = (): void => killGroup(child.pid);
    const timer = setTimeout(() => { timedOut = true; stop(); }, limits.timeoutSeconds * 1000);
    const onAbort = (): void => stop();
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => { if (!out.push(b)) { outputCut = true; stop(); } });
    child.stderr.on('data', (b: Buffer) => { if (!err.push(b)) { outputCut = true; stop(); } });
    const fd3 = child.stdio[3];
    if (fd3 && 'on' in fd3) fd3.on('data', (b: Buffer) => { if (report.length < 1 << 20) report += b.toString('utf8'); });
    // A program that exits without reading stdin closes the pipe under us: that is not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(job.stdin);
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`cannot start ${python}: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stop(); // anything the program left behind in its group
      const run: TestRun = {
        stdout: out.text(), stderr: err.text(), exitCode: code, signal: sig, timedOut, outputCut,
        ms: performance.now() - started, blocked: [],
      };
      for (const line of report.split('\n')) {
        if (!line.trim()) continue;
        try {
          const m = JSON.parse(line) as { blocked?: string; call?: TestRun['call'] };
          if (typeof m.blocked === 'string' && !run.blocked.includes(m.blocked)) run.blocked.push(m.blocked);
          if (m.call) run.call = m.call;
        } catch {
          // the program wrote to fd 3 itself; ignore what is not ours
        }
      }
      resolve(run);
    });
  });
}
