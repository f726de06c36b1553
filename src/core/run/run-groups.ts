// After grouping: advantages (logged or recomputed with the framework's formula) and per-group statistics
// (mean, std, zero-variance from groups/stats, plus the correct count shown in lenses) over a run's columns.
import { resolveAdvantages, type AdvantageChoice } from '../groups/advantages';
import type { GroupBy, GroupingResult } from '../groups/group-builder';
import { groupStats, type GroupStats } from '../groups/stats';
import type { FormatDetection } from '../types';
import type { SampleColumns } from './run-builder';

export type GroupByOption = GroupBy;
/** Choices of the advantage setting (rolloutLens.advantage, --advantage): the file's own values or an estimator. */
export const ADVANTAGE_OPTIONS = ['auto', 'grpo', 'drgrpo', 'rloo', 'file'] as const;
export type AdvantageOption = (typeof ADVANTAGE_OPTIONS)[number];

export interface RunGroups {
  grouping: GroupingResult;
  stats: GroupStats;
  /** Final advantage per sample (NaN = none). */
  advantage: Float64Array;
  /** 'file', 'computed:grpo', 'computed:grpo-verl', 'file+computed:…' or 'none'. */
  advantageSource: string;
  /** Set when --advantage file was asked for and the file has none. */
  advantageError: string | null;
  /** Per group: members whose reward counts as correct (reward > 0). */
  correct: Int32Array;
}

export function scoreGroups(grouping: GroupingResult, columns: SampleColumns, detection: FormatDetection | null, choice: AdvantageOption): RunGroups {
  const stats = groupStats(columns.reward, grouping);
  const correct = new Int32Array(grouping.count);
  for (let i = 0; i < columns.correct.length; i++) {
    const g = grouping.groupOf[i];
    if (g >= 0 && columns.correct[i]) correct[g]++;
  }
  const resolved = resolveAdvantages({
    logged: columns.loggedAdvantage,
    rewards: columns.reward,
    groups: grouping,
    choice: choice as AdvantageChoice,
    format: detection?.format ?? 'generic',
  });
  if ('error' in resolved) {
    return { grouping, stats, advantage: new Float64Array(columns.reward.length).fill(Number.NaN), advantageSource: 'none', advantageError: resolved.error, correct };
  }
  return { grouping, stats, advantage: resolved.values, advantageSource: resolved.source, advantageError: null, correct };
}
