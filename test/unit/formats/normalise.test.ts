import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../../src/core/formats/detect';
import { normaliseRecord } from '../../../src/core/formats/normalise';
import type { ChatMessage, JsonValue } from '../../../src/core/types';
import { fixture, load, raw } from './helpers';

const ctx = { stepFromName: null, split: null };

test('verl: NaN score → null with reason, gts list, multi-turn output kept as text, DAPO overlong, extras', () => {
  const { samples, errors } = load(fixture('verl-train.jsonl'));
  assert.equal(errors.length, 0);
  assert.equal(samples.length, 8);
  const [first, second] = samples;
  assert.equal(first.step, 37);
  assert.equal(first.reward, 0.5, 'score 1.0 + overlong_reward −0.5');
  assert.deepEqual(first.rewardComponents, { score: 1, acc: 1, overlong_reward: -0.5 });
  assert.equal(first.gold, '7');
  assert.deepEqual(second.gold, ['5', '5.0']);
  assert.ok(typeof second.completion === 'string' && second.completion.includes('tool\n5'));
  const nan = samples[5];
  assert.equal(nan.reward, null);
  assert.equal(nan.rewardMissing, "'score' is NaN");
  assert.equal(first.advantage, null);
  assert.equal(first.groupKeySource, 'none');
  assert.equal(first.split, 'train');
});

test('verl-val: split val, reward component', () => {
  const { samples } = load(fixture('verl-val.jsonl'));
  assert.equal(samples[0].split, 'val');
  assert.equal(samples[0].step, 0);
  assert.equal(samples[0].rewardComponents.reward, 1);
});

test('verl wide rows are unpivoted', () => {
  const { samples } = load([{ step: 3, input_1: 'a', output_1: 'b', score_1: 1, input_2: 'c', output_2: 'd', score_2: 0 }]);
  assert.deepEqual(samples.map((s) => [s.prompt, s.completion, s.reward, s.step]), [['a', 'b', 1, 3], ['c', 'd', 0, 3]]);
});

test('TRL: weighted nansum of reward columns, logged advantage, all-NaN row missing', () => {
  const { samples } = load(fixture('trl.jsonl'));
  assert.equal(samples.length, 8);
  assert.equal(samples[0].reward, 2);
  assert.deepEqual(samples[0].rewardComponents, { accuracy_reward: 1, format_reward: 1 });
  assert.equal(samples[3].rewardComponents.accuracy_reward, null, 'NaN column is None, not 0');
  assert.equal(samples[3].reward, 0, 'nansum over format_reward = 0');
  assert.equal(samples[0].advantageSource, 'logged');
  assert.ok(Math.abs((samples[0].advantage ?? 0) - 0.707007) < 1e-6);
  const { samples: allNan } = load([{ step: 1, prompt: 'p', completion: 'c', a_reward: Number.NaN, advantage: 0 }]);
  assert.equal(allNan[0].reward, null);
  assert.equal(allNan[0].rewardMissing, 'every reward column is NaN/None');
});

test('TRL legacy: step as string, total reward column', () => {
  const { samples } = load(fixture('trl-legacy.jsonl'));
  assert.equal(samples[0].step, 3);
  assert.equal(samples[0].reward, 1);
  assert.equal(samples[0].advantage, null);
});

test('NeMo-RL train: unwrapped, positional content, masked advantage, token count', () => {
  const { samples } = load(fixture('nemo-rl-train.jsonl'), {}, { stepFromName: 12, split: 'train' });
  const s = samples[0];
  assert.ok(typeof s.prompt === 'string' && s.prompt.startsWith('<|im_start|>system'));
  assert.equal(s.completion, '<think>\nLet me …\n</think>\n\\boxed{42}');
  assert.equal(s.reward, 1);
  assert.equal(s.advantage, 0.93);
  assert.equal(samples[1].advantage, -0.93);
  assert.equal(s.tokens.completion, 2);
  assert.equal(s.step, 12);
  assert.equal(s.split, 'train');
});

test('NeMo-RL val: messages split at the first assistant turn', () => {
  const { samples } = load(fixture('nemo-rl-val.jsonl'));
  assert.deepEqual(samples[0].prompt, [{ role: 'user', content: 'What is 3+4?' }]);
  assert.deepEqual(samples[0].completion, [{ role: 'assistant', content: '\\boxed{7}' }]);
  assert.equal(samples[0].split, 'val');
});

test('ROLL rows and an untransposed columnar object give the same samples', () => {
  const rows = load(fixture('roll-rows.jsonl')).samples;
  const cols = load(fixture('roll-columnar.jsonl')).samples;
  assert.equal(rows.length, 4);
  assert.equal(cols.length, 4);
  for (const [a, b] of rows.map((r, i) => [r, cols[i]])) {
    assert.deepEqual([a.prompt, a.completion, a.reward, a.step, a.groupKey, a.gold], [b.prompt, b.completion, b.reward, b.step, b.groupKey, b.gold]);
  }
  assert.equal(rows[0].groupKey, 'q17');
  assert.equal(rows[0].groupKeySource, 'explicit');
  assert.equal(rows[0].step, 5);
});

