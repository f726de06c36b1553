// Chooses the parser for a completion and derives the per-sample counts. A text completion is parsed from the text
// (role lines, ChatML headers, <tool_call> tags); a message list from its messages. Both are explained by an
// evidence string, like format detection.
import type { TextOrMessages } from '../types';
import { parseMessagesTrajectory } from './parse-messages';
import { parseTextTrajectory } from './parse-text';
import type { Trajectory, TrajectoryStats } from './types';

export function completionTrajectory(c: TextOrMessages): Trajectory {
  return typeof c === 'string' ? parseTextTrajectory(c) : parseMessagesTrajectory(c);
}

/** More than one turn or any tool call: the sample is analysed and shown per turn. */
export function isMultiTurn(t: Trajectory): boolean {
  return t.turns.length > 1 || t.turns.some((x) => x.toolCalls.length > 0);
}

export function trajectoryStats(t: Trajectory): TrajectoryStats {
  // A null-prototype map: tool names are model output, and `__proto__` must count like any other name.
  const s: TrajectoryStats = { turns: 0, toolCalls: 0, malformed: 0, toolErrors: 0, byName: Object.create(null) as Record<string, number> };
  for (const turn of t.turns) {
    if (turn.role === 'assistant') s.turns++;
    if (turn.error) s.toolErrors++;
    for (const c of turn.toolCalls) {
      s.toolCalls++;
      if (c.error) s.malformed++;
      if (c.name !== null) s.byName[c.name] = (s.byName[c.name] ?? 0) + 1;
    }
  }
  return s;
}

/** Counts straight from a completion (the run's columns, `score --json`). */
export function completionStats(c: TextOrMessages): TrajectoryStats {
  return trajectoryStats(completionTrajectory(c));
}
