// Data-driven parity test: every vector of the shared open-r1 / TRL reward vectors (docs/rewards.md §13.1) must pass for
// the registry reward that names that upstream function. The file is read, not copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COSINE_FUNCTION_DEFAULTS, findUpstreamReward, type RewardInput, type RewardParams } from '../../../src/core/rewards/index';
import { fixture, needFixtures } from '../../support/fixtures';

interface Vector {
  suite: string;
  function: string;
  args: unknown[];
  expected?: number | number[];
  tolerance?: number;
  note?: string;
  throws?: string;
}

const file = fixture('peer', 'reward-vectors.json');
const skip = needFixtures(file);
const vectors = skip ? [] : (JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] }).vectors;

const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The input(s) and parameters of one vector, per the argument conventions of §13.1. */
function cases(v: Vector, project: string): { input: RewardInput; params: RewardParams }[] {
  const fn = v.function.split(' (')[0];
  const a = v.args;
  switch (fn) {
    case 'repetition_penalty_reward':
      return [{ input: { completion: a[0] as string }, params: { ngramSize: a[1] as number, maxPenalty: a[2] as number } }];
    case 'get_repetition_penalty_reward':
      return [{ input: { completion: '', completionTokenIds: a[0] as number[] }, params: { ngramSize: a[1] as number, maxPenalty: a[2] as number } }];
    case 'get_soft_overlong_punishment':
      return [{ input: { completion: '', lengthTokens: a[0] as number }, params: { maxCompletionLen: a[1] as number, softPunishCache: a[2] as number } }];
    case 'cosine_scaled_reward': {
      const len = a[0] as number;
      const params: RewardParams = { ...COSINE_FUNCTION_DEFAULTS };
      for (const [k, val] of Object.entries(a[2] as Record<string, number>)) params[camel(k)] = val;
      const input: RewardInput = project === 'open-r1'
        ? { completion: 'x'.repeat(len), isCorrect: a[1] as boolean }
        : { completion: '', lengthTokens: len, isCorrect: a[1] as boolean };
      return [{ input, params }];
    }
    case 'len_reward': {
      const completions = a[0] as string[];
      const correct = a[1] as boolean[];
      const lengths = completions.map((c) => [...c].length);
      return completions.map((c, i) => ({ input: { completion: c, isCorrect: correct[i] ?? false, groupLengths: lengths }, params: {} }));
    }
    default:
      return [{ input: { completion: a[0] as string }, params: {} }];
  }
}

let passed = 0;
for (const [i, v] of vectors.entries()) {
  const project = v.suite.startsWith('open-r1') ? 'open-r1' : 'trl';
  const fn = v.function.split(' (')[0] ?? v.function;
  test(`vector ${i}: ${project} ${v.function}${v.note ? ` [${v.note}]` : ''}`, () => {
    const def = findUpstreamReward(project, fn);
    assert.ok(def, `no reward reproduces ${project} ${fn}`);
    const cs = cases(v, project);
    if (v.throws !== undefined) {
      for (const c of cs) assert.throws(() => def.score(c.input, c.params), { message: v.throws });
      passed++;
      return;
    }
    const got = cs.map((c) => def.score(c.input, c.params));
    const expected = Array.isArray(v.expected) ? v.expected : [v.expected as number];
    assert.equal(got.length, expected.length);
    got.forEach((g, k) => {
      const e = expected[k] as number;
      assert.ok(typeof g === 'number', `${def.name} returned ${String(g)}`);
      if (v.tolerance === undefined) assert.equal(g, e, `${def.name}: got ${g}, expected ${e}`);
      else assert.ok(Math.abs(g - e) <= v.tolerance, `${def.name}: got ${g}, expected ${e} ± ${v.tolerance}`);
    });
    passed++;
  });
}

test('all reward vectors pass', { concurrency: false, skip }, () => {
  // Runs last in file order; reports the figure.
  console.log(`reward vectors: ${passed}/${vectors.length} passed`);
  assert.equal(vectors.length, 85);
});
