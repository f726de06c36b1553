// Text views of a sample's prompt and completion. Chat-message completions (multi-turn, verifiers) are joined
// assistant turns, so that detectors and rewards see what the model wrote; offsets then refer to that join.
import type { TextOrMessages } from '../types';

/** The model-written text of a completion: the string itself, or the assistant turns joined by blank lines. */
export function completionText(c: TextOrMessages): string {
  if (typeof c === 'string') return c;
  const parts: string[] = [];
  for (const m of c) {
    if (m.role !== 'assistant') continue;
    parts.push(m.reasoning ? `<think>${m.reasoning}</think>${m.content}` : m.content);
  }
  return parts.join('\n\n');
}

/** Where a part of completionText() came from: message `message`'s content or reasoning, at [start, end) of the join. */
export interface CompletionPiece {
  start: number;
  end: number;
  /** Index into the messages array; null for a plain-string completion. */
  message: number | null;
  part: 'content' | 'reasoning';
}

/**
 * The pieces of completionText(c) that are the model's own strings, with their offsets in the joined text. The
 * separators ('\n\n') and the synthetic `<think>`/`</think>` around a separately stored reasoning are not pieces:
 * they exist in no field, so the editor cannot point at them. Kept in lockstep with completionText().
 */
export function completionPieces(c: TextOrMessages): CompletionPiece[] {
  if (typeof c === 'string') return [{ start: 0, end: c.length, message: null, part: 'content' }];
  const out: CompletionPiece[] = [];
  let at = 0;
  let first = true;
  c.forEach((m, k) => {
    if (m.role !== 'assistant') return;
    if (!first) at += 2;
    first = false;
    if (m.reasoning) {
      at += '<think>'.length;
      out.push({ start: at, end: at + m.reasoning.length, message: k, part: 'reasoning' });
      at += m.reasoning.length + '</think>'.length;
    }
    out.push({ start: at, end: at + m.content.length, message: k, part: 'content' });
    at += m.content.length;
  });
  return out;
}

/** The prompt as one string: text as is, messages as their contents (used for language and prompt-side tags). */
export function promptText(p: TextOrMessages | null): string | null {
  if (p === null) return null;
  if (typeof p === 'string') return p;
  return p.map((m) => m.content).join('\n');
}

/** Exact grouping key of a prompt: text as is, messages serialised (docs/formats.md §7.3 rule 3: no normalisation). */
export function promptGroupKey(p: TextOrMessages | null): string | null {
  if (p === null) return null;
  return typeof p === 'string' ? p : JSON.stringify(p);
}
