// Answer normaliser of the Rollout Lens accuracy pipeline (docs/rewards.md §9.5 step 4). Pure string rewriting: it never
// decides equality, it only removes notation that does not change the value and records the flags (percent,
// degrees) that the comparison needs.

export interface NormalizedAnswer {
  /** Normalised LaTeX-ish text. */
  text: string;
  percent: boolean;
  degree: boolean;
}

// Unit words dropped at the end of an answer: DAPO's REMOVED_EXPRESSIONS plus PRM800K's units (§5.4, §5.6).
const UNIT_WORDS = [
  'square', 'ways', 'integers', 'dollars', 'mph', 'inches', 'inch', 'hours', 'hour', 'km', 'units', 'unit', 'points',
  'feet', 'foot', 'minutes', 'minute', 'digits', 'cents', 'cm', 'centimeters', 'centimeter', 'gm', 'pounds', 'meters',
  'meter', 'm', 'meals', 'edges', 'students', 'tickets', 'multiples', 'miles', 'mile', 'seconds', 'second', 'sec',
  'days', 'day', 'weeks', 'week', 'months', 'month', 'years', 'year', 'yards', 'yard', 'liters', 'liter', 'kg', 'g',
  'mm', 'ml', 'people', 'books', 'apples', 'times', 'cups', 'grams', 'gram', 'kilometers', 'kilometer', 'hrs', 'min',
  'dollar', 'euros', 'percentage', 'sq',
];
const UNIT_RE = new RegExp(`(?:\\s|^|(?<=\\d))(?:${UNIT_WORDS.join('|')})(?:\\^\\{?[23]\\}?|²|³)?\\s*$`, 'i');

// Doubled backslashes before a command (raw-string artefacts like `\\le`, `\\frac`): collapse to one. Limited to
// known commands so that matrix row separators `\\` stay intact.
const DOUBLED_COMMAND = /\\\\(?=(?:le|leq|ge|geq|lt|gt|ne|neq|frac|dfrac|tfrac|left|right|sqrt|pi|infty|cdot|times|in|cup|text|circ|pm)(?![A-Za-z]))/g;

/** Strips one layer of whole-answer wrapper: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`, `\boxed{…}`. */
function unwrapOnce(s: string): string {
  const t = s.trim();
  let m = /^\$\$([\s\S]*)\$\$$/.exec(t) ?? /^\$([\s\S]*)\$$/.exec(t) ?? /^\\\(([\s\S]*)\\\)$/.exec(t) ?? /^\\\[([\s\S]*)\\\]$/.exec(t);
  if (m) return (m[1] ?? '').trim();
  m = /^\\(?:boxed|fbox)\s*\{([\s\S]*)\}$/.exec(t);
  if (m && balanced(m[1] ?? '')) return (m[1] ?? '').trim();
  return t;
}

/** True when the braces of s are balanced (ignoring escaped braces). */
export function balanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Replaces `\cmd{X}` (whole group, balanced) by `X`, for the given command names. */
function unwrapCommand(s: string, names: string): string {
  const re = new RegExp(`\\\\(?:${names})\\s*\\{`, 'g');
  for (let guard = 0; guard < 50; guard++) {
    re.lastIndex = 0;
    const m = re.exec(s);
    if (!m) return s;
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = -1;
    for (let i = open; i < s.length; i++) {
      if (s[i] === '\\') { i++; continue; }
      if (s[i] === '{') depth++;
      else if (s[i] === '}' && --depth === 0) { close = i; break; }
    }
    if (close < 0) return s;
    s = s.slice(0, m.index) + s.slice(open + 1, close) + s.slice(close + 1);
  }
  return s;
}

