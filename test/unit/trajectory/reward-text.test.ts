// Rewards of multi-turn samples read the model's own text: a \boxed{} or a foreign-language page inside a tool's
// reply is not the model answering or drifting, and the format is judged on the turn that ends the episode.
// Single-turn samples are scored on the whole completion exactly as before (reward vectors: rewards tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeRewards } from '../../../src/core/rewards/registry';
import type { RewardInput } from '../../../src/core/rewards/types';
import { rewardModelText } from '../../../src/core/trajectory/reward-text';
import { completionText } from '../../../src/core/run/sample-text';
import type { ChatMessage, TextOrMessages } from '../../../src/core/types';
import { cli } from '../../support/cli';
import { fixture, needFixtures } from '../../support/fixtures';

const NAMES = ['accuracy', 'accuracy_hendrycks', 'format', 'format_openr1', 'think_format_trl', 'tag_count', 'language_consistency', 'repetition_penalty', 'reasoning_steps'];

function score(c: TextOrMessages, extra: Partial<RewardInput> = {}): Record<string, number | null> {
  const text = completionText(c);
  return computeRewards({ completion: text, modelText: rewardModelText(c, text), ...extra }, NAMES);
}

/** The same sample scored the old way: the whole completion string, tool replies included. */
function scoreWhole(c: TextOrMessages, extra: Partial<RewardInput> = {}): Record<string, number | null> {
  return computeRewards({ completion: completionText(c), ...extra }, NAMES);
}

const CALL = '<tool_call>\n{"name": "search", "arguments": {"q": "x"}}\n</tool_call>';

test('a boxed answer inside a tool result does not count (role-text, episode ends on the tool reply)', () => {
  const c = `Let me look it up.\n${CALL}\nuser\n<tool_response>\nThe answer is \\boxed{42}.\n</tool_response>`;
  assert.equal(scoreWhole(c, { gold: '42' }).accuracy, 1, 'the old reading took the tool\'s boxed');
  const s = score(c, { gold: '42' });
  assert.equal(s.accuracy, 0);
  assert.equal(s.accuracy_hendrycks, 0);
});

test('the final answer is the last model turn\'s; an earlier tool reply\'s boxed is ignored', () => {
  const right = `${CALL}\nuser\n<tool_response>\n\\boxed{7}\n</tool_response>\nassistant\nSo the total is \\boxed{42}.`;
  assert.equal(score(right, { gold: '42' }).accuracy, 1);
  const wrong = `${CALL}\nuser\n<tool_response>\n\\boxed{42}\n</tool_response>\nassistant\nSo the total is \\boxed{7}.`;
  assert.equal(score(wrong, { gold: '42' }).accuracy, 0);
  // The model's last turn without an answer: nothing counts, not even a boxed the model wrote in an earlier turn.
  const earlier = `I think \\boxed{42}.\n${CALL}\nuser\n<tool_response>\nok\n</tool_response>\nassistant\nDone.`;
  assert.equal(score(earlier, { gold: '42' }).accuracy, 0);
});

test('language consistency reads the model turns only: a Chinese tool reply is not mixing, Chinese model text is', () => {
  const page = '<tool_response>\n北京是中华人民共和国的首都，也是全国的政治和文化中心，人口超过两千万。\n</tool_response>';
  // Untagged turns: the whole turn is the reasoning, as for an untagged single-turn completion.
  const c = `I should search for the capital city first.\n${CALL}\nuser\n${page}\nassistant\nThe page says the capital is Beijing, so the capital is Beijing.`;
  assert.ok((scoreWhole(c, { targetLanguage: 'en' }).language_consistency ?? 1) < 1, 'the old reading counted the page');
  assert.equal(score(c, { targetLanguage: 'en' }).language_consistency, 1);
  const mixed = c.replace('The page says the capital is Beijing,', '页面说首都是北京，人口超过两千万，');
  const r = score(mixed, { targetLanguage: 'en' }).language_consistency;
  assert.ok(r !== null && r < 0.9, `model's own Chinese still counts: ${r}`);
});

test('format rewards judge the turn that ends the episode; earlier turns stop at a call', () => {
  const c = `<think>\nI need the tool.\n</think>\n${CALL}\nuser\n<tool_response>\n42\n</tool_response>\nassistant\n<think>\nThe tool said 42.\n</think>\n<answer>\n42\n</answer>`;
  const old = scoreWhole(c);
  assert.equal(old.format, 0);
  assert.equal(old.tag_count, 0.5);
  const s = score(c);
  assert.equal(s.format, 1);
  assert.equal(s.format_openr1, 1);
  assert.equal(s.think_format_trl, 1);
  assert.equal(s.tag_count, 1);
});

