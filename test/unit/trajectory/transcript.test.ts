// The sample view's transcript (src/core/viewer/transcript.ts): parts in order with offsets that point back into
// the completion, pretty-printed arguments, raw text kept for malformed calls, long tool results cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RESULT_CHARS, transcriptOf } from '../../../src/core/viewer/transcript';
import { completionText } from '../../../src/core/run/sample-text';
import type { ChatMessage } from '../../../src/core/types';

test('role-text: text, folded reasoning and call cards in order; bases point into the completion', () => {
  const text = 'Plan.<think>why</think>Calling.\n<tool_call>\n{"name": "calc", "arguments": {"answer": "7"}}\n</tool_call>\nuser\n<tool_response>\nok\n</tool_response>\nassistant\n<tool_call>\n{"name": "calc", "arguments": {x}}\n</tool_call>';
  const t = transcriptOf(text, text);
  assert.ok(t);
  assert.deepEqual(t.turns.map((x) => x.role), ['assistant', 'tool', 'assistant']);
  const parts = t.turns[0].parts;
  assert.deepEqual(parts.map((p) => p.kind), ['text', 'reasoning', 'text', 'call']);
  for (const p of parts) if (p.kind !== 'call' && p.base !== null) assert.equal(text.slice(p.base, p.base + p.text.length), p.text);
  const call = parts[3];
  assert.ok(call.kind === 'call');
  assert.equal(call.call.arguments, '{\n  "answer": "7"\n}');
  const bad = t.turns[2].parts.find((p) => p.kind === 'call');
  assert.ok(bad && bad.kind === 'call');
  assert.match(bad.call.error ?? '', /not JSON/);
  assert.equal(bad.call.arguments, '{"name": "calc", "arguments": {x}}', 'a malformed call keeps its text');
  assert.equal(t.turns[1].toolName, 'calc');
  assert.deepEqual({ ...t.stats, byName: { ...t.stats.byName } }, { turns: 2, toolCalls: 2, malformed: 1, toolErrors: 0, byName: { calc: 2 } });
});

test('messages: stored calls after the text, long results cut with the rest counted, single turns have no transcript', () => {
  const long = 'x'.repeat(MAX_RESULT_CHARS + 123);
  const msgs: ChatMessage[] = [
    { role: 'assistant', content: 'Searching.', toolCalls: [{ id: 'a', type: 'function', function: { name: 'search', arguments: '{"q": "<b>x</b>"}' } }] },
    { role: 'tool', content: long, toolCallId: 'a' },
    { role: 'assistant', content: 'Done.' },
  ];
  const t = transcriptOf(msgs, completionText(msgs));
  assert.ok(t);
  assert.deepEqual(t.turns[0].parts.map((p) => p.kind), ['text', 'call']);
  const res = t.turns[1];
  assert.equal(res.omitted, 123);
  assert.equal(res.parts[0].kind === 'text' ? res.parts[0].text.length : -1, MAX_RESULT_CHARS);
  assert.equal(res.toolName, 'search');
  assert.equal(transcriptOf('just one answer', 'just one answer'), null);
  assert.equal(transcriptOf([{ role: 'assistant', content: 'one' }], 'one'), null);
});
