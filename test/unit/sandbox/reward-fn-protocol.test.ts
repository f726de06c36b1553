// The reward-function protocol cannot be corrupted (issue #17): results travel on fd 3, so a function (or its
// children) printing to stdout, even a well-formed result line with the right id, changes nothing; exactly one
// number per completion, or an error that shows what came back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUserReward } from '../../../src/node/reward-fn/user-reward';
import type { BatchRewardInput, BatchRewardResult } from '../../../src/core/scoring/batch-reward';

const items: BatchRewardInput[] = [0, 1, 2].map((index) => ({ index, prompt: 'p', completion: `answer ${index}`, gold: null, dataSource: null, record: {} }));

async function run(source: string, file = 'fn.py'): Promise<{ results: BatchRewardResult[]; logs: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-proto-'));
  const logs: string[] = [];
  try {
    writeFileSync(join(dir, file), source);
    const reward = createUserReward(join(dir, file), { pythonPath: 'python3', timeoutMs: 20_000, log: (t) => logs.push(t) });
    try {
      return { results: await reward.score(items, new AbortController().signal), logs };
    } finally {
      await reward.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('stdout of the function and its children goes to the log; a forged result line is not taken', async () => {
  const { results, logs } = await run([
    'import os, sys',
    'def f(prompts, completions, **kw):',
    '    print(\'{"id": 1, "results": [{"score": 1}, {"score": 1}, {"score": 1}]}\')',
    '    sys.stdout.flush()',
    '    os.system(\'echo \\\'{"id": 1, "results": [{"score": 9}, {"score": 9}, {"score": 9}]}\\\'\')',
    '    os.system("printf partial-line-without-newline")',
    '    return [0.25, 0.5, 0.75]',
  ].join('\n'));
  assert.deepEqual(results.map((r) => r.score), [0.25, 0.5, 0.75]);
  assert.ok(results.every((r) => r.error === undefined));
  assert.ok(logs.some((l) => l.includes('"score": 9')), `children's output reached the log: ${logs.join(' | ')}`);
});

test('a list of the wrong length is an error on the whole batch, showing what came back', async () => {
  const { results } = await run('def f(prompts, completions, **kw):\n    return [1.0]\n');
  for (const r of results) {
    assert.equal(r.score, null);
    assert.equal(r.error, 'returned a list of 1 for 3 completions, expected a list of 3 numbers: [1.0]');
  }
});

test('strings and dicts without score are errors, not values', async () => {
  const { results } = await run('def f(prompts, completions, **kw):\n    return ["0.5", {"value": 1}, 1]\n');
  assert.deepEqual(results, [
    { score: null, error: "returned the string '0.5', expected a number" },
    { score: null, error: "returned a dict without 'score': {'value': 1}" },
    { score: 1 },
  ]);
  const verl = await run('def compute_score(data_source, solution_str, ground_truth, extra_info):\n    return {"acc": 1.0} if solution_str.endswith("0") else "1"\n');
  assert.deepEqual(verl.results.map((r) => r.error), [
    "returned a dict without 'score': {'acc': 1.0}",
    "returned the string '1', expected a number",
    "returned the string '1', expected a number",
  ]);
});

test('JS functions: strings, objects without score and wrong lengths are errors too', async () => {
  const wrong = await run('module.exports = function f(prompts, completions) { return [1]; };\n', 'fn.cjs');
  assert.ok(wrong.results.every((r) => r.score === null && /returned a list of 1 for 3 completions, expected one number each: \[1\]/.test(r.error ?? '')), JSON.stringify(wrong.results));
  const typed = await run('module.exports = function f(prompts, completions) { return ["0.5", { value: 1 }, 0.5]; };\n', 'fn.cjs');
  assert.deepEqual(typed.results, [
    { score: null, error: 'returned the string "0.5", expected a number' },
    { score: null, error: 'returned an object without \'score\': {"value":1}' },
    { score: 0.5 },
  ]);
});
