// Two runs, or two steps of one run, side by side: summary numbers, reward and length distributions on shared
// bins (so they overlay), flag rates, and the prompts whose mean reward moved most between the sides. Prompts
// are matched by promptKey (hash of the normalised text), supplied per sample by the caller.
import { histogram } from '../groups/stats';
import { FLAG_KINDS } from '../types';
import { FLAG_BIT, type RunModel } from '../run/run-builder';
import type { CompareResult, CompareSideInfo, FlagKindName, MovedPrompt } from '../../protocol/viewer-protocol';

export interface CompareSide {
  label: string;
  path: string;
  model: RunModel;
  /** One prompt key per sample of the model (null = no prompt). */
  keys: readonly (string | null)[];
  /** 'all' = every step of the run. */
  step: number | null | 'all';
}

export interface CompareOptions {
  /** How many moved prompts to return (default 50). */
  movedMax?: number;
  bins?: number;
  /** One line of the prompt's text for a key (from either side). */
  preview?(key: string): string;
}

const SAMPLES_PER_PROMPT = 16;

/** The sample indices of a side: every sample, or those of its step. */
export function sideSamples(side: Pick<CompareSide, 'model' | 'step'>): Int32Array {
  const { model, step } = side;
  if (step === 'all') return Int32Array.from({ length: model.count }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < model.count; i++) {
    const s = Number.isNaN(model.columns.step[i]) ? null : model.columns.step[i];
    if (s === step) out.push(i);
  }
  return Int32Array.from(out);
}

function sideInfo(side: CompareSide, idx: Int32Array): CompareSideInfo {
  const c = side.model.columns;
  let rewarded = 0;
  let sum = 0;
  let correct = 0;
  let len = 0;
  const flags = { 'language-mix': 0, repetition: 0, truncated: 0, format: 0, tool: 0 } as Record<FlagKindName, number>;
  for (const i of idx) {
    if (Number.isFinite(c.reward[i])) {
      rewarded++;
      sum += c.reward[i];
      if (c.correct[i]) correct++;
    }
    len += c.completionChars[i];
    for (const k of FLAG_KINDS) if (c.flagBits[i] & FLAG_BIT[k]) flags[k]++;
  }
  const n = idx.length;
  for (const k of FLAG_KINDS) flags[k] = n ? flags[k] / n : 0;
  return {
    label: side.label, path: side.path, step: side.step, samples: n,
    rewardMean: rewarded ? sum / rewarded : null,
    passRate: rewarded ? correct / rewarded : null,
    lengthMean: n ? len / n : null,
    flagRates: flags,
  };
}

/** Both sides binned on the same edges (the union of their ranges). */
export function overlay(a: number[], b: number[], bins: number): { edges: number[]; countsA: number[]; countsB: number[] } | null {
  if (a.length === 0 && b.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
  for (const v of b) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const ha = histogram(a, bins, { min: lo, max: hi });
  const hb = histogram(b, bins, { min: lo, max: hi });
  return { edges: Array.from(ha.edges), countsA: Array.from(ha.counts), countsB: Array.from(hb.counts) };
}

interface PromptAcc { sum: number; n: number; count: number; samples: number[] }

function byPrompt(side: CompareSide, idx: Int32Array): Map<string, PromptAcc> {
  const out = new Map<string, PromptAcc>();
  const r = side.model.columns.reward;
  for (const i of idx) {
    const k = side.keys[i];
    if (k === null || k === undefined) continue;
    let a = out.get(k);
    if (!a) {
      a = { sum: 0, n: 0, count: 0, samples: [] };
      out.set(k, a);
    }
    a.count++;
    if (a.samples.length < SAMPLES_PER_PROMPT) a.samples.push(i);
    if (Number.isFinite(r[i])) {
      a.sum += r[i];
      a.n++;
    }
  }
  return out;
}

export function compareSides(a: CompareSide, b: CompareSide, opts: CompareOptions = {}): CompareResult {
  const ia = sideSamples(a);
  const ib = sideSamples(b);
  const values = (idx: Int32Array, col: Float64Array): number[] => {
    const out: number[] = [];
    for (const i of idx) if (Number.isFinite(col[i])) out.push(col[i]);
    return out;
  };
  const bins = opts.bins ?? 20;
  const pa = byPrompt(a, ia);
  const pb = byPrompt(b, ib);
  const moved: MovedPrompt[] = [];
  let shared = 0;
  for (const [key, x] of pa) {
    const y = pb.get(key);
    if (!y) continue;
    shared++;
    if (x.n === 0 || y.n === 0) continue;
    const meanA = x.sum / x.n;
    const meanB = y.sum / y.n;
    moved.push({ key, preview: opts.preview?.(key) ?? '', meanA, meanB, delta: meanB - meanA, countA: x.count, countB: y.count, samplesA: x.samples, samplesB: y.samples });
  }
  // Largest absolute change first; ties by key so the order is stable across runs of the comparison.
  moved.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta) || (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  return {
    a: sideInfo(a, ia),
    b: sideInfo(b, ib),
    reward: overlay(values(ia, a.model.columns.reward), values(ib, b.model.columns.reward), bins),
    length: overlay(values(ia, a.model.columns.completionChars), values(ib, b.model.columns.completionChars), bins),
    sharedPrompts: shared,
    moved: moved.slice(0, opts.movedMax ?? 50),
  };
}
