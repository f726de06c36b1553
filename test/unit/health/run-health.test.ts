// Run health (src/core/run/health.ts): a rate that jumps at one step is found there and nothing else is; flat
// noisy runs give no finding; the demo (3 steps) is not tested; the CLI prints, returns and gates on findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { syntheticRun, type StepSpec } from '../../support/synthetic-run';
import { writeHealthRun } from '../../support/health-run-file';
import { PROJECT_ROOT } from '../../support/fixtures';
import { changePoints, runHealth, MIN_STEPS } from '../../../src/core/run/health';
import { loadRun } from '../../../src/node/load-run';
import { cli } from '../../support/cli';
import type { FlagKind } from '../../../src/core/types';
import { withTempDir } from '../../support/temp-dir';

const FLAT: StepSpec = { pass: 0.5, flags: { 'language-mix': 0.02, repetition: 0.05, truncated: 0.03, format: 0.1 }, length: 1500 };

for (const [kind, at, from, to] of [['language-mix', 40, 0.01, 0.15], ['truncated', 71, 0.03, 0.12], ['format', 25, 0.1, 0.02]] as [FlagKind, number, number, number][]) {
  test(`a 100-step run whose ${kind} rate goes from ${from} to ${to} at step ${at}: that kind, at that step, nothing else`, () => {
    const m = syntheticRun({ steps: 100, groups: 8, size: 8, seed: at, spec: (s) => ({ ...FLAT, flags: { ...FLAT.flags, [kind]: s >= at ? to : from } }) });
    const h = runHealth(m);
    assert.deepEqual(h.findings.map((f) => f.kind), [kind], JSON.stringify(h.findings.map((f) => f.message)));
    const f = h.findings[0];
    assert.ok(Math.abs(f.step - at) <= 5, `found at step ${f.step}`);
    assert.ok(Math.abs(f.before - from) < 0.03 && Math.abs(f.after - to) < 0.04, `${f.before} → ${f.after}`);
    assert.equal(f.direction, to > from ? 'rose' : 'fell');
    assert.match(f.message, new RegExp(`${to > from ? 'rose' : 'fell'} from .* at step ${f.step}$`));
    assert.ok(f.p <= 0.001);
    assert.ok(f.examples.length > 0 && f.examples.length <= 5);
    // Examples come from the steps after the change and show the flag (a fall shows the flags that remain).
    for (const e of f.examples) {
      assert.ok(e.step !== null && e.step >= f.step, `example from step ${e.step}`);
      assert.equal(e.file, 'synthetic.jsonl');
    }
  });
}

test('mean reward, mean length and the zero-variance share: each found where it changes', () => {
  const reward = runHealth(syntheticRun({ steps: 100, groups: 8, size: 8, seed: 3, spec: (s) => ({ ...FLAT, pass: s >= 60 ? 0.8 : 0.4 }) }));
  assert.ok(reward.findings.some((f) => f.kind === 'reward' && Math.abs(f.step - 60) <= 5 && f.direction === 'rose'), JSON.stringify(reward.findings.map((f) => f.message)));
  // All right or all wrong more often once the pass rate nears 0.8 and prompts spread: the zero-variance share follows.
  assert.ok(reward.findings.every((f) => f.kind === 'reward' || f.kind === 'zero-variance'));
  const length = runHealth(syntheticRun({ steps: 100, groups: 8, size: 8, seed: 4, spec: (s) => ({ ...FLAT, length: s >= 30 ? 2400 : 1500 }) }));
  assert.deepEqual(length.findings.map((f) => [f.kind, f.direction]), [['length', 'rose']]);
  assert.ok(Math.abs(length.findings[0].step - 30) <= 5);
  assert.match(length.findings[0].message, /mean completion length rose from 1,\d{3} chars to 2,\d{3} chars at step \d+/);
});

