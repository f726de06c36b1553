// The code-execution rewards `code` (fraction of tests passed) and `binary_code` (1 when all pass), open-r1
// semantics (core/code/judge.ts), as BatchRewards. Both share one executor, so asking for both runs each sample's
// tests once. Per sample: extract the last ```python block, find the record's tests, make a scratch folder, run the
// tests one after another (each in its own process, open-r1 style), stop at the first timeout (open-r1 scores the
// sample 0 there), remove the folder. Samples run in parallel, at most one per core.
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { BatchReward, BatchRewardInput, BatchRewardResult } from '../../core/scoring/batch-reward';
import type { JsonValue } from '../../core/types';
import { extractProgram } from '../../core/code/extract-program';
import { findTestCases, type CodeTest } from '../../core/code/test-cases';
import { judgeTest, notRun, scoreResults, type CodeScore, type TestResult } from '../../core/code/judge';
import { probeIsolation, refusalMessage, SandboxUnavailableError, weakSandboxAllowed, type Isolation } from './isolation';
import { trackTempDir, untrackTempDir } from '../process-cleanup';
import { DEFAULT_LIMITS, runTest, type SampleDirs, type SandboxLimits, type TestJob } from './run-test';
import { RUNNER_SOURCE } from './runner-source';

export interface CodeRewardOptions {
  /** Interpreter to run programs with (resolved to an absolute path before use). */
  python?: string;
  /** Fence tag of the program when the record does not state a language. */
  language?: string;
  limits?: Partial<SandboxLimits>;
  /** Samples run at once (default: os.availableParallelism()). */
  concurrency?: number;
}

/** The per-sample detail: what `score --json` prints as `tests`, and what the sample view and hover show. */
export interface CodeOutcome {
  score: CodeScore;
  tests: TestResult[];
  /** Where the tests came from in the record. */
  source: string | null;
  /** Blocks of the language in the completion; the last one ran. */
  blocks: number;
}

export interface PythonInfo {
  path: string;
  version: string;
  /** The interpreter's own folders outside the system ones (pyenv, conda, a venv): bound read-only into bwrap. */
  dirs: string[];
}

const SYSTEM_PREFIXES = ['/usr/', '/bin/', '/lib/', '/lib64/', '/sbin/'];

/** Prefix folders to bind: outside the system folders, not nested in one another, never the home folder itself. */
function bindableDirs(candidates: string[]): string[] {
  const home = homedir();
  const dirs = [...new Set(candidates.filter((d) => d.startsWith('/') && d !== '/'))]
    .filter((d) => !SYSTEM_PREFIXES.some((p) => (d + '/').startsWith(p)))
    .filter((d) => d !== home && !(home + sep).startsWith(d + sep))
    .sort((a, b) => a.length - b.length);
  return dirs.filter((d, i) => !dirs.slice(0, i).some((p) => (d + sep).startsWith(p + sep)));
}

/** Resolves the interpreter to its absolute path (the sandbox's PATH is minimal) and checks it has audit hooks. */
export function resolvePython(python: string): PythonInfo {
  const probe = 'import os, sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3]); ' +
    'print("\\0".join(os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}))';
  const r = spawnSync(python, ['-I', '-c', probe], {
    encoding: 'utf8', timeout: 10_000,
  });
  if (r.error || r.status !== 0) {
    throw new Error(`cannot run ${python}: ${r.error ? r.error.message : (r.stderr || `exit code ${r.status ?? '?'}`).trim()}`);
  }
  const [path = python, version = '?', prefixes = ''] = r.stdout.trim().split('\n');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 8)) throw new Error(`${path} is Python ${version}; the sandbox needs Python ≥ 3.8 (audit hooks)`);
  return { path, version, dirs: bindableDirs(prefixes.split('\0')) };
}

