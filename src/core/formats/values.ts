// Small, allocation-light readers for JSON values: dotted paths, numbers that may arrive as strings, and
// text-or-messages fields. Every reader returns either a value or a FieldError naming the field and what was
// found, so that one malformed record becomes one bad line instead of aborting the file.
import type { ChatMessage, JsonObject, JsonValue, TextOrMessages } from '../types';

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A readable name of a value's JSON type, for error messages. */
export function typeName(v: JsonValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : 'a number';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `a ${typeof v}`;
}

/**
 * Reads `a.b.0.c`. An exact key wins over a dotted walk, because real column names can contain dots
 * (e.g. W&B "rewards/accuracy.mean").
 */
export function getPath(v: JsonValue | undefined, path: string): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (isObject(v) && Object.prototype.hasOwnProperty.call(v, path)) return v[path];
  const dot = path.indexOf('.');
  if (dot < 0) {
    if (Array.isArray(v) && /^\d+$/.test(path)) return v[Number(path)];
    return undefined;
  }
  // Try the longest prefix that names a key first, so "extra_info.answer" works whether or not it is nested.
  for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
    const head = path.slice(0, i);
    let child: JsonValue | undefined;
    if (isObject(v) && Object.prototype.hasOwnProperty.call(v, head)) child = v[head];
    else if (Array.isArray(v) && /^\d+$/.test(head)) child = v[Number(head)];
    if (child !== undefined) return getPath(child, path.slice(i + 1));
  }
  return undefined;
}

export class FieldError extends Error {}

/** Numbers, numeric strings ("1.0", as written by some W&B exports) and booleans (correctness lists). */
export function readNumber(v: JsonValue | undefined, field: string): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === 'NaN' || t === 'nan') return Number.NaN;
    if (t === 'None' || t === '') return null;
    // Python's str(bool), as written by scripts that stringify every value (ORZ analysis dumps).
    if (t === 'True' || t === 'true') return 1;
    if (t === 'False' || t === 'false') return 0;
    const n = Number(t);
    if (t !== '' && !Number.isNaN(n)) return n;
  }
  throw new FieldError(`field '${field}' is ${typeName(v)}, expected a number`);
}

/** Integer steps; W&B tables of TRL 0.15–0.27 store `step` as a string. */
export function readStep(v: JsonValue | undefined, field: string): number | null {
  const n = readNumber(v, field);
  if (n === undefined || n === null || !Number.isFinite(n)) return null;
  return n;
}

/** Joins the text parts of an OpenAI/Inspect-style content list; reasoning parts are returned apart. */
function contentToText(content: JsonValue | undefined, field: string): { text: string; reasoning: string } {
  if (content === undefined || content === null) return { text: '', reasoning: '' };
  if (typeof content === 'string') return { text: content, reasoning: '' };
  if (Array.isArray(content)) {
    let text = '';
    let reasoning = '';
    for (const part of content) {
      if (typeof part === 'string') text += part;
      else if (isObject(part)) {
        if (typeof part.text === 'string') text += part.text;
        else if (typeof part.reasoning === 'string') reasoning += part.reasoning;
        else if (typeof part.summary === 'string') reasoning += part.summary;
      }
    }
    return { text, reasoning };
  }
  throw new FieldError(`field '${field}' has message content that is ${typeName(content)}, expected text`);
}

export function readMessage(v: JsonValue, field: string): ChatMessage {
  if (!isObject(v)) throw new FieldError(`field '${field}' holds a message that is ${typeName(v)}, expected an object`);
  const { text, reasoning } = contentToText(v.content, field);
  const role = typeof v.role === 'string' ? v.role : 'unknown';
  const sep = typeof v.reasoning_content === 'string' ? v.reasoning_content
    : typeof v.reasoning === 'string' ? v.reasoning : '';
  const r = sep + reasoning;
  const m: ChatMessage = r ? { role, content: text, reasoning: r } : { role, content: text };
  // Agentic messages: kept as stored, parsed by src/core/trajectory (tool calls may be objects or JSON strings).
  if (Array.isArray(v.tool_calls) && v.tool_calls.length > 0) m.toolCalls = v.tool_calls;
  if (typeof v.tool_call_id === 'string') m.toolCallId = v.tool_call_id;
  if (typeof v.name === 'string' && role === 'tool') m.name = v.name;
  return m;
}

export function isMessageList(v: JsonValue | undefined): v is JsonObject[] {
  return Array.isArray(v) && v.length > 0 && v.every((m) => isObject(m) && ('role' in m || 'content' in m));
}

/** A text or a chat-message list. Prime platform stores messages as a JSON string: parse that case. */
export function readText(v: JsonValue | undefined, field: string): TextOrMessages {
  if (typeof v === 'string') {
    if (v.startsWith('[{') && v.endsWith('}]')) {
      try {
        const parsed = JSON.parse(v) as JsonValue;
        if (isMessageList(parsed)) return parsed.map((m) => readMessage(m, field));
      } catch {
        // Not JSON after all: keep it as the text it is.
      }
    }
    return v;
  }
  if (isMessageList(v)) return v.map((m) => readMessage(m, field));
  if (Array.isArray(v) && v.length === 0) return [];
  throw new FieldError(`field '${field}' is ${typeName(v)}, expected text`);
}

/** Reasoning carried on messages (reasoning_content / reasoning parts), joined; null when there is none. */
export function messagesReasoning(t: TextOrMessages | null): string | null {
  if (t === null || typeof t === 'string') return null;
  const parts = t.filter((m) => m.reasoning).map((m) => m.reasoning as string);
  return parts.length ? parts.join('\n\n') : null;
}

/** Stable text key of a prompt for grouping: exact text, or the serialised message list (no normalisation). */
export function promptKey(p: TextOrMessages | null): string | null {
  if (p === null) return null;
  return typeof p === 'string' ? p : JSON.stringify(p);
}
