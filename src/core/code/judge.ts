// Judging one test run and scoring a sample, with open-r1 `code_reward` semantics (docs/rewards.md §3.1):
// - a non-zero exit fails the test, whatever was printed;
// - stdout is `.strip()`ped, then `zip(output.split('\n'), expected.split('\n'))` lines are compared `.strip()`-equal.
//   [parity] zip stops at the shorter side, so missing or extra lines do not fail a test; we keep that and say so;
// - [parity] a test that times out raises TimeoutExpired out of open-r1's loop, so the whole sample scores 0;
// - score = passed / total; binary_code = 1 when score > 0.99.
// Call tests (APPS/prime `fn_name`) follow prime_code's check: result == expected, or == expected[0] when the
// expected value is a non-empty list; tuples arrive as lists. Assert tests pass when the script exits 0.
import type { JsonValue } from '../types';
import type { CodeTest } from './test-cases';

/** What the sandbox observed for one test process. */
export interface TestRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** Signal that ended the process (SIGKILL after the timeout, SIGXCPU, …). */
  signal: string | null;
  timedOut: boolean;
  /** stdout or stderr went over the cap; the process was stopped and the text cut. */
  outputCut: boolean;
  ms: number;
  /** Call tests: the return value (JSON) or the exception the call raised, reported by the runner. */
  call?: { ok: true; value: JsonValue } | { ok: false; error: string };
  /** Assert tests: the harness's verdict after running the tests itself, after the program. */
  asserted?: { ok: true } | { ok: false; error: string };
  /** Sandbox rules the program broke (network, writes outside its directory, subprocesses), from the runner. */
  blocked: string[];
  /** The program wrote lines on the harness's result channel (an attempt to forge a result). */
  forged?: boolean;
}

export interface TestResult {
  index: number;
  kind: CodeTest['kind'];
  passed: boolean;
  /** Input shown to the user: stdin, the call, or the assert script (shortened). */
  input: string;
  expected: string;
  got: string;
  stderrTail: string;
  exitCode: number | null;
  timedOut: boolean;
  outputCut: boolean;
  blocked: string[];
  ms: number;
  /** Why it failed, or a parity note on a pass (e.g. zip compared fewer lines than expected). */
  reason: string;
  /** The test was not run because an earlier one timed out (open-r1 stops there). */
  notRun?: boolean;
}

const SHOW = 2000;
const TAIL = 1000;

function shorten(s: string, n = SHOW): string {
  return s.length <= n ? s : `${s.slice(0, n)}… (${s.length - n} more characters)`;
}

export function tail(s: string, n = TAIL): string {
  return s.length <= n ? s : `…${s.slice(s.length - n)}`;
}

// Python's whitespace set (str.isspace); JS \s also has U+FEFF, which Python keeps.
// eslint-disable-next-line no-control-regex -- \x1c–\x1f are whitespace to Python's strip()
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Python's str.strip(): str.isspace() characters, which include the \x1c–\x1f separators that JS trim keeps. */
export function pyStrip(s: string): string {
  return s.replace(PY_SPACE, '');
}

/** subprocess.run(text=True) reads with universal newlines: \r\n and \r become \n. */
function universalNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** open-r1's line-by-line comparison: equal or not, with the first differing line or a zip note. */
export function compareStdout(stdout: string, expected: string): { equal: boolean; note: string } {
  const out = pyStrip(universalNewlines(stdout)).split('\n');
  const exp = expected.split('\n');
  const n = Math.min(out.length, exp.length);
  for (let i = 0; i < n; i++) {
    const a = pyStrip(out[i] ?? '');
    const b = pyStrip(exp[i] ?? '');
    if (a !== b) return { equal: false, note: `line ${i + 1}: got ${JSON.stringify(shorten(a, 200))}, expected ${JSON.stringify(shorten(b, 200))}` };
  }
  const expLines = pyStrip(expected) === '' ? 0 : pyStrip(expected).split('\n').length;
  const outLines = pyStrip(universalNewlines(stdout)) === '' ? 0 : out.length;
  const note = outLines !== expLines ? `${outLines} output line(s) vs ${expLines} expected: open-r1 compares only the first ${n} (zip)` : '';
  return { equal: true, note };
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i] ?? null));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as Record<string, JsonValue>);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => k in (b as Record<string, JsonValue>) && deepEqual(a[k] ?? null, (b as Record<string, JsonValue>)[k] ?? null));
}

