// Shared by the Python and JS reward runners: the per-sample results a batch gets when it cannot be scored
// (timeout, crash), and the checks on what a driver sent back.
import type { BatchRewardResult } from '../../core/scoring/batch-reward';

export function failedBatch(n: number, error: string): BatchRewardResult[] {
  return Array.from({ length: n }, () => ({ score: null, error }));
}

/** Accepts the driver's results when they are one per input, else marks the whole batch. */
export function checkResults(raw: unknown, n: number): BatchRewardResult[] {
  if (!Array.isArray(raw) || raw.length !== n) return failedBatch(n, `the reward driver returned ${Array.isArray(raw) ? raw.length : typeof raw} results for ${n} samples`);
  return raw.map((r: unknown): BatchRewardResult => {
    if (typeof r !== 'object' || r === null) return { score: null, error: 'malformed result from the reward driver' };
    const o = r as { score?: unknown; error?: unknown };
    const score = typeof o.score === 'number' && Number.isFinite(o.score) ? o.score : null;
    return typeof o.error === 'string' ? { score, error: o.error } : { score };
  });
}

export function abortError(): DOMException {
  return new DOMException('scoring was cancelled', 'AbortError');
}
