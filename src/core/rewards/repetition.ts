// N-gram repetition penalties (Demystifying Long CoT App. C.2): open-r1's text variant and TRL's token-id variant
// (docs/rewards.md §3.1, §4). reward = (1 − distinct n-grams / n-grams) · max_penalty.

import { pySplit } from './python-compat';

function checkPenalty(maxPenalty: number): void {
  // Same message as the Python ValueError, so logs and tests match.
  if (maxPenalty > 0) throw new RangeError(`max_penalty ${maxPenalty} should not be positive`);
}

/**
 * 1 − distinct n-grams / n-grams, n-grams compared element by element (Python tuples). Each unit gets a dense id,
 * then the k-grams get ids from (id of their (k−1)-gram prefix, id of their last unit), one pass per k: number keys
 * instead of one string per n-gram (a 5 MB completion took ~1 s building JSON keys). Same count, same result.
 */
function ngramScaling<T>(units: readonly T[], n: number, key: (slice: readonly T[]) => string): number {
  const total = units.length - n + 1;
  if (n <= 0 || total <= 0) return 0;
  // A fractional n (not something Python accepts) keeps the slicing arithmetic of the original keyed version.
  if (!Number.isInteger(n)) return ngramScalingByKey(units, n, key);
  const unitIds = new Map<T, number>();
  const ids = new Int32Array(units.length);
  for (let i = 0; i < units.length; i++) {
    let id = unitIds.get(units[i]);
    if (id === undefined) {
      id = unitIds.size;
      unitIds.set(units[i], id);
    }
    ids[i] = id;
  }
  const width = unitIds.size;
  let prefix = ids;
  let distinct = width;
  for (let k = 2; k <= n; k++) {
    // prefix id × width + unit id must stay an exact integer (always, short of ~10^8 units).
    if (distinct * width > Number.MAX_SAFE_INTEGER) return ngramScalingByKey(units, n, key);
    const len = units.length - k + 1;
    const next = new Int32Array(len);
    const kgrams = new Map<number, number>();
    for (let i = 0; i < len; i++) {
      const key = prefix[i] * width + ids[i + k - 1];
      let id = kgrams.get(key);
      if (id === undefined) {
        id = kgrams.size;
        kgrams.set(key, id);
      }
      next[i] = id;
    }
    prefix = next;
    distinct = kgrams.size;
  }
  return 1 - distinct / total;
}

/** The original formulation: one string key per n-gram. */
function ngramScalingByKey<T>(units: readonly T[], n: number, key: (slice: readonly T[]) => string): number {
  const total = units.length - n + 1;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) seen.add(key(units.slice(i, i + n)));
  return 1 - seen.size / total;
}

let zhSegmenter: Intl.Segmenter | null = null;
/** Characters per Intl.Segmenter call in zh mode, at least (cut at the next line feed). */
const ZH_CHUNK = 8192;

/**
 * Tokens of open-r1's `language="zh"` mode. Upstream uses `jieba.cut(text)` (not lower-cased, whitespace kept as
 * tokens); `Intl.Segmenter('zh')` is the closest dependency-free equivalent, so zh scores are approximate parity.
 */
function zhTokens(text: string): string[] {
  zhSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  // Intl.Segmenter slows down superlinearly on long strings (Node 20: 0.3 s for 50 KB, 8.8 s for 100 KB, 35 s for
  // 200 KB), so long texts are segmented in chunks that end just after a line feed: UAX #29 always breaks there
  // (WB3a, even before a combining mark), so the tokens are the same as in one pass.
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.length;
    if (end - start > ZH_CHUNK) {
      const nl = text.indexOf('\n', start + ZH_CHUNK);
      if (nl >= 0) end = nl + 1;
    }
    for (const seg of zhSegmenter.segment(start === 0 && end === text.length ? text : text.slice(start, end))) out.push(seg.segment);
    start = end;
  }
  return out;
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
  // JSON keys (fallback only) keep n-grams distinct whatever characters the words contain.
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
