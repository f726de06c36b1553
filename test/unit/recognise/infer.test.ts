import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../../src/core/formats/detect';
import { load, group } from '../formats/helpers';
import { conversations, nestedResults, NOT_ROLLOUTS, oddEvalRecords, parallelLists, stepKeyedTop } from './shapes';

test('eval JSONL with unfamiliar names: every role inferred from names and values, with evidence', () => {
  const { det, samples, errors } = load(oddEvalRecords());
  assert.deepEqual(errors, []);
  assert.equal(det.format, 'inferred');
  assert.equal(det.fields.completion, 'model_response');
  assert.equal(det.fields.prompt, 'full_prompt');
  assert.equal(det.fields.reward, 'is_correct');
  assert.equal(det.fields.gold, 'ground_truth_answer');
  assert.equal(det.fields.group, 'question_id');
  const inf = det.inference;
  assert.ok(inf);
  assert.equal(inf.weak, false);
  assert.match(inf.roles.completion?.evidence ?? '', /^model_response: longest text in 100 % of records/);
  assert.match(inf.roles.reward?.evidence ?? '', /boolean in 100 % of records/);
  assert.equal(inf.roles.answer?.field, 'extracted_answer');
  assert.equal(samples.length, 9);
  assert.deepEqual(samples.map((s) => s.reward), [1, 0, 0, 1, 0, 0, 1, 0, 0]);
  assert.equal(samples[0].gold, '0');
  const g = group(samples);
  assert.equal(g.count, 3);
  assert.equal(g.keySource, 'explicit');
});

test('nested results file: records found at any depth, enclosing fields inherited, one group per result', () => {
  const { det, samples, errors } = load([nestedResults()], { fileName: 'eval_results.json' });
  assert.deepEqual(errors, []);
  assert.equal(det.format, 'inferred');
  assert.equal(det.inference?.recordPath, 'categories.{name}.{name}.results[*].completions[*]');
  assert.equal(det.fields.completion, 'text');
  assert.equal(det.fields.prompt, 'question');
  assert.equal(det.fields.reward, 'score');
  assert.equal(det.fields.gold, 'reference');
  assert.equal(det.fields.group, '@group');
  // 2 + 3 + 1 results × 4 completions.
  assert.equal(samples.length, 24);
  assert.match(String(samples[0].prompt), /^gsm8k question 0/);
  assert.match(String(samples[20].prompt), /^arc question 0/);
  const g = group(samples);
  assert.equal(g.count, 6);
  assert.deepEqual([g.size.min, g.size.max], [4, 4]);
});

test('step-keyed object at the top level: the keys are the steps', () => {
  const { det, samples } = load([stepKeyedTop()]);
  assert.equal(det.inference?.recordPath, '{step}');
  assert.equal(det.fields.step, '@step');
  assert.match(det.inference?.roles.step?.evidence ?? '', /step-keyed object \(0…150\)/);
  assert.deepEqual(samples.map((s) => s.step), [0, 50, 100, 150]);
  assert.deepEqual(samples.map((s) => s.reward), [0, 0, 1, 1]);
});

test('parallel lists in one record: 8 completions and 8 scores are one group', () => {
  const { det, samples, errors } = load(parallelLists());
  assert.deepEqual(errors, []);
  assert.equal(det.fields.completion, 'samples');
  assert.equal(det.fields.reward, 'correct');
  assert.equal(det.fields.prompt, 'instruction');
  assert.equal(det.fields.gold, 'target');
  assert.match(det.inference?.roles.completion?.evidence ?? '', /a list of 8 texts per record \(one group per record\)/);
  assert.equal(samples.length, 16);
  assert.deepEqual(samples.slice(0, 8).map((s) => s.reward), [1, 1, 1, 0, 0, 0, 0, 0]);
  const g = group(samples);
  assert.equal(g.count, 2);
  assert.equal(g.keySource, 'row');
});

test('a reward nested like [[0.8]] is read as its number', () => {
  const records = parallelLists().map((r) => ({ ...r, correct: undefined, pred_scores: r.pred_scores })).map((r) => {
    const { correct: _drop, ...rest } = r;
    void _drop;
    return rest;
  });
  const { det, samples } = load(records);
  assert.equal(det.fields.reward, 'pred_scores');
  assert.deepEqual(samples.slice(0, 3).map((s) => s.reward), [0, 0.1, 0.2]);
});

test('one conversation per record: prompt before the first assistant turn, completion after', () => {
  const { det, samples } = load(conversations());
  assert.equal(det.variant, 'conversation');
  assert.equal(det.fields.reward, 'judge_score');
  assert.equal(samples.length, 3);
  assert.ok(Array.isArray(samples[0].prompt) && samples[0].prompt.length === 2);
  assert.ok(Array.isArray(samples[0].completion) && samples[0].completion[0].role === 'assistant');
  assert.deepEqual(samples.map((s) => s.reward), [0, 0.5, 1]);
});

test('the step named by the path (global_step_250/, checkpoint-400, iter30) is evidence when no field has it', () => {
  const records = oddEvalRecords();
  for (const [path, step, part] of [
    ['runs/exp1/global_step_250/val_generations.jsonl', 250, 'global_step_250'],
    ['out/checkpoint-400/eval.jsonl', 400, 'checkpoint-400'],
    ['orz/iter30_eval.jsonl', 30, 'iter30_eval.jsonl'],
  ] as const) {
    const det = detectFormat(records, { fileName: path });
    assert.match(det?.inference?.roles.step?.evidence ?? '', new RegExp(`names step ${step} \\('${part.replace('.', '\\.')}'\\)`), path);
    assert.equal(det?.fields.step, null, 'the step itself comes from the reader (stepFromName)');
  }
});

test('an ambiguous file is a weak guess that names the --field to pass', () => {
  const records = [0, 1, 2, 3].map((i) => ({
    question: `Question ${i}: summarise the passage below in two sentences please.`,
    body: `Passage ${i}. ${'The river rose through the night and the town woke to water in the streets. '.repeat(3)}`,
    notes: `Summary ${i}. ${'The town flooded overnight after the river rose; people woke to water in the streets. '.repeat(3)}`,
  }));
  const det = detectFormat(records);
  assert.equal(det?.format, 'inferred');
  assert.equal(det?.inference?.weak, true);
  assert.match(det?.inference?.roles.completion?.evidence ?? '', /ambiguous/);
  assert.ok(det?.inference?.hints.some((h) => h.startsWith('--field completion=')), String(det?.inference?.hints));
  assert.ok(det?.inference?.hints.includes('--field reward=<name>'));
});

test('a user field override wins over the inferred field', () => {
  const det = detectFormat(oddEvalRecords(), { fields: { reward: 'latency_ms' } });
  assert.equal(det?.fields.reward, 'latency_ms');
  assert.deepEqual(det?.overridden, ['reward']);
});

for (const [name, records] of NOT_ROLLOUTS) {
  test(`unrelated JSON stays unrecognised: ${name}`, () => {
    assert.equal(detectFormat(records), null);
  });
}

test('known formats are not taken over by inference', () => {
  const verl = [1, 2].map((i) => ({ input: `question ${i}`, output: longish(i), score: 1, step: 3 }));
  assert.equal(detectFormat(verl)?.format, 'verl');
});

function longish(i: number): string {
  return `a response of some length number ${i} with words in it`;
}
