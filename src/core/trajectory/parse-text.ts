// Trajectories written as one string: verl / sglang multi-turn dumps decoded without special tokens (turns start
// with a role word alone on a line: `user\n<tool_response>…`, `assistant\n…`), the same with ChatML tokens
// (`<|im_start|>user\n…<|im_end|>`), and a single turn holding Hermes / Qwen `<tool_call>` tags. The completion
// starts inside the first assistant turn (the prompt ends with the assistant header). Cheap when there is nothing
// to find: a few indexOf scans.
import { callsInText } from './tool-call';
import { toolResultError } from './tool-result';
import { linkResults } from './link-results';
import type { Trajectory, Turn, TurnRole } from './types';

// No capture groups and no `(^|\n)` alternative: irregexp scans for these several times faster (a role line at the
// very start of the text is checked apart, see leadingRoleLine), and the four roles differ in their first letter.
const ROLE_LINE = /\n(?:user|assistant|tool|system)\n/g;
const CHATML = /<\|im_start\|>(?:user|assistant|tool|system)\n/g;
/** Where the role word starts in a match of ROLE_LINE ('\n') and of CHATML ('<|im_start|>'). */
const ROLE_LINE_ROLE = 1;
const CHATML_ROLE = 12;
const ROLE_LINES = ['user\n', 'assistant\n', 'tool\n', 'system\n'];
const IM_END = '<|im_end|>';

interface RawTurn {
  role: TurnRole;
  start: number;
  end: number;
}

function splitThink(text: string): { text: string; reasoning: string | null } {
  const open = text.indexOf('<think>');
  const close = text.indexOf('</think>');
  if (close < 0) return open < 0 ? { text, reasoning: null } : { text: text.slice(0, open), reasoning: text.slice(open + 7) };
  const from = open >= 0 && open < close ? open + 7 : 0;
  const before = open >= 0 && open < close ? text.slice(0, open) : '';
  return { text: before + text.slice(close + 8), reasoning: text.slice(from, close) };
}

function turnOf(text: string, t: RawTurn): Turn {
  const body = text.slice(t.start, t.end);
  const byModel = t.role === 'assistant';
  // A user turn that carries <tool_response> is the environment answering a call (Qwen / Hermes template).
  const role: TurnRole = t.role === 'user' && body.includes('<tool_response>') ? 'tool' : t.role;
  const { text: visible, reasoning } = byModel ? splitThink(body) : { text: body, reasoning: null };
  const turn: Turn = {
    role, byModel, text: visible, reasoning, span: { start: t.start, end: t.end }, message: null,
    toolCalls: byModel ? callsInText(text, t.start, t.end) : [],
  };
  if (role === 'tool') {
    turn.toolCallId = null;
    turn.toolName = null;
    turn.error = toolResultError(body);
  }
  return turn;
}

/**
 * Without special tokens a role word is only text, and models do write `user` or `assistant` lines themselves
 * (verl-hecate: `<tool_call>\nuser\n<tool_call>…` inside one generation). So a role line switches turns only where
 * the environment can speak: it ends a model turn only when a `<tool_response>` follows it (the environment
 * answering a call), and an `assistant` line starts a model turn only after an environment turn.
 */
function isBoundary(text: string, from: TurnRole, to: TurnRole, after: number): boolean {
  if (from === 'assistant') return to !== 'assistant' && text.startsWith('<tool_response>', after + (text.charCodeAt(after) === 10 ? 1 : 0));
  return true;
}

/** The role word starting at `i` (one of the four: they differ in their first letter). */
function roleAt(text: string, i: number): TurnRole {
  const c = text.charCodeAt(i);
  return c === 117 ? 'user' : c === 97 ? 'assistant' : c === 116 ? 'tool' : 'system';
}

/** Length of a role line at the very start of the text (`user\n`…), 0 when there is none. */
function leadingRoleLine(text: string): number {
  for (const line of ROLE_LINES) if (text.startsWith(line)) return line.length;
  return 0;
}

