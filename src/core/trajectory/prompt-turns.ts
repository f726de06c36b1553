// The prompt of a multi-turn sample as transcript turns: a chat message list (system, user, earlier turns), or a
// prompt string that the writer decoded from a chat template (ChatML headers, or verl / sglang role words alone on
// a line: `system\n…\nuser\n…\nassistant\n`). The trailing empty assistant header (the generation prompt) is not a
// turn. A prompt without that structure gives null and is shown as the plain prompt text.
import type { TextOrMessages } from '../types';
import type { TurnRole } from './types';

export interface PromptTurn {
  role: TurnRole;
  text: string;
}

const ROLE_LINE = /(^|\n)(system|user|assistant|tool)\n/g;
const CHATML = /<\|im_start\|>(system|user|assistant|tool)\n/g;
const IM_END = '<|im_end|>';

function roleOf(role: string): TurnRole {
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'assistant' || role === 'tool') return role;
  if (role === 'function' || role === 'ipython') return 'tool';
  return 'user';
}

function split(p: string, re: RegExp, chatml: boolean): PromptTurn[] {
  const marks: { role: TurnRole; start: number; end: number }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    marks.push({ role: roleOf(m[2] ?? m[1]), start: m.index, end: m.index + m[0].length });
    // The next header may begin on the newline that ended this one.
    re.lastIndex = m.index + m[0].length - 1;
  }
  const out: PromptTurn[] = [];
  marks.forEach((m, k) => {
    let end = k + 1 < marks.length ? marks[k + 1].start : p.length;
    if (chatml) {
      const e = p.lastIndexOf(IM_END, end);
      if (e >= m.end) end = e;
    }
    out.push({ role: m.role, text: p.slice(m.end, end).replace(/\n+$/, '') });
  });
  const last = out[out.length - 1];
  if (last && last.role === 'assistant' && last.text.trim() === '') out.pop();
  return out;
}

/** The prompt's turns, or null when the prompt is plain text (or absent). */
export function promptTurns(p: TextOrMessages | null): PromptTurn[] | null {
  if (p === null) return null;
  if (typeof p !== 'string') {
    const turns = p.map((m) => ({ role: roleOf(m.role), text: m.content }));
    return turns.length > 0 ? turns : null;
  }
  if (p.startsWith('<|im_start|>')) return nonEmpty(split(p, CHATML, true));
  // Role words alone on a line mean turns only when the prompt starts with one (a question may say "user" itself).
  if (/^(system|user)\n/.test(p)) return nonEmpty(split(p, ROLE_LINE, false));
  return null;
}

function nonEmpty(t: PromptTurn[]): PromptTurn[] | null {
  return t.length > 0 ? t : null;
}
