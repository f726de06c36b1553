// Scalable statistics over per-sample typed arrays: Welford running mean/std, histograms, per-group and
// per-step aggregates. Missing values (null/NaN) are skipped everywhere.
//
// Std conventions (the docs are silent, so we pick and document):
// - whole-run and per-step std are POPULATION std (÷n, like numpy's np.std and cli.md's example);
// - per-group std is the SAMPLE std (÷(n−1)), the one the GRPO estimators divide by (TRL nanstd, torch.std),
//   so a group's std matches the advantage denominators. A single member has std 0.
import type { GroupMembers } from './advantages';

export class RunningStats {
  count = 0;
  mean = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private m2 = 0;

  add(x: number | null | undefined): void {
    if (x === null || x === undefined || !Number.isFinite(x)) return;
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Population variance (÷n); sample variance (÷(n−1)) with `sample`. 0 for fewer than two values. */
  variance(sample = false): number {
    if (this.count < 2) return 0;
    return this.m2 / (sample ? this.count - 1 : this.count);
  }

  std(sample = false): number {
    return Math.sqrt(this.variance(sample));
  }
}

export interface Moments {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Population moments of the finite values; null when there are none. */
export function moments(values: ArrayLike<number | null>): Moments | null {
  const s = new RunningStats();
  for (let i = 0; i < values.length; i++) s.add(values[i]);
  if (s.count === 0) return null;
  return { count: s.count, mean: s.mean, std: s.std(), min: s.min, max: s.max };
}

export interface Histogram {
  /** bins + 1 edges; the last bin is closed on the right. */
  edges: Float64Array;
  counts: Uint32Array;
}

/** Fixed-width bins over [min, max] (default: the data's range). Values outside the range are clamped in. */
export function histogram(values: ArrayLike<number | null>, bins = 20, range?: { min: number; max: number }): Histogram {
  let lo = range?.min;
  let hi = range?.max;
  if (lo === undefined || hi === undefined) {
    const m = moments(values);
    lo = m?.min ?? 0;
    hi = m?.max ?? 1;
  }
  if (hi <= lo) hi = lo + 1;
  const nb = Math.max(1, Math.floor(bins));
  const edges = new Float64Array(nb + 1);
  for (let b = 0; b <= nb; b++) edges[b] = lo + ((hi - lo) * b) / nb;
  const counts = new Uint32Array(nb);
  const w = (hi - lo) / nb;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const b = Math.min(nb - 1, Math.max(0, Math.floor((v - lo) / w)));
    counts[b]++;
  }
  return { edges, counts };
}

export interface GroupStats {
  /** Members with a reward. */
  count: Int32Array;
  /** NaN when no member has a reward. */
  mean: Float64Array;
  /** Sample std (see the header). */
  std: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** 1 for groups of size ≥ 2 whose rewards are all present and equal: no GRPO learning signal. */
  zeroVariance: Uint8Array;
  zeroVarianceCount: number;
}

export function groupStats(rewards: ArrayLike<number | null>, groups: GroupMembers): GroupStats {
  const G = groups.count;
  const out: GroupStats = {
    count: new Int32Array(G), mean: new Float64Array(G), std: new Float64Array(G), min: new Float64Array(G),
    max: new Float64Array(G), zeroVariance: new Uint8Array(G), zeroVarianceCount: 0,
  };
  for (let g = 0; g < G; g++) {
    const s = new RunningStats();
    const a = groups.groupStart[g];
    const b = groups.groupStart[g + 1];
    let missing = false;
    for (let j = a; j < b; j++) {
      const r = rewards[groups.groupMembers[j]];
      if (r === null || r === undefined || !Number.isFinite(r)) missing = true;
      else s.add(r);
    }
    out.count[g] = s.count;
    out.mean[g] = s.count ? s.mean : Number.NaN;
    out.std[g] = s.count ? s.std(true) : Number.NaN;
    out.min[g] = s.count ? s.min : Number.NaN;
    out.max[g] = s.count ? s.max : Number.NaN;
    if (b - a >= 2 && !missing && s.min === s.max) {
      out.zeroVariance[g] = 1;
      out.zeroVarianceCount++;
    }
  }
  return out;
}

export interface StepStat {
  /** null for samples without a step. */
  step: number | null;
  count: number;
  rewardCount: number;
  rewardMean: number | null;
  rewardStd: number | null;
  groups: number;
  /** Share of this step's groups with zero variance (of groups of size ≥ 2); null when there are none. */
  zeroVarianceShare: number | null;
  meanCompletionLength: number | null;
}

/** Per-step aggregates, ordered by step (null last). Samples with group −1 (excluded) are skipped. */
export function stepStats(
  steps: ArrayLike<number | null>,
  rewards: ArrayLike<number | null>,
  groupOf: Int32Array,
  groups: GroupMembers,
  gstats: GroupStats,
  completionLength?: ArrayLike<number | null>,
): StepStat[] {
  interface Acc { r: RunningStats; len: RunningStats; count: number; groups: Set<number> }
  const acc = new Map<number | null, Acc>();
  for (let i = 0; i < steps.length; i++) {
    if (groupOf[i] < 0) continue;
    const raw = steps[i];
    const step = raw === null || raw === undefined || Number.isNaN(raw) ? null : raw;
    let a = acc.get(step);
    if (!a) {
      a = { r: new RunningStats(), len: new RunningStats(), count: 0, groups: new Set() };
      acc.set(step, a);
    }
    a.count++;
    a.r.add(rewards[i]);
    if (completionLength) a.len.add(completionLength[i]);
    a.groups.add(groupOf[i]);
  }
  const out: StepStat[] = [];
  for (const [step, a] of acc) {
    let multi = 0;
    let zero = 0;
    for (const g of a.groups) {
      if (groups.groupStart[g + 1] - groups.groupStart[g] >= 2) multi++;
      if (gstats.zeroVariance[g]) zero++;
    }
    out.push({
      step, count: a.count, rewardCount: a.r.count,
      rewardMean: a.r.count ? a.r.mean : null, rewardStd: a.r.count ? a.r.std() : null,
      groups: a.groups.size, zeroVarianceShare: multi ? zero / multi : null,
      meanCompletionLength: a.len.count ? a.len.mean : null,
    });
  }
  out.sort((x, y) => (x.step === null ? 1 : y.step === null ? -1 : x.step - y.step));
  return out;
}
