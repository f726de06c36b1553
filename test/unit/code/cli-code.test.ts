// `rollout-lens score --rewards code,binary_code --json` on the code fixtures: the real CLI entry, real subprocesses.
// Expected scores per record are derived in sandbox.test.ts (open-r1 code_reward semantics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../../support/cli';

interface Line {
  record: number;
  scores: Record<string, number | null>;
  errors?: Record<string, string>;
  tests?: { index: number; passed: boolean; timedOut: boolean; reason: string; expected: string; got: string }[];
  details?: { code?: { tests: unknown[]; source: string } };
}

const parse = (out: string): Line[] => out.trim().split('\n').map((l) => JSON.parse(l) as Line);

test('score --json: scores.code, scores.binary_code and the tests array for every record', () => {
  const r = cli(['score', 'test/fixtures/code/code-rl.jsonl', '--json', '--rewards', 'code,binary_code,format']);
  assert.equal(r.code, 0, r.stderr);
  const lines = parse(r.stdout);
  assert.equal(lines.length, 13);
  const code = lines.map((l) => Math.round((l.scores.code ?? NaN) * 1000) / 1000);
  assert.deepEqual(code, [1, 0.333, 0.667, 0, 0, 0, 1, 0, 1, 1, 0.667, 1, 0.667]);
  assert.deepEqual(lines.map((l) => l.scores.binary_code), [1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
  assert.ok(lines.every((l) => typeof l.scores.format === 'number'), 'rule-based rewards still computed beside it');
  const wrong = lines[1];
  assert.equal(wrong?.tests?.length, 3);
  assert.deepEqual(wrong?.tests?.map((t) => t.passed), [false, true, false]);
  assert.equal(wrong?.tests?.[0]?.reason, 'line 1: got "-1", expected "3"');
  const loop = lines[3];
  assert.equal(loop?.tests?.[0]?.timedOut, true);
  assert.equal(lines[7]?.tests?.length, 0, 'no code block: no test ran');
});

test('score on a verl dump: tests from the gts JSON string; the recorded score disagrees on the hard-coded answer', () => {
  const r = cli(['score', 'test/fixtures/code/code-verl.jsonl', '--json', '--rewards', 'code']);
  assert.equal(r.code, 0, r.stderr);
  const [a, b] = parse(r.stdout);
  assert.equal(a?.scores.code, 1);
  assert.equal(b?.scores.code, 0.5, 'print(3) passes "1 2" and fails "5 0"');
  assert.equal(a?.details?.code?.source, 'gts (verl dump)');
});

test('a record without tests: code is null with the reason, the run goes on', () => {
  const r = cli(['score', 'test/fixtures/formats/generic.jsonl', '--json', '--rewards', 'code']);
  assert.equal(r.code, 0, r.stderr);
  const [first] = parse(r.stdout);
  assert.equal(first?.scores.code, null);
  assert.equal(first?.errors?.code, 'no test cases in the record');
});
