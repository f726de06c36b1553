// The code sandbox on the fixture test/fixtures/code/code-rl.jsonl (real subprocesses, python3).
// Expected scores, each derived from open-r1 code_reward semantics (docs/rewards.md §3.1; see judge.test.ts):
//   sum-correct         3/3 → 1          sum-wrong        a−b passes only "5 0"        → 1/3
//   sum-exception       assert fails on b = 0 (exit 1)  → 2/3
//   sum-infinite-loop   test 1 times out → TimeoutExpired escapes open-r1's loop        → 0, tests 2–3 not run
//   sum-huge-output     output cut at the cap, process stopped (open-r1: captures until the timeout → 0) → 0
//   sum-writes-outside  refused by the sandbox → PermissionError, exit 1 → 0. Deliberate difference: open-r1's E2B VM
//                       lets the write happen (1.0); here it is contained and reported.
//   sum-opens-socket    the connection is refused, the program catches it and answers → 1, the attempt reported
//   sum-no-code         no ```python block → 0, "no code block" (open-r1 runs "" → 0 unless an expected output is empty)
//   sum-two-blocks      the last block counts → 1
//   reverse-verl        verl ground_truth JSON string → 1     max-gap-call   prime fn_name, -1 ≠ 0 on [3] → 2/3
//   two-sum-class       LeetCode class, functional tests → 1  is-even-asserts  MBPP, is_even(0) wrong → 2/3
// Then an independent Python transcription of open-r1's evaluation loop scores the verification_info records
// (all but the two whose effects it would not contain) and must agree with us exactly.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCodeRewards, type CodeOutcome } from '../../../src/node/code-sandbox/code-reward';
import type { BatchRewardInput } from '../../../src/core/scoring/batch-reward';
import type { JsonValue } from '../../../src/core/types';

const records = readFileSync(path.resolve('test/fixtures/code/code-rl.jsonl'), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as Record<string, JsonValue>);
const inputs: BatchRewardInput[] = records.map((r, index) => ({
  index, prompt: r.prompt as string, completion: r.completion as string, gold: undefined, dataSource: null, record: r,
}));
const TIMEOUT = 3;
// A private TMPDIR (os.tmpdir() reads it on every call), so other tests' scratch folders do not count here.
const privateTmp = mkdtempSync(path.join(tmpdir(), 'rl-sandbox-test-'));
process.env.TMPDIR = privateTmp;
after(() => rmSync(privateTmp, { recursive: true, force: true }));
const scratch = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('rollout-lens-code-'));

const expected: Record<string, number> = {
  'sum-correct': 1, 'sum-wrong': 1 / 3, 'sum-exception': 2 / 3, 'sum-infinite-loop': 0, 'sum-huge-output': 0,
  'sum-writes-outside': 0, 'sum-opens-socket': 1, 'sum-no-code': 0, 'sum-two-blocks': 1, 'reverse-verl': 1,
  'max-gap-call': 2 / 3, 'two-sum-class': 1, 'is-even-asserts': 2 / 3,
};

const escape = '/tmp/rollout-lens-escape.txt';
rmSync(escape, { force: true });
const { code, binaryCode, executor } = createCodeRewards({ limits: { timeoutSeconds: TIMEOUT, outputKb: 64 } });
const before = new Set(scratch());
const started = performance.now();
const codeResults = code.score(inputs, new AbortController().signal);

