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
  /** Minimum length for the mid-word heuristic (default 1000 characters). */
  midWordMinChars?: number;
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
    const t = tailSpan(text, end, seg.answerRegion?.start ?? 0);
    return [{
      kind: 'truncated',
      field,
      start: t.start,
      end: t.end,
      code: 'finish-length',
      severity: 'warning',
      message: `Stopped at the length limit (finish reason '${reason}')${seg.state === 'closed' ? ' after the reasoning closed' : ''}`,
      evidence,
    }];
  }
  const stopped = reason !== null && reason !== '' ;
  if (!stopped && !seg.endOfTurn && seg.state === 'none' && end >= (input.midWordMinChars ?? 1000) && endsMidWord(text, end) && !/\s/.test(text[end - 1] ?? ' ')) {
    const t = tailSpan(text, end);
    return [{
      kind: 'truncated',
      field,
      start: t.start,
      end: t.end,
      code: 'cut-mid-word',
      severity: 'info',
      message: `Text ends mid-word (“…${text.slice(Math.max(0, end - 30), end).replace(/\s+/g, ' ')}”), without an end-of-turn token: possibly truncated`,
      evidence,
    }];
  }
  return [];
}
