// Reward by number of assistant turns / tool calls (src/core/viewer/count-reward.ts, docs/turn-charts.md): the
// bins, the top bin chosen from the data, means, spread, counts and pass rates on hand-built columns, and on the
// two real multi-turn files against the writers' own fields (verl-hecate's `<tool_call>` openings and `score`,
// wiki-search's assistant messages, `total_tool_calls` and `reward`). Each bar's click filter lists its samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chooseBinning, countBinFilter, MAX_BINS, rewardByCount, wilson } from '../../../src/core/viewer/count-reward';
import { chartAggregates } from '../../../src/core/viewer/aggregates';
import { chartAggregatesForStep } from '../../../src/core/viewer/trends';
import { filterSamples } from '../../../src/core/viewer/sample-query';
import { chartPlan } from '../../../src/core/viewer/chart-plan';
import { loadRun } from '../../../src/node/load-run';
import type { RunModel } from '../../../src/core/run/run-builder';
import type { CountRewardChart } from '../../../src/protocol/viewer-protocol';
import { fixture, needFixtures } from '../../support/fixtures';

const VERL = fixture('real2', 'verl-hecate', '2.jsonl');
const WIKI = fixture('real2', 'verifiers-wiki-search', 'results.jsonl');
const WORDLE = fixture('real', 'verifiers');
const QWEN = fixture('real2', 'qwen25-math-rm-maj', 'math_cot_100.jsonl');

const close = (a: number | null, b: number, what: string): void => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
}

/** Each bar's samples by brute force: bar b holds the counts equal to its value, or ≥ it for the top bin. */
function checkAgainst(chart: CountRewardChart, counts: number[], rewards: number[]): void {
  assert.equal(chart.bins.reduce((n, b) => n + b.count, 0), counts.length, 'every sample is in one bin');
  assert.deepEqual(chart.bins.map((b) => b.value), chart.bins.map((_, j) => chart.bins[0].value + j), 'consecutive bins');
  assert.equal(chart.bins[0].value, Math.min(...counts), 'the first bin is the lowest count');
  assert.ok(chart.bins.length <= MAX_BINS);
  assert.ok(chart.bins.slice(0, -1).every((b) => !b.orMore), 'only the last bin gathers a tail');
  for (const b of chart.bins) {
    const idx = counts.map((_, i) => i).filter((i) => (b.orMore ? counts[i] >= b.value : counts[i] === b.value));
    assert.equal(b.count, idx.length, `count of bin ${b.value}`);
    const rs = idx.map((i) => rewards[i]).filter(Number.isFinite);
    assert.equal(b.rewarded, rs.length);
    if (rs.length === 0) {
      assert.equal(b.rewardMean, null);
      continue;
    }
    close(b.rewardMean, mean(rs), `mean of bin ${b.value}`);
    close(b.rewardStd, std(rs), `std of bin ${b.value}`);
    assert.equal(b.rewardMin, Math.min(...rs));
    assert.equal(b.rewardMax, Math.max(...rs));
    if (chart.passThreshold !== null) {
      close(b.passRate, rs.filter((r) => r > (chart.passThreshold ?? 0)).length / rs.length, `pass rate of bin ${b.value}`);
      assert.ok(b.passLow !== null && b.passHigh !== null && b.passLow <= (b.passRate ?? -1) && (b.passRate ?? 2) <= b.passHigh, `interval of bin ${b.value}`);
    }
  }
}

