// The trajectory parsers on small hand-written shapes: verl role-text, ChatML, Hermes tags in one turn, OpenAI
// chat messages with tool_calls objects, verifiers' JSON-string tool_calls, <tool_response> inside a user message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTextTrajectory } from '../../../src/core/trajectory/parse-text';
import { parseMessagesTrajectory } from '../../../src/core/trajectory/parse-messages';
import { trajectoryStats } from '../../../src/core/trajectory/trajectory';
import { toolsInPrompt } from '../../../src/core/trajectory/offered-tools';
import { callsInText } from '../../../src/core/trajectory/tool-call';
import { completionText } from '../../../src/core/run/sample-text';
import type { ChatMessage } from '../../../src/core/types';

const VERL = '<tool_call>\n{"name": "calc", "arguments": {"answer": "15"}}\n</tool_call>\nuser\n<tool_response>\nreward=0.0\n</tool_response>\nassistant\nSo the answer is 21.\n#### 21\n';

test('verl role-text: assistant / tool / assistant, spans cover only each turn, the call is parsed', () => {
  const t = parseTextTrajectory(VERL);
  assert.equal(t.shape, 'role-text');
  assert.match(t.evidence, /role words/);
  assert.deepEqual(t.turns.map((x) => x.role), ['assistant', 'tool', 'assistant']);
  assert.deepEqual(t.turns.map((x) => x.byModel), [true, false, true]);
  const [a, tool, b] = t.turns;
  assert.equal(VERL.slice(a.span!.start, a.span!.end), '<tool_call>\n{"name": "calc", "arguments": {"answer": "15"}}\n</tool_call>');
  assert.equal(VERL.slice(tool.span!.start, tool.span!.end), '<tool_response>\nreward=0.0\n</tool_response>');
  assert.equal(VERL.slice(b.span!.start, b.span!.end), 'So the answer is 21.\n#### 21\n');
  assert.deepEqual(a.toolCalls[0].arguments, { answer: '15' });
  assert.equal(a.toolCalls[0].name, 'calc');
  assert.equal(a.toolCalls[0].error, null);
  assert.deepEqual(trajectoryStats(t), { turns: 2, toolCalls: 1, malformed: 0, toolErrors: 0, byName: Object.assign(Object.create(null) as object, { calc: 1 }) });
});

test('a role word the model writes itself does not end its turn (no <tool_response> follows)', () => {
  const text = 'Let me check.\n<tool_call>\nuser\n<tool_call>\n{"name": "calc", "arguments": {"answer": "8"}}\n</tool_call>\nuser\n<tool_response>\nok\n</tool_response>\nassistant\nDone. #### 8';
  const t = parseTextTrajectory(text);
  assert.deepEqual(t.turns.map((x) => x.role), ['assistant', 'tool', 'assistant']);
  assert.equal(t.turns[0].toolCalls.length, 2);
  assert.equal(t.turns[0].toolCalls[0].error, 'unclosed <tool_call> tag');
  assert.equal(t.turns[0].toolCalls[1].error, null);
});

test('malformed calls: unclosed, arguments that are not JSON, no JSON at all', () => {
  const text = '<tool_call>\n{"name": "calc", "arguments": {"answer": More_Rocks}}\n</tool_call> <tool_call>\n#### 30\n</tool_call> <tool_call>\n{"name": "calc", "arguments": {"answer": "1"}}';
  const calls = callsInText(text, 0, text.length);
  assert.equal(calls.length, 3);
  assert.match(calls[0].error!, /^not JSON/);
  assert.equal(calls[0].name, 'calc', 'the name is still read for per-tool counts');
  assert.match(calls[1].error!, /^not JSON/);
  assert.equal(calls[1].name, null);
  assert.equal(calls[2].error, 'unclosed <tool_call> tag');
  assert.equal(text.slice(calls[2].span!.start, calls[2].span!.end), text.slice(text.lastIndexOf('<tool_call>')));
});

test('a malformed call quotes JSON.parse\'s own message, the first time and when the same body comes again', () => {
  const limitBefore = Error.stackTraceLimit;
  const bodies = ['{"name": <function-name>, "arguments": <args-json-object>}', '{"name": "calc", "arguments": {"a": 1}', '[1, 2,]'];
  const expected = bodies.map((b) => {
    try {
      JSON.parse(b);
      return 'parsed';
    } catch (e) {
      return `not JSON (${(e as Error).message})`;
    }
  });
  for (let round = 0; round < 3; round++) {
    const text = bodies.map((b) => `<tool_call>${b}</tool_call>`).join(' ');
    assert.deepEqual(callsInText(text, 0, text.length).map((c) => c.error), expected, `round ${round}`);
  }
  // Parsing with no stack frames captured leaves the setting as it was.
  assert.equal(Error.stackTraceLimit, limitBefore);
});

