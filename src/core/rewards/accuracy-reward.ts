// The accuracy rewards: Rollout Lens' pipeline (docs/rewards.md §9.5) and the verl Hendrycks parity scorer (§5.3).

import { answerRegion } from '../trace/answer';
import { compareAnswers, type Verdict } from './accuracy/compare';
import { extractPrediction, prepareGold } from './accuracy/gold';
import { verlMathRewardScore } from './accuracy/hendrycks';
import { promptOpensThink } from './format';
import type { RewardInput, RewardParams } from './types';
import { boolParam, numParam } from './types';

export interface AccuracyDetail {
  /** null: does not apply (no gold). */
  score: number | null;
  gold: string[] | null;
  pred: string | null;
  verdict: Verdict | null;
  /** Why the score is what it is, in plain words. */
  reason: string;
  /** Wall time of the comparison, ms. */
  ms: number;
}

/** The text holding the final answer: a multi-turn sample's last model turn(s), never a tool's reply. */
function answerText(input: RewardInput): string {
  return input.modelText ? input.modelText.final : input.completion;
}

/** Accuracy with its explanation; `accuracy`'s score is `accuracyDetail(...).score`. */
export function accuracyDetail(input: RewardInput, params: RewardParams): AccuracyDetail {
  const t0 = performance.now();
  const gold = prepareGold(input.gold);
  const done = (score: number | null, pred: string | null, verdict: Verdict | null, reason: string): AccuracyDetail => ({
    score, gold, pred, verdict, reason, ms: performance.now() - t0,
  });
  if (!gold) return done(null, null, null, 'no usable gold answer');
  const region = answerRegion(answerText(input), promptOpensThink(input.prompt));
  if (!region.closed && boolParam(params, 'requireClosedThink', true)) return done(0, null, null, 'reasoning never closed (no </think>)');
  const pred = extractPrediction(region.text, boolParam(params, 'lenient', false));
  if (pred === null) return done(0, null, null, 'no answer found');
  const opts = {
    timeLimitMs: numParam(params, 'timeLimitMs', 2000),
    allowSetRelationComp: boolParam(params, 'allowSetRelationComp', false),
    precision: typeof params['precision'] === 'number' ? params['precision'] : null,
  };
  let last: Verdict | null = null;
  for (const g of gold) {
    const v = compareAnswers(g, pred, opts);
    last = v;
    if (v.equal) return done(1, pred, v, `${pred} = gold ${g} (${v.stage})`);
  }
  return done(0, pred, last, `${pred} ≠ gold ${gold.join(' | ')}${last ? ` (${last.stage})` : ''}`);
}

/**
 * verl `math_reward` parity: last boxed of the whole solution, Hendrycks is_equiv against the raw gold string. For a
 * multi-turn sample the solution is the final model turn(s): verl would also see a boxed inside a tool's reply.
 */
export function accuracyHendrycks(input: RewardInput): number | null {
  if (typeof input.gold !== 'string' && typeof input.gold !== 'number') return null;
  return verlMathRewardScore(answerText(input), String(input.gold));
}
