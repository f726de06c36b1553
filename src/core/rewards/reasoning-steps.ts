// open-r1 `reasoning_steps_reward` (docs/rewards.md §3.1) [parity].
// No flags upstream, so `^\d+\.` matches only at the very start of the text: "1. a\n2. b\n3. c" counts 1.
// Python 3 `\d` on str matches any Unicode decimal digit, hence `\p{Nd}` with the `u` flag.

const STEPS = /(Step \p{Nd}+:|^\p{Nd}+\.|\n-|\n\*|First,|Second,|Next,|Finally,)/gu;

export function reasoningStepsCount(text: string): number {
  let n = 0;
  for (const _m of text.matchAll(STEPS)) n++;
  return n;
}

/** min(1, count / divisor); open-r1 hard-codes the divisor 3. */
export function reasoningStepsOpenR1(text: string, divisor = 3): number {
  return Math.min(1, reasoningStepsCount(text) / divisor);
}
