// The run model's trajectory columns on a real agentic run, through the same loader as the viewer and the CLI
// (parallel range workers): list filters and sorts, and the reward-by-tool-calls chart data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadRun } from '../../../src/node/load-run';
import { filterSamples, sortSamples } from '../../../src/core/viewer/sample-query';
import { rewardByToolCalls } from '../../../src/core/viewer/tool-aggregates';
import { fixture, needFixtures } from '../../support/fixtures';

const WIKI = fixture('real2', 'verifiers-wiki-search', 'results.jsonl');

test('wiki-search: tool filters, sort by calls and reward per call count agree with the writer\'s counts', { skip: needFixtures(WIKI) }, async () => {
  const rows = readFileSync(WIKI, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { total_tool_calls: number; read_section_calls: number; reward: number });
  const model = await loadRun(WIKI, { analyse: true, workers: true });
  assert.deepEqual(Array.from(model.trajectories.toolCalls), rows.map((r) => r.total_tool_calls));
  const ctx = { model };
  const atLeast5 = filterSamples(ctx, { minToolCalls: 5 });
  assert.equal(atLeast5.length, rows.filter((r) => r.total_tool_calls >= 5).length);
  const reads = filterSamples(ctx, { toolName: 'read_section' });
  assert.equal(reads.length, rows.filter((r) => r.read_section_calls > 0).length);
  assert.equal(filterSamples(ctx, { toolName: 'no_such_tool' }).length, 0);
  const errors = filterSamples(ctx, { toolError: true });
  assert.ok(errors.length > 0 && errors.length < 100);
  const sorted = sortSamples(model, filterSamples(ctx, {}), 'toolCalls', true);
  assert.equal(model.trajectories.toolCalls[sorted[0]], Math.max(...rows.map((r) => r.total_tool_calls)));
  const chart = rewardByToolCalls(model);
  assert.ok(chart);
  assert.equal(chart.bins.reduce((n, b) => n + b.count, 0), 100);
  const three = chart.bins.find((b) => b.value === 3);
  const withThree = rows.filter((r) => r.total_tool_calls === 3);
  assert.equal(three?.count, withThree.length);
  assert.ok(Math.abs((three?.rewardMean ?? -1) - withThree.reduce((s, r) => s + r.reward, 0) / withThree.length) < 1e-9);
});
