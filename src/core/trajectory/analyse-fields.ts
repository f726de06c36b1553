// What analyseCompletion needs besides the text to analyse a sample per turn: the completion's messages (tool calls
// live in their fields) and the tools its prompt offers. Tools are looked up only when the completion calls one.
import type { ChatMessage, Sample } from '../types';
import { offeredTools } from './offered-tools';

export interface AgenticFields {
  messages: ChatMessage[] | null;
  tools: string[] | null;
}

function callsATool(c: Sample['completion']): boolean {
  if (typeof c === 'string') return c.includes('<tool_call>');
  return c.some((m) => (m.toolCalls !== undefined && m.toolCalls.length > 0) || m.content.includes('<tool_call>'));
}

export function agenticFields(s: Sample): AgenticFields {
  return {
    messages: typeof s.completion === 'string' ? null : s.completion,
    tools: callsATool(s.completion) ? offeredTools(s) : null,
  };
}
