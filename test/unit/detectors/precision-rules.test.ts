// Issue #16 precision rules on small synthetic texts: run conventions, stray tokens and junk, loop evidence beyond
// compression, truncation endings. The hand-labelled real files are in detection-quality.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseCompletion } from '../../../src/core/analyse';
import { inferConventions } from '../../../src/core/run/conventions';
import { detectLanguageMix } from '../../../src/core/detectors/language-mix';
import { detectRepetition } from '../../../src/core/detectors/repetition';

const codes = (flags: { code?: string }[]): string[] => flags.map((f) => f.code ?? '');

test('conventions: no tags anywhere → none; prompt asks → expected; template opens <think> → expected, opened in the prompt', () => {
  const plain = inferConventions(Array.from({ length: 10 }, (_, i) => ({ prompt: 'Solve. Put the answer after ####.', completion: `Step ${i}. #### ${i}` })));
  assert.equal(plain.reasoningTags, 'none');
  assert.equal(plain.answer, 'hash');
  const asked = inferConventions([{ prompt: 'Think inside <think> </think> tags, then answer.', completion: 'The answer is 4.' }]);
  assert.equal(asked.reasoningTags, 'expected');
  const orz = inferConventions([{ prompt: 'User: 2+2?\nAssistant: <think>', completion: 'two and two</think> <answer>4</answer>' }]);
  assert.equal(orz.reasoningTags, 'expected');
  assert.ok(orz.thinkOpensInPrompt);
});

test('no-think follows the convention: flagged where tags are expected, not in a run without them', () => {
  const none = inferConventions([{ prompt: 'q', completion: 'a' }]);
  const expected = inferConventions([{ prompt: 'q', completion: '<think>x</think>a' }]);
  assert.ok(!codes(analyseCompletion({ completion: 'The answer is 7.', prompt: 'q', conventions: none }).flags).includes('no-think'));
  assert.ok(codes(analyseCompletion({ completion: 'The answer is 7.', prompt: 'q', conventions: expected }).flags).includes('no-think'));
  // On its own (no run), a sample is held to its prompt's instruction.
  assert.ok(!codes(analyseCompletion({ completion: 'The answer is 7.', prompt: 'What is 3+4?' }).flags).includes('no-think'));
  assert.ok(codes(analyseCompletion({ completion: 'The answer is 7.', prompt: 'Reason in <think></think> first.' }).flags).includes('no-think'));
});

test('stray tokens: one CJK character before a tool call; junk with U+FFFD; several scripts of junk after a boxed answer', () => {
  const en = 'We add the two numbers to get the total of the earnings for the week.\n';
  const one = detectLanguageMix(en + '穰\n<tool_call>\n{"name": "calc"}\n</tool_call>', { target: 'en' });
  assert.deepEqual(codes(one.flags), ['stray-token']);
  assert.equal(one.flags[0]!.severity, 'info');
  const fffd = detectLanguageMix(en + 'The answer is 5.\ufffd\ufffd', { target: 'en' });
  assert.deepEqual(codes(fffd.flags), ['stray-token']);
  assert.equal(fffd.flags[0]!.severity, 'warning');
  const junk = detectLanguageMix(en + '\\boxed{25}.pd自如取消 Brig that роман委会 ROM craz拯/placeīมหาวิทยา无人机 ought多达', { target: 'en' });
  assert.deepEqual(codes(junk.flags), ['stray-token']);
});

test('short switches of two characters are switches; English phrases stay English', () => {
  const en = 'So we need to compute the sum of the first ten terms of the sequence, ';
  assert.deepEqual(codes(detectLanguageMix(en + '所以 the sum is 55.', { target: 'en' }).flags), ['zh-in-en']);
  assert.deepEqual(codes(detectLanguageMix('- Rent = $5000 per month\n- Non-rent extra expenses = $3000 per month\n', { target: 'en' }).flags), []);
});

test('repetition: a LaTeX derivation restating terms is not a loop; a block written again and again is', () => {
  const ops = ['+', '-', '\\cdot', '\\div'];
  const vars = ['a', 'b', 'c', 'd', 'h', 'r', 's', 'x'];
  let derivation = '';
  let seed = 7;
  const pick = <T>(xs: T[]): T => xs[((seed = (seed * 1103515245 + 12345) % 2147483648) >>> 16) % xs.length]!;
  for (let k = 1; k <= 40; k++) {
    derivation += `Case ${k} (${pick(vars)} ${pick(ops)} ${pick(vars)}):\n\\[ \\frac{${pick(vars)}^2}{16} ${pick(ops)} \\frac{${pick(vars)} s^2}{16} = \\frac{s^2}{16} \\]\nThis is the same as the original expression.\n`;
  }
  assert.deepEqual(codes(detectRepetition(derivation).flags), []);
  const block = 'FirstChild balloon packs used: 3\nSecondParent balloon packs used: 2\nGrandTotal balloon packs: 3 + 2 = 5\n';
  const t = 'Let us count the balloons.\n' + block.repeat(3) + 'So the answer is 8.';
  assert.deepEqual(codes(detectRepetition(t).flags), ['repeated-block']);
  // A short unit repeated very many times after a tool call is a loop however long the text before it.
  const tool = 'Let me check with the tool.\n'.repeat(40) + '<tool_call>\n{"name": "calc"}\n</tool_call>\nuser\n' + '飏\n'.repeat(200);
  assert.ok(codes(detectRepetition(tool).flags).includes('tail-loop'));
});

test('truncation: a character cut in half; a long text stopping inside an expression; a normal answer', () => {
  const conventions = { ...inferConventions([{ prompt: 'q', completion: 'x'.repeat(1000) }]) };
  const cutChar = analyseCompletion({ completion: '小筑松门眺翠色欲滴天碧树影横空倚槛看烟云气吞锦绣连江海北\ufffd', prompt: '请编写下一句', conventions: { ...conventions, medianChars: 16 } });
  assert.ok(codes(cutChar.flags).includes('cut-mid-character'));
  const long = 'We compute the values one by one and check each of them. '.repeat(40);
  const cut = analyseCompletion({ completion: long + '\\[ K = U + 26 =', prompt: 'q', conventions });
  assert.ok(codes(cut.flags).includes('cut-mid-sentence'));
  const done = analyseCompletion({ completion: long + 'So the answer is #### 42', prompt: 'q', conventions });
  assert.ok(!done.flags.some((f) => f.kind === 'truncated'));
});
