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

/** The prompt as one string: text as is, messages as their contents (used for language and prompt-side tags). */
export function promptText(p: TextOrMessages | null): string | null {
  if (p === null) return null;
  if (typeof p === 'string') return p;
  return p.map((m) => m.content).join('\n');
}

/** Exact grouping key of a prompt: text as is, messages serialised (formats.md §7.3 rule 3: no normalisation). */
export function promptGroupKey(p: TextOrMessages | null): string | null {
  if (p === null) return null;
  return typeof p === 'string' ? p : JSON.stringify(p);
}