class Semaphore {
  private waiting: Array<() => void> = [];
  private free: number;
  constructor(n: number) {
    this.free = n;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

function jobFor(test: CodeTest, program: string): TestJob {
  if (test.kind === 'stdio') return { mode: 'script', program, stdin: test.input };
  if (test.kind === 'call') return { mode: 'call', program, stdin: '', fn: test.fnName, args: test.args };
  // The harness runs the asserts itself after the program (open-r1 appends them to the program text).
  return { mode: 'assert', program, stdin: '', tests: test.script };
}

/** Cheap content key so `code` and `binary_code` share one execution of the same sample. */
function keyOf(input: BatchRewardInput): string {
  let h = 0x811c9dc5;
  const s = input.completion;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return `${input.index}:${s.length}:${h}`;
}

const PYTHON_TAGS = new Set(['python', 'python3', 'py']);

export class CodeExecutor {
  readonly limits: SandboxLimits;
  private iso: Isolation | null = null;
  private readonly pool: Semaphore;
  private readonly memo = new Map<string, Promise<BatchRewardResult>>();
  private python: PythonInfo | null = null;

  constructor(private readonly opts: CodeRewardOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.pool = new Semaphore(Math.max(1, opts.concurrency ?? availableParallelism()));
  }

  /** The interpreter, resolved on first use; throws when it cannot run (the whole reward cannot). */
  interpreter(): PythonInfo {
    this.python ??= resolvePython(this.opts.python ?? 'python3');
    return this.python;
  }

  /** How programs are isolated with this interpreter (probed on first use). */
  get isolation(): Isolation {
    if (this.iso === null) {
      let py: PythonInfo | null = null;
      try {
        py = this.interpreter();
      } catch {
        py = null;
      }
      this.iso = probeIsolation(py?.path, py?.dirs ?? []);
    }
    return this.iso;
  }

  /** Throws when there is no OS sandbox and the weak guard was not allowed: nothing may run then. */
  checkRunnable(): void {
    this.interpreter();
    const iso = this.isolation;
    if (iso.kind !== 'bwrap' && !weakSandboxAllowed()) throw new SandboxUnavailableError(refusalMessage(iso));
  }

  /** One sample's result, computed once per executor. */
  score(input: BatchRewardInput, signal: AbortSignal): Promise<BatchRewardResult> {
    const key = keyOf(input);
    let p = this.memo.get(key);
    if (!p) {
      p = this.pool.run(() => this.scoreOne(input, signal));
      this.memo.set(key, p);
      // A cancelled run must not poison a later one.
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** Forget results (after a run: the memo only exists to share work between code and binary_code). */
  clear(): void {
    this.memo.clear();
  }

  private async scoreOne(input: BatchRewardInput, signal: AbortSignal): Promise<BatchRewardResult> {
    if (signal.aborted) throw abortError();
    const found = findTestCases(input.record, input.gold);
    if (found === null) return { score: null, error: 'no test cases in the record' };
    if ('error' in found) return { score: null, error: `test cases: ${found.error}` };
    const language = found.language ?? this.opts.language ?? 'python';
    if (!PYTHON_TAGS.has(language)) return { score: null, error: `language '${language}' is not supported: only Python programs run` };
    // open-r1 always extracts ```python blocks (the record's language only routes the sandbox).
    const program = extractProgram(input.completion, language === 'py' || language === 'python3' ? 'python' : language);
    const detail = (score: CodeScore, tests: TestResult[]): JsonValue => ({
      score, tests, source: found.source, blocks: program.blocks,
    } satisfies CodeOutcome as unknown as JsonValue);
    if (program.code === null) {
      const score: CodeScore = { code: 0, binary: 0, passed: 0, total: found.tests.length, reason: program.reason ?? 'no code block' };
      return { score: 0, detail: detail(score, []) };
    }
    if (found.tests.length === 0) return { score: null, error: 'the record has an empty test list' };
    this.checkRunnable();
    const python = this.interpreter();
    const iso = this.isolation;
    // Weak mode needs a scratch folder on disk; under bwrap the harness comes on a pipe and the scratch folder is
    // a tmpfs inside the sandbox, so nothing is created on the host at all.
    const root = iso.kind === 'bwrap' ? null : await mkdtemp(join(tmpdir(), 'rollout-lens-code-'));
    if (root !== null) trackTempDir(root);
    try {
      const dirs: SampleDirs = root === null ? { root: '/', work: '/', runner: '' } : { root, work: join(root, 'work'), runner: join(root, 'runner.py') };
      if (root !== null) {
        await mkdir(dirs.work);
        await writeFile(dirs.runner, RUNNER_SOURCE, { mode: 0o644 });
      }
      const results: TestResult[] = [];
      for (let i = 0; i < found.tests.length; i++) {
        const test = found.tests[i] as CodeTest;
        if (signal.aborted) throw abortError();
        if (results.some((r) => r.timedOut)) {
          results.push(notRun(i, test));
          continue;
        }
        const run = await runTest(python.path, dirs, jobFor(test, program.code), this.limits, iso, signal, python.dirs);
        if (signal.aborted) throw abortError();
        results.push(judgeTest(i, test, run));
      }
      const score = scoreResults(results, found.tests.length);
      return { score: score.code, detail: detail(score, results) };
    } finally {
      if (root !== null) {
        await rm(root, { recursive: true, force: true, maxRetries: 2 });
        untrackTempDir(root);
      }
    }
  }
}

function reward(name: 'code' | 'binary_code', executor: CodeExecutor): BatchReward {
  // binary_code carries only the counts: the per-test detail lives once, under `code`.
  const pick = (r: BatchRewardResult): BatchRewardResult => {
    if (name === 'code' || r.score === null) return r;
    const d = r.detail as unknown as CodeOutcome | undefined;
    const detail = d ? ({ passed: d.score.passed, total: d.score.total, reason: d.score.reason } as JsonValue) : undefined;
    return { score: r.score > 0.99 ? 1 : 0, ...(detail ? { detail } : {}) };
  };
  return {
    name,
    description: name === 'code'
      ? 'Runs the last ```python block against the record\'s test cases in a bubblewrap sandbox: fraction of tests passed (open-r1 code_reward)'
      : '1 when every test case passes, else 0 (open-r1 binary_code_reward)',
    async score(batch, signal) {
      executor.checkRunnable(); // fail the whole reward up front when Python cannot run or there is no sandbox
      return (await Promise.all(batch.map((b) => executor.score(b, signal)))).map(pick);
    },
    async dispose() {
      executor.clear();
    },
  };
}

/** `code` and `binary_code` sharing one executor. */
export function createCodeRewards(opts: CodeRewardOptions = {}): { code: BatchReward; binaryCode: BatchReward; executor: CodeExecutor } {
  const executor = new CodeExecutor(opts);
  return { code: reward('code', executor), binaryCode: reward('binary_code', executor), executor };
}
