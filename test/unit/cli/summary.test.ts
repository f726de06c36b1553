// `rollout-lens summary` against the CLI contract (cli.md) on every real fixture and on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { sha256 } from '../../support/files';
import { REAL, REAL2, needFixtures } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

interface Summary {
  format: string;
  formatReason: string;
  samples: number;
  badLines: { line: number; error: string }[];
  steps: number[];
  groups: { count: number; keySource: string; size: { min: number; max: number }; zeroVariance: number };
  reward: { mean: number; std: number; min: number; max: number } | null;
  advantage: { source: string | null; mean: number | null; std: number | null };
  flags: Record<string, number>;
  fields: Record<string, string | null>;
}

function summary(path: string, extra: string[] = []): Summary {
  const r = cli(['summary', path, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Summary;
}

const FLAG_KEYS = ['language-mix', 'repetition', 'truncated', 'format', 'tool'];

test('reward-kit OpenR1: 54 singleton samples, 42 truncated, input unchanged', { skip: needFixtures(REAL) }, () => {
  const path = join(REAL, 'reward-kit/openr1_math_regenerated_think_traces.jsonl');
  const before = sha256(path);
  const s = summary(path);
  assert.equal(s.format, 'reward-kit');
  assert.equal(s.samples, 54);
  assert.equal(s.groups.count, 54);
  assert.deepEqual(Object.keys(s.flags).sort(), [...FLAG_KEYS].sort());
  assert.equal(s.flags.truncated, 42);
  assert.equal(s.flags['language-mix'], 0);
  assert.equal(s.reward?.max, 1);
  assert.equal(sha256(path), before, 'the input file must never be written');
});

test('reward-kit GSM8K: 100 samples, 6 truncated', { skip: needFixtures(REAL) }, () => {
  const s = summary(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'));
  assert.equal(s.samples, 100);
  assert.equal(s.flags.truncated, 6);
  assert.equal(s.badLines.length, 0);
});

test('RLLoggingBoard: 3000 samples over 24 steps, grouped by prompt within a step', { skip: needFixtures(REAL) }, () => {
  const s = summary(join(REAL, 'rl-logging-board/eval_poem_task_data.jsonl'));
  assert.equal(s.format, 'rllogging-board');
  assert.equal(s.samples, 3000);
  assert.equal(s.steps.length, 24);
  assert.equal(s.steps[0], 0);
  assert.equal(s.groups.keySource, 'prompt');
  assert.ok(s.groups.count > 0 && s.groups.count <= 3000);
});

test('verifiers vf-eval: 15 samples grouped by example_id (non-adjacent)', { skip: needFixtures(REAL) }, () => {
  const s = summary(join(REAL, 'verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl'));
  assert.equal(s.format, 'verifiers');
  assert.equal(s.samples, 15);
  assert.equal(s.groups.keySource, 'explicit');
  assert.ok(s.groups.count >= 1 && s.groups.count < 15, `groups ${s.groups.count}`);
  assert.ok(s.advantage.source?.startsWith('computed:'), `advantage ${s.advantage.source}`);
});

test('TRL trainer_state.json is explained as not rollouts, exit 3', { skip: needFixtures(REAL) }, () => {
  const r = cli(['summary', join(REAL, 'trl-grpo/trainer_state_gsm8k_checkpoint-1.json'), '--json']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /trainer_state|log_history|not a rollout/i);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('malformed lines are reported with line numbers and the rest loads', async () => {
  await withTempDir(async ({ dir }) => {
    const rows = [
      { input: 'user\nQ1\nassistant\n', output: '<think>a</think><answer>1</answer>', score: 1, step: 1 },
      { input: 'user\nQ1\nassistant\n', output: '<think>b</think><answer>2</answer>', score: 0, step: 1 },
    ];
    const text = [JSON.stringify(rows[0]), '{"input": "broken", "output": ', JSON.stringify(rows[1]), '[1, 2]', ''].join('\n');
    const path = join(dir, '1.jsonl');
    writeFileSync(path, text);
    const s = summary(path);
    assert.equal(s.format, 'verl');
    assert.equal(s.samples, 2);
    assert.deepEqual(s.badLines.map((b) => b.line), [2, 4]);
    assert.equal(s.groups.count, 1);
    assert.equal(s.groups.size.max, 2);
    assert.equal(s.advantage.source, 'computed:grpo-verl');
  }, 'rl-cli-');
});

test('exit codes: usage 2, missing file 3', () => {
  assert.equal(cli(['summary']).code, 2);
  assert.equal(cli(['frobnicate', 'x']).code, 2);
  assert.equal(cli(['summary', 'x', '--group-by', 'nonsense']).code, 2);
  const missing = cli(['summary', '/nonexistent/rollouts.jsonl', '--json']);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /rollouts\.jsonl/);
});

test('exit codes: --fail-on truncated 1 on OpenR1 traces', { skip: needFixtures(REAL) }, () => {
  const gate = cli(['summary', join(REAL, 'reward-kit/openr1_math_regenerated_think_traces.jsonl'), '--json', '--fail-on', 'truncated']);
  assert.equal(gate.code, 1);
});

test('human output is a readable table', { skip: needFixtures(REAL) }, () => {
  const r = cli(['summary', join(REAL, 'verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^format\s+verifiers/m);
  assert.match(r.stdout, /^samples\s+15$/m);
});

test('ORZ step-keyed JSON: no per-sample template note; health examples named by step, not all "line 1"', { skip: needFixtures(REAL2) }, () => {
  const path = join(REAL2, 'orz-mor-li');
  // The template opens <think> in the prompt on every sample: said once (convention), not flagged 28 times.
  assert.equal(summary(path).flags['format'], 15); // 13 answers only inside unfinished reasoning, 2 unclosed <answer>
  const scored = cli(['score', path, '--json']);
  assert.equal(scored.code, 0, scored.stderr);
  const codes = scored.stdout.trim().split('\n').flatMap((l) => (JSON.parse(l) as { flags: { code: string }[] }).flags.map((f) => f.code));
  assert.equal(codes.filter((c) => c === 'implicit-open').length, 0);
  assert.equal(codes.filter((c) => c === 'answer-in-think-only').length, 13); // score and summary agree
  const human = cli(['summary', path]);
  assert.match(human.stdout, /^health\s+truncation rose .* \(step \d+, step \d+/m);
  assert.doesNotMatch(human.stdout, /line 1, line 1/);
});
