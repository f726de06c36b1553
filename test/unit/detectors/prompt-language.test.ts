// The target language 'auto' comes from the prompt's question, not from the English template instructions that
// trainers wrap around it (a Japanese question with "Think step by step inside <think> tags…" is Japanese).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseCompletion } from '../../../src/core/analyse';

const PROMPT = 'user\n2の10乗を計算してください。 Think step by step inside <think> </think> tags, then give the final answer inside <answer> </answer> tags.\nassistant\n';

test('a Japanese question inside English template instructions resolves to Japanese', () => {
  const completion = '<think>\nまず、2の10乗を計算します。2^5 = 32 なので、32 × 32 を求めればよいです。我们需要计算三十二乘以三十二，三十二乘以三十是九百六十，再加上六十四，结果是一千零二十四。所以答案是1024。\n</think>\n<answer>1024</answer>';
  const a = analyseCompletion({ completion, prompt: PROMPT, targetLanguage: 'auto' });
  assert.equal(a.language.target, 'ja');
  assert.equal(a.language.targetSource, 'prompt');
  const mix = a.flags.filter((f) => f.kind === 'language-mix');
  assert.equal(mix.length, 1, JSON.stringify(mix.map((f) => f.message)));
  assert.match(mix[0].message, /^Chinese inside Japanese/);
  assert.ok(completion.slice(mix[0].start, mix[0].end).startsWith('我们需要计算'));
});

test('an English question with the same instructions stays English', () => {
  const prompt = 'user\nWhat is 17 × 23? Think step by step inside <think> </think> tags, then give the final answer inside <answer> </answer> tags.\nassistant\n';
  const a = analyseCompletion({ completion: '<think>17 × 23 = 391.</think><answer>391</answer>', prompt, targetLanguage: 'auto' });
  assert.equal(a.language.target, 'en');
  assert.equal(a.flags.filter((f) => f.kind === 'language-mix').length, 0);
});