test('code and binary_code on every fixture record, with the expected per-test detail', async () => {
  const res = await codeResults;
  const elapsed = performance.now() - started;
  console.log(`  ${inputs.length} samples in ${(elapsed / 1000).toFixed(1)} s; isolation: ${executor.isolation.network}`);
  const bin = await binaryCode.score(inputs, new AbortController().signal);
  res.forEach((r, i) => {
    const id = records[i]?.id as string;
    assert.ok(Math.abs((r.score ?? NaN) - (expected[id] ?? NaN)) < 1e-9, `${id}: ${r.score} ${r.error ?? ''}`);
    assert.equal(bin[i]?.score, r.score === 1 ? 1 : 0, `${id} binary`);
  });
  const detail = (id: string): CodeOutcome => res[records.findIndex((r) => r.id === id)]?.detail as unknown as CodeOutcome;

  const loop = detail('sum-infinite-loop');
  assert.equal(loop.tests[0]?.timedOut, true);
  assert.ok((loop.tests[0]?.ms ?? 0) >= TIMEOUT * 1000 - 50 && (loop.tests[0]?.ms ?? 0) < TIMEOUT * 1000 + 2000, `stopped at the timeout: ${loop.tests[0]?.ms} ms`);
  assert.deepEqual(loop.tests.slice(1).map((t) => t.notRun), [true, true]);

  const huge = detail('sum-huge-output').tests[0];
  assert.equal(huge?.outputCut, true);
  assert.ok((huge?.ms ?? Infinity) < TIMEOUT * 1000, 'stopped at the cap, before the timeout');

  const outside = detail('sum-writes-outside').tests[0];
  assert.deepEqual(outside?.blocked, ["writing '/tmp/rollout-lens-escape.txt' outside the working directory"]);
  assert.equal(existsSync(escape), false, 'nothing was written outside the scratch folder');

  const socket = detail('sum-opens-socket');
  assert.equal(socket.score.code, 1);
  assert.match(socket.tests[0]?.blocked[0] ?? '', /^network \(socket\./);

  const none = detail('sum-no-code');
  assert.equal(none.score.reason, 'no code block');

  const exc = detail('sum-exception').tests[1];
  assert.equal(exc?.exitCode, 1);
  assert.match(exc?.stderrTail ?? '', /AssertionError: b must not be zero/);
  assert.equal(detail('sum-wrong').tests[0]?.reason, 'line 1: got "-1", expected "3"');
  assert.equal(detail('max-gap-call').tests[1]?.got, '-1');
});

test('scratch folders are removed after each sample', async () => {
  await codeResults;
  assert.deepEqual(scratch().filter((n) => !before.has(n)), []);
});

test('agrees with a Python transcription of open-r1 evaluate_code on the verification_info records', async () => {
  const res = await codeResults;
  // Skipped: sum-huge-output (open-r1 buffers until the timeout: GBs in memory) and sum-writes-outside (the oracle
  // would really write outside). Both are 0 for open-r1 by timeout resp. 1.0 in its VM; see the header.
  const cases = records.map((r, i) => ({ r, i })).filter(({ r }) => r.verification_info && !['sum-huge-output', 'sum-writes-outside'].includes(r.id as string));
  const oracle = String.raw`
import json, re, subprocess, sys
def extract(text):
    found = re.findall(r"${'```'}python\n(.*?)${'```'}", text, re.DOTALL)
    return found[-1] if found else ""
def evaluate(code, cases, timeout):
    passed = 0
    for case in cases:
        p = subprocess.run([sys.executable, "-c", code], input=case["input"], text=True, capture_output=True, timeout=timeout)
        if p.returncode != 0:
            continue
        out = p.stdout.strip()
        if all(a.strip() == b.strip() for a, b in zip(out.split("\n"), case["output"].split("\n"))):
            passed += 1
    return passed / len(cases)
for line in sys.stdin:
    rec = json.loads(line)
    try:
        score = evaluate(extract(rec["completion"]), rec["verification_info"]["test_cases"], ${TIMEOUT})
    except Exception:
        score = 0.0   # the sandbox returns no number: open-r1 records 0.0
    print(score)
`;
  const r = spawnSync('python3', ['-c', oracle], { input: cases.map(({ r }) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n').map(Number);
  assert.equal(theirs.length, cases.length);
  cases.forEach(({ r: rec, i }, k) => assert.ok(Math.abs((res[i]?.score ?? NaN) - (theirs[k] ?? NaN)) < 1e-9, `${rec.id as string}: ours ${res[i]?.score}, open-r1 ${theirs[k]}`));
});

test('environment stripped, HOME/TMPDIR in the scratch folder, memory limit applied', async () => {
  const F = '```';
  const probe = `${F}python\nimport os, tempfile\nprint(sorted(os.environ))\nprint(os.environ['HOME'] == os.getcwd() == os.path.realpath(tempfile.gettempdir()))\nx = bytearray(600 * 1024 * 1024)\nprint('allocated')\n${F}`;
  const { code: c } = createCodeRewards({ limits: { timeoutSeconds: TIMEOUT, memoryMb: 256 } });
  const rec = { verification_info: { language: 'python', test_cases: [{ input: '', output: 'x', type: 'stdin_stdout' }] } };
  const [out] = await c.score([{ index: 0, prompt: null, completion: probe, gold: undefined, dataSource: null, record: rec }], new AbortController().signal);
  const t = (out?.detail as unknown as CodeOutcome).tests[0];
  assert.ok((t?.got ?? '').startsWith("['HOME', 'LANG', 'LC_ALL', 'MKL_NUM_THREADS', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'PATH', 'TEMP', 'TMP', 'TMPDIR']\nTrue\n"), t?.got);
  assert.match(t?.stderrTail ?? '', /MemoryError/);
  assert.doesNotMatch(t?.got ?? '', /allocated/);
});

test('cancel stops a running program at once and rejects with AbortError', async () => {
  const F = '```';
  const { code: c } = createCodeRewards({ limits: { timeoutSeconds: 30 } });
  const rec = { verification_info: { language: 'python', test_cases: [{ input: '', output: 'x', type: 'stdin_stdout' }] } };
  const ac = new AbortController();
  const t0 = performance.now();
  const p = c.score([{ index: 0, prompt: null, completion: `${F}python\nwhile True:\n    pass\n${F}`, gold: undefined, dataSource: null, record: rec }], ac.signal);
  setTimeout(() => ac.abort(), 800);
  await assert.rejects(p, { name: 'AbortError' });
  assert.ok(performance.now() - t0 < 5000, 'well before the 30 s timeout');
});

test('escape attempts are refused and reported: processes, os.open for writing, ctypes, deleting, patching the runner', async () => {
  const F = '```';
  const program = [
    'import os, subprocess, sys',
    'attempts = [',
    "    ('process', lambda: subprocess.run(['true'])),",
    "    ('os.open', lambda: os.open('/tmp/rollout-lens-escape-2.txt', os.O_WRONLY | os.O_CREAT)),",
    "    ('ctypes', lambda: __import__('ctypes').CDLL(None)),",
    "    ('remove', lambda: os.remove(os.path.expanduser('~/../../rollout-lens-not-there'))),",
    "    ('patch', lambda: setattr(sys.modules['__main__'], '_inside', lambda p: True)),",
    ']',
    'for name, f in attempts:',
    '    try:',
    '        f()',
    "        print(name, 'done')",
    '    except Exception as e:',
    "        print(name, type(e).__name__)",
    "open('/tmp/rollout-lens-escape-3.txt', 'w')",
  ].join('\n');
  const { code: c } = createCodeRewards({ limits: { timeoutSeconds: TIMEOUT } });
  const rec = { verification_info: { language: 'python', test_cases: [{ input: '', output: 'x', type: 'stdin_stdout' }] } };
  const [out] = await c.score([{ index: 0, prompt: null, completion: `${F}python\n${program}\n${F}`, gold: undefined, dataSource: null, record: rec }], new AbortController().signal);
  const t = (out?.detail as unknown as CodeOutcome).tests[0];
  console.log(`  got: ${JSON.stringify(t?.got)}; blocked: ${JSON.stringify(t?.blocked)}`);
  assert.match(t?.got ?? '', /^process PermissionError\nos\.open PermissionError\nctypes PermissionError\nremove PermissionError\npatch done\n/);
  assert.equal(t?.blocked.length, 5, 'four refusals above plus the final open()');
  assert.equal(t?.exitCode, 1, 'the last, uncaught refusal ends the program');
  assert.ok(!existsSync('/tmp/rollout-lens-escape-2.txt') && !existsSync('/tmp/rollout-lens-escape-3.txt'));
});
