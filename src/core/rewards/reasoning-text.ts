// The reasoning part of a completion, as the language reward reads it. Its own module so that the trajectory code
// (src/core/trajectory/reward-text.ts) can apply it per model turn without loading the whole registry.

/** Reasoning text: inside `<think>…</think>`, or up to `</think>` (implicit open), or everything when untagged. */
export function reasoningText(completion: string): string {
  const close = completion.indexOf('</think>');
  const open = completion.indexOf('<think>');
  const start = open >= 0 && (close < 0 || open < close) ? open + '<think>'.length : 0;
  return close >= 0 ? completion.slice(start, close) : completion.slice(start);
}