/**
 * Turns split at the matches of `re` (its role word `roleOffset` characters into each match). `lineAtStart`: a role
 * line at offset 0, with no newline before it, is a marker too (ROLE_LINE's text form).
 */
function splitOn(text: string, re: RegExp, roleOffset: number, guarded: boolean, lineAtStart: boolean): { turns: RawTurn[]; counts: Record<string, number> } {
  const turns: RawTurn[] = [];
  const counts: Record<string, number> = {};
  let role: TurnRole = 'assistant';
  let start = 0;
  // The current marker: text[index, end), its role word at rolePos; index -1 when there is none left.
  let index = -1;
  let end = 0;
  let rolePos = 0;
  const head = lineAtStart ? leadingRoleLine(text) : 0;
  re.lastIndex = 0;
  const next = (): void => {
    const m = re.exec(text);
    if (m === null) {
      index = -1;
      return;
    }
    index = m.index;
    end = m.index + m[0].length;
    rolePos = index + roleOffset;
  };
  if (head > 0) {
    index = 0;
    end = head;
    rolePos = 0;
    re.lastIndex = head;
  } else next();
  while (index >= 0) {
    const r = roleAt(text, rolePos);
    if (guarded && !isBoundary(text, role, r, end)) {
      // Not a turn change: let the next search start inside this line's newline so `\nuser\n\nuser\n` still finds both.
      re.lastIndex = end - 1;
    } else {
      turns.push({ role, start, end: index });
      counts[r] = (counts[r] ?? 0) + 1;
      role = r;
      start = end;
    }
    next();
  }
  turns.push({ role, start, end: text.length });
  // The completion usually starts right at a tool call or a header: drop an empty leading assistant turn only
  // when a header follows immediately (nothing was written before it).
  if (turns.length > 1 && turns[0].end === turns[0].start) turns.shift();
  return { turns, counts };
}

function linked(turns: Turn[]): Turn[] {
  linkResults(turns);
  return turns;
}

function countsText(counts: Record<string, number>): string {
  // Built by concatenation (one evidence string per multi-turn sample): no array of pairs, mapped array or join.
  let out = '';
  for (const r in counts) out += `${out === '' ? '' : ', '}${counts[r]} \`${r}\``;
  return out;
}

/** The trajectory of a text completion; shape 'single' (one assistant turn, no calls) when nothing agentic is in it. */
export function parseTextTrajectory(text: string): Trajectory {
  const hasChatml = text.includes('<|im_start|>');
  if (hasChatml) {
    const { turns, counts } = splitOn(text, CHATML, CHATML_ROLE, false, false);
    for (const t of turns) {
      const e = text.lastIndexOf(IM_END, t.end);
      if (e >= t.start) t.end = e;
    }
    return { shape: 'chatml', evidence: `ChatML headers in the completion: ${countsText(counts)}`, turns: linked(turns.map((t) => turnOf(text, t))) };
  }
  const hasResponse = text.includes('<tool_response>');
  const hasAssistantLine = text.includes('\nassistant\n');
  if (hasResponse || hasAssistantLine) {
    const { turns, counts } = splitOn(text, ROLE_LINE, ROLE_LINE_ROLE, true, true);
    if (turns.length > 1) {
      return {
        shape: 'role-text',
        evidence: `role words alone on a line in the completion (${countsText(counts)})${hasResponse ? ', <tool_response> replies' : ''}`,
        turns: linked(turns.map((t) => turnOf(text, t))),
      };
    }
  }
  const only: RawTurn = { role: 'assistant', start: 0, end: text.length };
  if (text.includes('<tool_call>')) {
    return { shape: 'tagged', evidence: '<tool_call> tags in a single assistant turn', turns: [turnOf(text, only)] };
  }
  // The common case on every sample of single-turn files: no copy of the text (no <think> split; nothing shows it).
  return { shape: 'single', evidence: 'one assistant turn', turns: [{ role: 'assistant', byModel: true, text, reasoning: null, span: { start: 0, end: text.length }, message: null, toolCalls: [] }] };
}
