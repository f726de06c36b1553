// Run health: where each per-step rate of a run changes (flag rates, zero-variance share, mean reward, mean
// length), with the step, the values before and after, and a few example samples from after the change.
//
// Method (docs/charts-and-health.md): binary segmentation over the steps. In a stretch of steps, every split
// with at least `minSeg` steps on each side is scored by the standardised difference of the pooled means
//   Z(τ) = |m_before − m_after| / sqrt(σ² (1/N_before + 1/N_after))      (σ² = pooled per-sample variance)
// and the best split is kept if (1) a permutation test over the order of the steps gives p ≤ ALPHA — shuffling
// whole steps keeps each step's own noise and the real step-to-step spread (different prompts each step), so
// small or uneven steps and overdispersed rates do not fool it the way a binomial test would — and (2) the
// change is large enough to matter (MIN_EFFECT). Each side is then searched again. Deterministic (seeded).
import { FLAG_KINDS } from '../types';
import { FLAG_BIT, type RunModel } from './run-builder';
import { rewardLevels } from '../groups/pass-counts';
import type { HealthExample, HealthFinding, HealthKind, HealthReport } from '../../protocol/viewer-protocol';
import { HEALTH_KINDS } from '../../protocol/viewer-protocol';
import { mulberry32 } from '../random';

/** Fewer steps than this and nothing is tested. */
export const MIN_STEPS = 8;
/** Significance of one split (permutation p-value). */
export const ALPHA = 0.001;
/** Permutations per test (fewer when the run has very many steps; early stop once p > ALPHA is certain). */
export const PERMUTATIONS = 1999;
export const MAX_EXAMPLES = 5;
const MAX_DEPTH = 3;
const MAX_PER_KIND = 3;

/** Per-step sufficient statistics of one kind: count, sum and sum of squares of the per-sample values. */
export interface Series {
  steps: number[];
  n: Float64Array;
  sum: Float64Array;
  sumsq: Float64Array;
}

export type EffectRule = 'rate' | 'reward' | 'length';

/** mulberry32: small seeded PRNG, so a run gives the same findings every time. */
const rng: (seed: number) => () => number = mulberry32;

interface Split {
  tau: number;
  z: number;
}

/** Best split of steps [0, len) of the given arrays (len ≥ 2·minSeg), by Z. */
function bestSplit(n: Float64Array, sum: Float64Array, len: number, minSeg: number, variance: number): Split {
  let totalN = 0;
  let totalS = 0;
  for (let i = 0; i < len; i++) { totalN += n[i]; totalS += sum[i]; }
  let nl = 0;
  let sl = 0;
  let best: Split = { tau: -1, z: 0 };
  for (let tau = 1; tau < len; tau++) {
    nl += n[tau - 1];
    sl += sum[tau - 1];
    if (tau < minSeg || len - tau < minSeg) continue;
    const nr = totalN - nl;
    if (nl <= 0 || nr <= 0) continue;
    const d = Math.abs(sl / nl - (totalS - sl) / nr);
    const z = d / Math.sqrt(variance * (1 / nl + 1 / nr));
    if (z > best.z) best = { tau, z };
  }
  return best;
}

/** Permutation p-value of the best split's Z (whole steps shuffled), with early stopping. */
function permutationP(n: Float64Array, sum: Float64Array, minSeg: number, variance: number, observed: number, perms: number, seed: number): number {
  const len = n.length;
  const pn = Float64Array.from(n);
  const ps = Float64Array.from(sum);
  const rand = rng(seed);
  const stopAt = Math.ceil(ALPHA * (perms + 1)); // this many exceedances and p > ALPHA whatever follows
  let exceed = 0;
  let done = 0;
  for (; done < perms; done++) {
    for (let i = len - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tn = pn[i]; pn[i] = pn[j]; pn[j] = tn;
      const ts = ps[i]; ps[i] = ps[j]; ps[j] = ts;
    }
    if (bestSplit(pn, ps, len, minSeg, variance).z >= observed - 1e-12) {
      exceed++;
      if (exceed >= stopAt) return (exceed + 1) / (done + 2);
    }
  }
  return (exceed + 1) / (perms + 1);
}

