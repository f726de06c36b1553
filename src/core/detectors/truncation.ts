// Truncation (docs/detection.md §11.6, docs/formats.md §2.3): the completion stopped before the model finished. Signals, strongest
// first: a logged finish reason of 'length' (or slime's 'truncated'), the reasoning never closing, and — only for long
// texts without tags or end-of-turn token — a text that stops in the middle of a word. The last one is deliberately
// conservative: an answer may legitimately end without a full stop.

import type { Flag } from '../types';
import type { Segmentation } from '../trace/segment';
import { Sc, scriptOf } from './lang/scripts';

export interface TruncationInput {
  text: string;
  segmentation: Segmentation;
  finishReason?: string | null;
  field?: string;
  /** Minimum length for the mid-word / mid-sentence heuristics (default 1000 characters). */
  midWordMinChars?: number;
  /** The repetition detector found a loop running to the end of the text (models that loop run to the limit). */
  tailLoop?: boolean;
  /**
   * The run's median completion length (run/conventions.ts): in a run of 16-character poem lines, 30 characters
   * without a sentence end is long; the mid-sentence heuristic then starts at 1.5 × the median.
   */
  medianChars?: number;
}

const LENGTH_REASONS = new Set(['length', 'max_tokens', 'max_length', 'truncated', 'max_new_tokens', 'model_length']);

/** Span of the last (partial) line or sentence, for highlighting where the text stops. */
function tailSpan(text: string, end: number, floorAt = 0): { start: number; end: number } {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  let s = e;
  const floor = Math.max(floorAt, e - 200);
  while (s > floor) {
    const c = text[s - 1]!;
    if (c === '\n' || c === '.' || c === '。' || c === '!' || c === '?') break;
    s--;
  }
  while (s < e && /\s/.test(text[s]!)) s++;
  return s < e ? { start: s, end: e } : { start: Math.max(0, e - 1), end: e };
}

/** A truncation flag over the text's last sentence (tailSpan), the shape every ending finding shares. */
function tailFlag(text: string, end: number, floorAt: number, field: string, code: string, severity: Flag['severity'], message: string, evidence: Flag['evidence']): Flag[] {
  const t = tailSpan(text, end, floorAt);
  return [{ kind: 'truncated', field, start: t.start, end: t.end, code, severity, message, evidence }];
}

function endsMidWord(text: string, end: number): boolean {
  if (end === 0) return false;
  const c = text.charCodeAt(end - 1);
  const s = scriptOf(c);
  // Letters only: digits, closing brackets, '$' and punctuation are normal endings.
  if (s !== Sc.Latin && s !== Sc.Cyrillic && s !== Sc.Greek) return false;
  // A letter right after a sentence end ("… is 5. A") is still a cut, but "… answer: B" is a normal ending.
  const before = text.slice(Math.max(0, end - 3), end - 1);
  return !/[:=]\s?$/.test(before);
}

export function detectTruncation(input: TruncationInput): Flag[] {
  const { text, segmentation: seg } = input;
  const field = input.field ?? 'completion';
  const reason = input.finishReason ?? null;
  const lengthStop = reason !== null && LENGTH_REASONS.has(reason.toLowerCase());
  const end = seg.contentEnd;
  const evidence = { finishReason: reason, state: seg.state, endOfTurn: seg.endOfTurn ? seg.endOfTurn.tokens.join('') : null, chars: text.length };

  if (seg.state === 'unterminated' || (seg.state === 'multiple' && seg.thinkBlocks[seg.thinkBlocks.length - 1]!.close === null)) {
    const b = seg.thinkBlocks[seg.thinkBlocks.length - 1]!;
    const at = b.open ? b.open.start : 0;
    const reasoningChars = b.content.end - b.content.start;
    const why = lengthStop ? `finish reason '${reason}'` : seg.endOfTurn ? 'the model stopped without closing it' : 'likely hit the token limit';
    return [{
      kind: 'truncated',
      field,
      start: at,
      end: text.length,
      code: 'unterminated-think',
      severity: 'warning',
      message: `Reasoning never closed: ${b.open ? `${seg.tags.open} at ${at}` : `${seg.tags.open} (opened in the prompt)`} has no ${seg.tags.close} (${reasoningChars} chars of reasoning; ${why})`,
      evidence: { ...evidence, reasoningChars, promptOpened: b.open === null },
    }];
  }
  if (lengthStop) {
    return tailFlag(text, end, seg.answerRegion?.start ?? 0, field, 'finish-length', 'warning',
      `Stopped at the length limit (finish reason '${reason}')${seg.state === 'closed' ? ' after the reasoning closed' : ''}`,
      evidence);
  }
  const stopped = reason !== null && reason !== '' ;
  const open = !stopped && !seg.endOfTurn && (seg.state === 'none' || seg.state === 'closed');
  const minChars = input.midWordMinChars ?? 1000;
  // "Long" is relative to the run: a verl tool-use model that stops after "Let's calculate this:" at 1,200 characters
  // (median 1,300) ended its turn itself; one cut at "K = U + 26 =" at 2,700 ran into the limit.
  const long = end >= (input.medianChars ? Math.max(24, 1.5 * input.medianChars) : minChars);
  // A character cut in half (U+FFFD at the very end): the byte-level tokens of one character were split by the limit.
  if (!stopped && !seg.endOfTurn && /\ufffd\s*$/.test(text.slice(Math.max(0, end - 8), end))) {
    return tailFlag(text, end, 0, field, 'cut-mid-character', 'warning',
      'Text ends inside a character (U+FFFD: the last character\'s bytes are incomplete): cut at the length limit',
      evidence);
  }
  if (open && seg.state === 'none' && end >= minChars && endsMidWord(text, end) && !/\s/.test(text[end - 1] ?? ' ')) {
    return tailFlag(text, end, 0, field, 'cut-mid-word', 'info',
      `Text ends mid-word (“…${text.slice(Math.max(0, end - 30), end).replace(/\s+/g, ' ')}”), without an end-of-turn token: possibly truncated`,
      evidence);
  }
  const cut = open && long ? midSentence(text, end) : null;
  // A weak ending needs a longer text: 2 × the run's median (1,500 characters for a verl run whose model stops
  // after "#### 211\n<tool_call>" at 1,500 and is cut at 2,300–7,000).
  const weakLong = input.medianChars ? end >= 2 * input.medianChars : long;
  if (open && long && (input.tailLoop || cut === 'strong' || (cut === 'weak' && weakLong))) {
    const loop = input.tailLoop === true;
    return tailFlag(text, end, seg.answerRegion?.start ?? 0, field, loop ? 'loop-to-limit' : 'cut-mid-sentence', 'info',
      loop
        ? 'The text loops until it stops, without an end-of-turn token or finish reason: it most likely ran into the length limit'
        : `Text stops mid-sentence (“…${text.slice(Math.max(0, end - 30), end).replace(/\s+/g, ' ').trim()}”), without an end-of-turn token: possibly truncated`,
      { ...evidence, loop });
  }
  return [];
}

