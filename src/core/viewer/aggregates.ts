// Chart aggregates of a run, computed where the data is (extension host or CLI) so that only bins, per-step
// points, a bounded scatter sample and paged group boxes cross to the webview or go into a report.
import { histogram, RunningStats } from '../groups/stats';
import { FLAG_KINDS } from '../types';
import { FLAG_BIT, type RunModel } from '../run/run-builder';
import type { ChartAggregates, FlagKindName, GroupBox, GroupCell, GroupOrder, GroupPage, HistogramData, PassCountData, StepPoint } from '../../protocol/viewer-protocol';
import { rewardByToolCalls, rewardByTurns } from './tool-aggregates';
import { finiteOrNull } from './sample-query';
import { passCountBins, passCountsOf } from '../groups/pass-counts';

/** Members of one group sent for the per-group strip; a bigger group shows its best and worst rewards. */
export const GROUP_CELLS_MAX = 64;

export const SCATTER_MAX = 2000;

function toHistogram(values: Float64Array, bins: number): HistogramData | null {
  let any = false;
  for (const v of values) if (Number.isFinite(v)) { any = true; break; }
  if (!any) return null;
  const h = histogram(values, bins);
  return { edges: Array.from(h.edges), counts: Array.from(h.counts) };
}

function emptyFlags(): Record<FlagKindName, number> {
  return { 'language-mix': 0, repetition: 0, truncated: 0, format: 0, tool: 0 };
}

/** Per step: reward and length mean ± std, pass rate, zero-variance share of groups, flagged samples by kind. */
export function stepPoints(model: RunModel): StepPoint[] {
  const c = model.columns;
  const { groupOf, groupStart } = model.groups.grouping;
  const zv = model.groups.stats.zeroVariance;
  interface Acc { reward: RunningStats; length: RunningStats; count: number; correct: number; rewarded: number; groups: Set<number>; flags: Record<FlagKindName, number> }
  const acc = new Map<number | null, Acc>();
  for (let i = 0; i < model.count; i++) {
    const s = Number.isNaN(c.step[i]) ? null : c.step[i];
    let a = acc.get(s);
    if (!a) {
      a = { reward: new RunningStats(), length: new RunningStats(), count: 0, correct: 0, rewarded: 0, groups: new Set(), flags: emptyFlags() };
      acc.set(s, a);
    }
    a.count++;
    if (Number.isFinite(c.reward[i])) {
      a.reward.add(c.reward[i]);
      a.rewarded++;
      if (c.correct[i]) a.correct++;
    }
    a.length.add(c.completionChars[i]);
    if (groupOf[i] >= 0) a.groups.add(groupOf[i]);
    for (const k of FLAG_KINDS) if (c.flagBits[i] & FLAG_BIT[k]) a.flags[k]++;
  }
  const out: StepPoint[] = [];
  for (const [step, a] of acc) {
    let multi = 0;
    let zero = 0;
    for (const g of a.groups) {
      if (groupStart[g + 1] - groupStart[g] >= 2) multi++;
      if (zv[g]) zero++;
    }
    out.push({
      step, count: a.count,
      rewardMean: a.reward.count ? a.reward.mean : null,
      rewardStd: a.reward.count ? finiteOrNull(a.reward.std()) : null,
      lengthMean: a.length.count ? a.length.mean : null,
      lengthStd: a.length.count ? finiteOrNull(a.length.std()) : null,
      passRate: a.rewarded ? a.correct / a.rewarded : null,
      zeroVarianceShare: multi ? zero / multi : null,
      flags: a.flags,
    });
  }
  out.sort((x, y) => (x.step === null ? 1 : y.step === null ? -1 : x.step - y.step));
  return out;
}

/** Length vs reward, every sample up to SCATTER_MAX, else an even stride over the file (deterministic). */
export function scatterPoints(model: RunModel, max = SCATTER_MAX): { points: ChartAggregates['scatter']; complete: boolean } {
  const c = model.columns;
  let withReward = 0;
  for (let i = 0; i < model.count; i++) if (Number.isFinite(c.reward[i])) withReward++;
  const stride = Math.max(1, Math.ceil(withReward / max));
  const points: ChartAggregates['scatter'] = [];
  let k = 0;
  for (let i = 0; i < model.count; i++) {
    if (!Number.isFinite(c.reward[i])) continue;
    if (k++ % stride === 0) points.push({ sample: i, length: c.completionChars[i], reward: c.reward[i] });
  }
  return { points, complete: stride === 1 };
}

