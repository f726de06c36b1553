// Tolerant JSON parsing for rollout logs (docs/formats.md §2.6): Python's json.dumps writes bare NaN / Infinity /
// -Infinity, which JSON.parse rejects. The fast path is plain JSON.parse; the slower tolerant path runs only when
// it fails, so well-formed files pay nothing. Errors carry a 1-based column because V8's own messages do not
// always include a position (Node 20: `Unexpected token '}', "..." is not valid JSON`).
import type { JsonValue } from './types';

export type JsonParseResult =
  | { ok: true; value: JsonValue; nonFinite: boolean }
  | { ok: false; error: string };

/**
 * Deepest nesting accepted. JSON.parse itself is iterative and would accept 100k levels, but every recursive
 * consumer downstream (structuredClone to a worker, postMessage to the webview, JSON.stringify) would then throw
 * RangeError far from the file. Real rollout records nest well under 50 levels.
 */
export const MAX_JSON_DEPTH = 512;

export function parseJsonTolerant(text: string): JsonParseResult {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (e) {
    return parseSlowPath(text, e);
  }
  if (nestingTooDeep(text, value)) return { ok: false, error: tooDeepMessage() };
  return { ok: true, value, nonFinite: false };
}

function tooDeepMessage(): string {
  return `nesting too deep (more than ${MAX_JSON_DEPTH} levels)`;
}

function parseSlowPath(text: string, firstError: unknown): JsonParseResult {
  if (firstError instanceof RangeError) return { ok: false, error: tooDeepMessage() };
  const replaced = replaceNonFinite(text);
  if (replaced !== null) {
    try {
      const value = JSON.parse(replaced.text, replaced.reviver) as JsonValue;
      if (nestingTooDeep(text, value)) return { ok: false, error: tooDeepMessage() };
      return { ok: true, value, nonFinite: true };
    } catch (e) {
      // The reviver recurses inside V8, so deep input surfaces here as RangeError rather than in JSON.parse.
      if (e instanceof RangeError) return { ok: false, error: tooDeepMessage() };
    }
  }
  const located = locateJsonError(text);
  if (located !== null) return { ok: false, error: located };
  return { ok: false, error: v8Message(firstError) };
}

function v8Message(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^(.*?)(?: in JSON)? at position (\d+)/.exec(msg);
  if (m) return `${m[1]} at column ${Number(m[2]) + 1}`;
  return msg;
}

// ---------------------------------------------------------------------------------------------------------------
// NaN / Infinity replacement. Tokens are replaced by string literals of the SAME length, made of a private-use
// character that does not occur in the text (raw or \u-escaped), so error positions stay valid and no real string
// can ever be mistaken for a sentinel.

interface Replaced {
  text: string;
  reviver: (key: string, value: unknown) => unknown;
}

function replaceNonFinite(text: string): Replaced | null {
  if (text.indexOf('NaN') < 0 && text.indexOf('Infinity') < 0) return null;
  const sentinel = pickSentinel(text);
  if (sentinel === null) return null;
  const nan = `"${sentinel}"`; // 3 chars, like NaN
  const inf = `"${sentinel.repeat(6)}"`; // 8 chars, like Infinity
  const ninf = `"${sentinel.repeat(7)}"`; // 9 chars, like -Infinity
  const parts: string[] = [];
  let last = 0;
  let found = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
      continue;
    }
    let len = 0;
    let rep = '';
    if (c === 0x4e /* N */ && text.startsWith('NaN', i)) {
      len = 3;
      rep = nan;
    } else if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) {
      len = 8;
      rep = inf;
    } else if (c === 0x2d /* - */ && text.startsWith('-Infinity', i)) {
      len = 9;
      rep = ninf;
    }
    if (len > 0 && !isIdentChar(text.charCodeAt(i + len)) && !isIdentChar(text.charCodeAt(i - 1))) {
      parts.push(text.slice(last, i), rep);
      i += len;
      last = i;
      found = true;
      continue;
    }
    i++;
  }
  if (!found) return null;
  parts.push(text.slice(last));
  const code = sentinel.charCodeAt(0);
  const reviver = (_key: string, value: unknown): unknown => {
    if (typeof value !== 'string' || value.length === 0 || value.charCodeAt(0) !== code) return value;
    if (value.length === 1) return NaN;
    if (value.length === 6) return Infinity;
    if (value.length === 7) return -Infinity;
    return value;
  };
  return { text: parts.join(''), reviver };
}

