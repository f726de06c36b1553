// Final-answer extraction from a completion (docs/rewards.md §9.5 step 1), plus the verl / lm-eval `last_boxed_only_string`
// and `remove_boxed` ports that parity scorers need (§5.3). Offsets are UTF-16 indices into the text that was passed
// in, so that the editor and the webview can highlight the span directly.

import { lastIndexOfForward } from '../text/last-index';

export interface ExtractedAnswer {
  /** The answer text, trimmed of surrounding whitespace (and, for anchor lines, of `$`, `**` and a final period). */
  text: string;
  /** UTF-16 offset of `text` in the input (inclusive). */
  start: number;
  /** UTF-16 offset of the end of `text` in the input (exclusive); `input.slice(start, end) === text`. */
  end: number;
  source: 'boxed' | 'answer-tag' | 'answer-line' | 'gsm8k';
}

/** Content span of one `\boxed{…}` / `\fbox{…}` / `\boxed x` occurrence. */
export interface BoxedSpan {
  /** Offset of the backslash of `\boxed` / `\fbox`. */
  commandStart: number;
  /** Inner content span (without braces). */
  start: number;
  end: number;
}

const BOX_COMMAND = /\\(?:boxed|fbox)(?![A-Za-z])/g;

/**
 * Index of the `}` closing the `{` at `open`, or -1 when unbalanced (a truncated rollout). Escaped `\{` and `\}` do
 * not count, unlike the Python original, because `\boxed{\{1,2\}}` is a common set answer.
 */
export function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++; // skip the escaped character (also skips `\\`)
      continue;
    }
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Parses the box whose command starts at `at` (pointing at the backslash); null when unbalanced or empty. */
function boxAt(text: string, at: number, commandLength: number): BoxedSpan | null {
  let i = at + commandLength;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '{') {
    const close = matchBrace(text, i);
    if (close < 0) return null;
    return { commandStart: at, start: i + 1, end: close };
  }
  // `\boxed 5` (no braces): TeX takes one token; models write the answer up to `$` or the end of the line.
  if (i === at + commandLength) return null; // `\boxed5` is not a box
  let end = i;
  while (end < text.length && text[end] !== '$' && text[end] !== '\n') end++;
  if (end === i) return null;
  return { commandStart: at, start: i, end };
}

/** All balanced boxes in document order (nested boxes included). */
export function findBoxed(text: string): BoxedSpan[] {
  const out: BoxedSpan[] = [];
  for (const m of text.matchAll(BOX_COMMAND)) {
    const span = boxAt(text, m.index, m[0].length);
    if (span) out.push(span);
  }
  return out;
}

/**
 * The last box of the text: the one whose command starts last. When that box is unbalanced (truncated output) the
 * result is null rather than an earlier box, which would usually be an intermediate result in the reasoning.
 */
export function lastBoxed(text: string): BoxedSpan | null {
  // BOX_COMMAND's last match, found with two forward indexOf searches (several times faster than running the regex
  // over the whole text): its matches are exactly the occurrences of either command not followed by a letter (they
  // cannot overlap, each has a single backslash).
  let at = -1;
  let length = 0;
  for (const cmd of BOX_COMMANDS) {
    for (let p = text.indexOf(cmd); p >= 0; p = text.indexOf(cmd, p + cmd.length)) {
      if (p > at && !isAsciiLetter(text.charCodeAt(p + cmd.length))) {
        at = p;
        length = cmd.length;
      }
    }
  }
  return at < 0 ? null : boxAt(text, at, length);
}

/** The commands BOX_COMMAND matches. */
const BOX_COMMANDS = ['\\boxed', '\\fbox'] as const;

/** [A-Za-z] (NaN past the end of the text: not a letter, as the regex's lookahead there). */
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Exact port of verl/lm-eval `last_boxed_only_string` (docs/rewards.md §5.3), quirks included:
 * - any `"\boxed "` in the text wins, even when a later `\boxed{` exists, and runs to the next `$`;
 * - `\fbox` is used only when there is no `\boxed` at all;
 * - brace counting ignores escapes, and starts from the command (so `\boxed5 … {x}` returns up to that `}`).
 */
export function lastBoxedOnlyString(s: string): string | null {
  let idx = s.lastIndexOf('\\boxed');
  if (s.includes('\\boxed ')) {
    const parts = s.split('\\boxed ');
    return '\\boxed ' + (parts[parts.length - 1] ?? '').split('$')[0];
  }
  if (idx < 0) {
    idx = s.lastIndexOf('\\fbox');
    if (idx < 0) return null;
  }
  let open = 0;
  for (let i = idx; i < s.length; i++) {
    if (s[i] === '{') open++;
    if (s[i] === '}') {
      open--;
      if (open === 0) return s.slice(idx, i + 1);
    }
  }
  return null;
}

