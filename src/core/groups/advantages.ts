// GRPO-family advantage estimators (docs/formats.md §2.5, §7.4), over typed arrays. A missing reward (null/NaN) is
// excluded from its group's statistics and gets no advantage (NaN here, shown as null). TRL itself turns such
// NaN advantages into 0; we keep "no reward" distinct instead, and the displayed value stays the logged one.
import type { FormatName, GroupKeySource } from '../types';

export type Estimator = 'grpo' | 'grpo-verl' | 'drgrpo' | 'rloo';
export type AdvantageChoice = 'auto' | 'file' | Estimator;

export interface GroupMembers {
  count: number;
  groupStart: Int32Array;
  groupMembers: Int32Array;
}

const TRL_EPS = 1e-4;
const VERL_EPS = 1e-6;

function valueAt(rewards: ArrayLike<number | null>, i: number): number {
  const r = rewards[i];
  return r === null || r === undefined || !Number.isFinite(r) ? Number.NaN : r;
}

/**
 * - grpo (TRL, scale_rewards="group"): (r − mean) / (std + 1e-4), Bessel-corrected NaN-aware std; a single
 *   member has std 0, so its advantage is 0.
 * - grpo-verl: (r − mean) / (std + 1e-6); a single member has mean 0 and std 1, so its advantage ≈ r.
 * - drgrpo: r − mean.
 * - rloo: r − mean of the other members; a single member gets 0.
 * Returns one value per sample; NaN where the reward is missing or the sample is in no group.
 */
export function computeAdvantages(rewards: ArrayLike<number | null>, groups: GroupMembers, estimator: Estimator): Float64Array {
  const out = new Float64Array(rewards.length).fill(Number.NaN);
  for (let g = 0; g < groups.count; g++) {
    const a = groups.groupStart[g];
    const b = groups.groupStart[g + 1];
    let n = 0;
    let sum = 0;
    for (let j = a; j < b; j++) {
      const r = valueAt(rewards, groups.groupMembers[j]);
      if (!Number.isNaN(r)) {
        n++;
        sum += r;
      }
    }
    if (n === 0) continue;
    let mean = sum / n;
    let ss = 0;
    for (let j = a; j < b; j++) {
      const r = valueAt(rewards, groups.groupMembers[j]);
      if (!Number.isNaN(r)) ss += (r - mean) * (r - mean);
    }
    let std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    if (estimator === 'grpo-verl' && n === 1) {
      mean = 0;
      std = 1;
    }
    for (let j = a; j < b; j++) {
      const i = groups.groupMembers[j];
      const r = valueAt(rewards, i);
      if (Number.isNaN(r)) continue;
      switch (estimator) {
        case 'grpo':
          out[i] = (r - mean) / (std + TRL_EPS);
          break;
        case 'grpo-verl':
          out[i] = (r - mean) / (std + VERL_EPS);
          break;
        case 'drgrpo':
          out[i] = r - mean;
          break;
        case 'rloo':
          out[i] = n > 1 ? r - (sum - r) / (n - 1) : 0;
          break;
      }
    }
  }
  return out;
}

/** The framework's own formula when recomputing (§7.4): verl and forks use verl's, everything else TRL's. */
export function defaultEstimator(format: FormatName): Estimator {
  return format === 'verl' || format === 'verl-val' ? 'grpo-verl' : 'grpo';
}

export interface ResolvedAdvantages {
  /** One value per sample, NaN = none. */
  values: Float64Array;
  /** 'file', 'computed:grpo', 'file+computed:grpo' (gaps filled), or 'none'. */
  source: string;
}

export interface ResolveInput {
  /** Logged advantage per sample (null/NaN = absent). */
  logged: ArrayLike<number | null>;
  rewards: ArrayLike<number | null>;
  groups: GroupMembers & { keySource: GroupKeySource };
  choice: AdvantageChoice;
  format: FormatName;
}

/**
 * A logged advantage wins (§2.5 parity). 'auto' fills gaps with the format's estimator, but never recomputes
 * over singleton grouping (§7.3 rule 5). 'file' errors when the file logs none. A named estimator recomputes all.
 */
export function resolveAdvantages(inp: ResolveInput): ResolvedAdvantages | { error: string } {
  const n = inp.rewards.length;
  let loggedCount = 0;
  for (let i = 0; i < inp.logged.length; i++) {
    const v = inp.logged[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) loggedCount++;
  }
  if (inp.choice === 'file') {
    if (loggedCount === 0) return { error: 'the file logs no advantage (--advantage file)' };
    return { values: toFloat(inp.logged, n), source: 'file' };
  }
  if (inp.choice !== 'auto') {
    return { values: computeAdvantages(inp.rewards, inp.groups, inp.choice), source: `computed:${inp.choice}` };
  }
  const est = defaultEstimator(inp.format);
  if (loggedCount === n && n > 0) return { values: toFloat(inp.logged, n), source: 'file' };
  if (inp.groups.keySource === 'none') {
    return loggedCount ? { values: toFloat(inp.logged, n), source: 'file' } : { values: new Float64Array(n).fill(Number.NaN), source: 'none' };
  }
  const computed = computeAdvantages(inp.rewards, inp.groups, est);
  if (loggedCount === 0) return { values: computed, source: `computed:${est}` };
  const merged = toFloat(inp.logged, n);
  for (let i = 0; i < n; i++) if (Number.isNaN(merged[i])) merged[i] = computed[i];
  return { values: merged, source: `file+computed:${est}` };
}

function toFloat(a: ArrayLike<number | null>, n: number): Float64Array {
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < Math.min(n, a.length); i++) {
    const v = a[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out[i] = v;
  }
  return out;
}
