// Length-shaped rewards: DAPO soft overlong punishment (Eq. 13), the open-r1 / TRL cosine scaled reward, and the
// Kimi 1.5 length reward of open-r1 (docs/rewards.md §3.1, §4, §6).

/** DAPO Eq. 13 (TRL / open-r1 `get_soft_overlong_punishment`); `length` is in tokens. */
export function softOverlongPunishment(length: number, maxCompletionLen: number, softPunishCache: number): number {
  const expected = maxCompletionLen - softPunishCache;
  if (length <= expected) return 0;
  if (length <= maxCompletionLen) return (expected - length) / softPunishCache;
  return -1;
}

export interface CosineParams {
  minValueWrong: number;
  maxValueWrong: number;
  minValueCorrect: number;
  maxValueCorrect: number;
  maxLen: number;
  /** TRL clamps progress at 1; open-r1 does not, so past max_len the reward rises again. */
  clamp: boolean;
}

/** Function defaults of both `get_cosine_scaled_reward`s. open-r1's training config uses minValueWrong 0.0 (§3.2). */
export const COSINE_FUNCTION_DEFAULTS: Omit<CosineParams, 'clamp'> = {
  minValueWrong: -1.0,
  maxValueWrong: -0.5,
  minValueCorrect: 0.5,
  maxValueCorrect: 1.0,
  maxLen: 1000,
};

/** The cosine schedule; for wrong answers min and max are swapped, exactly as upstream. */
export function cosineScaled(length: number, isCorrect: boolean, p: CosineParams): number {
  const raw = length / p.maxLen;
  const progress = p.clamp ? Math.min(raw, 1.0) : raw;
  const cosine = Math.cos(progress * Math.PI);
  const [min, max] = isCorrect ? [p.minValueCorrect, p.maxValueCorrect] : [p.maxValueWrong, p.minValueWrong];
  return min + 0.5 * (max - min) * (1.0 + cosine);
}

/** Kimi 1.5 λ for one completion, given the group's min and max lengths (open-r1 `len_reward`). */
export function kimiLengthReward(length: number, isCorrect: boolean, minLen: number, maxLen: number): number {
  if (maxLen === minLen) return 0;
  const lambda = 0.5 - (length - minLen) / (maxLen - minLen);
  return isCorrect ? lambda : Math.min(0, lambda);
}

/** open-r1 `len_reward` over a whole group: lengths are Python `len(content)` (code points). */
export function kimiLengthRewards(lengths: readonly number[], correctness: readonly boolean[]): number[] {
  if (lengths.length === 0) return [];
  const minLen = Math.min(...lengths);
  const maxLen = Math.max(...lengths);
  return lengths.map((len, i) => kimiLengthReward(len, correctness[i] ?? false, minLen, maxLen));
}