/**
 * Where the text (trailing whitespace aside) stops, when a sentence cannot end there: 'strong' inside a word, an
 * expression, a string, a tag or a maths display, or after a connective mark (`,` `=` `+` `(`…) or a CJK character;
 * 'weak' after an announcement (`:`), an opened block (`<tool_call>`) or a turn's role word with no turn, where a model
 * sometimes ends its turn itself. Digits, closing brackets, quotes and `\]` are normal endings of answers: null.
 */
function midSentence(text: string, end: number): 'strong' | 'weak' | null {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  if (e === 0) return null;
  const c = text[e - 1]!;
  // CJK prose ends with 。！？ or a closing bracket/quote; a Han character or an opening bracket/quote is a cut.
  const sc = scriptOf(c.charCodeAt(0));
  if (sc === Sc.Han || sc === Sc.Kana || /[（《「『“‘【]/.test(c)) return 'strong';
  // "…is:" with nothing after it: the answer it announces is missing (or the model stopped there).
  if (c === ':') return 'weak';
  if (/[,=+\-*/([{;<&|^]/.test(c)) return 'strong';
  const lineStart = text.lastIndexOf('\n', e - 1) + 1;
  const line = text.slice(lineStart, e);
  if (/<\/?[a-z_]+$/i.test(line)) return 'strong'; // an unclosed tag
  if (/^<(?:tool_call|answer|think|code)>$/.test(line.trim())) return 'weak'; // a block opened and never written
  if (/^(?:user|assistant|tool)$/.test(line.trim())) return 'weak'; // a turn's role word, and no turn
  // Inside a string or a maths display: an odd number of double quotes, a last token that opens a quote ('59), or
  // \[ / \( never closed on the line.
  if ((line.match(/"/g)?.length ?? 0) % 2 === 1 || /(?:^|\s)'[^'\s]*$/.test(line)) return 'strong';
  if (/\\\[(?!.*\\\])/.test(line) || /\\\((?!.*\\\))/.test(line)) return 'strong';
  // A line of prose that ends in a function word after a space ("- Number of", "the total value of"), not a label
  // ("FirstChild") or an answer letter.
  return endsWithTwoWords(line) && /\b(?:of|the|a|an|to|and|or|is|are|by|for|with|in|on|at|from|that|which|than|as|be|number|value|total)$/.test(line) ? 'strong' : null;
}

function isLowerAscii(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * /[a-z]{2,}\s+[a-z]{2,}$/.test(line), read from the end. The pattern can only match the line's whole trailing a–z run,
 * the whole whitespace run before it and two a–z letters before that (any other split puts a letter or a space where
 * the other class must be); the regex instead tries every position of the line, and lines of prose run long.
 */
function endsWithTwoWords(line: string): boolean {
  let i = line.length;
  while (i > 0 && isLowerAscii(line.charCodeAt(i - 1))) i--;
  if (line.length - i < 2) return false;
  const run = i;
  while (i > 0 && /\s/.test(line[i - 1]!)) i--;
  if (i === run) return false;
  return i >= 2 && isLowerAscii(line.charCodeAt(i - 1)) && isLowerAscii(line.charCodeAt(i - 2));
}
