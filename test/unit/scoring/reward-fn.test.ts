// The user's own reward functions, run out of process over a real demo file (verl step 2, 16 samples): Python in
// both signatures (TRL and verl), a function that raises on one sample, one that hangs (stopped by the timeout),
// JS and TypeScript modules, and load errors that stop the run with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../support/temp-dir';
import { scoreRun } from '../../../src/node/scoring/score-run';
import { createUserReward, RewardFnLoadError } from '../../../src/node/reward-fn/user-reward';

const VERL = join(__dirname, '..', '..', '..', 'demo', 'verl', '2.jsonl');
const records = readFileSync(VERL, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output: string; gts: string; score: number });

/** What the test functions compute, in TypeScript, to check the subprocess results against. */
function containsGold(r: { output: string; gts: string }): number {
  return r.output.includes(`<answer>${r.gts}</answer>`) ? 1 : 0;
}

async function scoreWith(spec: string, opts: { timeoutMs?: number; batchSize?: number } = {}) {
  const logs: string[] = [];
  const reward = createUserReward(spec, { pythonPath: 'python3', timeoutMs: opts.timeoutMs ?? 20000, log: (t) => logs.push(t) });
  try {
    const r = await scoreRun(VERL, { rewards: ['accuracy'], lang: 'auto', batchRewards: [reward], keepResults: true, batchSize: opts.batchSize });
    return { r, logs, name: reward.name };
  } finally {
    await reward.dispose();
  }
}

