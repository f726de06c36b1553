import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeAdvantages, resolveAdvantages } from '../../../src/core/groups/advantages';
import { GroupBuilder } from '../../../src/core/groups/group-builder';
import { fixture, group, load } from '../formats/helpers';

/** Groups from a list of group labels per sample. */
function groupsOf(labels: string[]): ReturnType<GroupBuilder['finish']> {
  const b = new GroupBuilder();
  for (const l of labels) b.add({ step: 1, split: null, groupKey: l, groupKeySource: 'explicit', promptKey: null });
  return b.finish();
}
const close = (a: ArrayLike<number>, b: number[], eps = 1e-9): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(b[i])) assert.ok(Number.isNaN(a[i]), `[${i}] ${a[i]} is not NaN`);
    else assert.ok(Math.abs(a[i] - b[i]) < eps, `[${i}] ${a[i]} ≠ ${b[i]}`);
  }
};

test('grpo (TRL): (r − mean)/(sample std + 1e-4)', () => {
  // [1, 0, 1, 0]: mean .5, sample std = sqrt(1/3) = 0.5773502692.
  const d = 0.5773502691896258 + 1e-4;
  close(computeAdvantages([1, 0, 1, 0], groupsOf(['a', 'a', 'a', 'a']), 'grpo'), [0.5 / d, -0.5 / d, 0.5 / d, -0.5 / d]);
});

test('grpo-verl: ε 1e-6; single member: mean 0, std 1', () => {
  const d = Math.SQRT1_2 + 1e-6; // [2, 1]: std = 0.70710678
  close(computeAdvantages([2, 1, 0.8], groupsOf(['a', 'a', 'b']), 'grpo-verl'), [0.5 / d, -0.5 / d, 0.8 / (1 + 1e-6)]);
});

test('grpo single member: std forced 0 → advantage 0', () => {
  close(computeAdvantages([0.8], groupsOf(['a']), 'grpo'), [0]);
});

test('drgrpo and rloo', () => {
  const g = groupsOf(['a', 'a', 'a', 'b']);
  close(computeAdvantages([1, 0, 2, 5], g, 'drgrpo'), [0, -1, 1, 0]);
  // rloo: r − mean(others): 1 − 1 = 0, 0 − 1.5, 2 − 0.5; single → 0.
  close(computeAdvantages([1, 0, 2, 5], g, 'rloo'), [0, -1.5, 1.5, 0]);
});

test('null / NaN rewards are excluded from the mean and get no advantage', () => {
  const g = groupsOf(['a', 'a', 'a']);
  // Valid [1, 0]: mean .5, std .7071.
  const d = Math.SQRT1_2 + 1e-4;
  close(computeAdvantages([1, null, 0], g, 'grpo'), [0.5 / d, Number.NaN, -0.5 / d]);
  close(computeAdvantages([Number.NaN, 1, 0], g, 'drgrpo'), [Number.NaN, 0.5, -0.5]);
});

test('TRL parity: recomputing the TRL fixture reproduces the logged advantages', () => {
  const { samples } = load(fixture('trl.jsonl'));
  const g = group(samples);
  const adv = computeAdvantages(samples.map((s) => s.reward), g, 'grpo');
  // The fixture's writer replaced NaN with 0 like TRL; no total is NaN here (format_reward is set).
  samples.forEach((s, i) => assert.ok(Math.abs(adv[i] - (s.advantage ?? 0)) < 1e-6, `${i}: ${adv[i]} vs ${s.advantage}`));
});

test('resolve: logged wins, file errors when absent, auto picks the format estimator, singletons not recomputed', () => {
  const g = { ...groupsOf(['a', 'a']), keySource: 'explicit' as const };
  const logged = resolveAdvantages({ logged: [0.3, -0.3], rewards: [1, 0], groups: g, choice: 'auto', format: 'trl' });
  assert.ok(!('error' in logged));
  assert.equal(logged.source, 'file');
  assert.deepEqual([...logged.values], [0.3, -0.3]);
  assert.deepEqual(resolveAdvantages({ logged: [null, null], rewards: [1, 0], groups: g, choice: 'file', format: 'trl' }), { error: 'the file logs no advantage (--advantage file)' });
  const verl = resolveAdvantages({ logged: [null, null], rewards: [1, 0], groups: g, choice: 'auto', format: 'verl' });
  assert.ok(!('error' in verl));
  assert.equal(verl.source, 'computed:grpo-verl');
  const mixed = resolveAdvantages({ logged: [0.3, null], rewards: [1, 0], groups: g, choice: 'auto', format: 'trl' });
  assert.ok(!('error' in mixed));
  assert.equal(mixed.source, 'file+computed:grpo');
  const forced = resolveAdvantages({ logged: [0.3, -0.3], rewards: [1, 0], groups: g, choice: 'drgrpo', format: 'trl' });
  assert.ok(!('error' in forced));
  assert.deepEqual([...forced.values], [0.5, -0.5]);
  const single = resolveAdvantages({ logged: [null, null], rewards: [1, 0], groups: { ...groupsOf(['a', 'b']), keySource: 'none' }, choice: 'auto', format: 'trl' });
  assert.ok(!('error' in single));
  assert.equal(single.source, 'none');
});
