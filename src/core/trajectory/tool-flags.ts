// Findings about the agent loop itself (flag kind 'tool'): malformed calls, calls to tools the prompt does not
// offer, the same call repeated back to back, tool results that are errors, and episodes that end on a tool call
// or result with no final answer (what a turn limit leaves behind). Each flag names its turn.
import type { Flag } from '../types';
import type { TextSpan, ToolCall, Trajectory, Turn } from './types';

function argsKey(c: ToolCall): string {
  return `${c.name ?? ''}\u0000${c.arguments !== null ? JSON.stringify(c.arguments) : c.raw.trim()}`;
}

/** A span for a finding: the call's own text, else its turn, else a point at the end of the previous model turn. */
function where(turns: readonly Turn[], k: number, span: TextSpan | null): TextSpan {
  if (span) return span;
  const own = turns[k].span;
  if (own) return own;
  for (let i = k - 1; i >= 0; i--) {
    const s = turns[i].span;
    if (s) return { start: s.end, end: s.end };
  }
  return { start: 0, end: 0 };
}

/** How much of a long text short() normalises first (it keeps at most 80 characters). */
const PREFIX = 512;

function short(s: string, n = 60): string {
  // A tool's reply or a call's code can run to many kilobytes, and only the first n characters are kept: normalise a
  // prefix. Collapsing whitespace is local, so the prefix's result is a prefix of the whole's; once it has n + 2
  // characters after the leading whitespace, one of the characters at n and n + 1 is not a space (runs are one space
  // long), so the whole text is longer than n and its first n characters are these.
  if (s.length > PREFIX) {
    const p = s.slice(0, PREFIX).replace(/\s+/g, ' ').trimStart();
    if (p.length >= n + 2) return `${p.slice(0, n)}…`;
  }
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

export interface ToolFlagOptions {
  /** Tools the prompt offers (null: unknown, no unknown-tool findings). */
  tools?: readonly string[] | null;
  /** The last model turn holds a final answer. */
  answered: boolean;
}

export function toolFlags(t: Trajectory, opts: ToolFlagOptions): Flag[] {
  const flags: Flag[] = [];
  const offered = opts.tools && opts.tools.length > 0 ? new Set(opts.tools) : null;
  let prev: { key: string; turn: number } | null = null;
  let calls = 0;
  t.turns.forEach((turn, k) => {
    for (const c of turn.toolCalls) {
      calls++;
      const at = where(t.turns, k, c.span);
      if (c.error) {
        flags.push({
          kind: 'tool', field: 'completion', ...at, turn: k, code: 'malformed-call', severity: 'error',
          message: `Malformed tool call${c.name ? ` to ${c.name}` : ''}: ${c.error}`,
          evidence: { call: short(c.raw) },
        });
      }
      if (offered && c.name !== null && !offered.has(c.name)) {
        flags.push({
          kind: 'tool', field: 'completion', ...at, turn: k, code: 'unknown-tool', severity: 'error',
          message: `Call to ${c.name}, a tool the prompt does not offer (offered: ${[...offered].join(', ')})`,
          evidence: { tool: c.name },
        });
      }
      const key = argsKey(c);
      if (prev && prev.key === key) {
        // Information, not a warning: a wasted call, not a broken episode. On verl-hecate 318 of them (re-checking the
        // same answer with the reward tool) would otherwise outrank the run's language and repetition findings.
        flags.push({
          kind: 'tool', field: 'completion', ...at, turn: k, code: 'repeated-call', severity: 'info',
          message: `The same call${c.name ? ` to ${c.name}` : ''} as the one just before (turn ${prev.turn + 1}), with the same arguments`,
          evidence: { call: short(c.raw) },
        });
      }
      prev = { key, turn: k };
    }
    if (turn.error) {
      flags.push({
        kind: 'tool', field: 'completion', ...where(t.turns, k, null), turn: k, code: 'tool-error', severity: 'warning',
        message: `Tool result is an error (${turn.error}): “${short(turn.text, 80)}”`,
      });
    }
  });
  if (calls > 0 && !opts.answered) {
    const lastModel = t.turns.map((x) => x.byModel).lastIndexOf(true);
    const last = t.turns[t.turns.length - 1];
    const endsOnCall = lastModel >= 0 && t.turns[lastModel].toolCalls.length > 0 && (lastModel === t.turns.length - 1 || !last.byModel);
    if (!last.byModel || endsOnCall) {
      const k = t.turns.length - 1;
      flags.push({
        kind: 'tool', field: 'completion', ...where(t.turns, k, null), turn: k, code: 'no-final-answer', severity: 'warning',
        message: `The episode stops on a tool ${last.byModel ? 'call' : 'result'} after ${calls} call${calls === 1 ? '' : 's'} without a final answer (turn limit reached?)`,
      });
    }
  }
  return flags;
}