export function describeInput(test: CodeTest): string {
  if (test.kind === 'stdio') return shorten(test.input);
  if (test.kind === 'call') return shorten(`${test.fnName}(${test.args.map((a) => JSON.stringify(a)).join(', ')})`);
  return shorten(test.script);
}

function describeExpected(test: CodeTest): string {
  if (test.kind === 'stdio') return shorten(test.output);
  if (test.kind === 'call') return shorten(JSON.stringify(test.expected));
  return 'exit code 0';
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** Judges one run of one test. */
export function judgeTest(index: number, test: CodeTest, run: TestRun): TestResult {
  const base = {
    index,
    kind: test.kind,
    input: describeInput(test),
    expected: describeExpected(test),
    stderrTail: tail(run.stderr),
    exitCode: run.exitCode,
    timedOut: run.timedOut,
    outputCut: run.outputCut,
    blocked: run.blocked,
    ms: Math.round(run.ms),
  };
  const fail = (reason: string, got = shorten(run.stdout)): TestResult => ({ ...base, passed: false, got, reason });
  if (run.timedOut) return fail('timed out');
  if (run.outputCut) return fail('output over the limit (cut)');
  if (run.blocked.length > 0 && run.exitCode !== 0) return fail(`blocked by the sandbox: ${run.blocked.join('; ')}`);
  if (run.exitCode !== 0) {
    const why = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode ?? '?'}`;
    const err = lastLine(run.stderr);
    return fail(err ? `${why}: ${shorten(err, 300)}` : why);
  }
  if (test.kind === 'assert') {
    // Exit code 0 alone proves nothing (sys.exit(0) or os._exit(0) before the asserts): only the harness's own
    // verdict, written after it ran the tests, counts.
    if (!run.asserted) return fail('the tests did not run: the program ended the process before them');
    if (!run.asserted.ok) return fail(shorten(run.asserted.error, 300));
    return { ...base, passed: true, got: 'exit code 0', reason: '' };
  }
  if (test.kind === 'call') {
    if (!run.call) return fail('the runner reported no return value');
    if (!run.call.ok) return fail(`raised ${shorten(run.call.error, 300)}`, '');
    const got = run.call.value;
    const exp = test.expected;
    const ok = deepEqual(got, exp) || (Array.isArray(exp) && exp.length > 0 && deepEqual(got, exp[0] ?? null));
    return { ...base, passed: ok, got: shorten(JSON.stringify(got)), reason: ok ? '' : 'wrong return value' };
  }
  const cmp = compareStdout(run.stdout, test.output);
  return { ...base, passed: cmp.equal, got: shorten(run.stdout), reason: cmp.note };
}

/** A test that was not run because an earlier one timed out. */
export function notRun(index: number, test: CodeTest): TestResult {
  return {
    index, kind: test.kind, passed: false, input: describeInput(test), expected: describeExpected(test), got: '',
    stderrTail: '', exitCode: null, timedOut: false, outputCut: false, blocked: [], ms: 0,
    reason: 'not run: an earlier test timed out', notRun: true,
  };
}

export interface CodeScore {
  /** passed / total, 0 when a test timed out (open-r1), null when the reward does not apply. */
  code: number | null;
  /** 1 when code > 0.99 (open-r1 binary_code_reward). */
  binary: number | null;
  passed: number;
  total: number;
  /** Plain reason for a 0 or null: "no code block", "test 3 timed out: open-r1 scores the sample 0", … */
  reason: string;
}

export function scoreResults(results: readonly TestResult[], total: number): CodeScore {
  const passed = results.filter((r) => r.passed).length;
  const timedOut = results.find((r) => r.timedOut);
  if (total === 0) return { code: null, binary: null, passed: 0, total: 0, reason: 'no test cases' };
  if (timedOut) {
    return { code: 0, binary: 0, passed, total, reason: `test ${timedOut.index + 1} timed out: open-r1 scores the whole sample 0` };
  }
  const code = passed / total;
  return { code, binary: code > 0.99 ? 1 : 0, passed, total, reason: passed === total ? '' : `${total - passed} of ${total} tests failed` };
}
