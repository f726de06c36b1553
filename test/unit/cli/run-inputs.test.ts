// `summary` on the container kinds users point it at: a run folder of step files, TRL parquet, NeMo-RL list-wrapped
// JSONL, and a TRL dump whose batch was logged again under a later step (counted once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { PROJECT_ROOT as ROOT } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

interface Summary {
  format: string;
  samples: number;
  steps: number[];
  groups: { count: number; keySource: string; size: { min: number; max: number }; zeroVariance: number };
  advantage: { source: string | null };
  flags: Record<string, number>;
  notes?: string[];
}

function summary(path: string): Summary {
  const r = cli(['summary', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Summary;
}

test('a verl run folder is one run: steps sorted numerically, groups never cross steps', () => {
  const s = summary(join(ROOT, 'demo/verl'));
  assert.equal(s.format, 'verl');
  assert.deepEqual(s.steps, [1, 2, 10]);
  assert.equal(s.samples, 48);
  assert.equal(s.groups.count, 12, 'four prompts per step, regrouped per step');
  assert.deepEqual(s.groups.size, { min: 4, max: 4 });
  assert.equal(s.advantage.source, 'computed:grpo-verl');
  assert.ok(s.flags['language-mix'] > 0 && s.flags.truncated > 0);
});

test('TRL parquet is read with hyparquet and its logged advantage wins', () => {
  const s = summary(join(ROOT, 'demo/trl/completions/completions_00001.parquet'));
  assert.equal(s.format, 'trl');
  assert.equal(s.samples, 16);
  assert.equal(s.advantage.source, 'file');
  assert.ok(s.notes?.some((n) => /weights assumed/.test(n)));
});

test('NeMo-RL list-wrapped values are unwrapped', () => {
  const s = summary(join(ROOT, 'demo/nemo-rl/train_data_step1.jsonl'));
  assert.equal(s.format, 'nemo-rl');
  assert.equal(s.samples, 16);
  assert.equal(s.groups.zeroVariance, 1);
});

test('a TRL batch logged again under a later step is counted once', async () => {
  await withTempDir(async ({ dir }) => {
    const rows = (step: number): string[] => [0, 1, 2, 3].map((k) => JSON.stringify({
      step, prompt: `Q${Math.floor(k / 2)}`, completion: `<think>t${k}</think><answer>${k}</answer>`, accuracy_reward: k % 2, advantage: k % 2 ? 0.7 : -0.7,
    }));
    const path = join(dir, 'trl.jsonl');
    writeFileSync(path, [...rows(5), ...rows(6), ''].join('\n'));
    const s = summary(path);
    assert.equal(s.format, 'trl');
    assert.equal(s.samples, 4, 'the re-logged step 6 batch is not counted again');
    assert.deepEqual(s.steps, [5]);
  }, 'rl-relog-');
});
