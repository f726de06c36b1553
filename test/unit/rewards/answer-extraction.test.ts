import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnswer, lastBoxedOnlyString, removeBoxed } from '../../../src/core/trace/answer';

function check(text: string, expected: string | null, source?: string): void {
  const a = extractAnswer(text);
  if (expected === null) return assert.equal(a, null);
  assert.ok(a, `no answer in ${JSON.stringify(text)}`);
  assert.equal(a.text, expected);
  assert.equal(text.slice(a.start, a.end), a.text, 'offsets must point at the text');
  if (source) assert.equal(a.source, source);
}

type Case = [text: string, expected: string | null, source?: string];

const CASES: [string, Case[]][] = [
  ['boxed: nested braces, \\fbox, last of several, \\boxed with a space', [
    ['so \\boxed{\\frac{1}{\\sqrt{2}}} done', '\\frac{1}{\\sqrt{2}}', 'boxed'],
    ['\\fbox{42}', '42', 'boxed'],
    ['first \\boxed{1} then \\boxed{2}', '2', 'boxed'],
    ['$\\boxed 7$', '7', 'boxed'],
    ['set \\boxed{\\{1,2\\}}', '\\{1,2\\}', 'boxed'],
  ]],
  ['boxed: unbalanced last box (truncated) gives no boxed answer', [
    ['\\boxed{1} and later \\boxed{\\frac{1}{2', null],
  ]],
  ['answer tag; its box wins; a box in the reasoning does not override it', [
    ['<think>x</think>\n<answer>\n 17 \n</answer>', '17', 'answer-tag'],
    ['<think>\\boxed{3}</think><answer>5</answer>', '5', 'answer-tag'],
    ['<answer>so \\boxed{6}</answer>', '6', 'boxed'],
  ]],
  ['####, Answer: line, "the answer is", none', [
    ['blah\nAnswer: 12\n', '12', 'answer-line'],
    ['Therefore the answer is $3/4$.', '3/4', 'answer-line'],
    ['Final Answer: The final answer is $100$. I hope it is correct.', '100', 'answer-line'],
    ['**Answer:** 9', '9', 'answer-line'],
    ['work\n#### 1,234', '1,234', 'gsm8k'],
    // A numeric #### line wins over an answer line, before or after it (verl-hecate: "#### 17" then "…the answer is
    // correct"); a #### heading does not.
    ['Since the parsed answer is correct, the reward is 1.0.\n\n#### 21', '21', 'gsm8k'],
    ['#### 17\n\nThe reward is 1.0, indicating that the answer is correct.', '17', 'gsm8k'],
    ['is correct. `####` #### 50', '50', 'gsm8k'],
    ['#### $17.00\nThe answer is correct.', '$17.00', 'gsm8k'],
    ['#### Step 1: add\n3+4=7\n#### Step 2\nThe answer is 7.', '7', 'answer-line'],
    ['#### 1. Add the numbers\nThe answer is 7.', '7', 'answer-line'],
    ['#### Step 2: the total is 9', 'Step 2: the total is 9', 'gsm8k'],
    // Markdown code around the marker or the answer.
    ['so she needs 21.\n\n`#### 21`', '21', 'gsm8k'],
    ['Answer: `42`', '42', 'answer-line'],
    ['no answer here', null],
  ]],
];

for (const [title, cases] of CASES) {
  test(title, () => {
    for (const [text, expected, source] of cases) check(text, expected, source);
  });
}

test('UTF-16 offsets with astral characters before the answer', () => {
  const text = '😀😀 \\boxed{x}';
  const a = extractAnswer(text);
  assert.ok(a);
  assert.equal(a.start, text.lastIndexOf('x'));
});

test('verl last_boxed_only_string / remove_boxed parity quirks', () => {
  assert.equal(lastBoxedOnlyString('a \\boxed{1} b \\boxed{2}'), '\\boxed{2}');
  // Any "\boxed " wins over a later \boxed{…}, and runs to the next "$".
  assert.equal(lastBoxedOnlyString('$\\boxed 5$ then \\boxed{6}'), '\\boxed 5');
  assert.equal(lastBoxedOnlyString('only \\fbox{3}'), '\\fbox{3}');
  assert.equal(lastBoxedOnlyString('\\boxed{1'), null);
  assert.equal(lastBoxedOnlyString('none'), null);
  assert.equal(removeBoxed('\\boxed{12}'), '12');
  assert.equal(removeBoxed('\\fbox{3}'), null); // the Python asserts → compute_score 0
});
