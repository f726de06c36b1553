// Program extraction with open-r1 `extract_code` behaviour (docs/rewards.md §3.1): the last ```python\n block, nothing
// when there is none (open-r1 then runs an empty program; we score 0 with the reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractProgram } from '../../../src/core/code/extract-program';

const F = '```';

test('the last ```python block wins when there are several (a draft, then the fix)', () => {
  const c = `<think>\n${F}python\nprint(0)\n${F}\n</think>\n${F}python\nprint(sum(map(int, input().split())))\n${F}`;
  const p = extractProgram(c);
  assert.equal(p.blocks, 2);
  assert.equal(p.code, 'print(sum(map(int, input().split())))\n');
});

test('no block at all: no program, reason "no code block"', () => {
  const p = extractProgram('<answer>a + b</answer>');
  assert.equal(p.code, null);
  assert.equal(p.reason, 'no code block');
});

test('the fence tag is literal, as in open-r1: ```py and ``` do not count, and the reason names them', () => {
  const p = extractProgram(`${F}py\nprint(1)\n${F}\ntext\n${F}\nprint(2)\n${F}`);
  assert.equal(p.code, null);
  assert.equal(p.reason, 'no ```python block (found ```py, ```)');
});

test('an unclosed block is not a block (the regex needs the closing fence)', () => {
  assert.equal(extractProgram(`${F}python\nwhile True:\n    pass`).code, null);
});

test('another language comes from the caller', () => {
  assert.equal(extractProgram(`${F}cpp\nint main(){}\n${F}`, 'cpp').code, 'int main(){}\n');
});