test('AReaL: task_id group, sample_idx, tokens, policy lag', () => {
  const { samples } = load(fixture('areal.jsonl'));
  assert.equal(samples[1].groupKey, 'b3f1c2');
  assert.equal(samples[1].sampleIndex, 1);
  assert.deepEqual(samples[1].tokens, { prompt: 212, completion: 1663 });
  assert.equal(samples[1].policyLag, 2);
});

test('prime-rl Episode: branch messages, Σ score·weight, advantage, group, step, finish', () => {
  const { samples } = load(fixture('prime-rl-traces.jsonl'));
  const s = samples[0];
  assert.deepEqual(s.prompt, [{ role: 'user', content: 'What is 6*7?' }]);
  assert.equal((s.completion as ChatMessage[])[0].role, 'assistant');
  assert.equal(s.reward, 1.5);
  assert.deepEqual(s.rewardComponents, { correct_answer: 1, format: 1, unused: null });
  assert.equal(s.advantage, 0.71);
  assert.equal(s.groupKey, 'g-17-123');
  assert.equal(s.step, 17);
  assert.equal(s.split, 'train');
  assert.equal(s.finishReason, 'stop');
  assert.equal(s.policyLag, 1);
  assert.equal(s.gold, '42');
});

test('prime platform: completion JSON string parsed to messages', () => {
  const { samples } = load(fixture('prime-platform.jsonl'));
  assert.deepEqual(samples[0].completion, [{ role: 'assistant', content: '\\boxed{42}' }]);
  assert.equal(samples[0].advantage, 0.62);
  assert.equal(samples[0].groupKey, '123');
  assert.equal(samples[1].sampleIndex, 1);
  assert.equal(samples[0].split, 'train');
});

test('verifiers: messages, explicit example_id, reward columns', () => {
  const { samples } = load(fixture('verifiers.jsonl'), {}, { stepFromName: null, split: null });
  assert.equal(samples[0].groupKey, '0');
  assert.equal(samples[0].reward, 0.7);
  assert.equal((samples[0].completion as ChatMessage[]).length, 3);
  assert.deepEqual(samples[0].rewardComponents, { check_answer_reward_func: 0, partial_credit_reward_func: 0.5, count_turns_reward_func: 0, format_reward_func: 1 });
  assert.equal(samples[0].gold, 'story');
});

test('SkyRL: per-token score list summed, stop reason, gold from env_extras', () => {
  const { samples } = load(fixture('skyrl.jsonl'));
  assert.equal(samples[1].reward, 1);
  assert.equal(samples[0].finishReason, 'stop');
  assert.equal(samples[0].gold, '18');
  assert.equal(samples[0].split, 'eval');
});

test('open-instruct: tokens only', () => {
  const { samples } = load(fixture('open-instruct.jsonl'));
  assert.equal(samples[0].completion, '');
  assert.equal(samples[0].prompt, null);
  assert.deepEqual(samples[0].tokens, { prompt: 3, completion: 4 });
  assert.equal(samples[0].groupKey, '117');
  assert.equal(samples[0].advantage, 0.5);
  assert.equal(samples[1].sampleIndex, 1);
});

test('OpenRLHF: text split at the last assistant marker', () => {
  const { samples } = load(fixture('openrlhf.jsonl'));
  assert.equal(samples[0].prompt, 'user\nSolve 1+2\nassistant\n');
  assert.equal(samples[0].completion, '<think>\n…\n</think>\n\\boxed{3}');
  assert.equal(samples[0].step, 120);
});

test('simpleRL: a row holds the group; parallel lists zipped', () => {
  const { samples } = load(fixture('simplerl.jsonl'));
  assert.equal(samples.length, 2);
  assert.deepEqual(samples.map((s) => [s.reward, s.finishReason, s.sampleIndex, s.groupKeySource]), [[1, 'stop', 0, 'row'], [0, 'length', 1, 'row']]);
  assert.equal(samples[0].groupKey, samples[1].groupKey);
  assert.equal(samples[0].gold, '72');
});

test('ORZ generation results: logged score, raw reward from iscorrect && stop', () => {
  const { samples } = load(fixture('orz-generation.json'), {}, { stepFromName: 4, split: null });
  assert.equal(samples[1].reward, -0.5);
  assert.equal(samples[1].rewardComponents.raw_reward, 0);
  assert.equal(samples[0].rewardComponents.raw_reward, 1);
  assert.equal(samples[0].finishReason, 'stop');
  assert.equal(samples[0].step, 4);
});

