// Splits a decoded completion into reasoning / answer segments (docs/formats.md §2.2, §2.3, §7.5).
// The segments always cover the whole text contiguously, so that the editor can colour every character and nothing
// the model wrote is ever hidden. Offsets are UTF-16 indices into the completion as given.
//
// Chat-message completions: callers pass the assistant turns joined with '\n' (see analyse.ts); the segmenter then
// treats them as one turn, which is what the reward functions of TRL/open-r1 see too.

import {
  ANSWER_TAGS,
  END_OF_TURN_TOKENS,
  MALFORMED_OPEN_TAG_AT,
  canStartMalformedTag,
  THINK_VARIANTS,
  isBlank,
  isWhitespaceCode,
  type TagPair,
  type TagVariant,
} from './tags';

export type SegmentKind =
  | 'think-open-tag'
  | 'think'
  | 'think-close-tag'
  | 'answer-open-tag'
  | 'answer'
  | 'answer-close-tag'
  | 'text'
  | 'after-answer'
  | 'eot';

export interface Span {
  start: number;
  end: number;
}

export interface Segment extends Span {
  kind: SegmentKind;
}

export type ReasoningState = 'closed' | 'implicit-open' | 'unterminated' | 'none' | 'empty' | 'multiple';

export interface ThinkBlock {
  /** The opening tag; null when it sat in the prompt (implicit open). */
  open: Span | null;
  content: Span;
  /** The closing tag; null when the block never closes. */
  close: Span | null;
}

export interface AnswerBlock {
  open: Span;
  content: Span;
  close: Span | null;
}

/** Structural oddities that the format detector turns into flags. */
export interface TagAnomaly extends Span {
  code: 'stray-think-close' | 'nested-think-open' | 'stray-answer-close' | 'nested-answer-open' | 'think-after-answer' | 'malformed-tag';
}

export interface Segmentation {
  segments: Segment[];
  state: ReasoningState;
  /** Name of the tag variant in use ('think', 'openthoughts', 'kimi', …, 'custom'); null when no tag was seen. */
  variant: string | null;
  tags: TagPair;
  thinkBlocks: ThinkBlock[];
  thinkBlockCount: number;
  /** True when the (first) block has no opening tag in the completion. */
  implicitOpen: boolean;
  /** The prompt ends with the variant's opening tag (after whitespace and end-of-turn tokens): implicit-open by construction. */
  promptEndsWithOpenTag: boolean;
  /** From the start of the first block's content to the end of the last block's content; null when state is 'none'. */
  reasoning: Span | null;
  /** Text after the last closing tag (without trailing end-of-turn tokens); the whole text when there are no tags; null when unterminated. */
  answerRegion: Span | null;
  /** The last `<answer>` (or variant answer) block, if any. */
  answerTag: AnswerBlock | null;
  answerTagCount: number;
  /** Trailing end-of-turn tokens, evidence of a normal stop. */
  endOfTurn: { start: number; end: number; tokens: string[] } | null;
  /** End of the text proper (start of the trailing end-of-turn tokens, or text.length). */
  contentEnd: number;
  anomalies: TagAnomaly[];
}

export interface SegmentOptions {
  prompt?: string | null;
  /** Custom think tag pairs (lighteval's --reasoning-tags); replace the built-in list when given. */
  tags?: TagPair[];
  /**
   * No built-in think tag starts before this offset of the text: the caller found none in a text that holds this one
   * (a multi-turn episode and its turns). The search for the variant starts there.
   */
  untaggedBefore?: number;
}

type EventType = 'think-open' | 'think-close' | 'answer-open' | 'answer-close';
interface TagEvent {
  pos: number;
  len: number;
  type: EventType;
}

/** Strips trailing end-of-turn tokens (and whitespace between them). */
function trailingEndOfTurn(text: string): { start: number; tokens: string[] } | null {
  let e = text.length;
  let start = -1;
  const tokens: string[] = [];
  for (;;) {
    let k = e;
    while (k > 0 && isWhitespaceCode(text.charCodeAt(k - 1))) k--;
    const tok = END_OF_TURN_TOKENS.find((t) => k >= t.length && text.startsWith(t, k - t.length));
    if (tok === undefined) break;
    tokens.unshift(tok);
    e = k - tok.length;
    start = e;
  }
  return start < 0 ? null : { start, tokens };
}

