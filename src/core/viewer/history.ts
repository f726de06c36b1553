// A prompt's history across the steps of a run: the same prompt (a hash of its normalised text) at every step,
// with its groups there and their reward and length. Pure: the caller supplies one prompt key per sample
// (RunSession reads them once, lazily, through the offset index).
import { hash53 } from '../groups/relog';
import type { RunModel } from '../run/run-builder';
import type { PromptHistory, PromptHistoryStep } from '../../protocol/viewer-protocol';

const MAX_SAMPLES_PER_STEP = 64;

/**
 * Normalised prompt text: Unicode NFC, whitespace runs collapsed to one space, trimmed. Case and punctuation
 * are kept (they can change the question); trailing whitespace and re-wrapped lines do not make a new prompt.
 */
export function normalisePrompt(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The prompt's identity across steps and runs (null = no prompt): 53-bit hash of the normalised text, base 36. */
export function promptKey(text: string | null): string | null {
  if (text === null) return null;
  const n = normalisePrompt(text);
  return n === '' ? null : hash53(n).toString(36);
}

function stepOf(model: RunModel, i: number): number | null {
  const s = model.columns.step[i];
  return Number.isNaN(s) ? null : s;
}

/** Every step at which the prompt `key` occurs, in step order (samples without a step last). */
export function promptHistory(model: RunModel, keys: readonly (string | null)[], key: string, from: number, prompt: string | null): PromptHistory {
  const c = model.columns;
  const { groupOf } = model.groups.grouping;
  interface Acc { groups: Set<number>; samples: number[]; count: number; sum: number; rewarded: number; correct: number; min: number; max: number; len: number; flagged: number }
  const by = new Map<number | null, Acc>();
  for (let i = 0; i < model.count; i++) {
    if (keys[i] !== key) continue;
    const s = stepOf(model, i);
    let a = by.get(s);
    if (!a) {
      a = { groups: new Set(), samples: [], count: 0, sum: 0, rewarded: 0, correct: 0, min: Infinity, max: -Infinity, len: 0, flagged: 0 };
      by.set(s, a);
    }
    a.count++;
    if (a.samples.length < MAX_SAMPLES_PER_STEP) a.samples.push(i);
    if (groupOf[i] >= 0) a.groups.add(groupOf[i]);
    const r = c.reward[i];
    if (Number.isFinite(r)) {
      a.rewarded++;
      a.sum += r;
      if (r < a.min) a.min = r;
      if (r > a.max) a.max = r;
      if (c.correct[i]) a.correct++;
    }
    a.len += c.completionChars[i];
    if (c.flagBits[i] !== 0) a.flagged++;
  }
  const steps: PromptHistoryStep[] = [];
  for (const [step, a] of by) {
    steps.push({
      step,
      groups: [...a.groups].sort((x, y) => x - y),
      samples: a.samples,
      count: a.count,
      rewardMean: a.rewarded ? a.sum / a.rewarded : null,
      rewardMin: a.rewarded ? a.min : null,
      rewardMax: a.rewarded ? a.max : null,
      passRate: a.rewarded ? a.correct / a.rewarded : null,
      lengthMean: a.count ? a.len / a.count : null,
      flagged: a.flagged,
    });
  }
  steps.sort((x, y) => (x.step === null ? 1 : y.step === null ? -1 : x.step - y.step));
  return { key, prompt, from, steps, recurringPrompts: recurringPrompts(model, keys) };
}

/** How many distinct prompts occur at two or more distinct steps. */
export function recurringPrompts(model: RunModel, keys: readonly (string | null)[]): number {
  const first = new Map<string, number | null>();
  const recurring = new Set<string>();
  for (let i = 0; i < model.count; i++) {
    const k = keys[i];
    if (k === null || k === undefined) continue;
    const s = stepOf(model, i);
    if (!first.has(k)) first.set(k, s);
    else if (first.get(k) !== s) recurring.add(k);
  }
  return recurring.size;
}

