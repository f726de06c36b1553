import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../../src/core/formats/detect';
import { fixture } from './helpers';

const CASES: [file: string, format: string, reasonPart: string, variant?: string][] = [
  ['verl-train.jsonl', 'verl', 'verl: fields input, output, score, step'],
  ['verl-val.jsonl', 'verl-val', 'reward key marks a validation dump', 'validation'],
  ['trl.jsonl', 'trl', 'trl: fields step, prompt, completion, advantage'],
  ['trl-legacy.jsonl', 'trl', 'TRL 0.15–0.17', 'legacy'],
  ['nemo-rl-train.jsonl', 'nemo-rl', 'fields content, rewards, idx, advantages', 'train'],
  ['nemo-rl-val.jsonl', 'nemo-rl', 'fields content, rewards, idx', 'validation'],
  ['roll-rows.jsonl', 'roll', 'roll: fields responses, scores, global_step'],
  ['roll-columnar.jsonl', 'roll', 'roll: fields responses, scores'],
  ['areal.jsonl', 'areal', 'fields task_id, sample_idx, head_version, tail_version'],
  ['prime-rl-traces.jsonl', 'prime-rl', 'fields traces, task, ok, group, run', 'episode'],
  ['prime-platform.jsonl', 'prime-rl', 'run_id, problem_id, sample_id, trajectory, advantage', 'platform'],
  ['verifiers.jsonl', 'verifiers', 'fields example_id, prompt, completion, reward'],
  ['skyrl.jsonl', 'skyrl', 'fields input_prompt, output_response, score, stop_reason'],
  ['open-instruct.jsonl', 'open-instruct', 'prompt_tokens, response_tokens, prompt_idx, advantage'],
  ['openrlhf.jsonl', 'openrlhf', 'fields global_step, text, reward'],
  ['simplerl.jsonl', 'simplerl', 'fields idx, question, code, pred, score'],
  ['orz-generation.json', 'orz', 'fields prompt, score, outputs.response'],
  ['orz-eval.jsonl', 'orz-eval', 'fields prompt, output, final_answer, answer, iscorrect'],
  ['lighteval.jsonl', 'lighteval', 'fields doc, model_response, metric'],
  ['slime.jsonl', 'slime', 'fields group_index, index, response, label'],
  ['rllogging-board.jsonl', 'rllogging-board', 'fields prompt, response, reward, step'],
  ['openr1-math.jsonl', 'openr1-math', 'fields problem, generations, correctness_math_verify'],
  ['reward-kit.jsonl', 'reward-kit', 'fields user_prompt, regenerated_content, evaluation_score'],
  ['generic.jsonl', 'generic', 'generic: fields prompt, completion, reward'],
];

for (const [file, format, reasonPart, variant] of CASES) {
  test(`detects ${file} as ${format}`, () => {
    const det = detectFormat(fixture(file), { fileName: file });
    assert.ok(det, 'recognised');
    assert.equal(det.format, format);
    assert.ok(det.reason.includes(reasonPart), det.reason);
    if (variant) assert.equal(det.variant, variant);
  });
}

test('verl fields and gold; validation by path without reward key', () => {
  const det = detectFormat(fixture('verl-train.jsonl'));
  assert.deepEqual(
    { prompt: det?.fields.prompt, completion: det?.fields.completion, reward: det?.fields.reward, gold: det?.fields.gold, step: det?.fields.step, group: det?.fields.group },
    { prompt: 'input', completion: 'output', reward: 'score', gold: 'gts', step: 'step', group: null },
  );
  assert.equal(det?.keepsOrder, undefined, 'verl train rows are shuffled: no consecutive grouping');
  const byPath = detectFormat(fixture('verl-train.jsonl'), { fileName: 'runs/x/validation/3.jsonl' });
  assert.equal(byPath?.format, 'verl-val');
});

test('verl W&B wide rows', () => {
  const det = detectFormat([{ step: 3, input_1: 'a', output_1: 'b', score_1: 1, input_2: 'c', output_2: 'd', score_2: 0 }]);
  assert.equal(det?.format, 'verl-val');
  assert.equal(det?.variant, 'wide');
});

test('TRL reward columns and weights-assumed note', () => {
  const det = detectFormat(fixture('trl.jsonl'));
  assert.deepEqual(det?.rewardColumns, ['accuracy_reward', 'format_reward']);
  assert.equal(det?.fields.reward, null);
  assert.ok(det?.notes?.some((n) => n.includes('weights assumed 1')));
});

test('"has" means ≥ 90% of the sampled records', () => {
  const good = { input: 'p', output: 'c', score: 1, step: 1 };
  const bad = { input: 'p', output: 'c', step: 1 };
  assert.equal(detectFormat([...Array(9).fill(good), bad])?.format, 'verl');
  assert.notEqual(detectFormat([...Array(8).fill(good), bad, bad])?.format, 'verl');
});

test('NeMo-style list-wrapped generic record is unwrapped before the fallback', () => {
  const det = detectFormat([{ prompt: ['q'], response: ['a'], reward: [1] }]);
  assert.equal(det?.format, 'generic');
  assert.equal(det?.unwrapLists, true);
  assert.ok(det?.reason.includes('unwrapped'));
});

test('user overrides replace detected fields; forced format uses its mapping', () => {
  const det = detectFormat(fixture('verl-train.jsonl'), { fields: { gold: 'extra_info.answer', group: 'uid' } });
  assert.equal(det?.fields.gold, 'extra_info.answer');
  assert.equal(det?.fields.group, 'uid');
  assert.deepEqual(det?.overridden, ['group', 'gold']);
  assert.ok(det?.reason.includes('overrides group=uid, gold=extra_info.answer'));
  const forced = detectFormat([{ x: 1 }], { format: 'verl' });
  assert.equal(forced?.format, 'verl');
  assert.equal(forced?.fields.prompt, 'input');
  assert.equal(forced?.confidence, 1);
});

test('returns null when nothing looks like a rollout', () => {
  assert.equal(detectFormat([{ a: 1, b: 2 }, { a: 3 }]), null);
  assert.equal(detectFormat([]), null);
  assert.equal(detectFormat([{ log_history: [] }]), null);
});