/** Groups with k of n right, for binary and few-level rewards (null when continuous or absent). */
export function passCountData(model: RunModel, keep?: (g: number) => boolean): PassCountData | null {
  const pc = passCountsOf(model);
  const lv = pc.levels;
  if (lv.kind !== 'binary' && lv.kind !== 'few') return null;
  const bins = passCountBins(pc, keep);
  let mixed = 0;
  let total = 0;
  for (const b of bins) {
    total += b.groups;
    if (b.k > 0 && b.k < b.n) mixed += b.groups;
  }
  return { levels: lv.kind, values: lv.values, threshold: lv.threshold, bins, mixed, total };
}

export function chartAggregates(model: RunModel): ChartAggregates {
  const sc = scatterPoints(model);
  return {
    advantage: toHistogram(model.groups.advantage, 30),
    reward: toHistogram(model.columns.reward, 20),
    steps: stepPoints(model),
    scatter: sc.points,
    scatterComplete: sc.complete,
    passCounts: passCountData(model),
    tools: rewardByToolCalls(model),
    turns: rewardByTurns(model),
  };
}

/** Groups in the asked order: index (first appearance), spread (max − min, widest first) or mean (highest first). */
export function groupOrder(model: RunModel, order: GroupOrder): Int32Array {
  const G = model.groups.grouping.count;
  const ids = new Int32Array(G);
  for (let g = 0; g < G; g++) ids[g] = g;
  if (order === 'index') return ids;
  const st = model.groups.stats;
  const key = (g: number): number => (order === 'mean' ? st.mean[g] : st.max[g] - st.min[g]);
  return Int32Array.from(Array.from(ids).sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
    return x === y ? a - b : y - x;
  }));
}

export function groupBox(model: RunModel, g: number): GroupBox {
  const { groupStart, groupMembers } = model.groups.grouping;
  const st = model.groups.stats;
  const rewards: number[] = [];
  const advantages: number[] = [];
  let cells: GroupCell[] = [];
  let step: number | null = null;
  for (let j = groupStart[g]; j < groupStart[g + 1]; j++) {
    const i = groupMembers[j];
    if (Number.isFinite(model.columns.reward[i])) rewards.push(model.columns.reward[i]);
    if (Number.isFinite(model.groups.advantage[i])) advantages.push(model.groups.advantage[i]);
    if (step === null && !Number.isNaN(model.columns.step[i])) step = model.columns.step[i];
    cells.push({ sample: i, reward: finiteOrNull(model.columns.reward[i]), advantage: finiteOrNull(model.groups.advantage[i]) });
  }
  // Best reward first (then advantage), missing last: the strip reads as "k of N right" from the top.
  const key = (v: number | null): number => (v === null ? -Infinity : v);
  cells.sort((a, b) => key(b.reward) - key(a.reward) || key(b.advantage) - key(a.advantage) || a.sample - b.sample);
  if (cells.length > GROUP_CELLS_MAX) cells = [...cells.slice(0, GROUP_CELLS_MAX / 2), ...cells.slice(cells.length - GROUP_CELLS_MAX / 2)];
  return {
    group: g, step, size: groupStart[g + 1] - groupStart[g],
    mean: finiteOrNull(st.mean[g]), std: finiteOrNull(st.std[g]), zeroVariance: st.zeroVariance[g] === 1,
    rewards, advantages, cells,
  };
}

/** One page of group boxes; the order array is cached by the caller for repeated paging. */
export function groupPage(model: RunModel, orderIds: Int32Array, order: GroupOrder, offset: number, limit: number): GroupPage {
  const from = Math.max(0, Math.min(offset, orderIds.length));
  const to = Math.min(orderIds.length, from + Math.max(0, limit));
  const boxes: GroupBox[] = [];
  for (let r = from; r < to; r++) boxes.push(groupBox(model, orderIds[r]));
  return { order, offset: from, total: orderIds.length, boxes };
}
