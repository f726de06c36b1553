// Pass counts ("k of N right") on the Qwen2.5-Math file: summary --json, the chart data and the list filter agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, needFixtures } from '../../support/fixtures';
import { groupPassCounts, passCountBins, passCountRecord, rewardLevels } from '../../../src/core/groups/pass-counts';
import { loadRun } from '../../../src/node/load-run';
import { chartAggregates } from '../../../src/core/viewer/aggregates';
import { filterSamples } from '../../../src/core/viewer/sample-query';
import { cli } from '../../support/cli';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../support/temp-dir';

const QWEN = fixture('real2', 'qwen25-math-rm-maj', 'math_cot_100.jsonl');

test('reward levels: binary, few-level and continuous; right = above the midpoint', () => {
  assert.deepEqual(rewardLevels([0, 1, 1, NaN]), { kind: 'binary', values: [0, 1], threshold: 0.5 });
  assert.equal(rewardLevels([-1, 1]).threshold, 0);
  assert.deepEqual(rewardLevels([0, 0.1, 1, 1.1]).kind, 'few');
  assert.equal(rewardLevels([0, 0.1, 1, 1.1]).threshold, 0.55);
  assert.equal(rewardLevels([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).kind, 'continuous');
  assert.equal(rewardLevels([NaN]).kind, 'none');
  // One level: right when it is positive.
  const groups = { count: 1, groupStart: Int32Array.from([0, 3]), groupMembers: Int32Array.from([0, 1, 2]), groupOf: Int32Array.from([0, 0, 0]) };
  assert.deepEqual(Array.from(groupPassCounts([1, 1, 1], groups).k), [3]);
  assert.deepEqual(Array.from(groupPassCounts([0, 0, 0], groups).k), [0]);
  assert.deepEqual(passCountRecord(passCountBins(groupPassCounts([1, NaN, 0], groups))), { '1/2': 1 });
});

test('Qwen2.5-Math (100 groups of 8): 86 at 8/8, 4 at 0/8, 10 mixed — in summary --json, the chart data and the list filter', { skip: needFixtures(QWEN) }, async () => {
  const r = cli(['summary', QWEN, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { groups: { passCounts: Record<string, number> } };
  const pc = s.groups.passCounts;
  assert.equal(pc['8/8'], 86);
  assert.equal(pc['0/8'], 4);
  const mixed = Object.entries(pc).filter(([k]) => k !== '8/8' && k !== '0/8').reduce((a, [, v]) => a + v, 0);
  assert.equal(mixed, 10);
  assert.deepEqual(Object.keys(pc), ['0/8', '1/8', '2/8', '3/8', '4/8', '6/8', '7/8', '8/8']);
  const m = await loadRun(QWEN, { analyse: false });
  const a = chartAggregates(m);
  assert.ok(a.passCounts);
  assert.equal(a.passCounts.levels, 'binary');
  assert.equal(a.passCounts.mixed, 10);
  assert.equal(a.passCounts.total, 100);
  assert.deepEqual(Object.fromEntries(a.passCounts.bins.map((b) => [`${b.k}/${b.n}`, b.groups])), pc);
  // Clicking the 0/8 bar lists the 4 × 8 samples of those groups.
  assert.equal(filterSamples({ model: m }, { passCount: { k: 0, n: 8 } }).length, 32);
  assert.equal(filterSamples({ model: m }, { passCount: { k: 8, n: 8 } }).length, 86 * 8);
});

test('continuous rewards: no pass counts in summary --json nor in the chart data', async () => {
  await withTempDir(async ({ dir }) => {
    const file = join(dir, 'cont.jsonl');
    const rows = Array.from({ length: 16 }, (_, i) => JSON.stringify({ prompt: `p${i % 4}`, completion: `answer ${i}`, reward: i * 0.07, group: `g${i % 4}` }));
    writeFileSync(file, rows.join('\n') + '\n');
    const r = cli(['summary', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { groups: Record<string, unknown> };
    assert.equal(s.groups.count, 4);
    assert.equal('passCounts' in s.groups, false);
    assert.equal(chartAggregates(await loadRun(file, { analyse: false })).passCounts, null);
  }, 'rl-pc-');
});