test('hand-built run: one bin per count from the lowest, means, std, min/max and counts per bin', () => {
  const counts = [1, 1, 2, 2, 2, 3, 5, 5];
  const rewards = [0, 1, 1, 1, Number.NaN, 0.5, 0, 0];
  const c = rewardByCount('turns', counts, rewards);
  assert.ok(c);
  // 8 samples: the tail allowance is one sample, and the top count (5) holds two: no top bin.
  assert.deepEqual(c.bins.map((b) => [b.value, b.orMore, b.count, b.rewarded]), [[1, false, 2, 2], [2, false, 3, 2], [3, false, 1, 1], [4, false, 0, 0], [5, false, 2, 2]]);
  assert.deepEqual(c.bins.map((b) => b.rewardMean), [0.5, 1, 0.5, null, 0]);
  assert.deepEqual(c.bins.map((b) => b.rewardStd), [0.5, 0, 0, null, 0]);
  // Rewards {0, 0.5, 1}: few levels, right = above 0.5.
  assert.equal(c.passThreshold, 0.5);
  assert.equal(c.meanIsPassRate, false);
  assert.deepEqual(c.bins.map((b) => b.passRate), [0.5, 1, 0, null, 0]);
  checkAgainst(c, counts, rewards);
});

test('hand-built run: a long tail goes into one top bin "≥ k", never more than MAX_BINS bars', () => {
  // 200 samples with 0–3 calls, then one sample each at 7, 19 and 40: the tail (≤ 1 % = 2 samples) starts at 8.
  const counts = [...Array.from({ length: 200 }, (_, i) => i % 4), 7, 19, 40];
  const rewards = counts.map((_, i) => (i % 3 === 0 ? 1 : 0));
  const c = rewardByCount('toolCalls', counts, rewards);
  assert.ok(c);
  assert.equal(c.bins.length, 9);
  const top = c.bins[c.bins.length - 1];
  assert.deepEqual([top.value, top.orMore, top.count], [8, true, 2]);
  assert.equal(c.bins[7].count, 1, '7 calls keeps its own bar');
  assert.equal(c.meanIsPassRate, true, 'rewards 0/1: the mean is the pass rate');
  checkAgainst(c, counts, rewards);
  // A heavy tail (every count from 0 to 40 equally often) is cut at MAX_BINS bars.
  const flat = Array.from({ length: 41 * 5 }, (_, i) => i % 41);
  const f = rewardByCount('toolCalls', flat, flat.map((x) => x / 40));
  assert.ok(f);
  assert.equal(f.bins.length, MAX_BINS);
  assert.deepEqual([f.bins[MAX_BINS - 1].value, f.bins[MAX_BINS - 1].orMore], [MAX_BINS - 1, true]);
  assert.equal(f.passThreshold, null, 'continuous rewards: no pass rate');
  assert.ok(f.bins.every((b) => b.passRate === null));
  checkAgainst(f, flat, flat.map((x) => x / 40));
});

test('wilson: the 95 % interval of a pass rate, not zero-wide for a bin of one or of none right', () => {
  const near = (x: { passLow: number; passHigh: number }, lo: number, hi: number): void => assert.ok(Math.abs(x.passLow - lo) < 1e-4 && Math.abs(x.passHigh - hi) < 1e-4, JSON.stringify(x));
  near(wilson(1, 1), 0.2065, 1);
  near(wilson(0, 10), 0, 0.2775);
  near(wilson(50, 100), 0.4038, 0.5962);
});

test('chooseBinning: the top bin starts where the small tail does; a tail of the last count only is its own bar; subsets', () => {
  // One sample at 4 after ten at 1: "≥ 2" holds it, instead of empty bars for 2 and 3.
  assert.deepEqual(chooseBinning(1, [10, 0, 0, 1]), { lo: 1, top: 2, orMore: true });
  assert.deepEqual(chooseBinning(1, [10, 5, 1]), { lo: 1, top: 3, orMore: false });
  assert.deepEqual(chooseBinning(0, [200, 50, 1, 1]), { lo: 0, top: 2, orMore: true });
  assert.deepEqual(chooseBinning(0, [100, 50, 1, 1]), { lo: 0, top: 3, orMore: false });
  assert.deepEqual(chooseBinning(3, []), { lo: 3, top: 3, orMore: false });
  assert.equal(rewardByCount('turns', [], []), null);
  const sub = rewardByCount('turns', [1, 4, 2, 4], [0, 1, 1, 0], [1, 3]);
  assert.ok(sub);
  assert.deepEqual(sub.bins.map((b) => [b.value, b.count, b.rewardMean]), [[4, 2, 0.5]]);
});

