// `rollout-lens score --reward-fn path[:name]` through the real CLI: the function's column in --json, errors per
// sample in `errors`, the disagreement with the recorded score, the scored copy with `rollout_lens`, and exit code 2
// for a reward function that cannot be used (missing file, bad name, import error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { PROJECT_ROOT as ROOT } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

const VERL = join(ROOT, 'demo', 'verl', '10.jsonl');

test('--reward-fn with a verl compute_score: column, per-sample errors, disagreement, scored copy', { timeout: 60000 }, async () => {
  await withTempDir(async ({ dir }) => {
    writeFileSync(join(dir, 'judge.py'), [
      'def compute_score(data_source, solution_str, ground_truth, extra_info):',
      '    if "</think>" not in solution_str:',
      '        raise RuntimeError("unfinished")',
      '    return 1.0 if ("<answer>%s</answer>" % ground_truth) in solution_str else 0.0',
    ].join('\n'));
    const out = join(dir, 'scored.jsonl');
    const r = cli(['score', VERL, '--json', '--rewards', 'accuracy', '--reward-fn', join(dir, 'judge.py'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[judge\] loaded compute_score \(verl signature\)/);
    const input = readFileSync(VERL, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output: string; gts: string; score: number });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { scores: Record<string, number | null>; errors?: Record<string, string>; disagreement?: { reward: string; recorded: number; recomputed: number } });
    assert.equal(lines.length, input.length);
    input.forEach((rec, i) => {
      const l = lines[i];
      if (!rec.output.includes('</think>')) {
        assert.equal(l.scores.judge, null);
        assert.match(l.errors?.judge ?? '', /RuntimeError: unfinished/);
      } else {
        const v = rec.output.includes(`<answer>${rec.gts}</answer>`) ? 1 : 0;
        assert.equal(l.scores.judge, v, `line ${i + 1}`);
        assert.equal(l.disagreement !== undefined, v !== rec.score, `line ${i + 1} disagreement`);
        if (l.disagreement) assert.equal(l.disagreement.reward, 'judge');
      }
    });
    const copy = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rollout_lens: { scores: Record<string, unknown> } });
    assert.equal(copy.length, input.length);
    assert.ok(copy.every((c) => 'judge' in c.rollout_lens.scores));
  }, 'rl-cli-rfn-');
});

test('a reward function that cannot be used is a usage error (exit 2) and writes nothing', { timeout: 60000 }, async () => {
  await withTempDir(async ({ dir }) => {
    const out = join(dir, 'scored.jsonl');
    let r = cli(['score', VERL, '--json', '--reward-fn', join(dir, 'missing.py'), '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--reward-fn: .*missing\.py: no such file/);
    writeFileSync(join(dir, 'broken.py'), 'import not_a_module_anywhere\n');
    r = cli(['score', VERL, '--json', '--reward-fn', join(dir, 'broken.py'), '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ModuleNotFoundError/);
    r = cli(['score', VERL, '--reward-fn', join(dir, 'broken.txt')]);
    assert.equal(r.code, 2);
    r = cli(['score', VERL, '--reward-fn', join(dir, 'broken.py') + ':no such']);
    assert.equal(r.code, 2);
    assert.equal(existsSync(out), false);
  }, 'rl-cli-rfn-');
});
