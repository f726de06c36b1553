// Public surface of the rewards module.
export type { ModelText, RewardDefinition, RewardInput, RewardParams, ParameterSpec, ParamValue } from './types';
export { REWARDS, computeRewards, describeDisagreement, findUpstreamReward, getReward, reasoningText } from './registry';
export { accuracyDetail, accuracyHendrycks, type AccuracyDetail } from './accuracy-reward';
export { compareAnswers, type CompareOptions, type Verdict } from './accuracy/compare';
export { normalizeAnswer, type NormalizedAnswer } from './accuracy/normalize';
export { isEquivHendrycks, stripStringHendrycks, verlMathRewardScore } from './accuracy/hendrycks';
export { prepareGold, extractPrediction, lastMathSpan } from './accuracy/gold';
export { formatOpenR1, formatR1Strict, thinkFormatTrl, tagCountOpenR1, promptOpensThink } from './format';
export { reasoningStepsOpenR1, reasoningStepsCount } from './reasoning-steps';
export { repetitionPenaltyText, repetitionPenaltyTokens } from './repetition';
export { softOverlongPunishment, cosineScaled, kimiLengthReward, kimiLengthRewards, COSINE_FUNCTION_DEFAULTS, type CosineParams } from './length';
export { languageRatio } from './language-ratio';
export { pySplit, pyLen, pyCount } from './python-compat';