test('ORZ eval: iscorrect as reward, answer as gold', () => {
  const { samples } = load(fixture('orz-eval.jsonl'));
  assert.equal(samples[0].reward, 1);
  assert.equal(samples[0].gold, '5');
});

test('lighteval: reasoning kept apart, gold from choices, single metric as reward', () => {
  const { samples } = load(fixture('lighteval.jsonl'));
  assert.equal(samples[0].reasoning, '2+3=5');
  assert.equal(samples[0].gold, '5');
  assert.equal(samples[0].reward, 1);
  assert.equal(samples[0].tokens.completion, 3);
});

test('slime: group_index, status, dict reward asks for a key', () => {
  const { samples } = load(fixture('slime.jsonl'));
  assert.equal(samples[0].groupKey, '3');
  assert.equal(samples[0].step, 7);
  assert.equal(samples[1].finishReason, 'truncated');
  assert.equal(samples[1].reward, null);
  assert.ok(samples[1].rewardMissing?.includes('--field reward=reward.<key>'));
  assert.deepEqual(samples[1].rewardComponents, { acc: 0, fmt: 1 });
  const over = load(fixture('slime.jsonl'), { fields: { reward: 'reward.fmt' } }).samples;
  assert.equal(over[1].reward, 1);
});

test('RLLoggingBoard, OpenR1-Math rows, reward-kit, generic', () => {
  const rl = load(fixture('rllogging-board.jsonl')).samples;
  assert.equal(rl[1].step, 100);
  assert.equal(rl[0].rewardComponents.ref_reward, 0.0625);
  const or1 = load(fixture('openr1-math.jsonl')).samples;
  assert.deepEqual(or1.map((s) => [s.reward, s.finishReason, s.groupKeySource]), [[1, 'stop', 'row'], [0, 'length', 'row']]);
  const rk = load(fixture('reward-kit.jsonl')).samples;
  assert.equal(rk[0].reward, 1);
  assert.equal(rk[0].prompt, 'Natalia sold clips …');
  const gen = load(fixture('generic.jsonl')).samples;
  assert.equal(gen[1].reward, 0, 'reward "0.0" parsed');
});

test('content parts are joined; reasoning_content kept apart', () => {
  const det = detectFormat([{ prompt: 'p', completion: 'c', reward: 1 }]);
  assert.ok(det);
  const r = normaliseRecord(raw({
    prompt: 'p',
    completion: [{ role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'reasoning', reasoning: 'R' }, { type: 'text', text: 'B' }], reasoning_content: 'S' }],
    reward: 1,
  }), det, ctx);
  assert.ok(Array.isArray(r));
  assert.deepEqual(r[0].completion, [{ role: 'assistant', content: 'AB', reasoning: 'SR' }]);
  assert.equal(r[0].reasoning, 'SR');
});

test('wrong field types → errors naming the field; the rest still loads', () => {
  const det = detectFormat(fixture('verl-train.jsonl'));
  assert.ok(det);
  const bad = (v: JsonValue): string => {
    const r = normaliseRecord(raw(v), det, ctx);
    assert.ok('error' in r, 'expected an error');
    return r.error;
  };
  assert.equal(bad({ input: 'p', output: 42, score: 1, step: 1 }), "field 'output' is a number, expected text");
  assert.equal(bad({ input: 'p', output: 'c', score: 'abc', step: 1 }), 'field \'score\' is a string "abc", expected a number');
  assert.equal(bad({ input: 'p', score: 1, step: 1 }), "missing field 'output'");
  assert.equal(bad([1, 2]), 'record is a list, expected an object');
  const ok = normaliseRecord(raw({ input: 'p', output: 'c', score: '1.0', step: 1 }), det, ctx);
  assert.ok(Array.isArray(ok));
  assert.equal(ok[0].reward, 1);
  const { samples, errors } = load([...fixture('verl-train.jsonl'), { input: 'p', output: { x: 1 }, score: 1, step: 37 }]);
  assert.equal(samples.length, 8);
  assert.deepEqual(errors, ["field 'output' is an object, expected text"]);
});

test('simpleRL parallel lists of unequal length are an error', () => {
  const det = detectFormat(fixture('simplerl.jsonl'));
  assert.ok(det);
  const r = normaliseRecord(raw({ idx: 0, question: 'q', code: ['a', 'b'], pred: ['1', '2'], score: [true] }), det, ctx);
  assert.deepEqual(r, { error: "field 'score' has 1 values for 2 completions" });
});

test('dotted override reads nested fields', () => {
  const det = detectFormat([{ input: 'p', output: 'c', score: 1, step: 1, extra_info: { answer: '9' } }], { fields: { gold: 'extra_info.answer' } });
  assert.ok(det);
  const r = normaliseRecord(raw({ input: 'p', output: 'c', score: 1, step: 1, extra_info: { answer: '9' } }), det, ctx);
  assert.ok(Array.isArray(r));
  assert.equal(r[0].gold, '9');
});