function chartsOf(model: RunModel): { turns: CountRewardChart; tools: CountRewardChart } {
  const a = chartAggregates(model);
  assert.ok(a.turns, 'turns chart');
  assert.ok(a.tools, 'tool-calls chart');
  const plan = chartPlan(a);
  assert.equal(plan['turn-reward'], null);
  assert.equal(plan['tool-reward'], null);
  return { turns: a.turns, tools: a.tools };
}

/** Clicking a bar lists exactly the bar's samples. */
function checkFilters(model: RunModel, chart: CountRewardChart): void {
  for (const b of chart.bins) assert.equal(filterSamples({ model }, countBinFilter(chart, b)).length, b.count, `filter of bin ${b.value}`);
}

test('verl-hecate: tool calls per bin = the <tool_call> openings of the text, reward = score', { skip: needFixtures(VERL) }, async () => {
  const rows = readFileSync(VERL, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output: string; score: number });
  const model = await loadRun(VERL, { analyse: true, workers: true });
  const { turns, tools } = chartsOf(model);
  const calls = rows.map((r) => r.output.split('<tool_call>').length - 1);
  const scores = rows.map((r) => r.score);
  checkAgainst(tools, calls, scores);
  // 0–12 calls, 8 samples with 6 or more (0.8 %): bars 0…5 and "≥ 6".
  assert.deepEqual(tools.bins.map((b) => `${b.orMore ? '≥' : ''}${b.value}:${b.count}`), ['0:52', '1:422', '2:364', '3:111', '4:54', '5:13', '≥6:8']);
  assert.equal(tools.meanIsPassRate, true);
  checkAgainst(turns, Array.from(model.trajectories.turns), scores);
  assert.deepEqual([turns.bins[0].value, turns.bins[turns.bins.length - 1].value], [1, 5], 'turns 1–5 (docs/agentic.md)');
  checkFilters(model, tools);
  checkFilters(model, turns);
  // The file is one step (2): that step's charts are the run's.
  const step = chartAggregatesForStep(model, 2);
  assert.deepEqual(step.tools, tools);
  assert.deepEqual(step.turns, turns);
  assert.equal(chartAggregatesForStep(model, 3).tools, null, 'a step without samples has no chart');
});

test('wiki-search: turns per bin = assistant messages, tool calls = total_tool_calls, reward = the writer\'s', { skip: needFixtures(WIKI) }, async () => {
  interface Row { completion: { role: string }[]; total_tool_calls: number; reward: number }
  const rows = readFileSync(WIKI, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  const model = await loadRun(WIKI, { analyse: true, workers: true });
  const { turns, tools } = chartsOf(model);
  const rewards = rows.map((r) => r.reward);
  const assistant = rows.map((r) => r.completion.filter((m) => m.role === 'assistant').length);
  checkAgainst(turns, assistant, rewards);
  checkAgainst(tools, rows.map((r) => r.total_tool_calls), rewards);
  // 100 samples: the tail allowance is one sample and no count above the lowest holds only one, so no top bin.
  assert.deepEqual(tools.bins.map((b) => `${b.value}:${b.count}`), ['3:63', '4:18', '5:5', '6:8', '7:1', '8:1', '9:1', '10:3']);
  assert.deepEqual(turns.bins.map((b) => `${b.value}:${b.count}`), ['4:63', '5:18', '6:5', '7:8', '8:1', '9:1', '10:4']);
  checkFilters(model, tools);
  checkFilters(model, turns);
});

test('single-turn run: no new chart; multi-turn run without tools (wordle): turns only', { skip: needFixtures(WORDLE, QWEN) }, async () => {
  const single = chartAggregates(await loadRun(QWEN, { analyse: true }));
  assert.equal(single.turns, null);
  assert.equal(single.tools, null);
  const wordle = await loadRun(WORDLE, { analyse: true });
  const a = chartAggregates(wordle);
  assert.equal(a.tools, null);
  assert.ok(a.turns);
  checkAgainst(a.turns, Array.from(wordle.trajectories.turns), Array.from(wordle.columns.reward));
});
