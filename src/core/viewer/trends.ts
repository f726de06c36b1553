// Trends over the steps of a run (mean reward, length and the share of samples with each flag), and the
// chart aggregates of a single step, so that the step picker can narrow every chart to one step.
import { histogram } from '../groups/stats';
import { FLAG_KINDS } from '../types';
import type { RunModel } from '../run/run-builder';
import type { ChartAggregates, FlagKindName, HistogramData, StepPoint, StepTrend } from '../../protocol/viewer-protocol';
import { passCountData, SCATTER_MAX, stepPoints } from './aggregates';
import { rewardByToolCalls, rewardByTurns } from './tool-aggregates';

/** Flag counts per step turned into rates (flagged samples of that kind ÷ samples of the step). */
export function stepTrends(points: readonly StepPoint[], anyFlagged?: ReadonlyMap<number | null, number>): StepTrend[] {
  return points.map((p) => {
    const rates = {} as Record<FlagKindName, number>;
    for (const k of FLAG_KINDS) rates[k] = p.count ? p.flags[k] / p.count : 0;
    const any = anyFlagged?.get(p.step);
    return {
      step: p.step, count: p.count, rewardMean: p.rewardMean, lengthMean: p.lengthMean, flagRates: rates,
      anyFlagRate: p.count ? (any ?? Math.max(...FLAG_KINDS.map((k) => p.flags[k]))) / p.count : 0,
    };
  });
}

/** Samples with at least one flag, per step (a sample with two kinds counts once). */
export function flaggedPerStep(model: RunModel): Map<number | null, number> {
  const out = new Map<number | null, number>();
  const c = model.columns;
  for (let i = 0; i < model.count; i++) {
    if (c.flagBits[i] === 0) continue;
    const s = Number.isNaN(c.step[i]) ? null : c.step[i];
    out.set(s, (out.get(s) ?? 0) + 1);
  }
  return out;
}

export function runTrends(model: RunModel): StepTrend[] {
  return stepTrends(stepPoints(model), flaggedPerStep(model));
}

/** Sample indices of one step (null = samples without a step), in file order. */
export function samplesOfStep(model: RunModel, step: number | null): Int32Array {
  const c = model.columns.step;
  const out: number[] = [];
  for (let i = 0; i < model.count; i++) {
    const s = Number.isNaN(c[i]) ? null : c[i];
    if (s === step) out.push(i);
  }
  return Int32Array.from(out);
}

function histOf(values: number[], bins: number): HistogramData | null {
  if (values.length === 0) return null;
  const h = histogram(values, bins);
  return { edges: Array.from(h.edges), counts: Array.from(h.counts) };
}

/** The charts' data for one step only: histograms, that step's point and the scatter over its samples. */
export function chartAggregatesForStep(model: RunModel, step: number | null): ChartAggregates {
  const idx = samplesOfStep(model, step);
  const rewards: number[] = [];
  const advs: number[] = [];
  for (const i of idx) {
    if (Number.isFinite(model.columns.reward[i])) rewards.push(model.columns.reward[i]);
    if (Number.isFinite(model.groups.advantage[i])) advs.push(model.groups.advantage[i]);
  }
  const stride = Math.max(1, Math.ceil(rewards.length / SCATTER_MAX));
  const scatter: ChartAggregates['scatter'] = [];
  let k = 0;
  for (const i of idx) {
    const r = model.columns.reward[i];
    if (!Number.isFinite(r)) continue;
    if (k++ % stride === 0) scatter.push({ sample: i, length: model.columns.completionChars[i], reward: r });
  }
  return {
    advantage: histOf(advs, 30),
    reward: histOf(rewards, 20),
    steps: stepPoints(model).filter((p) => p.step === step),
    scatter,
    scatterComplete: stride === 1,
    passCounts: passCountData(model, (g) => {
      const first = model.groups.grouping.groupMembers[model.groups.grouping.groupStart[g]];
      const s = model.columns.step[first];
      return step === null ? Number.isNaN(s) : s === step;
    }),
    tools: rewardByToolCalls(model, idx),
    turns: rewardByTurns(model, idx),
  };
}
