// The multi-turn part of `summary --json` (docs/agentic.md): tool calls in total, per tool name and malformed, tool
// errors, and the distribution of assistant turns. Present only when the run is multi-turn or calls tools, so the
// summary of a single-turn run is unchanged.
import { isAgenticRun, type RunTrajectories } from './tally';

export interface TrajectorySummary {
  toolCalls: { total: number; byName: Record<string, number>; malformed: number };
  /** Tool results that read as errors, and the samples holding at least one. */
  toolErrors: { total: number; samples: number };
  /** Assistant turns per sample: min, max, mean and how many samples have each count. */
  turns: { min: number; max: number; mean: number; histogram: Record<string, number> };
}

export function summariseTrajectories(t: RunTrajectories): TrajectorySummary | null {
  if (!isAgenticRun(t) || t.turns.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < t.turns.length; i++) {
    const v = t.turns[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const histogram: Record<string, number> = {};
  for (const k of [...counts.keys()].sort((a, b) => a - b)) histogram[String(k)] = counts.get(k)!;
  let errors = 0;
  let errorSamples = 0;
  for (let i = 0; i < t.toolErrors.length; i++) {
    errors += t.toolErrors[i];
    if (t.toolErrors[i] > 0) errorSamples++;
  }
  return {
    toolCalls: { total: t.total, byName: t.byName, malformed: t.malformed },
    toolErrors: { total: errors, samples: errorSamples },
    turns: { min, max, mean: Math.round((sum / t.turns.length) * 1e6) / 1e6, histogram },
  };
}
