import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GroupBuilder, membersOf, type GroupInput } from '../../../src/core/groups/group-builder';
import { fixture, group, load, loadRecords } from '../formats/helpers';
import { REAL, needFixtures } from '../../support/fixtures';

const inp = (p: Partial<GroupInput>): GroupInput => ({ step: 1, split: null, groupKey: null, groupKeySource: 'none', promptKey: null, ...p });

function build(items: Partial<GroupInput>[], opts = {}): ReturnType<GroupBuilder['finish']> {
  const b = new GroupBuilder(opts);
  for (const i of items) b.add(inp(i));
  return b.finish();
}

test('explicit keys win and need not be adjacent', () => {
  const r = build([{ groupKey: 'a', groupKeySource: 'explicit', promptKey: 'x' }, { groupKey: 'b', groupKeySource: 'explicit', promptKey: 'x' }, { groupKey: 'a', groupKeySource: 'explicit', promptKey: 'y' }]);
  assert.deepEqual([...r.groupOf], [0, 1, 0]);
  assert.equal(r.keySource, 'explicit');
  assert.deepEqual([...membersOf(r, 0)], [0, 2]);
});

test('a row holding the group', () => {
  const { samples } = load(fixture('simplerl.jsonl'));
  const r = group(samples);
  assert.equal(r.count, 1);
  assert.equal(r.keySource, 'row');
});

test('verl: identical prompt within a step, shuffled rows', () => {
  const { samples } = load(fixture('verl-train.jsonl'));
  const r = group(samples);
  assert.deepEqual([...r.groupOf], [0, 1, 0, 1, 0, 1, 0, 1]);
  assert.equal(r.keySource, 'prompt');
  assert.deepEqual(r.size, { min: 4, max: 4 });
});

test('no groups across steps or splits', () => {
  const r = build([{ promptKey: 'p', step: 1 }, { promptKey: 'p', step: 2 }, { promptKey: 'p', step: 1, split: 'val' }, { promptKey: 'p', step: 1 }]);
  assert.deepEqual([...r.groupOf], [0, 1, 2, 0]);
});

test('the scope of the previous sample is reused only for the same step and split', () => {
  // Runs of one step (the cached scope), a return to an earlier step, no step, -0 after 0 and NaN: each sample joins
  // exactly the group a fresh (step, split) lookup gives it.
  const steps = [1, 1, 2, 2, 1, null, null, 0, -0, 0, NaN, NaN, 1];
  const r = build(steps.map((step) => ({ promptKey: 'p', step })));
  assert.deepEqual([...r.groupOf], [0, 0, 1, 1, 0, 2, 2, 3, 3, 3, 4, 4, 0]);
  const s = build([{ promptKey: 'p' }, { promptKey: 'p', split: 'val' }, { promptKey: 'p', split: 'val' }, { promptKey: 'p' }]);
  assert.deepEqual([...s.groupOf], [0, 1, 1, 0]);
});

test('groupBy prompt ignores explicit keys; groupBy field uses only them', () => {
  const items = [{ groupKey: 'a', groupKeySource: 'explicit' as const, promptKey: 'x' }, { groupKey: 'b', groupKeySource: 'explicit' as const, promptKey: 'x' }, { promptKey: 'x' }];
  assert.deepEqual([...build(items, { groupBy: 'prompt' }).groupOf], [0, 0, 0]);
  const f = build(items, { groupBy: { field: 'uid' } });
  assert.deepEqual([...f.groupOf], [0, 1, 2]);
  assert.ok(f.warnings.some((w) => w.includes('1 samples lack the group field')));
});

test('consecutive blocks: forced N, and auto for order-keeping formats without prompts', () => {
  const six = Array.from({ length: 6 }, () => ({}));
  const c = build(six, { groupBy: { consecutive: 3 } });
  assert.deepEqual([...c.groupOf], [0, 0, 0, 1, 1, 1]);
  assert.equal(c.keySource, 'position');
  const auto = build(six, { keepsOrder: true, expectedSize: 2 });
  assert.deepEqual([...auto.groupOf], [0, 0, 1, 1, 2, 2]);
  // Blocks restart per step.
  const steps = build([{ step: 1 }, { step: 1 }, { step: 1 }, { step: 2 }, { step: 2 }], { groupBy: { consecutive: 2 } });
  assert.deepEqual([...steps.groupOf], [0, 0, 1, 2, 2]);
});

