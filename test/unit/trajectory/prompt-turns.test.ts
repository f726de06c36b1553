// The prompt of a multi-turn sample as the transcript's first turns: chat message lists and chat-template strings
// (verl / sglang role words, ChatML) become system / user turns marked as prompt; a plain prompt stays text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { promptTurns } from '../../../src/core/trajectory/prompt-turns';
import { transcriptOf } from '../../../src/core/viewer/transcript';
import { toolsInPrompt } from '../../../src/core/trajectory/offered-tools';
import type { ChatMessage } from '../../../src/core/types';
import { fixture, needFixtures } from '../../support/fixtures';

test('role-word prompt: system and user turns, the generation header dropped', () => {
  const t = promptTurns('system\nYou are a math expert.\nuser\nWhat is 2+2?\nassistant\n');
  assert.deepEqual(t, [{ role: 'system', text: 'You are a math expert.' }, { role: 'user', text: 'What is 2+2?' }]);
});

test('ChatML prompt: headers and <|im_end|> stripped', () => {
  const t = promptTurns('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n');
  assert.deepEqual(t, [{ role: 'system', text: 'Be brief.' }, { role: 'user', text: 'Hi?' }]);
});

test('message list: every message a turn; plain text and no prompt give null', () => {
  const msgs: ChatMessage[] = [{ role: 'system', content: 'Use tools.' }, { role: 'user', content: 'Q?' }, { role: 'developer', content: 'd' }];
  assert.deepEqual(promptTurns(msgs), [{ role: 'system', text: 'Use tools.' }, { role: 'user', text: 'Q?' }, { role: 'system', text: 'd' }]);
  assert.equal(promptTurns('Solve 2+2. The user\nasks politely.'), null);
  assert.equal(promptTurns(null), null);
  assert.equal(promptTurns([]), null);
});

test('the transcript carries the prompt turns and the offered tools; long prompt messages are cut', () => {
  const completion = '<tool_call>\n{"name": "calc", "arguments": {"x": 1}}\n</tool_call>\nuser\n<tool_response>\n1\n</tool_response>\nassistant\nDone.';
  const prompt = `system\n${'x'.repeat(25_000)}\nuser\nQ?\nassistant\n`;
  const v = transcriptOf(completion, completion, { prompt, tools: ['calc'] });
  assert.ok(v && v.prompt);
  assert.deepEqual(v.prompt.map((p) => p.role), ['system', 'user']);
  assert.equal(v.prompt[0].text.length + v.prompt[0].omitted, 25_000);
  assert.ok(v.prompt[0].omitted > 0);
  assert.deepEqual(v.offeredTools, ['calc']);
  // The completion's turn indices (what flags' `turn` refers to) do not move.
  assert.deepEqual(v.turns.map((t) => t.index), [0, 1, 2]);
  assert.equal(transcriptOf(completion, completion)?.prompt, null);
});

const VERL = fixture('real2', 'verl-hecate', '2.jsonl');
const WIKI = fixture('real2', 'verifiers-wiki-search', 'results.jsonl');

test('real prompts: verl-hecate strings and wiki-search message lists are system + user turns', { skip: needFixtures(VERL, WIKI) }, () => {
  for (const line of readFileSync(VERL, 'utf8').trim().split('\n')) {
    const input = (JSON.parse(line) as { input: string }).input;
    const t = promptTurns(input);
    assert.ok(t, input.slice(0, 80));
    assert.deepEqual(t.map((x) => x.role), ['system', 'user']);
    // The tool schemas stay in the system turn, where the offered tools are read.
    assert.deepEqual(toolsInPrompt(t[0].text), toolsInPrompt(input));
    assert.ok(!t[1].text.endsWith('assistant'));
  }
  for (const line of readFileSync(WIKI, 'utf8').trim().split('\n')) {
    const prompt = (JSON.parse(line) as { prompt: ChatMessage[] }).prompt;
    const t = promptTurns(prompt);
    assert.deepEqual(t?.map((x) => x.role), ['system', 'user']);
    assert.equal(t?.[1].text, prompt[1].content);
  }
});
