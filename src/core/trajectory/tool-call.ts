// Reading one tool call, from the text a model wrote between `<tool_call>` tags (Hermes / Qwen) or from a message's
// `tool_calls` entry (OpenAI / HF objects, or JSON strings as verifiers stores them). Never throws: what does not
// parse is kept as raw text with the reason.
import type { JsonObject, JsonValue } from '../types';
import type { TextSpan, ToolCall } from './types';

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** V8's Error.stackTraceLimit (absent elsewhere): how many frames a new error captures. */
const errorCtor = Error as { stackTraceLimit?: number };

/**
 * Texts JSON.parse rejected, and its message. Malformed calls are common (half the `<tool_call>` bodies of some
 * agentic dumps) and repeat: models copy the system prompt's `{"name": <function-name>, …}` template, or write the
 * same broken call turn after turn. A thrown SyntaxError costs tens of microseconds, far more than the parse;
 * JSON.parse is a pure function of the text, so the remembered message is the one it would throw again. Short texts
 * only, and the table is dropped when full (calls repeat within a sample and its group).
 */
const failedParses = new Map<string, string>();
const FAILED_MAX = 512;
const FAILED_MAX_CHARS = 2048;

function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false; error: string } {
  const known = failedParses.get(text);
  if (known !== undefined) return { ok: false, error: known };
  // Only the message is kept, so no stack frames are captured while parsing.
  const limit = errorCtor.stackTraceLimit;
  errorCtor.stackTraceLimit = 0;
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    if (text.length <= FAILED_MAX_CHARS) {
      if (failedParses.size >= FAILED_MAX) failedParses.clear();
      failedParses.set(text, error);
    }
    return { ok: false, error };
  } finally {
    errorCtor.stackTraceLimit = limit;
  }
}

/** `{name, arguments}` or `{function: {name, arguments}, id}`; arguments may be an object or a JSON string. */
function fromObject(o: JsonObject, raw: string, span: TextSpan | null, error: string | null): ToolCall {
  const fn = isObject(o.function) ? o.function : o;
  const name = typeof fn.name === 'string' ? fn.name : null;
  const id = typeof o.id === 'string' ? o.id : null;
  let args: JsonValue | null = fn.arguments ?? fn.parameters ?? null;
  let err = error;
  if (typeof args === 'string') {
    const p = args.trim() === '' ? { ok: true as const, value: {} as JsonValue } : parseJson(args);
    if (p.ok) args = p.value;
    else {
      err ??= `arguments are not JSON (${p.error})`;
      args = null;
    }
  }
  if (name === null) err ??= 'no tool name';
  return { name, arguments: args, raw, error: err, id, span };
}

/** A call written between tags: `body` is the text inside; `unclosed` when no closing tag ends it. */
export function callFromText(body: string, span: TextSpan, unclosed: boolean): ToolCall {
  const closeError = unclosed ? 'unclosed <tool_call> tag' : null;
  const t = body.trim();
  if (t === '') return { name: null, arguments: null, raw: body, error: closeError ?? 'empty tool call', id: null, span };
  const p = parseJson(t);
  if (!p.ok) {
    // Name the tool anyway when the text says it, so per-tool counts still see the attempt.
    const m = /"name"\s*:\s*"([^"\\]{1,100})"/.exec(t);
    return { name: m ? m[1] : null, arguments: null, raw: body, error: closeError ?? `not JSON (${p.error})`, id: null, span };
  }
  if (!isObject(p.value)) return { name: null, arguments: null, raw: body, error: closeError ?? 'not a JSON object', id: null, span };
  return fromObject(p.value, body, span, closeError);
}

/** One entry of a message's `tool_calls`. */
export function callFromStored(v: JsonValue): ToolCall {
  if (typeof v === 'string') {
    const p = parseJson(v);
    if (!p.ok) return { name: null, arguments: null, raw: v, error: `tool call is not JSON (${p.error})`, id: null, span: null };
    if (!isObject(p.value)) return { name: null, arguments: null, raw: v, error: 'tool call is not a JSON object', id: null, span: null };
    return fromObject(p.value, v, null, null);
  }
  if (!isObject(v)) return { name: null, arguments: null, raw: JSON.stringify(v), error: 'tool call is not an object', id: null, span: null };
  return fromObject(v, JSON.stringify(v), null, null);
}

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

/** The `<tool_call>` blocks written in text[from, to): every opening tag is one attempted call. */
export function callsInText(text: string, from: number, to: number): ToolCall[] {
  const out: ToolCall[] = [];
  let i = text.indexOf(OPEN, from);
  while (i >= 0 && i < to) {
    const bodyStart = i + OPEN.length;
    let next = text.indexOf(OPEN, bodyStart);
    if (next >= to) next = -1;
    let close = text.indexOf(CLOSE, bodyStart);
    if (close >= to || (next >= 0 && close > next)) close = -1;
    if (close < 0) {
      const end = next >= 0 ? next : to;
      out.push(callFromText(text.slice(bodyStart, end), { start: i, end }, true));
    } else {
      out.push(callFromText(text.slice(bodyStart, close), { start: i, end: close + CLOSE.length }, false));
    }
    i = next;
  }
  return out;
}
