// How many of each GRPO group's samples were right ("k of N"), when the rewards take few values. Most GRPO
// rewards are 0/1 (or ±1, or accuracy plus a small format bonus): what a user asks of a group is how many of its
// N were right, and of the run how many groups give any learning signal (neither 0/N nor N/N).
//
// "Right" is decided from the reward levels of the whole run: with one level, right = reward > 0; with two or
// more (up to FEW_LEVELS), right = reward above the midpoint of the lowest and highest level, so {0, 1},
// {−1, 1}, {0, 0.1, 1, 1.1} (accuracy + format bonus) and {0, 0.5, 1} all count the top half as right.
import type { GroupMembers } from './advantages';

/** More distinct reward values than this and the rewards are treated as continuous. */
export const FEW_LEVELS = 5;

export interface RewardLevels {
  /** 'binary' (≤ 2 values), 'few' (3..FEW_LEVELS) or 'continuous'; 'none' when no sample has a reward. */
  kind: 'none' | 'binary' | 'few' | 'continuous';
  /** The distinct values, ascending (only for binary and few). */
  values: number[];
  /** Reward strictly above this is right (binary and few). */
  threshold: number;
}

export function rewardLevels(rewards: ArrayLike<number>): RewardLevels {
  const seen = new Set<number>();
  for (let i = 0; i < rewards.length; i++) {
    const r = rewards[i];
    if (!Number.isFinite(r)) continue;
    seen.add(r);
    if (seen.size > FEW_LEVELS) return { kind: 'continuous', values: [], threshold: Number.NaN };
  }
  if (seen.size === 0) return { kind: 'none', values: [], threshold: Number.NaN };
  const values = [...seen].sort((a, b) => a - b);
  const threshold = values.length === 1 ? (values[0] > 0 ? 0 : values[0]) : (values[0] + values[values.length - 1]) / 2;
  return { kind: values.length <= 2 ? 'binary' : 'few', values, threshold };
}

export interface GroupPassCounts {
  levels: RewardLevels;
  /** Right members per group (−1 when the group has no rewarded member). */
  k: Int32Array;
  /** Rewarded members per group. */
  n: Int32Array;
}

/** k and n of every group; all −1/0 when the rewards are continuous or absent. */
export function groupPassCounts(rewards: ArrayLike<number>, groups: GroupMembers, levels = rewardLevels(rewards)): GroupPassCounts {
  const G = groups.count;
  const k = new Int32Array(G).fill(-1);
  const n = new Int32Array(G);
  if (levels.kind !== 'binary' && levels.kind !== 'few') return { levels, k, n };
  for (let g = 0; g < G; g++) {
    let right = 0;
    let rewarded = 0;
    for (let j = groups.groupStart[g]; j < groups.groupStart[g + 1]; j++) {
      const r = rewards[groups.groupMembers[j]];
      if (!Number.isFinite(r)) continue;
      rewarded++;
      if (r > levels.threshold) right++;
    }
    n[g] = rewarded;
    if (rewarded > 0) k[g] = right;
  }
  return { levels, k, n };
}

export interface PassCountBin {
  k: number;
  n: number;
  groups: number;
}

/** Groups per (k, n), ordered by n then k; optionally only the groups `keep` accepts (one step). */
export function passCountBins(pc: GroupPassCounts, keep?: (g: number) => boolean): PassCountBin[] {
  const m = new Map<string, PassCountBin>();
  for (let g = 0; g < pc.k.length; g++) {
    if (pc.k[g] < 0 || (keep && !keep(g))) continue;
    const key = `${pc.k[g]}/${pc.n[g]}`;
    const b = m.get(key);
    if (b) b.groups++;
    else m.set(key, { k: pc.k[g], n: pc.n[g], groups: 1 });
  }
  return [...m.values()].sort((a, b) => a.n - b.n || a.k - b.k);
}

/** `{"<k>/<n>": groups}` for `summary --json`, in passCountBins order. */
export function passCountRecord(bins: readonly PassCountBin[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of bins) out[`${b.k}/${b.n}`] = b.groups;
  return out;
}

const cache = new WeakMap<object, GroupPassCounts>();

/** groupPassCounts of a run, computed once per model (the chart, the list filter and the summary share it). */
export function passCountsOf(model: { columns: { reward: Float64Array }; groups: { grouping: GroupMembers } }): GroupPassCounts {
  let pc = cache.get(model);
  if (!pc) {
    pc = groupPassCounts(model.columns.reward, model.groups.grouping);
    cache.set(model, pc);
  }
  return pc;
}