test('flat noisy runs (80 seeds, small and large steps, prompts of uneven difficulty): no finding', () => {
  const hits: string[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    for (const [groups, size] of [[2, 4], [8, 8]]) {
      const h = runHealth(syntheticRun({ steps: 100, groups, size, seed: seed * 101 + groups, spec: () => FLAT }));
      assert.equal(h.tested.length, 8);
      for (const f of h.findings) hits.push(`seed ${seed} ${groups}×${size}: ${f.message} (p ${f.p})`);
    }
  }
  assert.deepEqual(hits, []);
});

test('a 400-step run (tested on 200 bins of two steps): the jump is still placed at its step', () => {
  const m = syntheticRun({ steps: 400, groups: 4, size: 4, seed: 9, spec: (s) => ({ ...FLAT, flags: { ...FLAT.flags, repetition: s >= 251 ? 0.2 : 0.05 } }) });
  const h = runHealth(m);
  assert.deepEqual(h.findings.map((f) => f.kind), ['repetition'], JSON.stringify(h.findings.map((f) => f.message)));
  assert.ok(Math.abs(h.findings[0].step - 251) <= 3, `step ${h.findings[0].step}`);
  assert.equal(h.findings[0].range.beforeFrom, 1);
  assert.equal(h.findings[0].range.afterTo, 400);
});

test('change points: a constant series and a short one give nothing; a clean step is found exactly', () => {
  const steps = Array.from({ length: 40 }, (_, i) => i + 1);
  const n = new Float64Array(40).fill(50);
  const constant = { steps, n, sum: new Float64Array(40).fill(10), sumsq: new Float64Array(40).fill(10) };
  assert.deepEqual(changePoints(constant, 'rate'), []);
  const short = { steps: steps.slice(0, MIN_STEPS - 1), n: n.slice(0, MIN_STEPS - 1), sum: new Float64Array(MIN_STEPS - 1), sumsq: new Float64Array(MIN_STEPS - 1) };
  assert.deepEqual(changePoints(short, 'rate'), []);
  const sum = Float64Array.from(steps, (s) => (s >= 25 ? 20 : 5));
  const cps = changePoints({ steps, n, sum, sumsq: sum }, 'rate');
  assert.equal(cps.length, 1);
  assert.equal(steps[cps[0].at], 25);
  assert.equal(cps[0].before, 0.1);
  assert.equal(cps[0].after, 0.4);
});

test('the demo run (3 steps) is not tested, and says so', async () => {
  const m = await loadRun(join(PROJECT_ROOT, 'demo', 'verl'), { analyse: true });
  const h = runHealth(m);
  assert.equal(h.steps, 3);
  assert.deepEqual(h.findings, []);
  assert.match(h.note, /not tested: the run has 3 steps/);
});

test('CLI: summary prints the finding, --json gives health[], --fail-on health[:<kind>] gates on it', async () => {
  await withTempDir(async ({ dir }) => {
    const file = join(dir, 'run.jsonl');
    writeHealthRun(file, { steps: 100, pass: (s) => (s >= 50 ? 0.8 : 0.3) });
    const j = cli(['summary', file, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const s = JSON.parse(j.stdout) as { health: { kind: string; step: number; before: number; after: number; message: string; examples: { sample: number; line: number | null }[] }[] };
    assert.deepEqual(s.health.map((f) => f.kind), ['reward']);
    const f = s.health[0];
    assert.ok(Math.abs(f.step - 50) <= 5, `step ${f.step}`);
    assert.ok(f.before < 0.4 && f.after > 0.7);
    assert.ok(f.examples.length === 5 && f.examples.every((e) => typeof e.line === 'number'));
    const text = cli(['summary', file]);
    assert.match(text.stdout, /^health\s+mean reward rose from 0\.\d+ to 0\.\d+ at step \d+ — 5 examples \(line \d+/m);
    assert.equal(cli(['summary', file, '--fail-on', 'health']).code, 1);
    assert.equal(cli(['summary', file, '--fail-on', 'health:reward']).code, 1);
    assert.equal(cli(['summary', file, '--fail-on=health:length,health:truncated']).code, 0);
    const bad = cli(['summary', file, '--fail-on', 'health:nonsense']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown health kind 'nonsense'/);
    assert.equal(cli(['score', file, '--fail-on', 'health']).code, 2);
  }, 'rl-health-');
});
