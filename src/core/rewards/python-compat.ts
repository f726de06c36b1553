// Python string semantics that the parity ports depend on (docs/rewards.md §8).

// Python `str.split()` whitespace: JS `\s` minus U+FEFF, plus U+001C–U+001F and U+0085.
// eslint-disable-next-line no-control-regex -- U+001C–U+001F are Python whitespace, on purpose.
const PY_WS = /[\t\n\v\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Python `s.split()` with no arguments. */
export function pySplit(s: string): string[] {
  return s.split(PY_WS).filter((w) => w.length > 0);
}

/** Python `len(s)`: code points, not UTF-16 units (astral characters count once). */
export function pyLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low surrogate is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Python `s.count(sub)`: non-overlapping occurrences. */
export function pyCount(s: string, sub: string): number {
  return s.split(sub).length - 1;
}
