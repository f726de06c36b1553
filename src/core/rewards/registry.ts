// The reward registry: every rule-based reward Rollout Lens can recompute, with plain-language descriptions and
// parameter defaults. `parity` rewards reproduce an upstream function exactly (see docs/rewards.md §3–§6); `lens` rewards
// are Rollout Lens' own, better-behaved definitions.

import { accuracyDetail, accuracyHendrycks } from './accuracy-reward';
import { compareAnswers } from './accuracy/compare';
import { formatOpenR1, formatR1Strict, promptOpensThink, tagCountOpenR1, thinkFormatTrl } from './format';
import { languageRatio } from './language-ratio';
import { COSINE_FUNCTION_DEFAULTS, cosineScaled, kimiLengthReward, softOverlongPunishment } from './length';
import { pyLen } from './python-compat';
import { reasoningStepsOpenR1 } from './reasoning-steps';
import { reasoningText } from './reasoning-text';
import { repetitionPenaltyText, repetitionPenaltyTokens } from './repetition';
import type { RewardDefinition, RewardInput, RewardParams } from './types';

export { reasoningText };
import { boolParam, numParam, strParam, withDefaults } from './types';

function tokenLength(input: RewardInput): number | null {
  if (input.completionTokenIds) return input.completionTokenIds.length;
  return typeof input.lengthTokens === 'number' && Number.isFinite(input.lengthTokens) ? input.lengthTokens : null;
}

/** Correctness for the length-shaped rewards: the caller's, else the accuracy pipeline; null when there is no gold. */
function correctness(input: RewardInput, params: RewardParams): boolean | null {
  if (typeof input.isCorrect === 'boolean') return input.isCorrect;
  const s = accuracyDetail(input, params).score;
  return s === null ? null : s > 0;
}

/**
 * What each text reward reads. A multi-turn sample's completion may hold tool replies (src/core/trajectory/
 * reward-text.ts): the answer (accuracyDetail) and the format are read in the final model turn(s), repetition and reasoning steps
 * over the model's turns only. A single-turn sample has no `modelText` and reads the completion whole.
 */
function finalText(input: RewardInput): string {
  return input.modelText ? input.modelText.final : input.completion;
}

function ownText(input: RewardInput): string {
  return input.modelText ? input.modelText.own : input.completion;
}

const ACCURACY_PARAMS = [
  { name: 'requireClosedThink', description: 'A completion that opens <think> but never closes it scores 0 (strict thinking).', default: true },
  { name: 'lenient', description: 'Also accept the last $…$ maths span (or a short bare text) when there is no boxed / tagged / "Answer:" answer.', default: false },
  { name: 'allowSetRelationComp', description: 'Accept a predicted inequality against a gold interval (Math-Verify allow_set_relation_comp).', default: false },
  { name: 'timeLimitMs', description: 'Time limit of one answer comparison, in milliseconds.', default: 2000 },
];

const COSINE_PARAMS = (minValueWrong: number) => [
  { name: 'minValueWrong', description: 'Reward of a wrong answer at length 0.', default: minValueWrong },
  { name: 'maxValueWrong', description: 'Reward of a wrong answer at max length.', default: COSINE_FUNCTION_DEFAULTS.maxValueWrong },
  { name: 'minValueCorrect', description: 'Reward of a correct answer at max length.', default: COSINE_FUNCTION_DEFAULTS.minValueCorrect },
  { name: 'maxValueCorrect', description: 'Reward of a correct answer at length 0.', default: COSINE_FUNCTION_DEFAULTS.maxValueCorrect },
  { name: 'maxLen', description: 'Length at which the cosine reaches its end point.', default: COSINE_FUNCTION_DEFAULTS.maxLen },
];

function cosineParams(params: RewardParams, clamp: boolean) {
  return {
    minValueWrong: numParam(params, 'minValueWrong', COSINE_FUNCTION_DEFAULTS.minValueWrong),
    maxValueWrong: numParam(params, 'maxValueWrong', COSINE_FUNCTION_DEFAULTS.maxValueWrong),
    minValueCorrect: numParam(params, 'minValueCorrect', COSINE_FUNCTION_DEFAULTS.minValueCorrect),
    maxValueCorrect: numParam(params, 'maxValueCorrect', COSINE_FUNCTION_DEFAULTS.maxValueCorrect),
    maxLen: numParam(params, 'maxLen', COSINE_FUNCTION_DEFAULTS.maxLen),
    clamp,
  };
}

