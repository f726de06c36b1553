import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupBuilder } from '../../../src/core/groups/group-builder';
import { groupStats, histogram, moments, RunningStats, stepStats } from '../../../src/core/groups/stats';
import { summarise } from '../../../src/core/groups/summarise';
import { resolveAdvantages } from '../../../src/core/groups/advantages';
import { fixture, group, load } from '../formats/helpers';

test('Welford: population and sample std, NaN skipped', () => {
  const s = new RunningStats();
  for (const x of [2, 4, 4, 4, 5, 5, 7, 9, Number.NaN, null]) s.add(x);
  assert.equal(s.count, 8);
  assert.equal(s.mean, 5);
  assert.equal(s.std(), 2);
  assert.ok(Math.abs(s.std(true) - Math.sqrt(32 / 7)) < 1e-12);
  assert.deepEqual([s.min, s.max], [2, 9]);
  assert.equal(moments([null, Number.NaN]), null);
});

test('histogram with fixed bins', () => {
  const h = histogram([0, 0.1, 0.5, 1, 1, null], 2, { min: 0, max: 1 });
  assert.deepEqual([...h.counts], [2, 3]);
  assert.deepEqual([...h.edges], [0, 0.5, 1]);
});

test('zero-variance groups: size ≥ 2, all equal, none missing', () => {
  const b = new GroupBuilder();
  for (const k of ['a', 'a', 'b', 'b', 'c', 'd', 'd']) b.add({ step: 1, split: null, groupKey: k, groupKeySource: 'explicit', promptKey: null });
  const g = b.finish();
  const gs = groupStats([1, 1, 1, 0, 1, 0, null], g);
  assert.deepEqual([...gs.zeroVariance], [1, 0, 0, 0]);
  assert.equal(gs.zeroVarianceCount, 1);
  assert.equal(gs.mean[1], 0.5);
  assert.ok(Math.abs(gs.std[1] - Math.SQRT1_2) < 1e-12, 'group std is the sample std');
});

test('per-step aggregates', () => {
  const b = new GroupBuilder();
  const steps = [1, 1, 2, 2];
  for (let i = 0; i < 4; i++) b.add({ step: steps[i], split: null, groupKey: null, groupKeySource: 'none', promptKey: 'p' });
  const g = b.finish();
  const rewards = [1, 1, 0, 1];
  const st = stepStats(steps, rewards, g.groupOf, g, groupStats(rewards, g), [10, 20, 30, null]);
  assert.deepEqual(st.map((s) => [s.step, s.count, s.rewardMean, s.zeroVarianceShare, s.meanCompletionLength]), [[1, 2, 1, 1, 15], [2, 2, 0.5, 0, 30]]);
});

test('summarise: verl fixture', () => {
  const { det, samples } = load(fixture('verl-train.jsonl'));
  const g = group(samples);
  const rewards = samples.map((s) => s.reward);
  const adv = resolveAdvantages({ logged: samples.map((s) => s.advantage), rewards, groups: g, choice: 'auto', format: det.format });
  assert.ok(!('error' in adv));
  const sum = summarise({ detection: det, rewards, advantages: adv, steps: samples.map((s) => s.step), grouping: g });
  assert.equal(sum.format, 'verl');
  assert.equal(sum.formatReason, 'verl: fields input, output, score, step');
  assert.deepEqual(sum.fields, { prompt: 'input', completion: 'output', reward: 'score', gold: 'gts', step: 'step', group: null, advantage: null });
  assert.equal(sum.samples, 8);
  assert.deepEqual(sum.steps, [37]);
  assert.deepEqual(sum.groups, { count: 2, keySource: 'prompt', size: { min: 4, max: 4 }, zeroVariance: 0 });
  assert.equal(sum.reward?.min, 0);
  assert.equal(sum.advantage.source, 'computed:grpo-verl');
  assert.ok(Math.abs(sum.advantage.mean ?? 1) < 1e-9);
});