test('ChatML completions split on headers, <|im_end|> outside the turn text', () => {
  const text = 'Thinking<tool_call>{"name":"search","arguments":{"q":"x"}}</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>Error: rate limited</tool_response><|im_end|>\n<|im_start|>assistant\nThe answer is 4.<|im_end|>';
  const t = parseTextTrajectory(text);
  assert.equal(t.shape, 'chatml');
  assert.deepEqual(t.turns.map((x) => x.role), ['assistant', 'tool', 'assistant']);
  assert.equal(t.turns[2].text, 'The answer is 4.');
  assert.match(t.turns[1].error!, /Error/);
  assert.equal(trajectoryStats(t).toolErrors, 1);
});

test('a single turn with Hermes tags is "tagged"; plain text is "single"', () => {
  assert.equal(parseTextTrajectory('<think>hm</think><tool_call>{"name":"a","arguments":{}}</tool_call>').shape, 'tagged');
  const single = parseTextTrajectory('The user asked; the assistant said 4.');
  assert.equal(single.shape, 'single');
  assert.equal(single.turns.length, 1);
});

test('OpenAI messages: tool_calls objects with string arguments, tool results with ids; spans follow completionText', () => {
  const msgs: ChatMessage[] = [
    { role: 'assistant', content: 'Let me look.', reasoning: 'need data', toolCalls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"k": 1}' } }, { id: 'c2', type: 'function', function: { name: 'lookup', arguments: '{k: 2' } }] },
    { role: 'tool', content: '{"value": 3}', toolCallId: 'c1' },
    { role: 'tool', content: 'Traceback (most recent call last):\n  File…', toolCallId: 'c2' },
    { role: 'assistant', content: 'It is 3.' },
  ];
  const t = parseMessagesTrajectory(msgs);
  assert.equal(t.shape, 'messages');
  const joined = completionText(msgs);
  assert.equal(joined.slice(t.turns[0].span!.start, t.turns[0].span!.end), '<think>need data</think>Let me look.');
  assert.equal(joined.slice(t.turns[3].span!.start, t.turns[3].span!.end), 'It is 3.');
  assert.equal(t.turns[1].span, null, 'tool results are not part of the analysed text');
  assert.deepEqual(t.turns[0].toolCalls.map((c) => [c.id, c.name, c.error === null]), [['c1', 'lookup', true], ['c2', 'lookup', false]]);
  assert.match(t.turns[2].error!, /Traceback/);
  assert.deepEqual([t.turns[1].toolName, t.turns[2].toolName], ['lookup', 'lookup'], 'results named through tool_call_id');
  const { toolCalls, malformed, toolErrors, turns } = trajectoryStats(t);
  assert.deepEqual({ toolCalls, malformed, toolErrors, turns }, { toolCalls: 2, malformed: 1, toolErrors: 1, turns: 2 });
});

test('verifiers: tool_calls as JSON strings; <tool_response> in a user message is a tool turn', () => {
  const msgs: ChatMessage[] = [
    { role: 'assistant', content: '', toolCalls: ['{"id": "x", "function": {"arguments": "{\\"query\\": \\"q\\"}", "name": "search_pages"}, "type": "function"}'] },
    { role: 'user', content: '<tool_response>\n[1, 2]\n</tool_response>' },
    { role: 'assistant', content: 'Answer: 2' },
  ];
  const t = parseMessagesTrajectory(msgs);
  assert.deepEqual(t.turns.map((x) => x.role), ['assistant', 'tool', 'assistant']);
  assert.deepEqual(t.turns[0].toolCalls[0].arguments, { query: 'q' });
  assert.equal(t.turns[0].toolCalls[0].id, 'x');
  assert.equal(t.turns[1].toolName, 'search_pages', 'a result is named after the call it answers, in order');
});

test('tools offered in a Qwen prompt: the <tools> block, not the sentence naming the tags', () => {
  const prompt = 'signatures within <tools></tools> XML tags:\n<tools>\n{"type": "function", "function": {"name": "calc_gsm8k_reward", "parameters": {}}}\n{"name": "other"}\n</tools>\n';
  assert.deepEqual(toolsInPrompt(prompt), ['calc_gsm8k_reward', 'other']);
  assert.equal(toolsInPrompt('no tools here'), null);
});
