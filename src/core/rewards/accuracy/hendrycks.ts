// Port of Hendrycks MATH `is_equiv` / `strip_string` as used by verl `math_reward.py` (docs/rewards.md §5.3) [parity].
// Python exceptions are mirrored: helpers throw `HendrycksError` where the Python raises (IndexError on an empty
// `\frac`/`\sqrt` tail, AssertionError on two `\text{ ` units), and `isEquivHendrycks` then falls back to plain
// string equality, like the original's `except Exception`. `fix_a_slash_b` swallows its own errors (verl's bare
// `except:`), so a non-integer `a/b` stays as it is.

import { lastBoxedOnlyString, removeBoxed } from '../../trace/answer';

class HendrycksError extends Error {}

function fixFracs(string: string): string {
  const substrs = string.split('\\frac');
  let newStr = substrs[0] ?? '';
  for (const substr of substrs.slice(1)) {
    newStr += '\\frac';
    if (substr.length === 0) throw new HendrycksError('IndexError: fix_fracs');
    if (substr[0] === '{') {
      newStr += substr;
      continue;
    }
    if (substr.length < 2) return string;
    const a = substr[0] ?? '';
    const b = substr[1] ?? '';
    if (b !== '{') newStr += '{' + a + '}{' + b + '}' + substr.slice(2);
    else newStr += '{' + a + '}' + b + substr.slice(2);
  }
  return newStr;
}

// Python int() accepts surrounding whitespace, a sign and single underscores between digits.
const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

function fixASlashB(string: string): string {
  const parts = string.split('/');
  if (parts.length !== 2) return string;
  const [a, b] = parts as [string, string];
  if (!PY_INT.test(a) || !PY_INT.test(b)) return string;
  const ai = BigInt(a.trim().replace(/_/g, ''));
  const bi = BigInt(b.trim().replace(/_/g, ''));
  if (string !== `${ai}/${bi}`) return string;
  return '\\frac{' + ai + '}{' + bi + '}';
}

function removeRightUnits(string: string): string {
  if (string.includes('\\text{ ')) {
    const splits = string.split('\\text{ ');
    if (splits.length !== 2) throw new HendrycksError('AssertionError: remove_right_units');
    return splits[0] ?? '';
  }
  return string;
}

function fixSqrt(string: string): string {
  if (!string.includes('\\sqrt')) return string;
  const splits = string.split('\\sqrt');
  let out = splits[0] ?? '';
  for (const split of splits.slice(1)) {
    if (split.length === 0) throw new HendrycksError('IndexError: fix_sqrt');
    out += split[0] !== '{' ? '\\sqrt{' + split[0] + '}' + split.slice(1) : '\\sqrt' + split;
  }
  return out;
}

/** Hendrycks `strip_string`; throws HendrycksError where the Python raises. */
export function stripStringHendrycks(input: string): string {
  let s = input.split('\n').join('');
  s = s.split('\\!').join('');
  s = s.split('\\\\').join('\\');
  s = s.split('tfrac').join('frac');
  s = s.split('dfrac').join('frac');
  s = s.split('\\left').join('');
  s = s.split('\\right').join('');
  s = s.split('^{\\circ}').join('');
  s = s.split('^\\circ').join('');
  s = s.split('\\$').join('');
  s = removeRightUnits(s);
  s = s.split('\\%').join('');
  s = s.split(' .').join(' 0.');
  s = s.split('{.').join('{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = '0' + s;
  const eq = s.split('=');
  if (eq.length === 2 && (eq[0] ?? '').length <= 2) s = eq[1] ?? '';
  s = fixSqrt(s);
  s = s.split(' ').join('');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  s = fixASlashB(s);
  return s;
}

/** Hendrycks `is_equiv(str1, str2)`. */
export function isEquivHendrycks(a: string | null, b: string | null): boolean {
  if (a === null && b === null) return true;
  if (a === null || b === null) return false;
  try {
    return stripStringHendrycks(a) === stripStringHendrycks(b);
  } catch (e) {
    if (e instanceof HendrycksError) return a === b;
    throw e;
  }
}

/** verl `math_reward.compute_score(solution_str, ground_truth)`: 1.0 if the last boxed answer is_equiv the gold. */
export function verlMathRewardScore(solution: string, groundTruth: string): number {
  const boxed = lastBoxedOnlyString(solution);
  if (boxed === null) return 0;
  const answer = removeBoxed(boxed);
  if (answer === null) return 0;
  return isEquivHendrycks(answer, groundTruth) ? 1 : 0;
}
