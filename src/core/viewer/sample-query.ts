// Filtering and sorting of the viewer's sample list over the run's typed columns: no record is read, so a
// query over millions of samples is one pass plus a sort of an index array.
import { FLAG_KINDS, type FlagKind } from '../types';
import { FLAG_BIT, type RunModel } from '../run/run-builder';
import type { HistogramBin, SampleFilter, SampleQuery, SortKey } from '../../protocol/viewer-protocol';
import { passCountsOf } from '../groups/pass-counts';
import { calledToolTest } from '../trajectory/tally';

/** Bit set of the flag kinds in a filter (0 = no flag constraint). */
function flagMask(kinds: readonly FlagKind[] | undefined): number {
  let m = 0;
  for (const k of kinds ?? []) m |= FLAG_BIT[k];
  return m;
}

function popcount(b: number): number {
  let n = 0;
  for (let x = b; x; x &= x - 1) n++;
  return n;
}

function inRange(v: number, lo: number | undefined, hi: number | undefined, hiInclusive: boolean): boolean {
  if (lo === undefined && hi === undefined) return true;
  if (!Number.isFinite(v)) return false;
  if (lo !== undefined && v < lo) return false;
  if (hi !== undefined && (hiInclusive ? v > hi : v >= hi)) return false;
  return true;
}

export interface QueryContext {
  model: RunModel;
  /** Sample indices of finished searches, by searchId. */
  searches?: ReadonlyMap<number, Uint8Array>;
  /** Samples whose recorded reward disagrees with the recomputed one (scoring sidecar), for filter.disagreement. */
  disagreements?: { has(index: number): boolean };
}

/** The samples that pass the filter, in file order. */
export function filterSamples(ctx: QueryContext, f: SampleFilter): Int32Array {
  const { model } = ctx;
  const c = model.columns;
  const adv = model.groups.advantage;
  const groupOf = model.groups.grouping.groupOf;
  const zv = model.groups.stats.zeroVariance;
  const mask = flagMask(f.flags);
  const hit = f.searchId !== undefined ? ctx.searches?.get(f.searchId) ?? new Uint8Array(0) : null;
  const pc = f.passCount !== undefined ? passCountsOf(model) : null;
  const tr = model.trajectories;
  const calls = f.toolName === undefined ? null : calledToolTest(tr, f.toolName);
  // The last advantage bin is closed on the right, as in histogram(); callers say so by advMax equal to the max.
  const out = new Int32Array(model.count);
  let n = 0;
  for (let i = 0; i < model.count; i++) {
    if (f.sample !== undefined && i !== f.sample) continue;
    if (mask && (c.flagBits[i] & mask) === 0) continue;
    if (!inRange(c.reward[i], f.rewardMin, f.rewardMax, true)) continue;
    if (!inRange(adv[i], f.advMin, f.advMax, f.advMax !== undefined && f.advMax >= advantageMax(model))) continue;
    if (f.bin !== undefined && !inBin(f.bin.field === 'reward' ? c.reward[i] : adv[i], f.bin)) continue;
    if (f.step !== undefined) {
      const s = c.step[i];
      if (f.step === null ? !Number.isNaN(s) : s !== f.step) continue;
    }
    const g = groupOf[i];
    if (f.group !== undefined && g !== f.group) continue;
    if (f.zeroVariance !== undefined && (g < 0 || (zv[g] === 1) !== f.zeroVariance)) continue;
    if (pc !== null && f.passCount !== undefined && (g < 0 || pc.k[g] !== f.passCount.k || pc.n[g] !== f.passCount.n)) continue;
    if (hit !== null && !hit[i]) continue;
    if (f.disagreement !== undefined && (ctx.disagreements?.has(i) ?? false) !== f.disagreement) continue;
    if (f.minTurns !== undefined && tr.turns[i] < f.minTurns) continue;
    if (f.minToolCalls !== undefined && tr.toolCalls[i] < f.minToolCalls) continue;
    if (f.maxTurns !== undefined && tr.turns[i] > f.maxTurns) continue;
    if (f.maxToolCalls !== undefined && tr.toolCalls[i] > f.maxToolCalls) continue;
    if (f.toolError !== undefined && (tr.toolErrors[i] > 0) !== f.toolError) continue;
    if (calls !== null && !calls(i)) continue;
    out[n++] = i;
  }
  return out.slice(0, n);
}

/** The bin histogram() puts v in (values outside the range are clamped into the end bins, as there). */
export function inBin(v: number, b: HistogramBin): boolean {
  if (!Number.isFinite(v)) return false;
  const hi = b.max <= b.min ? b.min + 1 : b.max;
  const w = (hi - b.min) / b.bins;
  return Math.min(b.bins - 1, Math.max(0, Math.floor((v - b.min) / w))) === b.index;
}

const maxCache = new WeakMap<RunModel, number>();
function advantageMax(model: RunModel): number {
  let m = maxCache.get(model);
  if (m === undefined) {
    m = -Infinity;
    for (const v of model.groups.advantage) if (v > m) m = v;
    maxCache.set(model, m);
  }
  return m;
}

/** Sort key of sample i; NaN sorts last whatever the direction. */
function keyOf(model: RunModel, key: SortKey): (i: number) => number {
  const c = model.columns;
  switch (key) {
    case 'index': return (i) => i;
    case 'reward': return (i) => c.reward[i];
    case 'advantage': return (i) => model.groups.advantage[i];
    case 'group': return (i) => (model.groups.grouping.groupOf[i] < 0 ? Number.NaN : model.groups.grouping.groupOf[i]);
    case 'step': return (i) => c.step[i];
    case 'length': return (i) => c.completionChars[i];
    case 'flags': return (i) => popcount(c.flagBits[i]);
    case 'turns': return (i) => model.trajectories.turns[i];
    case 'toolCalls': return (i) => model.trajectories.toolCalls[i];
  }
}

/** Stable sort of the filtered indices; ties keep file order. */
export function sortSamples(model: RunModel, indices: Int32Array, key: SortKey, descending: boolean): Int32Array {
  if (key === 'index' && !descending) return indices;
  const k = keyOf(model, key);
  const keys = new Float64Array(model.count);
  for (const i of indices) keys[i] = k(i);
  const dir = descending ? -1 : 1;
  const arr = Array.from(indices);
  arr.sort((a, b) => {
    const x = keys[a];
    const y = keys[b];
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
    return x === y ? a - b : (x - y) * dir;
  });
  return Int32Array.from(arr);
}

export function runQuery(ctx: QueryContext, q: SampleQuery): Int32Array {
  return sortSamples(ctx.model, filterSamples(ctx, q.filter), q.sort, q.descending);
}

/** The flag kinds of a sample from its bit set. */
export function flagKindsOf(bits: number): FlagKind[] {
  return FLAG_KINDS.filter((k) => (bits & FLAG_BIT[k]) !== 0);
}

export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