export const REWARDS: RewardDefinition[] = [
  {
    name: 'accuracy',
    description: 'Is the final answer (last \\boxed{}, <answer> block or "Answer:" line after </think>) mathematically equal to the gold answer? 1 or 0; empty when there is no gold. Handles fractions, radicals, percent, degrees, units, thousands separators, sets, tuples, intervals, matrices, equations and multiple-choice letters.',
    kind: 'lens',
    upstream: [{ project: 'deepseek-r1', function: 'accuracy' }],
    parameters: ACCURACY_PARAMS,
    score: (input, params) => accuracyDetail(input, params).score,
  },
  {
    name: 'accuracy_hendrycks',
    description: 'verl MATH scorer (Hendrycks is_equiv): the last \\boxed{} string-normalised and compared with the gold text. Strict: 3 ≠ 3.0 and 1000 ≠ 1,000.',
    kind: 'parity',
    upstream: [{ project: 'verl', function: 'math_reward.compute_score' }],
    parameters: [],
    score: (input) => accuracyHendrycks(input),
  },
  {
    name: 'format',
    description: 'DeepSeek-R1 format, strict: one non-empty <think> block followed by one non-empty <answer> block and nothing else. 1 or 0.',
    kind: 'lens',
    upstream: [{ project: 'deepseek-r1', function: 'format' }],
    parameters: [],
    score: (input) => formatR1Strict(finalText(input), promptOpensThink(input.prompt)),
  },
  {
    name: 'format_openr1',
    description: 'open-r1 format_reward: "<think>\\n…\\n</think>\\n<answer>\\n…\\n</answer>" at the start. Also accepts an empty think and extra lines after </answer>.',
    kind: 'parity',
    upstream: [{ project: 'open-r1', function: 'format_reward' }],
    parameters: [],
    score: (input) => formatOpenR1(finalText(input)),
  },
  {
    name: 'think_format_trl',
    description: 'TRL think_format_reward: starts with <think>, has exactly one think block and closes it; anything may follow.',
    kind: 'parity',
    upstream: [{ project: 'trl', function: 'think_format_reward' }],
    parameters: [],
    score: (input) => thinkFormatTrl(finalText(input)),
  },
  {
    name: 'tag_count',
    description: 'open-r1 tag_count_reward: 0.25 for each of "<think>\\n", "\\n</think>\\n", "\\n<answer>\\n", "\\n</answer>" that occurs exactly once.',
    kind: 'parity',
    upstream: [{ project: 'open-r1', function: 'tag_count_reward' }],
    parameters: [],
    score: (input) => tagCountOpenR1(finalText(input)),
  },
  {
    name: 'reasoning_steps',
    description: 'open-r1 reasoning_steps_reward: counts "Step N:", bullets and First/Second/Next/Finally; 3 or more gives 1. A numbered list counts only if it starts the text.',
    kind: 'parity',
    upstream: [{ project: 'open-r1', function: 'reasoning_steps_reward' }],
    parameters: [{ name: 'divisor', description: 'Number of steps that gives full credit (open-r1: 3).', default: 3 }],
    score: (input, params) => reasoningStepsOpenR1(ownText(input), numParam(params, 'divisor', 3)),
  },
  {
    name: 'language_consistency',
    description: 'DeepSeek-R1 language reward: share of reasoning words in the target language (words counted with Intl.Segmenter; Chinese/Japanese words are dictionary words, not characters). Empty without a target language.',
    kind: 'lens',
    upstream: [{ project: 'deepseek-r1', function: 'language_consistency' }],
    parameters: [{ name: 'target', description: 'Target language when the sample has none (empty: does not apply).', default: '' }],
    score: (input, params) => {
      const target = input.targetLanguage || strParam(params, 'target', '');
      return target ? languageRatio(input.modelText ? input.modelText.reasoning : reasoningText(input.completion), target) : null;
    },
  },
  {
    name: 'repetition_penalty',
    description: 'open-r1 repetition penalty: (1 − distinct word n-grams / n-grams) × max penalty, over lower-cased whitespace words (Chinese: dictionary words, approximate).',
    kind: 'parity',
    upstream: [{ project: 'open-r1', function: 'repetition_penalty_reward' }],
    parameters: [
      { name: 'ngramSize', description: 'n of the n-grams.', default: 3 },
      { name: 'maxPenalty', description: 'Penalty of a fully repeated text (must be ≤ 0).', default: -1.0 },
      { name: 'language', description: '"en" (whitespace words) or "zh" (word segmentation).', default: 'en' },
    ],
    score: (input, params) => repetitionPenaltyText(ownText(input), numParam(params, 'ngramSize', 3), numParam(params, 'maxPenalty', -1), strParam(params, 'language', 'en')),
  },
  {
    name: 'repetition_penalty_tokens',
    description: 'TRL repetition penalty: the same formula over completion token-id n-grams. Empty when token ids are not logged.',
    kind: 'parity',
    upstream: [{ project: 'trl', function: 'get_repetition_penalty_reward' }],
    parameters: [
      { name: 'ngramSize', description: 'n of the n-grams.', default: 3 },
      { name: 'maxPenalty', description: 'Penalty of a fully repeated text (must be ≤ 0).', default: -1.0 },
    ],
    score: (input, params) => (input.completionTokenIds ? repetitionPenaltyTokens(input.completionTokenIds, numParam(params, 'ngramSize', 3), numParam(params, 'maxPenalty', -1)) : null),
  },
  {
    name: 'soft_overlong',
    description: 'DAPO soft overlong punishment: 0 up to max − cache tokens, then a linear ramp to −1 at the max length, −1 beyond. Empty when the token length is unknown.',
    kind: 'parity',
    upstream: [{ project: 'trl', function: 'get_soft_overlong_punishment' }, { project: 'open-r1', function: 'get_soft_overlong_punishment' }, { project: 'dapo', function: 'R_length' }],
    parameters: [
      { name: 'maxCompletionLen', description: 'Maximum completion length, tokens.', default: 16384 },
      { name: 'softPunishCache', description: 'Length of the soft-penalty zone before the maximum, tokens.', default: 4096 },
    ],
    score: (input, params) => {
      const len = tokenLength(input);
      return len === null ? null : softOverlongPunishment(len, numParam(params, 'maxCompletionLen', 16384), numParam(params, 'softPunishCache', 4096));
    },
  },
  {
    name: 'length',
    description: 'Kimi 1.5 length reward (open-r1 len_reward): within the group, shorter is better, 0.5 for the shortest to −0.5 for the longest; wrong answers never gain. Needs the group\'s lengths.',
    kind: 'parity',
    upstream: [{ project: 'open-r1', function: 'len_reward' }],
    parameters: ACCURACY_PARAMS,
    score: (input, params) => {
      const group = input.groupLengths;
      if (!group || group.length === 0) return null;
      // open-r1 treats an unparseable gold as correct.
      const ok = correctness(input, params) ?? true;
      return kimiLengthReward(pyLen(input.completion), ok, Math.min(...group), Math.max(...group));
    },
  },
  {
    name: 'cosine',
    description: 'open-r1 cosine scaled reward: correct answers earn more when short, wrong answers are penalised less when long; length in characters, not clamped (past max length the reward rises again). Defaults are open-r1\'s training config.',
    kind: 'parity',
    upstream: [{ project: 'open-r1', function: 'cosine_scaled_reward' }],
    parameters: [...COSINE_PARAMS(0.0), ...ACCURACY_PARAMS],
    score: (input, params) => {
      // open-r1 scores an unparseable gold 1.0.
      const ok = correctness(input, params);
      if (ok === null) return 1.0;
      return cosineScaled(pyLen(input.completion), ok, cosineParams(params, false));
    },
  },
  {
    name: 'cosine_trl',
    description: 'TRL cosine scaled reward: as open-r1\'s, but length in tokens and clamped at the max length.',
    kind: 'parity',
    upstream: [{ project: 'trl', function: 'cosine_scaled_reward' }],
    parameters: [...COSINE_PARAMS(COSINE_FUNCTION_DEFAULTS.minValueWrong), ...ACCURACY_PARAMS],
    score: (input, params) => {
      const len = tokenLength(input);
      const ok = correctness(input, params);
      if (len === null || ok === null) return null;
      return cosineScaled(len, ok, cosineParams(params, true));
    },
  },
];

