// Trajectories stored as chat messages (verifiers, OpenAI / HF chat logs): assistant messages with `tool_calls`
// (objects or JSON strings) and/or Hermes `<tool_call>` tags in their content, `role: "tool"` results, and
// `<tool_response>` blocks inside user messages. Spans follow completionText()'s join (assistant messages only,
// '\n\n' between them, a separately stored reasoning as `<think>…</think>` in front), so per-turn flags line up.
import type { ChatMessage } from '../types';
import { callFromStored, callsInText } from './tool-call';
import { toolResultError } from './tool-result';
import { linkResults } from './link-results';
import type { Trajectory, Turn, TurnRole } from './types';

function roleOf(m: ChatMessage): TurnRole {
  if (m.role === 'assistant' || m.role === 'tool' || m.role === 'system') return m.role;
  if (m.role === 'user' && m.content.includes('<tool_response>')) return 'tool';
  if (m.role === 'function' || m.role === 'ipython') return 'tool';
  return 'user';
}

export function parseMessagesTrajectory(messages: readonly ChatMessage[]): Trajectory {
  const turns: Turn[] = [];
  let at = 0;
  let first = true;
  let stored = 0;
  let tagged = 0;
  let results = 0;
  messages.forEach((m, k) => {
    const role = roleOf(m);
    if (m.role === 'assistant') {
      if (!first) at += 2;
      first = false;
      const start = at;
      let joined = m.content;
      let contentAt = at;
      if (m.reasoning) {
        joined = `<think>${m.reasoning}</think>${m.content}`;
        contentAt = at + m.reasoning.length + '<think></think>'.length;
      }
      at += joined.length;
      const inText = callsInText(m.content, 0, m.content.length).map((c) => ({
        ...c, span: c.span && { start: c.span.start + contentAt, end: c.span.end + contentAt },
      }));
      const fromField = (m.toolCalls ?? []).map(callFromStored);
      stored += fromField.length;
      tagged += inText.length;
      turns.push({ role: 'assistant', byModel: true, text: m.content, reasoning: m.reasoning ?? null, span: { start, end: at }, message: k, toolCalls: [...inText, ...fromField] });
      return;
    }
    const turn: Turn = { role, byModel: false, text: m.content, reasoning: null, span: null, message: k, toolCalls: [] };
    if (role === 'tool') {
      results++;
      turn.toolCallId = m.toolCallId ?? null;
      turn.toolName = m.name ?? null;
      turn.error = toolResultError(m.content);
    }
    turns.push(turn);
  });
  linkResults(turns);
  const bits = [`${turns.filter((t) => t.role === 'assistant').length} assistant messages`];
  if (stored) bits.push(`${stored} \`tool_calls\` entries`);
  if (tagged) bits.push(`${tagged} <tool_call> tags in content`);
  if (results) bits.push(`${results} tool results`);
  return { shape: 'messages', evidence: `chat messages: ${bits.join(', ')}`, turns };
}
