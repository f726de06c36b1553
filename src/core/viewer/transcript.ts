// The sample view's transcript of a multi-turn / agentic completion: each turn's text cut into its pieces in order
// (text, reasoning, tool-call cards), with the offsets into the analysed completion string that flag marks need.
// Very long tool results are cut before they are posted (the webview expands what it got; the file keeps the rest).
import type { TextOrMessages } from '../types';
import type { TranscriptCall, TranscriptPart, TranscriptPromptTurn, TranscriptTurn, TranscriptView } from '../../protocol/viewer-protocol';
import { promptTurns } from '../trajectory/prompt-turns';
import { completionTrajectory, isMultiTurn, trajectoryStats } from '../trajectory/trajectory';
import type { ToolCall, Turn } from '../trajectory/types';

/** Characters of one environment turn posted to the webview; the rest is counted in `omitted`. */
export const MAX_RESULT_CHARS = 20_000;

function callView(c: ToolCall): TranscriptCall {
  let args: string;
  if (c.error === null && c.arguments !== null) args = JSON.stringify(c.arguments, null, 2);
  else args = c.raw.trim();
  return { name: c.name, id: c.id, arguments: args, error: c.error, span: c.span };
}

/** Text of `text` in [from, to): text pieces around the calls written inside it, then `<think>` blocks folded. */
function textParts(text: string, from: number, to: number, calls: readonly ToolCall[]): TranscriptPart[] {
  const out: TranscriptPart[] = [];
  const inside = calls.filter((c) => c.span !== null && c.span.start >= from && c.span.end <= to).sort((a, b) => a.span!.start - b.span!.start);
  let at = from;
  const pushText = (a: number, b: number): void => {
    if (b <= a) return;
    let i = a;
    // A <think>…</think> block (closed or not) becomes a folded reasoning part.
    for (;;) {
      const open = text.indexOf('<think>', i);
      if (open < 0 || open >= b) break;
      const close = text.indexOf('</think>', open);
      const end = close < 0 || close >= b ? b : close;
      if (text.slice(i, open).trim()) out.push({ kind: 'text', text: text.slice(i, open), base: i });
      out.push({ kind: 'reasoning', text: text.slice(open + 7, end), base: open + 7 });
      i = end === b ? b : end + 8;
    }
    if (i < b && text.slice(i, b).trim()) out.push({ kind: 'text', text: text.slice(i, b), base: i });
  };
  for (const c of inside) {
    pushText(at, c.span!.start);
    out.push({ kind: 'call', call: callView(c) });
    at = c.span!.end;
  }
  pushText(at, to);
  return out;
}

function turnView(turn: Turn, k: number, text: string): TranscriptTurn {
  const v: TranscriptTurn = { index: k, role: turn.role, byModel: turn.byModel, parts: [], omitted: 0 };
  if (turn.role === 'tool') {
    v.toolName = turn.toolName ?? null;
    v.toolCallId = turn.toolCallId ?? null;
    v.error = turn.error ?? null;
  }
  if (turn.span && turn.byModel) {
    v.parts = textParts(text, turn.span.start, turn.span.end, turn.toolCalls);
  } else {
    const body = turn.span ? text.slice(turn.span.start, turn.span.end) : turn.text;
    const cut = body.length > MAX_RESULT_CHARS;
    v.parts = [{ kind: 'text', text: cut ? body.slice(0, MAX_RESULT_CHARS) : body, base: turn.span ? turn.span.start : null }];
    v.omitted = cut ? body.length - MAX_RESULT_CHARS : 0;
  }
  // Calls stored in message fields (`tool_calls`) come after the turn's text.
  for (const c of turn.toolCalls) if (c.span === null) v.parts.push({ kind: 'call', call: callView(c) });
  return v;
}

function promptView(prompt: TextOrMessages | null): TranscriptPromptTurn[] | null {
  const turns = promptTurns(prompt);
  if (!turns) return null;
  return turns.map((t) => {
    const cut = t.text.length > MAX_RESULT_CHARS;
    return { role: t.role, text: cut ? t.text.slice(0, MAX_RESULT_CHARS) : t.text, omitted: cut ? t.text.length - MAX_RESULT_CHARS : 0 };
  });
}

/** What the transcript shows before the completion: the sample's prompt and the tools it offers. */
export interface TranscriptPrompt {
  prompt: TextOrMessages | null;
  tools: string[] | null;
}

/** The transcript of a completion; null when it is a single turn without tool calls (the plain completion view). */
export function transcriptOf(completion: TextOrMessages, text: string, before?: TranscriptPrompt): TranscriptView | null {
  const t = completionTrajectory(completion);
  if (!isMultiTurn(t)) return null;
  const stats = trajectoryStats(t);
  const byName: Record<string, number> = {};
  for (const [name, n] of Object.entries(stats.byName)) Object.defineProperty(byName, name, { value: n, enumerable: true, writable: true, configurable: true });
  return {
    shape: t.shape,
    evidence: t.evidence,
    turns: t.turns.map((turn, k) => turnView(turn, k, text)),
    stats: { turns: stats.turns, toolCalls: stats.toolCalls, malformed: stats.malformed, toolErrors: stats.toolErrors, byName },
    prompt: before ? promptView(before.prompt) : null,
    offeredTools: before?.tools ?? null,
  };
}
