// A prompt's history across steps, trends over steps, the one-step chart data and run/step comparison, on the
// demo verl run folder (4 prompts × 4 samples at steps 1, 2 and 10), checked against sums computed here
// straight from the JSONL lines (no run model involved on that side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunSession } from '../../../src/node/viewer/run-session';
import { normalisePrompt, promptKey } from '../../../src/core/viewer/history';
import { compareSides, overlay } from '../../../src/core/viewer/compare';
import { chartAggregatesForStep, stepTrends } from '../../../src/core/viewer/trends';
import { stepPoints } from '../../../src/core/viewer/aggregates';
import { FLAG_KIND_NAMES } from '../../../src/protocol/viewer-protocol';

const RUN = join(__dirname, '..', '..', '..', 'demo', 'verl');
interface Row { input: string; score: number; output: string; step: number }
const rowsOf = (step: number): Row[] => readFileSync(join(RUN, `${step}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
const ROWS = new Map([1, 2, 10].map((s) => [s, rowsOf(s)]));

/** Mean score of the rows of `step` whose input is `input` (computed from the raw lines). */
function meanOf(step: number, input: string): number {
  const xs = (ROWS.get(step) ?? []).filter((r) => r.input === input).map((r) => r.score);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

async function open(path: string): Promise<RunSession> {
  const s = new RunSession(path, { analyse: true });
  await s.scan();
  return s;
}

test('promptKey: whitespace and Unicode form do not make a new prompt; the text does', () => {
  assert.equal(normalisePrompt('  What is\n 2+2?\t'), 'What is 2+2?');
  assert.equal(promptKey('What is 2+2?'), promptKey('What is\n2+2?  '));
  assert.equal(promptKey('caf\u00e9'), promptKey('cafe\u0301'));
  assert.notEqual(promptKey('What is 2+2?'), promptKey('What is 2+3?'));
  assert.equal(promptKey(null), null);
  assert.equal(promptKey('   '), null);
});

test('history: a prompt at every step of the run folder, its group and its rewards there', async () => {
  const s = await open(RUN);
  const m = s.model;
  assert.ok(m);
  const inputs = [...new Set(rowsOf(1).map((r) => r.input))];
  assert.equal(inputs.length, 4);
  for (const input of inputs) {
    // The first sample of this prompt at step 2, found by its raw record.
    let from = -1;
    for (let i = 0; i < m.count && from < 0; i++) {
      const raw = await s.rawRecord(i);
      if ((raw?.value as unknown as Row).input === input && m.columns.step[i] === 2) from = i;
    }
    const h = await s.history(from);
    assert.ok(h);
    assert.equal(h.from, from);
    assert.equal(h.prompt, input);
    assert.deepEqual(h.steps.map((x) => x.step), [1, 2, 10]);
    for (const st of h.steps) {
      assert.equal(st.count, 4);
      assert.equal(st.groups.length, 1, 'one GRPO group of this prompt per step');
      assert.equal(st.rewardMean, meanOf(st.step as number, input));
      for (const i of st.samples) assert.equal(m.columns.step[i], st.step);
      const g = st.groups[0];
      assert.ok(st.samples.every((i) => m.groups.grouping.groupOf[i] === g));
      const lens = (ROWS.get(st.step as number) ?? []).filter((r) => r.input === input).map((r) => r.output.length);
      assert.equal(st.lengthMean, lens.reduce((a, b) => a + b, 0) / lens.length);
    }
    assert.equal(h.recurringPrompts, 4);
  }
  // The demo is made so that prompts improve: at least one prompt's mean reward rises from step 1 to 10.
  const rising = inputs.filter((p) => meanOf(10, p) > meanOf(1, p));
  assert.ok(rising.length >= 1);
  await s.close();
});

test('trends: flag rates per step are the per-step flag counts over the step size; one-step charts hold only that step', async () => {
  const s = await open(RUN);
  const m = s.model;
  assert.ok(m);
  const pts = stepPoints(m);
  const tr = s.trends();
  assert.deepEqual(tr.map((t) => t.step), [1, 2, 10]);
  for (const [k, t] of tr.entries()) {
    assert.equal(t.count, 16);
    for (const f of FLAG_KIND_NAMES) assert.equal(t.flagRates[f], pts[k].flags[f] / pts[k].count);
    let any = 0;
    for (let i = 0; i < m.count; i++) if (m.columns.step[i] === t.step && m.columns.flagBits[i] !== 0) any++;
    assert.equal(t.anyFlagRate, any / 16);
    const scores = ROWS.get(t.step as number)?.map((r) => r.score) ?? [];
    // Welford's running mean: equal up to rounding.
    assert.ok(Math.abs((t.rewardMean ?? NaN) - scores.reduce((a, b) => a + b, 0) / scores.length) < 1e-12);
  }
  // Without the any-flag map the rate falls back to the most frequent kind (a lower bound).
  assert.ok(stepTrends(pts).every((t, k) => t.anyFlagRate <= tr[k].anyFlagRate));
  const one = chartAggregatesForStep(m, 10);
  assert.equal(one.reward?.counts.reduce((a, b) => a + b, 0), 16);
  assert.deepEqual(one.steps.map((p) => p.step), [10]);
  assert.ok(one.scatter.every((p) => m.columns.step[p.sample] === 10));
  assert.deepEqual(s.steps(), [1, 2, 10]);
  assert.equal(s.aggregatesFor({ kind: 'all' }).reward?.counts.reduce((a, b) => a + b, 0), 48);
  await s.close();
});

test('compare two steps of one run, and the same two steps as two runs: the same moved prompts', async () => {
  const run = await open(RUN);
  const a = await run.compareSide('step 1', 1);
  const b = await run.compareSide('step 10', 10);
  const r = compareSides(a.side, b.side, { preview: (k) => a.previews.get(k) ?? '' });
  assert.equal(r.a.samples, 16);
  assert.equal(r.b.samples, 16);
  assert.equal(r.sharedPrompts, 4);
  assert.equal(r.moved.length, 4);
  for (const p of r.moved) {
    const input = rowsOf(1).find((x) => promptKey(x.input) === p.key)?.input;
    assert.ok(input !== undefined, 'every moved prompt is a prompt of the file');
    assert.equal(p.meanA, meanOf(1, input));
    assert.equal(p.meanB, meanOf(10, input));
    assert.equal(p.delta, p.meanB - p.meanA);
    assert.ok(p.preview.length > 0);
    assert.ok(p.samplesA.every((i) => run.model?.columns.step[i] === 1));
    assert.ok(p.samplesB.every((i) => run.model?.columns.step[i] === 10));
  }
  for (let k = 1; k < r.moved.length; k++) assert.ok(Math.abs(r.moved[k - 1].delta) >= Math.abs(r.moved[k].delta), 'largest change first');
  const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length;
  assert.equal(r.a.rewardMean, mean(rowsOf(1).map((x) => x.score)));
  assert.equal(r.b.rewardMean, mean(rowsOf(10).map((x) => x.score)));
  assert.ok(r.reward);
  assert.equal(r.reward.countsA.reduce((x, y) => x + y, 0), 16);
  assert.equal(r.reward.countsB.reduce((x, y) => x + y, 0), 16);
  assert.deepEqual(r.reward.edges.length, r.reward.countsA.length + 1);

  const f1 = await open(join(RUN, '1.jsonl'));
  const f10 = await open(join(RUN, '10.jsonl'));
  const x = await f1.compareSide('1.jsonl', 'all');
  const y = await f10.compareSide('10.jsonl', 'all');
  const r2 = compareSides(x.side, y.side);
  assert.deepEqual(r2.moved.map((p) => [p.key, p.delta]), r.moved.map((p) => [p.key, p.delta]));
  assert.deepEqual(r2.reward, r.reward);
  for (const s of [run, f1, f10]) await s.close();
});

test('overlay: shared edges over both ranges', () => {
  const o = overlay([0, 0.5, 1], [2, 3], 4);
  assert.ok(o);
  assert.deepEqual(o.edges, [0, 0.75, 1.5, 2.25, 3]);
  assert.deepEqual(o.countsA, [2, 1, 0, 0]);
  assert.deepEqual(o.countsB, [0, 0, 1, 1]);
  assert.equal(overlay([], [], 4), null);
});
