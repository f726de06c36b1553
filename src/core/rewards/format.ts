// Format rewards: Rollout Lens' strict R1 check, and exact ports of open-r1 `format_reward`, TRL
// `think_format_reward` and open-r1 `tag_count_reward` (docs/rewards.md §3.1, §4).
//
// Porting note (§8): Python `re.match(…, re.DOTALL | re.MULTILINE)` anchors at 0, and its `$` matches before any `\n`
// or at the end. JS `m` mode would also match before `\r`, U+2028 and U+2029, so the ports use no `m` flag and spell
// `$` as `(?=\n|$)`. No CRLF normalisation either: the Python regex rejects `\r\n` and so must the port.

import { pyCount } from './python-compat';

const OPENR1_FORMAT = /^<think>\n.*?\n<\/think>\n<answer>\n.*?\n<\/answer>(?=\n|$)/s;
const TRL_THINK_FORMAT = /^<think>(?![\s\S]*<think>)[\s\S]*?<\/think>/;

/** open-r1 `format_reward` [parity]: trailing lines after `</answer>` and an empty think still score 1. */
export function formatOpenR1(completion: string): number {
  return OPENR1_FORMAT.test(completion) ? 1 : 0;
}

/** TRL `think_format_reward` [parity]: starts with `<think>`, one think block, closed; anything may follow. */
export function thinkFormatTrl(completion: string): number {
  return TRL_THINK_FORMAT.test(completion) ? 1 : 0;
}

/** open-r1 `tag_count_reward` [parity]: 0.25 per tag (with its newlines) that occurs exactly once. */
export function tagCountOpenR1(text: string): number {
  let count = 0;
  if (pyCount(text, '<think>\n') === 1) count += 0.25;
  if (pyCount(text, '\n</think>\n') === 1) count += 0.25;
  if (pyCount(text, '\n<answer>\n') === 1) count += 0.25;
  if (pyCount(text, '\n</answer>') === 1) count += 0.25;
  return count;
}

/**
 * Rollout Lens strict R1 format (the R1 template, §2.1): exactly one non-empty think block, then exactly one
 * `<answer>` block with non-empty content, and nothing but whitespace around them. CRLF is normalised. When the prompt
 * ends with `<think>` (implicit open, Open-Reasoner-Zero style) the completion may start inside the reasoning.
 * Unlike open-r1, an empty think block and trailing text after `</answer>` score 0 (DeepSeek warns about
 * `<think>\n\n</think>`, §2.4).
 */
export function formatR1Strict(completion: string, promptOpensThink = false): number {
  let text = completion.replace(/\r\n?/g, '\n');
  if (promptOpensThink && !text.trimStart().startsWith('<think>')) text = '<think>' + text;
  const m = /^\s*<think>([\s\S]*?)<\/think>\s*<answer>([\s\S]*?)<\/answer>\s*$/.exec(text);
  if (!m) return 0;
  const think = m[1] ?? '';
  const answer = m[2] ?? '';
  if (think.trim() === '' || answer.trim() === '') return 0;
  if (/<\/?think>|<\/?answer>/.test(think) || /<\/?think>|<\/?answer>/.test(answer)) return 0;
  return 1;
}

/** True when the prompt ends with an opening think tag (the completion then starts inside the reasoning). */
export function promptOpensThink(prompt: string | null | undefined): boolean {
  return typeof prompt === 'string' && /<think>\s*$/.test(prompt);
}