/** Whether a change from `a` to `b` is large enough to report (see the doc for the thresholds). */
export function bigEnough(rule: EffectRule, a: number, b: number, sd: number, range: number): boolean {
  const d = Math.abs(b - a);
  switch (rule) {
    case 'rate': {
      if (d < 0.03) return false;
      if (d >= 0.1) return true;
      const odds = (p: number): number => Math.min(0.999, Math.max(0.001, p)) / (1 - Math.min(0.999, Math.max(0.001, p)));
      const r = odds(b) / odds(a);
      return r >= 2 || r <= 0.5;
    }
    case 'reward':
      // A fifth of a per-sample standard deviation, and 5 % of the reward's range.
      return d >= 0.2 * sd && d >= 0.05 * range;
    case 'length':
      return d / Math.max(1, Math.min(a, b)) >= 0.15;
  }
}

export interface ChangePoint {
  /** Index into the series' steps of the first step after the change. */
  at: number;
  from: number;
  to: number;
  before: number;
  after: number;
  p: number;
}

/** Longer runs are tested on this many bins of consecutive steps (the step is then refined within the bin). */
export const MAX_BINS = 200;

function binned(s: Series, bins: number): { series: Series; starts: number[] } {
  const T = s.steps.length;
  const starts: number[] = [];
  for (let b = 0; b <= bins; b++) starts.push(Math.round((b * T) / bins));
  const n = new Float64Array(bins);
  const sum = new Float64Array(bins);
  const sumsq = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    for (let i = starts[b]; i < starts[b + 1]; i++) { n[b] += s.n[i]; sum[b] += s.sum[i]; sumsq[b] += s.sumsq[i]; }
  }
  return { series: { steps: starts.slice(0, bins).map((i) => s.steps[i]), n, sum, sumsq }, starts };
}

/** Pooled mean of steps [from, to). */
function meanOf(s: Series, from: number, to: number): number {
  let n = 0;
  let x = 0;
  for (let i = from; i < to; i++) { n += s.n[i]; x += s.sum[i]; }
  return x / n;
}

/** Change points of one series, by binary segmentation (sorted by position). */
export function changePoints(s: Series, rule: EffectRule, opts: { seed?: number; perms?: number; range?: number } = {}): ChangePoint[] {
  const T = s.steps.length;
  if (T > MAX_BINS) {
    // Thousands of steps: segment the bins, then place each change at the best step of the two bins around it.
    const { series, starts } = binned(s, MAX_BINS);
    return changePoints(series, rule, opts).map((cp) => {
      const from = starts[cp.from];
      const to = starts[cp.to];
      let best = starts[cp.at];
      let bestZ = -1;
      for (let tau = Math.max(from + 1, starts[cp.at - 1] ?? from); tau <= Math.min(to - 1, starts[cp.at + 1] ?? to); tau++) {
        const z = Math.abs(meanOf(s, from, tau) - meanOf(s, tau, to)) * Math.sqrt(((tau - from) * (to - tau)) / (to - from));
        if (z > bestZ) { bestZ = z; best = tau; }
      }
      return { ...cp, at: best, from, to, before: meanOf(s, from, best), after: meanOf(s, best, to) };
    });
  }
  const out: ChangePoint[] = [];
  if (T < MIN_STEPS) return out;
  const minSeg = Math.max(3, Math.ceil(0.05 * T));
  // Keep the work bounded on runs of thousands of steps: permutations × steps ≤ ~4e6 per test.
  const perms = Math.max(199, Math.min(opts.perms ?? PERMUTATIONS, Math.floor(4e6 / T)));
  let totalN = 0;
  let totalS = 0;
  let totalQ = 0;
  for (let i = 0; i < T; i++) { totalN += s.n[i]; totalS += s.sum[i]; totalQ += s.sumsq[i]; }
  const range = opts.range ?? 1;
  const sdAll = Math.sqrt(Math.max(0, totalQ / totalN - (totalS / totalN) ** 2));
  const visit = (from: number, to: number, depth: number): void => {
    const len = to - from;
    if (len < 2 * minSeg || depth > MAX_DEPTH || out.length >= MAX_PER_KIND) return;
    let N = 0;
    let S = 0;
    let Q = 0;
    for (let i = from; i < to; i++) { N += s.n[i]; S += s.sum[i]; Q += s.sumsq[i]; }
    const variance = Q / N - (S / N) ** 2;
    if (!(variance > 1e-12)) return; // constant over the stretch: nothing changes
    const n = s.n.subarray(from, to);
    const sum = s.sum.subarray(from, to);
    const best = bestSplit(n, sum, len, minSeg, variance);
    if (best.tau < 0) return;
    let nl = 0;
    let sl = 0;
    for (let i = 0; i < best.tau; i++) { nl += n[i]; sl += sum[i]; }
    const before = sl / nl;
    const after = (S - sl) / (N - nl);
    if (!bigEnough(rule, before, after, sdAll, range)) return;
    const p = permutationP(n, sum, minSeg, variance, best.z, perms, (opts.seed ?? 1) * 7919 + from * 31 + to);
    if (p > ALPHA) return;
    out.push({ at: from + best.tau, from, to, before, after, p });
    visit(from, from + best.tau, depth + 1);
    visit(from + best.tau, to, depth + 1);
  };
  visit(0, T, 0);
  return out.sort((a, b) => a.at - b.at);
}