function isIdentChar(c: number): boolean {
  // NaN(c) is NaN for out-of-range indices, which compares false everywhere: treated as a boundary.
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function pickSentinel(text: string): string | null {
  for (let cp = 0xe000; cp < 0xe100; cp++) {
    const ch = String.fromCharCode(cp);
    if (text.includes(ch)) continue;
    if (new RegExp(`\\\\u${cp.toString(16)}`, 'i').test(text)) continue;
    return ch;
  }
  return null;
}

/** Index just after the string literal that starts at `start` (or text.length when unterminated). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  const n = text.length;
  while (i < n) {
    const q = text.indexOf('"', i);
    if (q < 0) return n;
    let bs = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === 0x5c; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Nesting guard.

function nestingTooDeep(text: string, value: JsonValue): boolean {
  if (text.length <= MAX_JSON_DEPTH) return false;
  // Cheap native gate: fewer opening brackets than the limit means the limit cannot be exceeded.
  if (countUpTo(text, '[', MAX_JSON_DEPTH + 1) + countUpTo(text, '{', MAX_JSON_DEPTH + 1) <= MAX_JSON_DEPTH) return false;
  return valueDepthExceeds(value, MAX_JSON_DEPTH);
}

function countUpTo(text: string, ch: string, limit: number): number {
  let count = 0;
  let i = text.indexOf(ch);
  while (i >= 0 && count < limit) {
    count++;
    i = text.indexOf(ch, i + 1);
  }
  return count;
}

/** Iterative, so that it cannot itself overflow the stack. */
export function valueDepthExceeds(value: JsonValue, limit: number): boolean {
  const stack: JsonValue[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as JsonValue;
    const d = depths.pop() as number;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Error location: a small iterative validator (accepting NaN/Infinity) that finds the first offending character.
// Only runs after a parse failed, so clarity beats speed here.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function describe(ch: string): string {
  if (ch === ' ') return 'space';
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return ch;
}

/** Human-readable description of the first syntax error with a 1-based column, or null when the text is valid. */
export function locateJsonError(text: string): string | null {
  const n = text.length;
  const stack: boolean[] = []; // true = object
  let i = 0;
  const ws = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const unexpected = (): string =>
    i >= n ? `Unexpected end of input at column ${i + 1}` : `Unexpected token ${describe(text[i])} at column ${i + 1}`;
  const str = (): string | null => {
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return `Bad ${describe(text[i])} in string at column ${i + 1}`;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return `Bad \\u escape in string at column ${i + 1}`;
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return `Bad escape in string at column ${i + 1}`;
        i += 2;
        continue;
      }
      i++;
    }
    return `Unterminated string starting at column ${start + 1}`;
  };
  const num = (): string | null => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === '-' || m[0].length === 0) return unexpected();
    i += m[0].length;
    return null;
  };
  const literal = (): boolean => {
    for (const w of ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(w, i)) {
        i += w.length;
        return true;
      }
    }
    return false;
  };
  // A state machine with an explicit stack: recursion would overflow on the deeply nested input it must report.
  let mode: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    ws();
    if (mode === 'value') {
      if (i >= n) return unexpected();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          mode = 'after';
        } else {
          stack.push(c === '{');
          mode = c === '{' ? 'key' : 'value';
        }
        continue;
      }
      let e: string | null;
      if (c === '"') e = str();
      else if (literal()) e = null;
      else if (c === '-' || (c >= '0' && c <= '9')) e = num();
      else e = unexpected();
      if (e !== null) return e;
      mode = 'after';
    } else if (mode === 'key') {
      if (text[i] !== '"') return i >= n ? unexpected() : `Expected property name at column ${i + 1}`;
      const e = str();
      if (e !== null) return e;
      ws();
      if (text[i] !== ':') return i >= n ? unexpected() : `Expected ':' after property name at column ${i + 1}`;
      i++;
      mode = 'value';
    } else {
      if (stack.length === 0) {
        return i < n ? `Unexpected ${describe(text[i])} after the JSON value at column ${i + 1}` : null;
      }
      const isObj = stack[stack.length - 1];
      const c = text[i];
      if (c === ',') {
        i++;
        mode = isObj ? 'key' : 'value';
      } else if ((isObj && c === '}') || (!isObj && c === ']')) {
        stack.pop();
        i++;
      } else if (i >= n) {
        return unexpected();
      } else {
        return isObj
          ? `Expected ',' or '}' after property value at column ${i + 1} (found ${describe(c)})`
          : `Expected ',' or ']' after array element at column ${i + 1} (found ${describe(c)})`;
      }
    }
  }
}
