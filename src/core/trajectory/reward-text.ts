// Which text the rewards of a multi-turn sample read. In a verl / sglang dump the completion string holds the tool
// replies too, so a `\boxed{}` inside a search result, or a Japanese page a tool returned, would count as the model's
// answer or the model's language. The rewards read the model's own turns instead: the final answer and the format
// in the last model turn(s), language and repetition over every model turn. Single-turn samples get null and are
// scored on the whole completion, exactly as before.
import { reasoningText } from '../rewards/reasoning-text';
import type { ModelText } from '../rewards/types';
import type { TextOrMessages } from '../types';
import { completionTrajectory, isMultiTurn } from './trajectory';
import type { Trajectory, Turn } from './types';

/** The turn's text in the analysed string with its `<tool_call>` blocks blanked: JSON is not the model's language. */
function withoutCalls(text: string, turn: Turn): string {
  const span = turn.span!;
  let out = '';
  let at = span.start;
  for (const c of turn.toolCalls) {
    if (!c.span || c.span.start < at || c.span.end > span.end) continue;
    out += text.slice(at, c.span.start) + ' ';
    at = c.span.end;
  }
  return out + text.slice(at, span.end);
}

/** The model's text of a trajectory whose turns have spans in `text` (completionText() of the same completion). */
export function modelTextOf(traj: Trajectory, text: string): ModelText {
  const model = traj.turns.filter((t) => t.byModel && t.span !== null);
  // The final run: the model turns after the last environment turn (a tool result or a user reply). An episode
  // that ends on a tool result has none, and so no final answer.
  let lastEnv = -1;
  traj.turns.forEach((t, k) => { if (!t.byModel) lastEnv = k; });
  const final = traj.turns.slice(lastEnv + 1).filter((t) => t.byModel && t.span !== null);
  return {
    final: final.length > 0 ? text.slice(final[0].span!.start, final[final.length - 1].span!.end) : '',
    own: model.map((t) => text.slice(t.span!.start, t.span!.end)).join('\n\n'),
    reasoning: model.map((t) => reasoningText(withoutCalls(text, t))).join('\n\n'),
  };
}

/** The model's text for the rewards, or null for a single-turn sample (the rewards then read `text` whole). */
export function rewardModelText(c: TextOrMessages, text: string): ModelText | null {
  const traj = completionTrajectory(c);
  return isMultiTurn(traj) ? modelTextOf(traj, text) : null;
}