/**
 * Port of verl `remove_boxed`. The Python asserts the `\boxed{`…`}` shape; an assertion failure (e.g. an `\fbox{}`
 * result) makes `compute_score` return 0, which this port signals with null.
 */
export function removeBoxed(s: string): string | null {
  if (s.includes('\\boxed ')) {
    const left = '\\boxed ';
    return s.startsWith(left) ? s.slice(left.length) : null;
  }
  const left = '\\boxed{';
  if (!s.startsWith(left) || !s.endsWith('}')) return null;
  return s.slice(left.length, -1);
}

/** Narrows [start, end) past surrounding whitespace. */
function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return [start, end];
}

/** Narrows an anchor-line answer past markdown bold and code ticks, `$…$` / `\(…\)` wrappers and a sentence-final period. */
function trimAnchorSpan(text: string, start: number, end: number): [number, number] {
  for (let changed = true; changed && start < end; ) {
    changed = false;
    [start, end] = trimSpan(text, start, end);
    const s = text.slice(start, end);
    if (s.startsWith('**')) { start += 2; changed = true; continue; }
    if (s.endsWith('**')) { end -= 2; changed = true; continue; }
    if (/[.;,]$/.test(s) && !s.endsWith('\\.')) { end -= 1; changed = true; continue; }
    if (s.length >= 2 && s.startsWith('$') && s.endsWith('$')) {
      const inner = s.replace(/^\$+/, '');
      const lead = s.length - inner.length;
      const trail = inner.length - inner.replace(/\$+$/, '').length;
      start += lead; end -= trail; changed = true; continue;
    }
    if (s.startsWith('\\(') && s.endsWith('\\)')) { start += 2; end -= 2; changed = true; continue; }
    // Markdown code: `` `21` `` or a marker written inside it (`` `#### 21` ``: the span starts after the opening tick).
    const opensTick = s.startsWith('`');
    const closesTick = s.endsWith('`');
    if (s.length >= 2 && opensTick && closesTick) { start += 1; end -= 1; changed = true; continue; }
    // The ticks are counted only when the span starts or ends with one (not a split of every answer line).
    const ticks = opensTick || closesTick ? countTicks(s) : 0;
    if (ticks === 1 && closesTick) { end -= 1; changed = true; continue; }
    if (ticks === 1 && opensTick) { start += 1; changed = true; continue; }
  }
  return [start, end];
}

/** Number of backticks in `s`. */
function countTicks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('`'); i >= 0; i = s.indexOf('`', i + 1)) n++;
  return n;
}

function make(text: string, start: number, end: number, source: ExtractedAnswer['source']): ExtractedAnswer | null {
  const [s, e] = source === 'answer-line' || source === 'gsm8k' ? trimAnchorSpan(text, start, end) : trimSpan(text, start, end);
  if (e <= s) return null;
  return { text: text.slice(s, e), start: s, end: e, source };
}

/** Last closed `<answer>…</answer>` block: its content span. */
export function lastAnswerTag(text: string): { start: number; end: number } | null {
  const close = lastIndexOfForward(text, '</answer>');
  if (close < 0) return null;
  const open = lastIndexOfForward(text, '<answer>', close);
  if (open < 0) return null;
  return { start: open + '<answer>'.length, end: close };
}

// "Answer: x", "Final answer: x", "The answer is x", "the final answer is: x". Anchored at a word boundary.
const ANSWER_LINE = /\b(?:final\s+answer|answer)\s*(?:is\s*:?|:)[ \t]*([^\n]*\S[^\n]*)/gid;
const GSM8K = /####[ \t]*([^\n]*\S[^\n]*)/gd;
// `#### 21`, `#### $17.00`, `` `#### 1,234` ``: a marker followed by a number and nothing else on the line.
const GSM8K_NUMBER = /####[ \t]*(\$?-?\d[\d,]*(?:\.\d+)?)[ \t`*.]*$/gmd;

/**
 * Group 1's span in the last match of `re` (global, with indices). The scan runs `scan`, `re` without the `d` flag, with
 * test(), which builds no match array and no indices per match (texts hold many "answer is" lines); only the last
 * match is then matched again with indices, from where the scan's last search started (so it finds that very match).
 * None of these patterns matches the empty string, so the scan always advances.
 */
function lastGroupSpan(scan: RegExp, re: RegExp, text: string): [number, number] | null {
  scan.lastIndex = 0;
  let from = -1;
  let before = 0;
  while (scan.test(text)) {
    from = before;
    before = scan.lastIndex;
  }
  if (from < 0) return null;
  re.lastIndex = from;
  const g = re.exec(text)?.indices?.[1];
  re.lastIndex = 0;
  return g ? [g[0], g[1]] : null;
}

