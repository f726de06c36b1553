// Reward against the number of assistant turns and of tool calls, for the charts tab of multi-turn runs
// (docs/turn-charts.md): the run's trajectory columns through rewardByCount. Null when the chart has nothing to
// say: a single-turn run gets neither, a multi-turn run without tool calls (wordle) only the turns.
import type { RunModel } from '../run/run-builder';
import type { CountRewardChart } from '../../protocol/viewer-protocol';
import { rewardByCount } from './count-reward';
import { passCountsOf } from '../groups/pass-counts';

/** Samples of one step (subset) or the whole run; "right" from the whole run's reward levels (cached). */
export function rewardByToolCalls(model: RunModel, subset?: ArrayLike<number>): CountRewardChart | null {
  const t = model.trajectories;
  if (t.total === 0 || t.toolCalls.length !== model.count) return null;
  return rewardByCount('toolCalls', t.toolCalls, model.columns.reward, subset, passCountsOf(model).levels);
}

export function rewardByTurns(model: RunModel, subset?: ArrayLike<number>): CountRewardChart | null {
  const t = model.trajectories;
  if (t.turns.length !== model.count) return null;
  let multi = false;
  for (let i = 0; i < t.turns.length && !multi; i++) multi = t.turns[i] > 1;
  return multi ? rewardByCount('turns', t.turns, model.columns.reward, subset, passCountsOf(model).levels) : null;
}