/** What the user reads: "language mixing", "mean length"… */
export const HEALTH_LABEL: Record<HealthKind, string> = {
  'language-mix': 'language mixing', repetition: 'repetition', truncated: 'truncation', format: 'format violations', tool: 'tool-call problems',
  'zero-variance': 'zero-variance groups', reward: 'mean reward', length: 'mean completion length',
};

export function formatHealthValue(kind: HealthKind, v: number): string {
  if (kind === 'length') return `${Math.round(v).toLocaleString('en-US')} chars`;
  if (kind === 'reward') return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
  const pct = v * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

interface StepIndex {
  steps: number[];
  /** Step position of each sample (−1: no step or excluded). */
  pos: Int32Array;
}

function stepIndex(model: RunModel): StepIndex {
  const c = model.columns;
  const set = new Set<number>();
  for (let i = 0; i < model.count; i++) if (!Number.isNaN(c.step[i]) && model.groups.grouping.groupOf[i] >= 0) set.add(c.step[i]);
  const steps = [...set].sort((a, b) => a - b);
  const at = new Map(steps.map((s, k) => [s, k]));
  const pos = new Int32Array(model.count).fill(-1);
  for (let i = 0; i < model.count; i++) {
    if (Number.isNaN(c.step[i]) || model.groups.grouping.groupOf[i] < 0) continue;
    pos[i] = at.get(c.step[i]) ?? -1;
  }
  return { steps, pos };
}

function emptySeries(steps: number[]): Series {
  return { steps, n: new Float64Array(steps.length), sum: new Float64Array(steps.length), sumsq: new Float64Array(steps.length) };
}

/** Drops the steps without data for that kind (a step without rewards says nothing about the reward). */
function compact(s: Series): Series {
  const keep: number[] = [];
  for (let i = 0; i < s.steps.length; i++) if (s.n[i] > 0) keep.push(i);
  return { steps: keep.map((i) => s.steps[i]), n: Float64Array.from(keep, (i) => s.n[i]), sum: Float64Array.from(keep, (i) => s.sum[i]), sumsq: Float64Array.from(keep, (i) => s.sumsq[i]) };
}

/** The per-step series of every health kind. */
export function healthSeries(model: RunModel, ix: StepIndex = stepIndex(model)): Record<HealthKind, Series> {
  const c = model.columns;
  const out = {} as Record<HealthKind, Series>;
  for (const k of HEALTH_KINDS) out[k] = emptySeries(ix.steps);
  // Hot loop over every sample: plain locals and typed arrays only (no keyed lookups per sample).
  const flagSeries = FLAG_KINDS.map((k) => out[k]);
  const flagBits = FLAG_KINDS.map((k) => FLAG_BIT[k]);
  const F = flagSeries.length;
  const rw = out.reward;
  const ln = out.length;
  const bits = c.flagBits;
  const rewards = c.reward;
  const chars = c.completionChars;
  const pos = ix.pos;
  for (let i = 0; i < model.count; i++) {
    const t = pos[i];
    if (t < 0) continue;
    const b = bits[i];
    for (let f = 0; f < F; f++) {
      const s = flagSeries[f];
      s.n[t]++;
      if (b & flagBits[f]) { s.sum[t]++; s.sumsq[t]++; }
    }
    const r = rewards[i];
    if (Number.isFinite(r)) { rw.n[t]++; rw.sum[t] += r; rw.sumsq[t] += r * r; }
    const l = chars[i];
    ln.n[t]++; ln.sum[t] += l; ln.sumsq[t] += l * l;
  }
  const { groupStart, groupMembers, count } = model.groups.grouping;
  const zv = model.groups.stats.zeroVariance;
  for (let g = 0; g < count; g++) {
    if (groupStart[g + 1] - groupStart[g] < 2) continue;
    const t = ix.pos[groupMembers[groupStart[g]]];
    if (t < 0) continue;
    out['zero-variance'].n[t]++;
    if (zv[g]) { out['zero-variance'].sum[t]++; out['zero-variance'].sumsq[t]++; }
  }
  for (const k of HEALTH_KINDS) out[k] = compact(out[k]);
  return out;
}

function example(model: RunModel, i: number): HealthExample {
  const c = model.columns;
  const line = c.line[i];
  return { sample: i, step: Number.isNaN(c.step[i]) ? null : c.step[i], file: model.files[c.fileIndex[i]]?.path ?? '', line: line > 0 ? line : null };
}

/** Up to MAX_EXAMPLES samples from the steps after the change that show it, one per group where possible. */
function pickExamples(model: RunModel, ix: StepIndex, kind: HealthKind, cp: ChangePoint, series: Series): HealthExample[] {
  const c = model.columns;
  const { groupOf, groupStart, groupMembers } = model.groups.grouping;
  const zv = model.groups.stats.zeroVariance;
  const rose = cp.after > cp.before;
  const mid = (cp.before + cp.after) / 2;
  const shows = (i: number): boolean => {
    switch (kind) {
      case 'zero-variance': {
        const g = groupOf[i];
        if (g < 0 || groupStart[g + 1] - groupStart[g] < 2 || groupMembers[groupStart[g]] !== i) return false;
        return (zv[g] === 1) === rose;
      }
      case 'reward': return Number.isFinite(c.reward[i]) && (rose ? c.reward[i] > mid : c.reward[i] < mid);
      case 'length': return rose ? c.completionChars[i] > mid : c.completionChars[i] < mid;
      default: return (c.flagBits[i] & FLAG_BIT[kind]) !== 0;
    }
  };
  const stepPos = (s: number): number => ix.steps.indexOf(s);
  const lo = stepPos(series.steps[cp.at]);
  const hi = cp.to < series.steps.length ? stepPos(series.steps[cp.to]) : ix.steps.length;
  const collect = (from: number, to: number, reverse: boolean): HealthExample[] => {
    const cand: number[] = [];
    for (let i = 0; i < model.count; i++) {
      const t = ix.pos[i];
      if (t >= from && t < to && shows(i)) cand.push(i);
    }
    cand.sort((a, b) => (reverse ? ix.pos[b] - ix.pos[a] : ix.pos[a] - ix.pos[b]) || a - b);
    const out: number[] = [];
    const groups = new Set<number>();
    for (const i of cand) {
      if (out.length >= MAX_EXAMPLES) break;
      if (groups.has(groupOf[i])) continue;
      groups.add(groupOf[i]);
      out.push(i);
    }
    for (const i of cand) if (out.length < MAX_EXAMPLES && !out.includes(i)) out.push(i);
    return out.map((i) => example(model, i));
  };
  const after = collect(lo, hi, false);
  if (after.length > 0 || rose) return after;
  // A flag that fell away may have no sample left after the change: show the last ones before it.
  const from = stepPos(series.steps[cp.from]);
  return collect(from, lo, true);
}

/** Run health of a model: findings sorted by step, then by kind. */
export function runHealth(model: RunModel, opts: { perms?: number } = {}): HealthReport {
  const ix = stepIndex(model);
  const T = ix.steps.length;
  if (T < MIN_STEPS) {
    const why = T === 0 ? 'the run has no steps' : T === 1 ? 'the run has one step' : `the run has ${T} steps`;
    return { steps: T, tested: [], findings: [], note: `Run health not tested: ${why} (a change over steps needs at least ${MIN_STEPS}).` };
  }
  const series = healthSeries(model, ix);
  const levels = rewardLevels(model.columns.reward);
  const rewardRange = levels.kind === 'none' ? 1 : rangeOf(model.columns.reward);
  const findings: HealthFinding[] = [];
  const tested: HealthKind[] = [];
  HEALTH_KINDS.forEach((kind, ki) => {
    const s = series[kind];
    if (s.steps.length < MIN_STEPS) return;
    tested.push(kind);
    const rule: EffectRule = kind === 'length' ? 'length' : kind === 'reward' ? (levels.kind === 'binary' ? 'rate' : 'reward') : 'rate';
    // A binary reward is a rate once scaled to 0..1 (so ±1 rewards get the same thresholds as 0/1 ones).
    const scaled = kind === 'reward' && rule === 'rate' ? scaleSeries(s, levels.values[0], levels.values[levels.values.length - 1]) : s;
    for (const cp of changePoints(scaled, rule, { seed: ki + 1, perms: opts.perms, range: rewardRange })) {
      const unscale = (v: number): number => (scaled === s ? v : levels.values[0] + v * (levels.values[levels.values.length - 1] - levels.values[0]));
      const before = unscale(cp.before);
      const after = unscale(cp.after);
      const real: ChangePoint = { ...cp, before, after };
      const examples = pickExamples(model, ix, kind, real, s);
      const step = s.steps[cp.at];
      const direction = after > before ? 'rose' : 'fell';
      findings.push({
        kind, step, before, after, direction, p: cp.p, examples,
        message: `${HEALTH_LABEL[kind]} ${direction} from ${formatHealthValue(kind, before)} to ${formatHealthValue(kind, after)} at step ${step}`,
        range: { beforeFrom: s.steps[cp.from], beforeTo: s.steps[cp.at - 1], afterFrom: step, afterTo: s.steps[cp.to - 1] },
      });
    }
  });
  findings.sort((a, b) => a.step - b.step || HEALTH_KINDS.indexOf(a.kind) - HEALTH_KINDS.indexOf(b.kind));
  const note = findings.length === 0
    ? `No rate changed over the ${T} steps (tested: ${tested.map((k) => HEALTH_LABEL[k]).join(', ')}).`
    : `${findings.length} change${findings.length === 1 ? '' : 's'} over ${T} steps.`;
  return { steps: T, tested, findings, note };
}

function rangeOf(a: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return hi > lo ? hi - lo : 1;
}

function scaleSeries(s: Series, lo: number, hi: number): Series {
  const w = hi > lo ? hi - lo : 1;
  const sum = new Float64Array(s.n.length);
  const sumsq = new Float64Array(s.n.length);
  for (let i = 0; i < s.n.length; i++) {
    // Σ(x−lo)/w and Σ((x−lo)/w)² from Σx and Σx².
    sum[i] = (s.sum[i] - lo * s.n[i]) / w;
    sumsq[i] = (s.sumsq[i] - 2 * lo * s.sum[i] + lo * lo * s.n[i]) / (w * w);
  }
  return { steps: s.steps, n: s.n, sum, sumsq };
}

/** "language mixing rose from 1 % to 15 % at step 40 — 5 examples". */
export function healthLine(f: HealthFinding): string {
  return `${f.message} — ${f.examples.length} example${f.examples.length === 1 ? '' : 's'}`;
}