/** A pattern without the `d` flag: lastGroupSpan's scan. */
function withoutIndices(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace('d', ''));
}
const ANSWER_LINE_SCAN = withoutIndices(ANSWER_LINE);
const GSM8K_SCAN = withoutIndices(GSM8K);
const GSM8K_NUMBER_SCAN = withoutIndices(GSM8K_NUMBER);

/**
 * Narrows an anchor line: a later anchor on the same line wins ("Final Answer: The final answer is $5$"), and the
 * answer stops at the end of its sentence (". I hope it is correct") or at a chat-template token (`<|im_end|>`).
 */
function refineAnswerLine(text: string, start: number, end: number): [number, number] {
  const line = text.slice(start, end);
  const inner = /^.*\b(?:final\s+answer|answer)\s*(?:is\s*:?|:)[ \t]*/is.exec(line);
  if (inner && inner[0].length < line.length) start += inner[0].length;
  const rest = text.slice(start, end);
  // Sentence end outside `$…$`: a period followed by a space and a capital letter, or `<|`.
  let inMath = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') { i++; continue; }
    if (c === '$') inMath = !inMath;
    if (inMath) continue;
    if (rest.startsWith('<|', i) || (c === '.' && /^\.\s+[A-Z<]/.test(rest.slice(i)))) return [start, start + i];
  }
  return [start, end];
}

/**
 * The final answer of a completion, in priority order:
 * 1. inside the last closed `<answer>…</answer>` block: its last box, else the block content (`answer-tag`); a box in
 *    the reasoning does not override an explicit answer block;
 * 2. else the last `\boxed{}` / `\fbox{}` / `\boxed x` of the text (nested braces; an unbalanced last box gives no
 *    boxed answer);
 * 3. else the last GSM8K `#### 42` whose line holds only a number;
 * 4. else the last "Answer: x" / "The (final) answer is x" line;
 * 5. else the last `#### x` of any text.
 * Returns null when nothing is found.
 */
export function extractAnswer(text: string): ExtractedAnswer | null {
  const tag = lastAnswerTag(text);
  if (tag) {
    const inner = text.slice(tag.start, tag.end);
    const box = lastBoxed(inner);
    if (box) {
      const r = make(text, tag.start + box.start, tag.start + box.end, 'boxed');
      if (r) return r;
    }
    const r = make(text, tag.start, tag.end, 'answer-tag');
    if (r) return r;
  }
  const box = lastBoxed(text);
  if (box) {
    const r = make(text, box.start, box.end, 'boxed');
    if (r) return r;
  }
  // A GSM8K line that is only a number wins over an answer line: it is what verl's and lm-eval's GSM8K scorers
  // read, while "answer is …" also matches commentary (verl-hecate's tool-using runs end "#### 17" and then
  // "…indicating that the answer is correct"). Any other `####` text may be a markdown heading ("#### Step 1"),
  // so it only counts when there is no answer line.
  // Both GSM8K patterns need a literal '####': one native search saves two regex scans of most texts.
  const hashes = text.includes('####');
  const final = hashes ? lastGroupSpan(GSM8K_NUMBER_SCAN, GSM8K_NUMBER, text) : null;
  if (final) {
    const r = make(text, final[0], final[1], 'gsm8k');
    if (r) return r;
  }
  const line = lastGroupSpan(ANSWER_LINE_SCAN, ANSWER_LINE, text);
  if (line) {
    const [s, e] = refineAnswerLine(text, line[0], line[1]);
    const r = make(text, s, e, 'answer-line');
    if (r) return r;
  }
  const gsm = hashes ? lastGroupSpan(GSM8K_SCAN, GSM8K, text) : null;
  if (gsm) {
    const r = make(text, gsm[0], gsm[1], 'gsm8k');
    if (r) return r;
  }
  return null;
}

/**
 * The answer region of a completion: the text after the last `</think>` (TRL `reasoning_accuracy_reward`). `closed`
 * is false when a think block was opened (in the completion, or by the prompt ending in `<think>`) but never closed.
 */
export function answerRegion(completion: string, promptOpensThink = false): { text: string; offset: number; closed: boolean; hasThink: boolean } {
  const close = completion.lastIndexOf('</think>');
  if (close >= 0) {
    const offset = close + '</think>'.length;
    return { text: completion.slice(offset), offset, closed: true, hasThink: true };
  }
  const opened = promptOpensThink || completion.includes('<think>');
  return { text: completion, offset: 0, closed: !opened, hasThink: opened };
}
