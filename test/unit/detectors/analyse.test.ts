// analyseCompletion end to end, on synthetic cases and on the real traces of the shared fixtures (REAL, test/support/fixtures.ts)
// (docs/rewards.md §13.4: 42/54 OpenR1 and 6/100 GSM8K traces never close <think>; 0 CJK; no hard loops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { analyseCompletion } from '../../../src/core/analyse';
import { estimateCompressRatio } from '../../../src/core/detectors/compress';
import { LOOP_SENTENCE, NATURAL_EN, NATURAL_ZH } from '../../fixtures/traces/repetition';

import { REAL, needFixtures } from '../../support/fixtures';
const zlibRatio = (s: string): number => Buffer.byteLength(s) / deflateSync(Buffer.from(s)).length;
function jsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('target language: option, prompt, reasoning', () => {
  const c = `<think>${NATURAL_ZH}</think>答案是下午三点。`;
  assert.deepEqual(analyseCompletion({ completion: c, targetLanguage: 'zh' }).language.target, 'zh');
  const fromPrompt = analyseCompletion({ completion: c, prompt: '一列火车早上九点出发，求第二列火车追上的时间。' });
  assert.equal(fromPrompt.language.target, 'zh');
  assert.equal(fromPrompt.language.targetSource, 'prompt');
  assert.equal(fromPrompt.language.ratio, 1);
  const fromReasoning = analyseCompletion({ completion: c });
  assert.equal(fromReasoning.language.targetSource, 'reasoning');
  assert.equal(fromReasoning.language.detected, 'zh');
  // English prompt, Chinese reasoning: mismatch
  const en = analyseCompletion({ completion: c, prompt: 'A train leaves at 9 a.m.; when does the second one catch up?' });
  assert.equal(en.language.target, 'en');
  assert.ok(en.flags.some((f) => f.code === 'mismatch-zh-for-en'));
});

test('flags from every detector, and enabled switches them off', () => {
  const c = `<think>${NATURAL_EN} 这个积分 equals one half. ${LOOP_SENTENCE.repeat(20)}`;
  const a = analyseCompletion({ completion: c, prompt: 'Solve it.', finishReason: 'length' });
  const kinds = new Set(a.flags.map((f) => f.kind));
  assert.deepEqual([...kinds].sort(), ['language-mix', 'repetition', 'truncated']);
  assert.equal(a.segmentation.state, 'unterminated');
  const off = analyseCompletion({ completion: c, enabled: { 'language-mix': false, repetition: false, truncated: false } });
  assert.deepEqual(off.flags.filter((f) => f.kind !== 'format'), []);
});

test('answer in the answer region, answer only inside the reasoning, no answer', () => {
  const ok = analyseCompletion({ completion: '<think>so 7</think>\nThe answer is \\boxed{7}.' });
  assert.equal(ok.answer?.text, '7');
  assert.equal(ok.answer && '<think>so 7</think>\nThe answer is \\boxed{7}.'.slice(ok.answer.start, ok.answer.end), '7');
  const inThink = '<think>so \\boxed{180} maybe, wait';
  const a = analyseCompletion({ completion: inThink });
  assert.equal(a.answer, null);
  assert.equal(a.answerInReasoning?.text, '180');
  const f = a.flags.find((x) => x.code === 'answer-in-think-only')!;
  assert.equal(inThink.slice(f.start, f.end), '180');
  const none = analyseCompletion({ completion: '<think>hmm</think>\nI do not know.' });
  assert.ok(none.flags.some((x) => x.code === 'answer-missing'));
});

test('compression estimate tracks zlib within 15% on natural and repetitive text', () => {
  for (const s of [NATURAL_EN, NATURAL_ZH, NATURAL_EN + LOOP_SENTENCE.repeat(20), LOOP_SENTENCE.repeat(100)]) {
    const w = Array.from(s).slice(-2000).join('');
    const e = estimateCompressRatio(w);
    const z = zlibRatio(w);
    assert.ok(Math.abs(e / z - 1) < 0.15, `estimate ${e} vs zlib ${z}`);
  }
});

const files = {
  openr1: `${REAL}/reward-kit/openr1_math_regenerated_think_traces.jsonl`,
  gsm8k: `${REAL}/reward-kit/gsm8k_regenerated_think_traces.jsonl`,
  poems: `${REAL}/rl-logging-board/eval_poem_task_data.jsonl`,
};
const skipReal = needFixtures(...Object.values(files));

test('real reward-kit traces: truncation counts, no language mix, no tail loop', { skip: skipReal }, () => {
  for (const [name, expected, total] of [['openr1', 42, 54], ['gsm8k', 6, 100]] as const) {
    const recs = jsonl(files[name]);
    assert.equal(recs.length, total);
    let truncated = 0;
    for (const r of recs) {
      const a = analyseCompletion({ completion: String(r['regenerated_content']), prompt: String(r['user_prompt']), targetLanguage: 'auto' });
      if (a.flags.some((f) => f.kind === 'truncated')) truncated++;
      assert.equal(a.language.target, 'en');
      assert.deepEqual(a.flags.filter((f) => f.kind === 'language-mix').map((f) => f.message), []);
      assert.deepEqual(a.flags.filter((f) => f.code === 'tail-loop').map((f) => f.message), []);
      assert.ok(a.language.ratio > 0.95);
    }
    assert.equal(truncated, expected, name);
  }
});

test('real reward-kit: the one unclosed trace scored 1.0 has its answer only inside the reasoning', { skip: skipReal }, () => {
  const r0 = jsonl(files.openr1)[0]!;
  assert.equal(r0['evaluation_score'], 1);
  const a = analyseCompletion({ completion: String(r0['regenerated_content']) });
  assert.equal(a.answerInReasoning?.text, '180');
});

test('real Chinese poems: no language-mix flag with target zh (ASCII commas)', { skip: skipReal }, () => {
  const recs = jsonl(files.poems);
  let flagged = 0;
  for (const r of recs) {
    const a = analyseCompletion({ completion: String(r['response']), prompt: String(r['prompt']) });
    assert.equal(a.language.target, 'zh');
    if (a.flags.some((f) => f.kind === 'language-mix' && f.code !== 'stray-token')) flagged++;
    // Undecodable bytes (U+FFFD, a poem cut inside a character) are junk in any language: flagged as stray tokens,
    // and only there.
    const junk = a.flags.some((f) => f.code === 'stray-token');
    assert.equal(junk, String(r['response']).includes('\ufffd'), String(r['response']));
  }
  assert.equal(flagged, 0);
});
