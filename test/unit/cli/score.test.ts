// `rollout-lens score` against the CLI contract (cli.md): one JSON line per sample in file order, flags with
// spans, recomputed rewards, scored copy written atomically and never over the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, readdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { sha256 } from '../../support/files';
import { REAL, needFixtures } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

interface Line {
  record?: number;
  line?: number | null;
  error?: string;
  group?: number | null;
  groupSize?: number | null;
  reward?: number | null;
  advantage?: number | null;
  scores?: Record<string, number | null>;
  answer?: string | null;
  flags?: { kind: string; field: string; start: number; end: number; message: string }[];
  note?: string;
}

function score(path: string, extra: string[] = []): Line[] {
  const r = cli(['score', path, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
}

test('OpenR1 traces: 42 truncated, and the unclosed trace scored 1.0 is called out', { skip: needFixtures(REAL) }, () => {
  const lines = score(join(REAL, 'reward-kit/openr1_math_regenerated_think_traces.jsonl'));
  assert.equal(lines.length, 54);
  assert.deepEqual(lines.map((l) => l.record), Array.from({ length: 54 }, (_, i) => i + 1));
  const truncated = lines.filter((l) => l.flags?.some((f) => f.kind === 'truncated'));
  assert.equal(truncated.length, 42);
  const granted = lines.filter((l) => l.reward === 1 && l.flags?.some((f) => f.kind === 'truncated'));
  assert.equal(granted.length, 1);
  assert.match(granted[0].note ?? '', /incomplete reasoning/);
  for (const l of lines) {
    assert.deepEqual(Object.keys(l.scores ?? {}).sort(), ['accuracy', 'format', 'language_consistency', 'repetition_penalty', 'tag_count']);
    for (const f of l.flags ?? []) {
      assert.ok(f.start >= 0 && f.end >= f.start, 'span');
      assert.ok(f.message.length > 0, 'every flag explains itself');
    }
  }
});

test('GSM8K: recomputed accuracy mostly agrees with the recorded score', { skip: needFixtures(REAL) }, () => {
  const lines = score(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), ['--rewards', 'accuracy']);
  assert.equal(lines.length, 100);
  const judged = lines.filter((l) => l.scores?.accuracy !== null && l.scores?.accuracy !== undefined);
  assert.ok(judged.length > 80, `accuracy applies to ${judged.length}`);
});

test('malformed line is reported in place and the run goes on', async () => {
  await withTempDir(async ({ dir }) => {
    const ok = (o: string, s: number): string => JSON.stringify({ prompt: 'What is 1+1?', completion: o, reward: s, answer: '2' });
    const path = join(dir, 'r.jsonl');
    writeFileSync(path, [ok('<think>1+1=2</think><answer>\\boxed{2}</answer>', 1), '{nope', ok('<think>hmm</think><answer>3</answer>', 0)].join('\n') + '\n');
    const lines = score(path);
    assert.equal(lines.length, 3);
    assert.equal(lines[1].line, 2);
    assert.match(lines[1].error ?? '', /column|Unexpected|Expected/i);
    assert.equal(lines[0].scores?.accuracy, 1);
    assert.equal(lines[2].scores?.accuracy, 0);
    assert.equal(lines[0].answer, '2');
  }, 'rl-score-');
});

test('--out writes a scored copy atomically and refuses the input path', { skip: needFixtures(REAL) }, async () => {
  await withTempDir(async ({ dir }) => {
    const src = join(dir, 'in.jsonl');
    copyFileSync(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), src);
    const before = sha256(src);
    const refused = cli(['score', src, '--out', src]);
    assert.equal(refused.code, 2);
    assert.equal(sha256(src), before);
    const out = join(dir, 'scored.jsonl');
    const r = cli(['score', src, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const copy = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(copy.length, 100);
    assert.ok('rollout_lens' in copy[0] && 'user_prompt' in copy[0], 'input record plus rollout_lens');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
    assert.equal(sha256(src), before, 'input unchanged');
  }, 'rl-out-');
});

test('--fail-on truncated exits 1 on OpenR1 traces', { skip: needFixtures(REAL) }, () => {
  const r = cli(['score', join(REAL, 'reward-kit/openr1_math_regenerated_think_traces.jsonl'), '--json', '--fail-on', 'truncated']);
  assert.equal(r.code, 1);
});

test('unknown reward is a usage error', { skip: needFixtures(REAL) }, () => {
  const r = cli(['score', join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), '--rewards', 'nope']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown reward 'nope'/);
});