const BY_NAME = new Map(REWARDS.map((r) => [r.name, r]));

export function getReward(name: string): RewardDefinition | undefined {
  return BY_NAME.get(name);
}

/** The reward reproducing an upstream function, e.g. ('trl', 'cosine_scaled_reward') → cosine_trl. */
export function findUpstreamReward(project: string, fn: string): RewardDefinition | undefined {
  return REWARDS.find((r) => r.upstream.some((u) => u.project === project && u.function === fn));
}

/**
 * Scores one sample with the named rewards. Unknown names and rewards that throw (invalid parameters) give null, so
 * one bad setting does not blank the whole table. `params` is keyed by reward name.
 */
export function computeRewards(input: RewardInput, names: string[], params?: Record<string, RewardParams>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const name of names) {
    const def = BY_NAME.get(name);
    if (!def) { out[name] = null; continue; }
    try {
      out[name] = def.score(input, withDefaults(def, params?.[name]));
    } catch {
      out[name] = null;
    }
  }
  return out;
}

/**
 * Plain-language reason why a prediction does or does not match the gold, e.g. "boxed 2\sqrt{2} ≠ gold 2 (numeric)".
 * Accepts either raw strings (already-extracted answers) or a RewardInput (extraction included).
 */
export function describeDisagreement(input: RewardInput | { gold: string; pred: string }, params: RewardParams = {}): string {
  if ('pred' in input) {
    const v = compareAnswers(input.gold, input.pred, { allowSetRelationComp: boolParam(params, 'allowSetRelationComp', false) });
    return `${input.pred} ${v.equal ? '=' : '≠'} gold ${input.gold} (${v.stage})`;
  }
  return accuracyDetail(input, params).reason;
}
