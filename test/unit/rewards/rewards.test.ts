import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  REWARDS, compareAnswers, computeRewards, describeDisagreement, isEquivHendrycks, repetitionPenaltyText, verlMathRewardScore,
} from '../../../src/core/rewards/index';

test('every reward has a name, description and parameter defaults; names are unique', () => {
  const names = new Set<string>();
  for (const r of REWARDS) {
    assert.ok(r.name && r.description.length > 20, r.name);
    assert.ok(!names.has(r.name), `duplicate ${r.name}`);
    names.add(r.name);
    for (const p of r.parameters) assert.notEqual(p.default, undefined);
  }
});

test('computeRewards: nulls where a reward does not apply', () => {
  const completion = '<think>\nI add 1 and 1.\n</think>\n<answer>\n\\boxed{2}\n</answer>';
  const r = computeRewards({ completion }, ['accuracy', 'format', 'format_openr1', 'soft_overlong', 'repetition_penalty_tokens', 'nope']);
  assert.equal(r['accuracy'], null);
  assert.equal(r['format'], 1);
  assert.equal(r['format_openr1'], 1);
  assert.equal(r['soft_overlong'], null);
  assert.equal(r['repetition_penalty_tokens'], null);
  assert.equal(r['nope'], null);
  assert.equal(computeRewards({ completion, gold: '2' }, ['accuracy'])['accuracy'], 1);
  assert.equal(computeRewards({ completion, gold: '$3$' }, ['accuracy'])['accuracy'], 0);
});

test('accuracy: strict thinking, implicit open via the prompt, gold forms', () => {
  assert.equal(computeRewards({ completion: '<think>so \\boxed{2}', gold: '2' }, ['accuracy'])['accuracy'], 0);
  assert.equal(computeRewards({ completion: '<think>so \\boxed{2}', gold: '2' }, ['accuracy'], { accuracy: { requireClosedThink: false } })['accuracy'], 1);
  assert.equal(computeRewards({ prompt: 'Q <think>\n', completion: 'hmm \\boxed{2}', gold: '2' }, ['accuracy'])['accuracy'], 0);
  assert.equal(computeRewards({ completion: '\\boxed{2\\sqrt{2}}', gold: '2\\sqrt{2}' }, ['accuracy'])['accuracy'], 1);
  // The bare-gold misparse of §7.3 does not happen here.
  assert.equal(computeRewards({ completion: '\\boxed{2}', gold: '2\\sqrt{2}' }, ['accuracy'])['accuracy'], 0);
  assert.equal(computeRewards({ completion: '\\boxed{C}', gold: ['\\text{(C)}', 'x'] }, ['accuracy'])['accuracy'], 1);
  assert.equal(computeRewards({ completion: '\\boxed{5}', gold: 5 }, ['accuracy'])['accuracy'], 1);
});

test('accuracy: normalisation cases and negative controls', () => {
  const eq = (g: string, p: string): boolean => compareAnswers(g, p).equal;
  assert.ok(eq('1000000', '1{,}000{,}000'));
  assert.ok(eq('3+4i', '4i+3'));
  assert.ok(eq('\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}', '\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}'));
  assert.ok(eq('45^\\circ', '\\frac{\\pi}{4}'));
  assert.ok(eq('x \\in (-\\infty, 2]', '(-\\infty,2]'));
  assert.ok(!eq('1000000', '1000001'));
  assert.ok(!eq('\\frac{1}{3}', '0.3'));
  assert.ok(!eq('(1,2)', '\\{1,2\\}'));
  assert.ok(!eq('[0,9)', '[0,1)'));
  assert.ok(!eq('x+1', 'y+1'));
  assert.ok(!eq('x < 1', 'x > -1'));
  assert.ok(!eq('3+4i', '3-4i'));
  assert.ok(!eq('Evelyn', 'Carla'));
});

test('describeDisagreement explains the verdict', () => {
  const s = describeDisagreement({ gold: '2', pred: '2\\sqrt{2}' });
  assert.match(s, /2\\sqrt\{2\} ≠ gold 2/);
  assert.match(describeDisagreement({ completion: 'so \\boxed{4}', gold: '5' }), /4 ≠ gold 5/);
});

test('format (R1 strict) vs open-r1 parity on the quirks', () => {
  const empty = '<think>\n\n</think>\n<answer>\nb\n</answer>';
  const trailing = '<think>\na\n</think>\n<answer>\nb\n</answer>\ntrailing garbage';
  const r = (c: string) => computeRewards({ completion: c }, ['format', 'format_openr1']);
  assert.deepEqual(r(empty), { format: 0, format_openr1: 1 });
  assert.deepEqual(r(trailing), { format: 0, format_openr1: 1 });
  assert.deepEqual(r('<think>a</think> <answer>b</answer>'), { format: 1, format_openr1: 0 });
  // CRLF: the Python regex rejects it; the strict check normalises it.
  assert.deepEqual(r('<think>\r\na\r\n</think>\r\n<answer>\r\nb\r\n</answer>'), { format: 1, format_openr1: 0 });
  assert.equal(computeRewards({ prompt: 'x <think>', completion: 'a</think><answer>b</answer>' }, ['format'])['format'], 1);
});

test('repetition: zh mode (approximate parity with jieba)', () => {
  assert.ok(Math.abs(repetitionPenaltyText('这个这个这个这个这个', 2, -1, 'zh') - -0.75) < 1e-9);
});

test('language_consistency (R1 Eq. 7)', () => {
  const r = (c: string, t: string) => computeRewards({ completion: c, targetLanguage: t }, ['language_consistency'])['language_consistency'];
  assert.equal(r('<think>We compute the sum $x+y$ carefully.</think>', 'en'), 1);
  const mixed = r('<think>首先我们计算 then we check the answer</think>', 'zh');
  assert.ok(mixed !== null && mixed > 0 && mixed < 1);
  assert.equal(computeRewards({ completion: 'text' }, ['language_consistency'])['language_consistency'], null);
});

test('Hendrycks (verl) parity spot checks from docs/rewards.md §9.2', () => {
  assert.equal(isEquivHendrycks('3', '3.0'), false);
  assert.equal(isEquivHendrycks('1000', '1,000'), false);
  assert.equal(isEquivHendrycks('10\\%', '10'), true);
  assert.equal(isEquivHendrycks('\\frac{1}{2}', '0.5'), true);
  assert.equal(isEquivHendrycks('\\frac{1}{2}', '\\frac12'), true);
  assert.equal(isEquivHendrycks('3', 'x=3'), true);
  assert.equal(verlMathRewardScore('\\fbox{3}', '3'), 0);
  assert.equal(verlMathRewardScore('so \\boxed{\\dfrac{1}{2}}', '\\frac{1}{2}'), 1);
});

test('accuracy timing: warm comparisons stay well under the time limit', () => {
  const pairs: [string, string][] = [['\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}'], ['(x+1)^2', 'x^2+2x+1'], ['2\\pi', '6.283185'], ['\\{1,2\\}', '\\{2,1\\}']];
  for (const [g, p] of pairs) compareAnswers(g, p, { precision: 7 });
  const t0 = performance.now();
  let n = 0;
  for (let k = 0; k < 20; k++) for (const [g, p] of pairs) { compareAnswers(`${g} `.repeat(1).trim() + ' '.repeat(k), p); n++; }
  const per = (performance.now() - t0) / n;
  console.log(`accuracy: ${per.toFixed(2)} ms per comparison (warm, uncached)`);
  assert.ok(per < 50);
});