test('Python, TRL signature f(prompts, completions, **kwargs): rescoring the fixture, kwargs carry the record columns', async () => {
  await withTempDir(async (t) => {
    t.file('trl_reward.py', [
      'def exact_answer(prompts, completions, **kwargs):',
      '    assert len(prompts) == len(completions) == len(kwargs["gts"]) == len(kwargs["ground_truth"])',
      '    print("batch of", len(completions))',
      '    return [1.0 if ("<answer>%s</answer>" % g) in c else 0.0 for c, g in zip(completions, kwargs["gts"])]',
      '',
      'def helper(x):',
      '    return x',
    ].join('\n'));
    const { r, logs, name } = await scoreWith(join(t.dir, 'trl_reward.py:exact_answer'), { batchSize: 5 });
    assert.equal(name, 'exact_answer');
    assert.equal(r.scored, records.length);
    records.forEach((rec, i) => assert.equal(r.results?.get(i)?.scores.exact_answer, containsGold(rec), `sample ${i}`));
    assert.equal(r.compared, 'exact_answer');
    // The user's print went to the log (stderr), not into the protocol.
    assert.ok(logs.some((l) => l.includes('batch of 5')), logs.join('\n'));
    assert.ok(logs.some((l) => /trl signature/.test(l)));
    // Disagreements are exactly the samples where the recorded score differs.
    const expected = records.map((rec, i) => (rec.score !== containsGold(rec) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(r.disagreements.map((d) => d.index), expected);
  });
});

test('Python, verl signature compute_score(data_source, solution_str, ground_truth, extra_info), returning a dict', async () => {
  await withTempDir(async (t) => {
    t.file('verl_reward.py', [
      'def compute_score(data_source, solution_str, ground_truth, extra_info=None):',
      '    assert isinstance(extra_info, dict)',
      '    return {"score": 1.0 if ("<answer>%s</answer>" % ground_truth) in solution_str else 0.0, "acc": True}',
    ].join('\n'));
    const { r, logs } = await scoreWith(join(t.dir, 'verl_reward.py'));
    assert.ok(logs.some((l) => /compute_score \(verl signature\)/.test(l)), logs.join('\n'));
    records.forEach((rec, i) => assert.equal(r.results?.get(i)?.scores.verl_reward, containsGold(rec), `sample ${i}`));
  });
});

test('a function that raises on one sample marks that sample and scores the rest (both signatures)', async () => {
  await withTempDir(async (t) => {
    const bad = records.findIndex((rec) => rec.output.includes('25/3'));
    assert.ok(bad >= 0);
    t.file('raises_verl.py', [
      'def compute_score(data_source, solution_str, ground_truth, extra_info):',
      '    if "25/3" in solution_str:',
      '        raise ValueError("cannot parse 25/3")',
      '    return 1.0',
    ].join('\n'));
    t.file('raises_trl.py', [
      'def fussy(prompts, completions, **kwargs):',
      '    for c in completions:',
      '        if "25/3" in c:',
      '            raise ZeroDivisionError("fussy")',
      '    return [0.5 for _ in completions]',
    ].join('\n'));
    for (const [spec, col, ok, err] of [[join(t.dir, 'raises_verl.py'), 'raises_verl', 1, /ValueError: cannot parse 25\/3 \(raises_verl\.py:3\)/], [join(t.dir, 'raises_trl.py:fussy'), 'fussy', 0.5, /ZeroDivisionError: fussy/]] as const) {
      const { r } = await scoreWith(spec);
      assert.equal(r.scored, records.length);
      assert.equal(r.errors[col], 1);
      const failed = r.results?.get(bad);
      assert.equal(failed?.scores[col], null);
      assert.match(failed?.errors?.[col] ?? '', err);
      for (let i = 0; i < records.length; i++) if (i !== bad) assert.equal(r.results?.get(i)?.scores[col], ok, `${col} sample ${i}`);
    }
  });
});

test('a function that hangs is stopped by the timeout; its samples are marked and the run finishes', async () => {
  await withTempDir(async (t) => {
    t.file('hangs.py', [
      'import time',
      'def compute_score(data_source, solution_str, ground_truth, extra_info):',
      '    if "1024" in solution_str:',
      '        while True:',
      '            time.sleep(0.1)',
      '    return 1.0',
    ].join('\n'));
    const t0 = Date.now();
    const { r, logs } = await scoreWith(join(t.dir, 'hangs.py'), { timeoutMs: 1500, batchSize: 4 });
    const ms = Date.now() - t0;
    assert.equal(r.scored, records.length);
    const hanging = new Set(records.map((rec, i) => (rec.output.includes('1024') ? Math.floor(i / 4) : -1)).filter((b) => b >= 0));
    for (let i = 0; i < records.length; i++) {
      const line = r.results?.get(i);
      if (hanging.has(Math.floor(i / 4))) {
        assert.equal(line?.scores.hangs, null);
        assert.match(line?.errors?.hangs ?? '', /timed out after 1.5 s/);
      } else {
        assert.equal(line?.scores.hangs, 1, `sample ${i} in a batch without a hang`);
      }
    }
    assert.ok(ms < 1500 * hanging.size + 10000, `took ${ms} ms`);
    assert.ok(logs.some((l) => /timed out/.test(l)));
  });
});

test('JS module and TypeScript module with TRL\'s (prompts, completions, kwargs) signature; a sync endless loop is stopped', async () => {
  await withTempDir(async (t) => {
    t.file('reward.mjs', [
      'export function exactAnswer(prompts, completions, kwargs) {',
      '  console.log(`js batch ${completions.length}`);',
      '  return completions.map((c, i) => (c.includes(`<answer>${kwargs.gts[i]}</answer>`) ? 1 : 0));',
      '}',
    ].join('\n'));
    const js = await scoreWith(join(t.dir, 'reward.mjs'));
    records.forEach((rec, i) => assert.equal(js.r.results?.get(i)?.scores.reward, containsGold(rec), `js sample ${i}`));
    assert.ok(js.logs.some((l) => l.includes('js batch 16')), js.logs.join('\n'));

    t.file('typed.ts', [
      'type Kw = { gts: string[] };',
      'export async function typed(prompts: (string | null)[], completions: string[], kwargs: Kw): Promise<number[]> {',
      '  return completions.map((c: string, i: number): number => (c.includes(`<answer>${kwargs.gts[i]}</answer>`) ? 1 : 0));',
      '}',
    ].join('\n'));
    const ts = await scoreWith(join(t.dir, 'typed.ts'));
    records.forEach((rec, i) => assert.equal(ts.r.results?.get(i)?.scores.typed, containsGold(rec), `ts sample ${i}`));

    t.file('spin.cjs', 'module.exports = { spin(p, c) { if (c.some((x) => x.includes("1024"))) for (;;) {} return c.map(() => 1); } };');
    const spin = await scoreWith(join(t.dir, 'spin.cjs'), { timeoutMs: 1000, batchSize: 8 });
    assert.equal(spin.r.scored, records.length);
    assert.ok(spin.r.errors.spin > 0, 'the looping batches are marked');
    assert.ok([...(spin.r.results?.values() ?? [])].every((l) => l.scores.spin === 1 || /timed out/.test(l.errors?.spin ?? '')));
  });
});

test('a reward function that cannot load stops the run with the reason, and writes nothing', async () => {
  await withTempDir(async (t) => {
    t.file('broken.py', 'import does_not_exist_anywhere\n');
    const reward = createUserReward(join(t.dir, 'broken.py'), { pythonPath: 'python3' });
    const out = join(t.dir, 'scored.jsonl');
    await assert.rejects(scoreRun(VERL, { rewards: [], lang: 'auto', batchRewards: [reward], out }), (e: Error) => e instanceof RewardFnLoadError && /ModuleNotFoundError/.test(e.message));
    await reward.dispose();
    assert.deepEqual(readdirSync(t.dir).filter((f) => f !== 'broken.py'), []);
    const missingPython = createUserReward(join(t.dir, 'broken.py'), { pythonPath: join(t.dir, 'no-such-python') });
    await assert.rejects(scoreRun(VERL, { rewards: [], lang: 'auto', batchRewards: [missingPython] }), /Python interpreter not found/);
    assert.throws(() => createUserReward(join(t.dir, 'nope.py')), /no such file/);
  });
});
