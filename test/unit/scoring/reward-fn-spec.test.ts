// `path[:name]` as --reward-fn and Use My Reward Function… take it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRewardFnSpec, rewardFnColumn } from '../../../src/core/scoring/reward-fn-spec';

test('path[:name]: language by extension, optional function, Windows drive letters kept in the path', () => {
  assert.deepEqual(parseRewardFnSpec('rewards/judge.py'), { path: 'rewards/judge.py', name: null, language: 'python' });
  assert.deepEqual(parseRewardFnSpec('rewards/judge.py:exact_match'), { path: 'rewards/judge.py', name: 'exact_match', language: 'python' });
  assert.deepEqual(parseRewardFnSpec('C:\\work\\r.ts:score'), { path: 'C:\\work\\r.ts', name: 'score', language: 'typescript' });
  assert.deepEqual(parseRewardFnSpec('C:\\work\\r.mjs'), { path: 'C:\\work\\r.mjs', name: null, language: 'javascript' });
  assert.equal(rewardFnColumn(parseRewardFnSpec('/a/b/my_reward.py')), 'my_reward');
  assert.equal(rewardFnColumn(parseRewardFnSpec('/a/b/my_reward.py:f')), 'f');
  assert.throws(() => parseRewardFnSpec('r.txt'), /\.py, \.js/);
  assert.throws(() => parseRewardFnSpec('r.py:not a name'), /not a function name/);
  assert.throws(() => parseRewardFnSpec(''), /missing reward function path/);
});