function firstIndex(text: string, pair: TagPair, end: number): number {
  const a = text.indexOf(pair.open);
  const b = text.indexOf(pair.close);
  const m = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  return m >= end ? -1 : m;
}

/** Where the prompt's text ends before trailing end-of-turn tokens and whitespace: where an opening tag would end. */
function promptTagEnd(prompt: string): number {
  const eot = trailingEndOfTurn(prompt);
  let e = eot ? eot.start : prompt.length;
  while (e > 0 && isWhitespaceCode(prompt.charCodeAt(e - 1))) e--;
  return e;
}

/** Whether the prompt ends (before `e = promptTagEnd(prompt)`) with the opening tag. */
function endsWithOpenTag(prompt: string, open: string, e = promptTagEnd(prompt)): boolean {
  return e >= open.length && prompt.startsWith(open, e - open.length);
}

function collect(text: string, needle: string, end: number, type: EventType, out: TagEvent[]): void {
  if (needle.length === 0) return;
  for (let i = text.indexOf(needle); i >= 0 && i + needle.length <= end; i = text.indexOf(needle, i + needle.length)) {
    out.push({ pos: i, len: needle.length, type });
  }
}

/**
 * The built-in variant with the first tag (opening or closing) in text[0, end): what the per-variant search below
 * finds, in two passes instead of fourteen (most traces have no tag at all, and each indexOf read the whole text).
 * The earliest tag decides; at one position the first variant in order wins, as there. Every built-in tag starts
 * with '<' except kimi's, which start with '◁'.
 */
export function firstBuiltinVariant(text: string, end: number, from = 0): TagVariant | null {
  let best: TagVariant | null = null;
  let bestPos = end;
  for (let i = text.indexOf('<', from); i >= 0 && i < bestPos; i = text.indexOf('<', i + 1)) {
    // Most '<' in a trace are maths, code or other tags (<tool_call>): only the first three characters of some think
    // tag after it are worth a look.
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    if ((c1 < 128 && LT_CHAR1[c1] === 0) || (c2 < 128 && LT_CHAR2[c2] === 0)) continue;
    // The second and third characters as a pair: `</tool_call>` and `</tool_response>` pass the two checks above
    // (as `</think>` would) and are in every agentic trace.
    const c3 = text.charCodeAt(i + 3);
    if (c2 < 128 && c3 < 128 && LT_PAIR23[(c2 << 7) | c3] === 0) continue;
    for (const v of LT_VARIANTS) {
      if (text.startsWith(v.think.open, i) || text.startsWith(v.think.close, i)) {
        best = v;
        bestPos = i;
        break;
      }
    }
  }
  const kimi = KIMI_VARIANT;
  for (let i = text.indexOf('\u25c1', from); i >= 0 && i < bestPos; i = text.indexOf('\u25c1', i + 1)) {
    if (text.startsWith(kimi.think.open, i) || text.startsWith(kimi.think.close, i)) return kimi;
  }
  return best;
}

/** THINK_VARIANTS whose tags start with '<', and kimi's (firstBuiltinVariant); checked when the module loads. */
const LT_VARIANTS = THINK_VARIANTS.filter((v) => v.think.open.startsWith('<') && v.think.close.startsWith('<'));
const KIMI_VARIANT = THINK_VARIANTS.find((v) => v.think.open.startsWith('\u25c1') && v.think.close.startsWith('\u25c1'))!;
if (LT_VARIANTS.length + 1 !== THINK_VARIANTS.length || KIMI_VARIANT === undefined) throw new Error('segment.ts: THINK_VARIANTS changed; update firstBuiltinVariant');
/** The ASCII second and third characters of the '<' tags (a non-ASCII one is always looked at). */
const LT_CHAR1 = new Uint8Array(128);
const LT_CHAR2 = new Uint8Array(128);
/** The tags' (second, third) character pairs when both are ASCII, at (c2 << 7) | c3 (a non-ASCII one is looked at). */
const LT_PAIR23 = new Uint8Array(128 * 128);
for (const v of LT_VARIANTS) {
  for (const t of [v.think.open, v.think.close]) {
    if (t.charCodeAt(1) < 128) LT_CHAR1[t.charCodeAt(1)] = 1;
    if (t.charCodeAt(2) < 128) LT_CHAR2[t.charCodeAt(2)] = 1;
    if (t.length < 4 || t.charCodeAt(2) >= 128 || t.charCodeAt(3) >= 128) throw new Error('segment.ts: a tag too short or not ASCII at 2–3; update LT_PAIR23');
    LT_PAIR23[(t.charCodeAt(2) << 7) | t.charCodeAt(3)] = 1;
  }
}

