// The core of `summary --json` (cli.md) from compact per-sample arrays. The CLI adds path, badLines and flags.
import type { FormatDetection, GroupKeySource } from '../types';
import type { GroupingResult } from './group-builder';
import { groupStats, moments } from './stats';

export interface SummaryInput {
  detection: FormatDetection;
  /** Reward per sample (null/NaN = missing). */
  rewards: ArrayLike<number | null>;
  /** Advantage per sample (logged or computed; NaN = none) and its source label, e.g. 'computed:grpo'. */
  advantages: { values: ArrayLike<number | null>; source: string };
  steps: ArrayLike<number | null>;
  grouping: GroupingResult;
}

export interface CoreSummary {
  format: string;
  formatReason: string;
  fields: {
    prompt: string | null; completion: string | null; reward: string | null; gold: string | null;
    step: string | null; group: string | null; advantage: string | null;
  };
  /** Samples counted (re-logged duplicates, group −1, excluded). */
  samples: number;
  steps: number[];
  groups: { count: number; keySource: GroupKeySource; size: { min: number; max: number }; zeroVariance: number };
  reward: { mean: number; std: number; min: number; max: number } | null;
  advantage: { source: string; mean: number | null; std: number | null };
}

export function summarise(inp: SummaryInput): CoreSummary {
  const { detection: det, grouping } = inp;
  const kept = (i: number): boolean => grouping.groupOf[i] >= 0;
  const filtered = (a: ArrayLike<number | null>): (number | null)[] => {
    const out: (number | null)[] = [];
    for (let i = 0; i < a.length; i++) if (kept(i)) out.push(a[i]);
    return out;
  };
  const rewards = filtered(inp.rewards);
  const r = moments(rewards);
  const a = moments(filtered(inp.advantages.values));
  const stepSet = new Set<number>();
  for (let i = 0; i < inp.steps.length; i++) {
    const s = inp.steps[i];
    if (kept(i) && s !== null && s !== undefined && !Number.isNaN(s)) stepSet.add(s);
  }
  const gs = groupStats(inp.rewards, grouping);
  const f = det.fields;
  return {
    format: det.format,
    formatReason: det.reason,
    fields: { prompt: f.prompt, completion: f.completion, reward: f.reward, gold: f.gold, step: f.step, group: f.group, advantage: f.advantage },
    samples: rewards.length,
    steps: [...stepSet].sort((x, y) => x - y),
    groups: { count: grouping.count, keySource: grouping.keySource, size: grouping.size, zeroVariance: gs.zeroVarianceCount },
    reward: r ? { mean: r.mean, std: r.std, min: r.min, max: r.max } : null,
    advantage: { source: inp.advantages.source, mean: a ? a.mean : null, std: a ? a.std : null },
  };
}
