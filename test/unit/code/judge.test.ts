// Judging with open-r1 `code_reward` semantics (docs/rewards.md §3.1). Each case states what open-r1's evaluation loop
// does with the same process result:
//   exit != 0                    → the test fails (`if process.returncode != 0: continue`)
//   stdout.strip() line by line  → `zip(output.split('\n'), case['output'].split('\n'))`, each line .strip()-equal;
//                                   zip stops at the shorter side, so a missing or extra line still passes [parity]
//   TimeoutExpired               → escapes the loop; the sandbox returns no number and the sample scores 0.0
//   score                        → passed / total; binary_code = 1.0 if score > 0.99
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareStdout, judgeTest, notRun, pyStrip, scoreResults, type TestRun } from '../../../src/core/code/judge';
import type { CodeTest } from '../../../src/core/code/test-cases';

const run = (o: Partial<TestRun>): TestRun => ({ stdout: '', stderr: '', exitCode: 0, signal: null, timedOut: false, outputCut: false, ms: 1, blocked: [], ...o });
const io = (output: string): CodeTest => ({ kind: 'stdio', input: '', output });

test('stdout equal after strip, per line (trailing spaces, CRLF, blank trailing lines)', () => {
  assert.equal(judgeTest(0, io('3\n4\n'), run({ stdout: '3  \r\n 4\n\n' })).passed, true);
  assert.equal(judgeTest(0, io('3 4'), run({ stdout: '3  4' })).passed, false, 'inner whitespace counts');
});

test('[parity] zip: fewer output lines than expected still pass, with a note', () => {
  const r = judgeTest(0, io('3\n4'), run({ stdout: '3\n' }));
  assert.equal(r.passed, true);
  assert.match(r.reason, /1 output line\(s\) vs 2 expected: open-r1 compares only the first 1/);
  assert.equal(compareStdout('3\n4\n5', '3\n4').equal, true, 'extra lines pass too');
});

test('empty output vs non-empty expected fails; vs empty expected passes', () => {
  assert.equal(judgeTest(0, io('5'), run({ stdout: '' })).passed, false);
  assert.equal(judgeTest(0, io(''), run({ stdout: '\n' })).passed, true);
});

test('a non-zero exit fails even with the right stdout; the reason quotes the last stderr line', () => {
  const r = judgeTest(0, io('3'), run({ stdout: '3\n', exitCode: 1, stderr: 'Traceback…\nZeroDivisionError: division by zero\n' }));
  assert.equal(r.passed, false);
  assert.equal(r.reason, 'exit code 1: ZeroDivisionError: division by zero');
  assert.match(r.stderrTail, /ZeroDivisionError/);
});

test('timeout: the test fails and the whole sample scores 0 (open-r1 TimeoutExpired), later tests are not run', () => {
  const t = io('3');
  const results = [judgeTest(0, t, run({ stdout: '3' })), judgeTest(1, t, run({ timedOut: true, exitCode: null, signal: 'SIGKILL' })), notRun(2, t)];
  const s = scoreResults(results, 3);
  assert.deepEqual([s.code, s.binary, s.passed], [0, 0, 1]);
  assert.match(s.reason, /test 2 timed out: open-r1 scores the whole sample 0/);
  assert.equal(results[2]?.notRun, true);
});

test('score = passed / total; binary only above 0.99', () => {
  const t = io('1');
  const pass = judgeTest(0, t, run({ stdout: '1' }));
  const fail = judgeTest(1, t, run({ stdout: '2' }));
  assert.deepEqual(scoreResults([pass, fail, pass], 3), { code: 2 / 3, binary: 0, passed: 2, total: 3, reason: '1 of 3 tests failed' });
  assert.deepEqual(scoreResults([pass, pass], 2), { code: 1, binary: 1, passed: 2, total: 2, reason: '' });
  assert.equal(scoreResults([], 0).code, null);
});

test('call tests (prime_code): equal, or equal to expected[0]; an exception fails', () => {
  const t: CodeTest = { kind: 'call', fnName: 'f', args: [1], expected: [4] };
  assert.equal(judgeTest(0, t, run({ call: { ok: true, value: 4 } })).passed, true, 'expected[0]');
  assert.equal(judgeTest(0, t, run({ call: { ok: true, value: [4] } })).passed, true, 'whole list');
  assert.equal(judgeTest(0, t, run({ call: { ok: true, value: 5 } })).passed, false);
  const raised = judgeTest(0, t, run({ exitCode: 1, call: { ok: false, error: 'IndexError: x' }, stderr: 'IndexError: x' }));
  assert.equal(raised.passed, false);
});

test('output cut and sandbox refusals fail the test and say why', () => {
  assert.equal(judgeTest(0, io('1'), run({ stdout: '1111', outputCut: true, exitCode: null, signal: 'SIGKILL' })).reason, 'output over the limit (cut)');
  const b = judgeTest(0, io('1'), run({ exitCode: 1, blocked: ["writing '/etc/x' outside the working directory"] }));
  assert.equal(b.reason, "blocked by the sandbox: writing '/etc/x' outside the working directory");
});

test('pyStrip is Python str.strip(): \\x1c–\\x1f are whitespace, U+FEFF is not', () => {
  assert.equal(pyStrip('\x1c a \x1f\n'), 'a');
  assert.equal(pyStrip('\uFEFFa'), '\uFEFFa');
});
