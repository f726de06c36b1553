// Recorded vs recomputed on real traces: the OpenR1-Math trace scored 1.0 with unfinished reasoning, the GSM8K
// traces whose logged score disagrees with the accuracy pipeline, and a constructed 2√2 vs 2 gold misparse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreRun } from '../../../src/node/scoring/score-run';
import { compareRecorded, recordedValue } from '../../../src/core/scoring/disagreement';
import type { Sample } from '../../../src/core/types';

import { REAL, needFixtures } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

test('OpenR1-Math: the trace rewarded 1.0 without closing its reasoning disagrees, reason "no closing think"', { skip: needFixtures(REAL) }, async () => {
  const r = await scoreRun(join(REAL, 'reward-kit/openr1_math_regenerated_think_traces.jsonl'), { rewards: ['accuracy', 'format'], lang: 'auto', keepResults: true });
  assert.equal(r.scored, 54);
  assert.equal(r.compared, 'accuracy');
  const first = r.results?.get(0);
  assert.ok(first, 'record 1 scored');
  assert.equal(first.reward, 1);
  assert.equal(first.scores.accuracy, 0);
  assert.equal(first.disagreement?.direction, 'recorded-1-recomputed-0');
  assert.equal(first.disagreement?.reason, 'no closing think');
  // Every disagreement explains itself and matches its direction.
  assert.ok(r.disagreements.length >= 1);
  for (const { index, disagreement: d } of r.disagreements) {
    assert.ok(d.reason.length > 0);
    const line = r.results?.get(index);
    assert.equal(d.recomputed, line?.scores.accuracy);
    assert.equal(d.recorded, line?.reward);
    assert.ok(d.direction === 'recorded-1-recomputed-0' ? d.recorded === 1 && d.recomputed === 0 : d.recorded === 0 && d.recomputed === 1);
  }
});

test('GSM8K: disagreements come in both directions with answer-vs-gold reasons', { skip: needFixtures(REAL) }, async () => {
  const r = await scoreRun(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), { rewards: ['accuracy'], lang: 'auto', keepResults: true });
  assert.equal(r.scored, 100);
  const agree = [...(r.results?.values() ?? [])].filter((l) => l.reward !== null && l.scores.accuracy !== null && !l.disagreement).length;
  assert.ok(agree > 80, `most samples agree (${agree})`);
  for (const { disagreement: d } of r.disagreements) assert.match(d.reason, /answer .* (≠|=) gold|no closing think|no answer found/);
});

test('a bare-LaTeX gold 2\\sqrt{2}: boxed 2 rewarded 1 by the log is a disagreement with the answer in the reason', async () => {
  await withTempDir(async ({ dir }) => {
    const rows = [
      { prompt: 'Find the diagonal of a unit square times 2.', completion: '<think>\nIt is 2 sqrt 2, roughly 2.\n</think>\nThe answer is \\boxed{2}.', solution: '2\\sqrt{2}', reward: 1 },
      { prompt: 'Find the diagonal of a unit square times 2.', completion: '<think>\nd = 2\\sqrt{2}.\n</think>\nThe answer is \\boxed{2\\sqrt{2}}.', solution: '2\\sqrt{2}', reward: 0 },
      { prompt: 'What is 3+4?', completion: '<think>\n3+4=7\n</think>\n\\boxed{7}', solution: '7', reward: 1 },
    ];
    const path = join(dir, 'r.jsonl');
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = await scoreRun(path, { rewards: ['accuracy'], lang: 'en', keepResults: true, run: { fields: { gold: 'solution' } } });
    assert.equal(r.disagreements.length, 2);
    const [a, b] = r.disagreements;
    assert.equal(a.index, 0);
    assert.equal(a.disagreement.direction, 'recorded-1-recomputed-0');
    assert.match(a.disagreement.reason, /^answer 2 ≠ gold 2\\sqrt\{2\}/);
    assert.equal(b.index, 1);
    assert.equal(b.disagreement.direction, 'recorded-0-recomputed-1');
    assert.match(b.disagreement.reason, /= gold 2\\sqrt\{2\}/);
  }, 'rl-dis-');
});

test('recorded value: an accuracy component wins over the total; a summed total is not an accuracy verdict', () => {
  const s = (reward: number | null, comps: Record<string, number | null>): Sample => ({ reward, rewardComponents: comps } as unknown as Sample);
  assert.deepEqual(recordedValue(s(1.5, { accuracy_reward: 1, format_reward: 0.5 }), 'accuracy'), { field: 'accuracy_reward', value: 1 });
  assert.equal(recordedValue(s(1.5, { format_reward: 0.5 }), 'accuracy'), null);
  assert.deepEqual(recordedValue(s(0.25, {}), 'my_fn'), { field: 'reward', value: 0.25 });
  // Non-binary rewards (a user function) disagree when the values differ beyond 1e-6.
  assert.equal(compareRecorded(s(0.25, {}), 'my_fn', 0.25 + 1e-9, () => 'x'), null);
  assert.equal(compareRecorded(s(0.25, {}), 'my_fn', 0.5, () => 'x')?.direction, 'differs');
});
