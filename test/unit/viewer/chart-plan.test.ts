// Which charts are drawn for the data at hand (src/core/viewer/chart-plan.ts), on real runs: a single-step file
// with 0/1 rewards, the demo run of three steps, and a file without groups or advantages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fixture, needFixtures, PROJECT_ROOT } from '../../support/fixtures';
import { loadRun } from '../../../src/node/load-run';
import { chartAggregates, groupBox } from '../../../src/core/viewer/aggregates';
import { chartAggregatesForStep } from '../../../src/core/viewer/trends';
import { chartPlan, notDrawnLine } from '../../../src/core/viewer/chart-plan';

const QWEN = fixture('real2', 'qwen25-math-rm-maj', 'math_cot_100.jsonl');

test('Qwen2.5-Math (no steps, 0/1 rewards): pass counts and strip drawn, box plots and charts over steps not', { skip: needFixtures(QWEN) }, async () => {
  const m = await loadRun(QWEN, { analyse: false });
  const plan = chartPlan(chartAggregates(m));
  assert.equal(plan['pass-counts'], null);
  assert.equal(plan['group-strip'], null);
  assert.equal(plan['adv-hist'], null);
  assert.match(plan['group-box'] ?? '', /few values/);
  for (const id of ['trends', 'reward-steps', 'length-steps', 'zv-steps', 'flags-steps'] as const) assert.equal(plan[id], 'the file has no steps');
  assert.equal(notDrawnLine(plan), 'Not drawn: charts over steps (the file has no steps).');
  // The strip's cells: every member, best reward first.
  const b = groupBox(m, 0);
  assert.equal(b.cells?.length, 8);
  const r = (b.cells ?? []).map((c) => c.reward ?? -1);
  assert.deepEqual(r, [...r].sort((x, y) => y - x));
});

test('demo run: every chart over steps is drawn; one step selected leaves them out', async () => {
  const m = await loadRun(join(PROJECT_ROOT, 'demo', 'verl'), { analyse: true });
  const all = chartPlan(chartAggregates(m));
  assert.deepEqual(Object.entries(all).filter(([, why]) => why !== null).map(([id]) => id), ['group-box', 'turn-reward', 'tool-reward']);
  assert.equal(notDrawnLine(all), null);
  const one = chartPlan(chartAggregatesForStep(m, 2));
  assert.equal(one['reward-steps'], 'one step only (step 2)');
  assert.equal(one['pass-counts'], null);
});
