// Names each tool result after the call it answers, for the transcript ("Tool result · search_pages"): by call id
// when both sides carry one, else in order (verifiers stores neither `tool_call_id` nor `name` on its results).
import type { Turn } from './types';

export function linkResults(turns: Turn[]): void {
  let pending: { id: string | null; name: string | null }[] = [];
  for (const t of turns) {
    if (t.byModel) {
      if (t.toolCalls.length > 0) pending = t.toolCalls.map((c) => ({ id: c.id, name: c.name }));
      continue;
    }
    if (t.role !== 'tool' || t.toolName) continue;
    const byId = t.toolCallId ? pending.findIndex((p) => p.id === t.toolCallId) : -1;
    if (byId >= 0) {
      t.toolName = pending[byId].name;
      pending.splice(byId, 1);
    } else if (t.message === null) {
      // One text turn answers every call of the model turn before it.
      const names = [...new Set(pending.map((p) => p.name).filter((n): n is string => n !== null))];
      t.toolName = names.length ? names.join(', ') : null;
      pending = [];
    } else if (pending.length > 0) {
      t.toolName = pending.shift()!.name;
    }
  }
}