/** Chooses the variant whose tag appears first in the completion, else the one the prompt opens, else `<think>`. */
function chooseVariant(text: string, end: number, variants: readonly TagVariant[], prompt: string | null | undefined, untaggedBefore: number): { v: TagVariant; seen: boolean; promptOpen: boolean } {
  let best: TagVariant | null = null;
  if (variants === THINK_VARIANTS) {
    best = untaggedBefore >= end ? null : firstBuiltinVariant(text, end, untaggedBefore);
  } else {
    let bestPos = Infinity;
    for (const v of variants) {
      const p = firstIndex(text, v.think, end);
      if (p >= 0 && p < bestPos) {
        best = v;
        bestPos = p;
      }
    }
  }
  if (best) return { v: best, seen: true, promptOpen: prompt ? endsWithOpenTag(prompt, best.think.open) : false };
  if (prompt) {
    // The prompt's end is found once, not once per variant (fourteen built-in ones, on every sample without a tag).
    const e = promptTagEnd(prompt);
    for (const v of variants) if (endsWithOpenTag(prompt, v.think.open, e)) return { v, seen: true, promptOpen: true };
  }
  return { v: variants[0] ?? THINK_VARIANTS[0]!, seen: false, promptOpen: false };
}

export function segmentTrace(text: string, opts: SegmentOptions = {}): Segmentation {
  const variants: readonly TagVariant[] = opts.tags && opts.tags.length > 0
    ? opts.tags.map((t) => ({ name: 'custom', think: t }))
    : THINK_VARIANTS;
  const eot = trailingEndOfTurn(text);
  const coreEnd = eot ? eot.start : text.length;
  const { v, seen, promptOpen } = chooseVariant(text, coreEnd, variants, opts.prompt, opts.untaggedBefore ?? 0);

  const events: TagEvent[] = [];
  collect(text, v.think.open, coreEnd, 'think-open', events);
  collect(text, v.think.close, coreEnd, 'think-close', events);
  collect(text, ANSWER_TAGS.open, coreEnd, 'answer-open', events);
  collect(text, ANSWER_TAGS.close, coreEnd, 'answer-close', events);
  if (v.answer) {
    collect(text, v.answer.open, coreEnd, 'answer-open', events);
    collect(text, v.answer.close, coreEnd, 'answer-close', events);
  }
  events.sort((a, b) => a.pos - b.pos);

  const segments: Segment[] = [];
  const blocks: ThinkBlock[] = [];
  const answers: AnswerBlock[] = [];
  const anomalies: TagAnomaly[] = [];
  const firstThink = events.find((e) => e.type === 'think-open' || e.type === 'think-close');

  // The reasoning starts implicitly when the completion closes a block it never opened, or the prompt opened it.
  let mode: 'think' | 'out' | 'answer' | 'after' = 'out';
  if ((firstThink && firstThink.type === 'think-close') || (promptOpen && (!firstThink || firstThink.type !== 'think-open'))) {
    mode = 'think';
    blocks.push({ open: null, content: { start: 0, end: coreEnd }, close: null });
  }
  let cursor = 0;
  const kindOf = { think: 'think', out: 'text', answer: 'answer', after: 'after-answer' } as const;
  const flush = (to: number): void => {
    if (to > cursor) segments.push({ kind: kindOf[mode], start: cursor, end: to });
    cursor = to;
  };
  const tag = (kind: SegmentKind, e: TagEvent): Span => {
    segments.push({ kind, start: e.pos, end: e.pos + e.len });
    cursor = e.pos + e.len;
    return { start: e.pos, end: cursor };
  };

  for (const e of events) {
    if (e.pos < cursor) continue; // overlapping custom tags
    switch (e.type) {
      case 'think-open':
        flush(e.pos);
        if (mode === 'think') {
          anomalies.push({ code: 'nested-think-open', start: e.pos, end: e.pos + e.len });
          tag('think-open-tag', e);
        } else {
          if (answers.length > 0) anomalies.push({ code: 'think-after-answer', start: e.pos, end: e.pos + e.len });
          if (mode === 'answer') {
            const a = answers[answers.length - 1]!;
            a.content.end = e.pos;
          }
          const open = tag('think-open-tag', e);
          blocks.push({ open, content: { start: cursor, end: coreEnd }, close: null });
          mode = 'think';
        }
        break;
      case 'think-close':
        flush(e.pos);
        if (mode === 'think') {
          const b = blocks[blocks.length - 1]!;
          b.content.end = e.pos;
          b.close = tag('think-close-tag', e);
          mode = 'out';
        } else {
          anomalies.push({ code: 'stray-think-close', start: e.pos, end: e.pos + e.len });
          tag('think-close-tag', e);
        }
        break;
      case 'answer-open':
        if (mode === 'think') break; // the reasoning may talk about tags; it is content
        flush(e.pos);
        if (mode === 'answer') anomalies.push({ code: 'nested-answer-open', start: e.pos, end: e.pos + e.len });
        else {
          const open = tag('answer-open-tag', e);
          answers.push({ open, content: { start: cursor, end: coreEnd }, close: null });
          mode = 'answer';
          break;
        }
        tag('answer-open-tag', e);
        break;
      case 'answer-close':
        if (mode === 'think') break;
        flush(e.pos);
        if (mode === 'answer') {
          const a = answers[answers.length - 1]!;
          a.content.end = e.pos;
          a.close = tag('answer-close-tag', e);
          mode = 'after';
        } else {
          anomalies.push({ code: 'stray-answer-close', start: e.pos, end: e.pos + e.len });
          tag('answer-close-tag', e);
        }
        break;
    }
  }
  flush(coreEnd);
  if (coreEnd < text.length) segments.push({ kind: 'eot', start: coreEnd, end: text.length });

  // Every match starts at a '<': try the anchored pattern only there (a native indexOf skips the rest several times
  // faster than the unanchored regex scans it). Same leftmost, non-overlapping matches as a global exec loop.
  for (let p = text.indexOf('<'); p >= 0; ) {
    // Most '<' (maths, <tool_call>, </…>) are followed by no tag name's first letter: no regex call at all.
    if (!canStartMalformedTag(text.charCodeAt(p + 1))) {
      p = text.indexOf('<', p + 1);
      continue;
    }
    MALFORMED_OPEN_TAG_AT.lastIndex = p;
    const m = MALFORMED_OPEN_TAG_AT.exec(text);
    const next = m ? p + m[0].length : p + 1;
    if (m) anomalies.push({ code: 'malformed-tag', start: p, end: next });
    p = text.indexOf('<', next);
  }

  let state: ReasoningState;
  const only = blocks.length === 1 ? blocks[0]! : null;
  if (blocks.length === 0) state = 'none';
  else if (blocks.length > 1) state = 'multiple';
  else if (only!.close === null) state = 'unterminated';
  else if (isBlank(text, only!.content.start, only!.content.end)) state = 'empty';
  else if (only!.open === null) state = 'implicit-open';
  else state = 'closed';

  const last = blocks[blocks.length - 1];
  const answerRegion: Span | null = !last ? { start: 0, end: coreEnd } : last.close ? { start: last.close.end, end: coreEnd } : null;

  return {
    segments,
    state,
    variant: seen || blocks.length > 0 ? v.name : null,
    tags: v.think,
    thinkBlocks: blocks,
    thinkBlockCount: blocks.length,
    implicitOpen: blocks.length > 0 && blocks[0]!.open === null,
    promptEndsWithOpenTag: promptOpen,
    reasoning: blocks.length > 0 ? { start: blocks[0]!.content.start, end: last!.content.end } : null,
    answerRegion,
    answerTag: answers.length > 0 ? answers[answers.length - 1]! : null,
    answerTagCount: answers.length,
    endOfTurn: eot ? { start: eot.start, end: text.length, tokens: eot.tokens } : null,
    contentEnd: coreEnd,
    anomalies,
  };
}
