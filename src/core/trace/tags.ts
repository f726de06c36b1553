// Reasoning / answer tag variants (docs/formats.md §7.5) and the end-of-turn tokens that decoders sometimes keep (§2.1).
// Tags match case-sensitively and exactly; `< think >` is not a tag.

export interface TagPair {
  open: string;
  close: string;
}

export interface TagVariant {
  /** Stable name, shown in evidence. */
  name: string;
  think: TagPair;
  /** Answer tags that belong to this variant, tried in addition to `<answer>…</answer>`. */
  answer?: TagPair;
}

export const THINK_VARIANTS: readonly TagVariant[] = [
  { name: 'think', think: { open: '<think>', close: '</think>' } },
  { name: 'thinking', think: { open: '<thinking>', close: '</thinking>' } },
  { name: 'reasoning', think: { open: '<reasoning>', close: '</reasoning>' } },
  { name: 'thought', think: { open: '<thought>', close: '</thought>' } },
  {
    name: 'openthoughts',
    think: { open: '<|begin_of_thought|>', close: '<|end_of_thought|>' },
    answer: { open: '<|begin_of_solution|>', close: '<|end_of_solution|>' },
  },
  { name: 'kimi', think: { open: '◁think▷', close: '◁/think▷' } },
  {
    name: 'r1-cold-start',
    think: { open: '<reasoning_process>', close: '</reasoning_process>' },
    answer: { open: '<summary>', close: '</summary>' },
  },
];

export const ANSWER_TAGS: TagPair = { open: '<answer>', close: '</answer>' };

/** Longest first, so that `<|im_end|>` is not mistaken for something shorter. */
export const END_OF_TURN_TOKENS: readonly string[] = [
  '<｜end▁of▁sentence｜>',
  '<|end_of_sentence|>',
  '<|endoftext|>',
  '<|im_end|>',
  '<|eot_id|>',
  '<|end|>',
  '</s>',
];

/** The tag names whose opening tag, written with attributes, is malformed (MALFORMED_OPEN_TAG). */
const MALFORMED_TAG_NAMES = ['think', 'thinking', 'reasoning', 'thought', 'answer'];
/** Opening tags written with attributes (`<think type="x">`) are malformed, not tags (docs/formats.md §7.5). */
export const MALFORMED_OPEN_TAG = new RegExp(`<(${MALFORMED_TAG_NAMES.join('|')})\\s[^<>\\n]{0,80}>`, 'g');
/** The same pattern anchored at lastIndex (segment.ts tries it only where indexOf finds a '<'). */
export const MALFORMED_OPEN_TAG_AT = new RegExp(MALFORMED_OPEN_TAG.source, 'y');
const MALFORMED_FIRST = new Set(MALFORMED_TAG_NAMES.map((n) => n.charCodeAt(0)));
/** Whether a malformed opening tag can start with this character after its '<' (most '<' need no regex call). */
export function canStartMalformedTag(c: number): boolean {
  return MALFORMED_FIRST.has(c);
}

export function isWhitespaceCode(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000;
}

/** True when `s` holds only whitespace between `from` and `to`. */
export function isBlank(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) if (!isWhitespaceCode(s.charCodeAt(i))) return false;
  return true;
}