export function normalizeAnswer(raw: string): NormalizedAnswer {
  let s = raw.trim();
  let percent = false;
  let degree = false;
  for (let i = 0; i < 3; i++) {
    const u = unwrapOnce(s.replace(/(?<!\\)[.,;]\s*$/, ''));
    if (u === s) break;
    s = u;
  }
  s = s.replace(DOUBLED_COMMAND, '\\');
  s = s.replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)(?![A-Za-z])\s*/g, '');
  s = s.replace(/\\displaystyle/g, '');
  // `11,\!111` is a thousands separator (MATH style); remove it before `\!` becomes a space.
  s = s.replace(/,\s*\\!\s*(?=\d{3}(?!\d))/g, '');
  s = s.replace(/\\[!,;:> ]/g, ' ').replace(/~/g, ' ');
  s = s.replace(/\\[dtc]frac(?![A-Za-z])/g, '\\frac');
  s = s.replace(/\\(?:mbox|textbf|textit|textnormal|textrm|mathrm|mathbf|mathit|operatorname)(?![A-Za-z])/g, '\\text');
  s = s.replace(/\\\$/g, '');
  s = s.replace(/\$/g, '');
  // Degrees and percent: strip and remember.
  const deg = /(?:\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°|\\text\{\s*degrees?\s*\}|\s*degrees?)\s*$/;
  if (deg.test(s)) { degree = true; s = s.replace(deg, ''); }
  const pct = /(?:\\%|%|\\text\{\s*(?:percent|percentage|pct)\s*\}|\s*(?:percent|percentage|pct))\s*$/i;
  if (pct.test(s)) { percent = true; s = s.replace(pct, ''); }
  // Trailing units: `5\text{ cm}`, `15\text{ cm}^2`, `125 miles`.
  for (let i = 0; i < 2; i++) {
    const t = s.replace(/^(.*\S)\s*\\text\{\s*[A-Za-z][A-Za-z .]*\}\s*(?:\^\s*\{?[23]\}?)?\s*$/, '$1');
    const u = t.replace(UNIT_RE, '').trim();
    if (u.length > 0 && /[\d}]/.test(u)) s = u;
    else if (t.trim().length > 0) s = t.trim();
  }
  // A whole \text{X} → X.
  const whole = /^\\text\s*\{([^{}]*)\}$/.exec(s.trim());
  if (whole) s = (whole[1] ?? '').trim();
  // Connectives inside text: `12\text{ and }13` → `12,13`.
  s = s.replace(/\\text\s*\{\s*(?:and|or)\s*\}/g, ',').replace(/\s+(?:and|or)\s+/g, ',');
  s = unwrapCommand(s, 'text');
  // Multiple-choice forms: (A), A), (A) text → A.
  const choice = /^\(?\s*([A-Ea-e])\s*\)(?:\s.*)?$/.exec(s.trim()) ?? /^\(\s*([A-Ea-e])\s*\)$/.exec(s.trim());
  if (choice) s = (choice[1] ?? '').toUpperCase();
  // Thousands separators, only where unambiguous: `1{,}000`, `11,\!111` (→ `11, 111` above), or a whole number.
  s = s.replace(/(\d)\{,\}(?=\d{3})/g, '$1');
  s = s.trim();
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) {
    s = s.replace(/,/g, '');
  } else if (/^[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(s)) {
    s = s.replace(/ /g, '');
  }
  // `x \approx 11` keeps the value; otherwise drop an `\approx …` tail (the exact value comes first).
  const approx = /^\s*(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?\s*\\approx\s*(.+)$/.exec(s);
  s = approx ? (approx[1] ?? '') : s.replace(/\\approx[\s\S]*$/, '').trim();
  // Malformed fractions that the CE cannot read: `\frac3{3}`, `\frac{1}3`, `\frac 12`.
  s = s.replace(/\\frac\s*(\d)\s*(\d)/g, '\\frac{$1}{$2}').replace(/\\frac\s*(\d)\s*\{/g, '\\frac{$1}{').replace(/\\frac\s*\{([^{}]*)\}\s*(\d)/g, '\\frac{$1}{$2}');
  s = s.replace(/\s+/g, ' ').trim();
  return { text: s, percent, degree };
}
