// Reward against a per-sample count (assistant turns, tool calls) for the charts tab of multi-turn runs
// (docs/turn-charts.md): one bin per count, the long tail gathered into a top bin "≥ k" chosen from the data, and
// per bin the sample count, the mean reward with its spread (std, min, max) and the pass rate with its 95 % interval when the rewards
// take few levels. Pure: works on the columns, so the worker sends bins and never the samples.
import { rewardLevels, type RewardLevels } from '../groups/pass-counts';
import type { CountRewardBin, CountRewardChart, SampleFilter } from '../../protocol/viewer-protocol';

/** At most this many bars: a run with counts 0…40 gets 0…10 and "≥ 11", not 41 mostly empty bars. */
export const MAX_BINS = 12;
/** The top bin gathers a tail that holds at most this share of the samples (at least one sample). */
export const TAIL_SHARE = 0.01;
/** Counts this far above the lowest are one histogram slot (they always fall in the top bin). */
const HIST_SPAN = 1 << 16;

/** Bins lo, lo + 1, …, top; the last one holds top or more when orMore. */
export interface CountBinning {
  lo: number;
  top: number;
  orMore: boolean;
}

/**
 * The bins for a histogram of exact counts (hist[v - lo] = samples with count v). Every count from the lowest
 * seen gets a bar, up to the smallest k whose tail (samples with k or more) is at most TAIL_SHARE of them, or
 * MAX_BINS bars; the tail shares the last bar "≥ k" (so empty counts inside the tail get no bar). A tail that is
 * only the highest count keeps its own bar.
 */
export function chooseBinning(lo: number, hist: ArrayLike<number>): CountBinning {
  let total = 0;
  let last = -1;
  for (let j = 0; j < hist.length; j++) {
    total += hist[j];
    if (hist[j] > 0) last = j;
  }
  if (last < 0) return { lo, top: lo, orMore: false };
  const allowed = Math.max(1, Math.floor(TAIL_SHARE * total));
  // tail = samples at index ≥ j; walk down from the top to find the smallest j whose tail is small enough.
  let tail = 0;
  let k = last + 1;
  for (let j = last; j >= 1; j--) {
    tail += hist[j];
    if (tail > allowed) break;
    k = j;
  }
  // Never more than MAX_BINS bars, whatever the tail.
  k = Math.min(k, MAX_BINS - 1);
  if (k >= last) return { lo, top: lo + last, orMore: false };
  return { lo, top: lo + k, orMore: true };
}

/**
 * Reward per count. `counts[i]` and `rewards[i]` are sample i's; `subset` limits the samples (one step);
 * `levels` are the reward levels that decide what "right" is (pass them for the whole run, as the pass-count chart
 * does; by default those of `rewards`). Null when no sample is counted. One pass for the range, one for the
 * histogram, one for the bins, over typed arrays (about 40 ms per million samples).
 */
export function rewardByCount(
  by: CountRewardChart['by'], counts: ArrayLike<number>, rewards: ArrayLike<number>,
  subset?: ArrayLike<number>, levels: RewardLevels = rewardLevels(rewards),
): CountRewardChart | null {
  const n = subset ? subset.length : counts.length;
  if (n === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = counts[subset === undefined ? j : subset[j]];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const cap = Math.min(hi, lo + HIST_SPAN - 1);
  const hist = new Float64Array(cap - lo + 1);
  for (let j = 0; j < n; j++) hist[Math.min(counts[subset === undefined ? j : subset[j]], cap) - lo]++;
  const binning = chooseBinning(lo, hist);
  const size = binning.top - lo + 1;
  const threshold = levels.kind === 'binary' || levels.kind === 'few' ? levels.threshold : null;
  const pass = threshold ?? Infinity;
  // Per bin: samples, rewarded, Welford mean and M2, min, max, right.
  const samples = new Float64Array(size);
  const cnt = new Float64Array(size);
  const mean = new Float64Array(size);
  const m2 = new Float64Array(size);
  const min = new Float64Array(size).fill(Infinity);
  const max = new Float64Array(size).fill(-Infinity);
  const right = new Float64Array(size);
  for (let j = 0; j < n; j++) {
    const i = subset === undefined ? j : subset[j];
    const b = Math.min(counts[i], binning.top) - lo;
    samples[b]++;
    const r = rewards[i];
    if (!Number.isFinite(r)) continue;
    const c = ++cnt[b];
    const d = r - mean[b];
    mean[b] += d / c;
    m2[b] += d * (r - mean[b]);
    if (r < min[b]) min[b] = r;
    if (r > max[b]) max[b] = r;
    if (r > pass) right[b]++;
  }
  const bins: CountRewardBin[] = [];
  for (let b = 0; b < size; b++) {
    const has = cnt[b] > 0;
    bins.push({
      value: lo + b,
      orMore: binning.orMore && b === size - 1,
      count: samples[b],
      rewarded: cnt[b],
      rewardMean: has ? mean[b] : null,
      rewardStd: has ? Math.sqrt(cnt[b] < 2 ? 0 : m2[b] / cnt[b]) : null,
      rewardMin: has ? min[b] : null,
      rewardMax: has ? max[b] : null,
      passRate: has && threshold !== null ? right[b] / cnt[b] : null,
      ...(has && threshold !== null ? wilson(right[b], cnt[b]) : { passLow: null, passHigh: null }),
    });
  }
  const zeroOne = levels.kind === 'binary' && levels.values.every((v) => v === 0 || v === 1);
  return { by, bins, passThreshold: threshold, meanIsPassRate: zeroOne };
}

/**
 * 95 % Wilson score interval of k right out of n: unlike p ± 1.96·se it stays inside [0, 1] and is not zero-wide
 * for 0 of 3 or 1 of 1, the small bins at the tail that a bare mean makes look certain.
 */
export function wilson(k: number, n: number, z = 1.959964): { passLow: number; passHigh: number } {
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { passLow: Math.max(0, centre - half), passHigh: Math.min(1, centre + half) };
}

/** The list filter for one bar (a click on the chart): exactly its count, or its count and more for the top bin. */
export function countBinFilter(d: Pick<CountRewardChart, 'by'>, b: Pick<CountRewardBin, 'value' | 'orMore'>): SampleFilter {
  if (d.by === 'turns') return b.orMore ? { minTurns: b.value } : { minTurns: b.value, maxTurns: b.value };
  return b.orMore ? { minToolCalls: b.value } : { minToolCalls: b.value, maxToolCalls: b.value };
}
