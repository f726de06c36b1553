// Recorded vs recomputed: does the reward in the log say what the text says? A sample disagrees when the log's
// accuracy-type reward is 1 and the recomputed one 0 (or the reverse), or, for a non-binary reward such as the
// user's own function, when the two values differ. Each disagreement carries a plain reason ("answer 2\sqrt{2} ≠
// gold 2", "no closing think") so that the list explains itself.
import { accuracyDetail } from '../rewards/accuracy-reward';
import { getReward } from '../rewards/registry';
import type { RewardParams } from '../rewards/types';
import { withDefaults } from '../rewards/types';
import type { Sample } from '../types';
import { completionText, promptText } from '../run/sample-text';
import { rewardModelText } from '../trajectory/reward-text';

export type DisagreementDirection = 'recorded-1-recomputed-0' | 'recorded-0-recomputed-1' | 'differs';

export interface Disagreement {
  /** The recomputed reward compared (`accuracy`, or a batch reward's name). */
  reward: string;
  /** Where the recorded value came from: a reward component's name, or `reward` (the total). */
  recordedField: string;
  recorded: number;
  recomputed: number;
  direction: DisagreementDirection;
  reason: string;
}

/** Logged reward components that hold an accuracy verdict (verl `acc`, open-r1/TRL `accuracy_reward`, …). */
const ACCURACY_COMPONENTS = ['acc', 'accuracy', 'accuracy_reward', 'correct', 'is_correct', 'correctness'];

const TOLERANCE = 1e-6;

/** The logged value to compare a recomputed reward with, or null when the log has nothing comparable. */
export function recordedValue(s: Pick<Sample, 'reward' | 'rewardComponents'>, reward: string): { field: string; value: number } | null {
  const comps = s.rewardComponents;
  const own = comps[reward];
  if (typeof own === 'number' && Number.isFinite(own)) return { field: reward, value: own };
  if (reward === 'accuracy' || reward === 'accuracy_hendrycks') {
    for (const k of ACCURACY_COMPONENTS) {
      const v = comps[k];
      if (typeof v === 'number' && Number.isFinite(v)) return { field: k, value: v };
    }
    // The total reward is an accuracy verdict only when it is 0 or 1 (a sum with format credit is not).
    if (s.reward === 0 || s.reward === 1) return { field: 'reward', value: s.reward };
    return null;
  }
  return s.reward !== null && Number.isFinite(s.reward) ? { field: 'reward', value: s.reward } : null;
}

function isBinary(v: number): boolean {
  return v === 0 || v === 1;
}

/** Why the accuracy pipeline gives what it gives, in the words the list shows. */
export function accuracyReason(s: Sample, params: RewardParams | undefined): string {
  const def = getReward('accuracy');
  const p = def ? withDefaults(def, params) : (params ?? {});
  const text = completionText(s.completion);
  const d = accuracyDetail({ completion: text, modelText: rewardModelText(s.completion, text), prompt: promptText(s.prompt), gold: s.gold === undefined ? null : s.gold }, p);
  if (/never closed/.test(d.reason)) return 'no closing think';
  if (d.pred !== null) return `answer ${d.reason}`;
  return d.reason;
}

/**
 * Compares the recomputed `reward` with what the log recorded. Null when they agree or when either side is
 * missing. `reason` is computed lazily: only disagreeing samples pay for the explanation.
 */
export function compareRecorded(
  s: Sample,
  reward: string,
  recomputed: number | null,
  explain: () => string,
): Disagreement | null {
  if (recomputed === null || !Number.isFinite(recomputed)) return null;
  const rec = recordedValue(s, reward);
  if (rec === null) return null;
  if (isBinary(rec.value) && isBinary(recomputed)) {
    if (rec.value === recomputed) return null;
    const direction: DisagreementDirection = rec.value === 1 ? 'recorded-1-recomputed-0' : 'recorded-0-recomputed-1';
    return { reward, recordedField: rec.field, recorded: rec.value, recomputed, direction, reason: explain() };
  }
  if (Math.abs(rec.value - recomputed) <= TOLERANCE) return null;
  return { reward, recordedField: rec.field, recorded: rec.value, recomputed, direction: 'differs', reason: explain() };
}

/** Short label for lenses and list rows: "recorded 1 ≠ recomputed 0 (accuracy): no closing think". */
export function disagreementLabel(d: Disagreement): string {
  return `recorded ${fmt(d.recorded)} ≠ recomputed ${fmt(d.recomputed)} (${d.reward}): ${d.reason}`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}