test('singletons when nothing identifies a group (and order is not kept)', () => {
  const r = build([{}, {}, {}], { expectedSize: 2 });
  assert.deepEqual([...r.groupOf], [0, 1, 2]);
  assert.equal(r.keySource, 'none');
});

test('k·n prompt groups: contiguous ones are split into runs of n, others kept with a warning', () => {
  const contiguous = build(['a', 'a', 'a', 'a', 'b', 'b'].map((p) => ({ promptKey: p })), { expectedSize: 2 });
  assert.deepEqual([...contiguous.groupOf], [0, 0, 1, 1, 2, 2]);
  assert.ok(contiguous.warnings.some((w) => w.includes('split into runs of 2')));
  const scattered = build(['a', 'b', 'a', 'b', 'a', 'a'].map((p) => ({ promptKey: p })), { expectedSize: 2 });
  assert.deepEqual([...scattered.groupOf], [0, 1, 0, 1, 0, 0]);
  assert.ok(scattered.warnings.some((w) => w.includes('not contiguous')));
  assert.ok(scattered.warnings.some((w) => w.includes('group sizes differ')));
});

test('excluded samples get group −1', () => {
  const b = new GroupBuilder();
  for (const p of ['a', 'a', 'a', 'a']) b.add(inp({ promptKey: p, step: 1 }));
  b.exclude(Uint8Array.from([0, 0, 1, 1]));
  const r = b.finish();
  assert.deepEqual([...r.groupOf], [0, 0, -1, -1]);
  assert.equal(r.groupMembers.length, 2);
});

test('real verifiers: 15 samples, 5 groups of 3 by example_id, non-adjacent', { skip: needFixtures(REAL) }, () => {
  const recs = loadRecords(join(REAL, 'verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl'));
  const { det, samples } = load(recs);
  assert.equal(det.format, 'verifiers');
  assert.equal(samples.length, 15);
  const r = group(samples, { expectedSize: 3 });
  assert.equal(r.count, 5);
  assert.equal(r.keySource, 'explicit');
  assert.deepEqual(r.size, { min: 3, max: 3 });
  assert.deepEqual([...membersOf(r, 0)], [0, 5, 10]);
});

test('real RLLoggingBoard: 3000 samples, groups = same prompt within a step', { skip: needFixtures(REAL) }, () => {
  const { det, samples } = load(loadRecords(join(REAL, 'rl-logging-board/eval_poem_task_data.jsonl')));
  assert.equal(det.format, 'rllogging-board');
  assert.equal(samples.length, 3000);
  const r = group(samples);
  assert.equal(r.keySource, 'prompt');
  // Every group lies within one step and shares one prompt.
  for (let g = 0; g < r.count; g++) {
    const m = [...membersOf(r, g)];
    assert.equal(new Set(m.map((i) => samples[i].step)).size, 1);
    assert.equal(new Set(m.map((i) => samples[i].prompt)).size, 1);
  }
  const steps = new Set(samples.map((s) => s.step));
  assert.ok(r.count >= steps.size);
});

test('real reward-kit: 54 and 100 samples, singleton groups', { skip: needFixtures(REAL) }, () => {
  for (const [file, n] of [['openr1_math_regenerated_think_traces.jsonl', 54], ['gsm8k_regenerated_think_traces.jsonl', 100]] as const) {
    const { det, samples } = load(loadRecords(join(REAL, 'reward-kit', file)));
    assert.equal(det.format, 'reward-kit');
    assert.equal(samples.length, n);
    const r = group(samples);
    assert.equal(r.count, n);
    assert.deepEqual(r.size, { min: 1, max: 1 });
  }
});
