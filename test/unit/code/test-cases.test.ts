// Test cases in the shapes code-RL frameworks log, read from the fixture records (test/fixtures/code) and from
// small literal records for the shapes the fixture does not repeat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findTestCases, type TestSuite } from '../../../src/core/code/test-cases';
import type { JsonValue } from '../../../src/core/types';

const fixture = (name: string): Array<Record<string, JsonValue>> =>
  readFileSync(path.resolve('test/fixtures/code', name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, JsonValue>);
const byId = new Map(fixture('code-rl.jsonl').map((r) => [r.id as string, r]));

function suite(record: JsonValue, gold?: JsonValue): TestSuite {
  const s = findTestCases(record, gold);
  assert.ok(s !== null && !('error' in s), `expected tests, got ${JSON.stringify(s)}`);
  return s;
}

test('open-r1 verification_info: stdin/stdout cases and the language', () => {
  const s = suite(byId.get('sum-correct') ?? null);
  assert.equal(s.source, 'verification_info (open-r1)');
  assert.equal(s.language, 'python');
  assert.deepEqual(s.tests[0], { kind: 'stdio', input: '1 2\n', output: '3\n' });
  assert.equal(s.tests.length, 3);
});

test('verl reward_model.ground_truth holding an {"inputs","outputs"} JSON string', () => {
  const s = suite(byId.get('reverse-verl') ?? null);
  assert.equal(s.source, 'reward_model.ground_truth (verl)');
  assert.deepEqual(s.tests.map((t) => t.kind === 'stdio' && t.output), ['cba\n', 'racecar\n', 'dc ba\n']);
});

test('APPS/prime input_output with fn_name: calls with argument lists', () => {
  const s = suite(byId.get('max-gap-call') ?? null);
  assert.deepEqual(s.tests[1], { kind: 'call', fnName: 'max_gap', args: [[3]], expected: [0] });
});

test('DeepCoder/LiveCodeBench functional test_cases: one JSON argument per line, function from metadata', () => {
  const s = suite(byId.get('two-sum-class') ?? null);
  assert.deepEqual(s.tests[0], { kind: 'call', fnName: 'twoSum', args: [[2, 7, 11, 15], 9], expected: [0, 1] });
});

test('MBPP test_list: one assert script per test, with setup code', () => {
  const s = suite(byId.get('is-even-asserts') ?? null);
  assert.deepEqual(s.tests.map((t) => t.kind), ['assert', 'assert', 'assert']);
  const withSetup = suite({ test_list: ['assert f() == 1'], test_setup_code: 'import math' });
  assert.deepEqual(withSetup.tests[0], { kind: 'assert', script: 'import math\nassert f() == 1' });
});

test('HumanEval test + entry_point: one check() script', () => {
  const s = suite({ test: 'def check(candidate):\n    assert candidate(1) == 2\n', entry_point: 'inc' });
  assert.equal(s.tests.length, 1);
  assert.match(s.tests[0]?.kind === 'assert' ? s.tests[0].script : '', /check\(inc\)$/);
});

test('verl dump: the gts column (mapped as the gold) holds the JSON string', () => {
  const [rec] = fixture('code-verl.jsonl');
  const s = suite(rec ?? null);
  assert.equal(s.source, 'gts (verl dump)');
  assert.equal(s.tests.length, 2);
  // the same tests given only as the reader's gold value
  const g = suite({ output: 'x' }, rec?.gts);
  assert.equal(g.source, 'gold');
});

test('verification_info as a JSON string, and outputs given as lists of lines', () => {
  const s = suite({ verification_info: JSON.stringify({ language: 'Python', test_cases: [{ input: ['1', '2'], output: ['3', '4'], type: 'stdin_stdout' }] }) });
  assert.equal(s.language, 'python');
  assert.deepEqual(s.tests[0], { kind: 'stdio', input: '1\n2', output: '3\n4' });
});

test('records without tests give null; unreadable test fields give a reason', () => {
  assert.equal(findTestCases({ prompt: 'p', completion: 'c', reward: 1 }), null);
  assert.equal(findTestCases({ reward_model: { ground_truth: '42' } }, '42'), null);
  const bad = findTestCases({ input_output: JSON.stringify({ inputs: ['1'], outputs: [] }) });
  assert.deepEqual(bad, { error: 'input_output (APPS/TACO/prime): 1 inputs but 0 outputs' });
});
