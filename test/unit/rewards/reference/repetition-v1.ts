// Reference copy of src/core/rewards/repetition.ts as it was before the performance work (commit a459b5b).
// test/unit/rewards/repetition-differential.test.ts runs it against the current one and requires identical
// penalties. Do not edit.

// N-gram repetition penalties (Demystifying Long CoT App. C.2): open-r1's text variant and TRL's token-id variant
// (docs/rewards.md §3.1, §4). reward = (1 − distinct n-grams / n-grams) · max_penalty.

import { pySplit } from '../../../../src/core/rewards/python-compat';

function checkPenalty(maxPenalty: number): void {
  // Same message as the Python ValueError, so logs and tests match.
  if (maxPenalty > 0) throw new RangeError(`max_penalty ${maxPenalty} should not be positive`);
}

function ngramScaling<T>(units: readonly T[], n: number, key: (slice: readonly T[]) => string): number {
  const total = units.length - n + 1;
  if (n <= 0 || total <= 0) return 0;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) seen.add(key(units.slice(i, i + n)));
  return 1 - seen.size / total;
}

let zhSegmenter: Intl.Segmenter | null = null;

/**
 * Tokens of open-r1's `language="zh"` mode. Upstream uses `jieba.cut(text)` (not lower-cased, whitespace kept as
 * tokens); `Intl.Segmenter('zh')` is the closest dependency-free equivalent, so zh scores are approximate parity.
 */
function zhTokens(text: string): string[] {
  zhSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  return Array.from(zhSegmenter.segment(text), (s) => s.segment);
}

/**
 * open-r1 `get_repetition_penalty_reward(ngram_size, max_penalty, language)` applied to one completion [parity].
 * Words are Python `text.lower().split()`; empty text or fewer than n words → 0. Throws when max_penalty > 0.
 */
export function repetitionPenaltyText(text: string, ngramSize: number, maxPenalty: number, language = 'en'): number {
  checkPenalty(maxPenalty);
  if (text === '') return 0;
  const words = language === 'zh' ? zhTokens(text) : pySplit(text.toLowerCase());
  if (words.length < ngramSize) return 0;
  // JSON keys keep n-grams distinct whatever characters the words contain (Python compares tuples).
  const scaling = ngramScaling(words, ngramSize, (s) => JSON.stringify(s));
  return scaling === 0 ? 0 : scaling * maxPenalty;
}

/** TRL `get_repetition_penalty_reward(ngram_size, max_penalty)` over completion token ids [parity]. */
export function repetitionPenaltyTokens(ids: readonly number[], ngramSize: number, maxPenalty: number): number {
  checkPenalty(maxPenalty);
  if (ids.length < ngramSize) return 0;
  const scaling = ngramScaling(ids, ngramSize, (s) => s.join(','));
  return scaling === 0 ? 0 : scaling * maxPenalty;
}