test('messages: tool messages are never read; the answer is in the last assistant message', () => {
  const messages: ChatMessage[] = [
    { role: 'assistant', content: 'Maybe \\boxed{42}. Let me check.', toolCalls: ['{"name": "search", "arguments": {"q": "x"}}'] },
    { role: 'tool', content: 'The answer is \\boxed{42}' },
    { role: 'assistant', content: 'The answer is \\boxed{41}.' },
  ];
  assert.equal(score(messages, { gold: '42' }).accuracy, 0);
  assert.equal(score(messages, { gold: '41' }).accuracy, 1);
  assert.equal(score(messages.slice(0, 2), { gold: '42' }).accuracy, 0, 'an episode ending on a tool message has no final answer');
});

test('single-turn completions get no model text and score exactly as the whole string', () => {
  const cases: TextOrMessages[] = [
    '<think>\n2+2 is 4\n</think>\n<answer>\n\\boxed{4}\n</answer>',
    'user\nnot a turn, only text \\boxed{4}',
    [{ role: 'assistant', content: '\\boxed{4}', reasoning: 'two and two' }],
  ];
  for (const c of cases) {
    assert.equal(rewardModelText(c, completionText(c)), null);
    assert.deepEqual(score(c, { gold: '4', targetLanguage: 'en' }), scoreWhole(c, { gold: '4', targetLanguage: 'en' }));
  }
});

const VERL = fixture('real2', 'verl-hecate', '2.jsonl');
const WIKI = fixture('real2', 'verifiers-wiki-search', 'results.jsonl');

test('verl-hecate: the rewards\' model text never holds a tool reply; the last turn ends the episode', { skip: needFixtures(VERL) }, () => {
  const rows = readFileSync(VERL, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output: string });
  let multi = 0;
  let endsOnReply = 0;
  let selfWritten = 0;
  for (const r of rows) {
    const m = rewardModelText(r.output, r.output);
    if (!m) continue;
    multi++;
    // The environment's replies come after a `user` role line; none is in the text the rewards read.
    for (const part of [m.final, m.own, m.reasoning]) assert.ok(!part.includes('user\n<tool_response>'), r.output.slice(0, 200));
    // One model writes `assistant\n<tool_response>…` itself after an unclosed call: that is its own (invented) text.
    if (m.own.includes('<tool_response>')) selfWritten++;
    assert.ok(!m.reasoning.includes('<tool_call>'));
    // After the last reply the model's final turn is the tail of the string, its answer line included.
    const lastReply = r.output.lastIndexOf('</tool_response>');
    if (lastReply >= 0 && r.output.slice(lastReply).includes('\nassistant\n')) assert.ok(r.output.endsWith(m.final), m.final);
    if (m.final === '') endsOnReply++;
  }
  assert.ok(multi > 900, `${multi} multi-turn samples`);
  assert.equal(selfWritten, 1);
  assert.ok(endsOnReply > 0 && endsOnReply < 100, `${endsOnReply} episodes end on a tool reply`);
});

test('verl-style dump through the CLI: a boxed in a tool reply is not the answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-reward-text-'));
  try {
    const path = join(dir, 'dump.jsonl');
    const prompt = 'system\nUse the tools.\nuser\nWhat is 6 times 7?\nassistant\n';
    const rows = [
      { input: prompt, output: `${CALL}\nuser\n<tool_response>\n\\boxed{42}\n</tool_response>`, score: 1, step: 1, gts: '42' },
      { input: prompt, output: `${CALL}\nuser\n<tool_response>\n\\boxed{41}\n</tool_response>\nassistant\nSo it is \\boxed{42}.`, score: 1, step: 1, gts: '42' },
      { input: prompt, output: 'It is \\boxed{42}.', score: 1, step: 1, gts: '42' },
    ];
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = cli(['score', path, '--json', '--rewards', 'accuracy']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { scores: { accuracy: number | null } });
    assert.deepEqual(lines.map((l) => l.scores.accuracy), [0, 1, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verifiers wiki-search: completionText already leaves tool messages out, so nothing changes but the final turn', { skip: needFixtures(WIKI) }, () => {
  const rows = readFileSync(WIKI, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { completion: { role: string; content: string }[] });
  for (const r of rows) {
    const messages: ChatMessage[] = r.completion.map((m) => ({ role: m.role, content: m.content ?? '' }));
    const text = completionText(messages);
    const m = rewardModelText(messages, text);
    assert.ok(m);
    const toolText = messages.filter((x) => x.role === 'tool').map((x) => x.content);
    for (const t of toolText) if (t.length > 40) assert.ok(!m.own.includes(t));
    const last = messages[messages.length - 1];
    assert.equal(m.final, last.role === 'assistant' ? last.content : '');
  }
});
