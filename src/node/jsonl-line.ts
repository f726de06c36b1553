// The JSONL line rules (docs/formats.md §2.6), in one place for every reader: the streaming scan (jsonl-scan.ts) and
// the parallel range workers (range-prepare.ts) classify each line here and only differ in how they report it
// (notes straight to the handlers, or events replayed by the main thread in file order).
import { isUtf8 } from 'node:buffer';
import { parseJsonTolerant } from '../core/json-tolerant';
import type { JsonValue } from '../core/types';

const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;

/**
 * A line or array item at least this long that does not start with '{' can never be a record (a record is an
 * object), and decoding it would cost several times its size (bytes, string, parsed copy): it is reported from its
 * first byte and its length, and skipped unread. Below this, such a value is parsed and described as before.
 */
export const HUGE_VALUE_BYTES = 16 << 20;

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === LF || c === CR || c === 0x09;
}

export function isBlank(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isWhitespace(b[i])) return false;
  return true;
}

export function isAllNul(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0) return false;
  return true;
}

/** First byte of b[s, e) that is not whitespace, or -1. */
export function firstNonBlank(b: Buffer, s: number, e: number): number {
  for (let i = s; i < e; i++) if (!isWhitespace(b[i])) return b[i];
  return -1;
}

/** True when a value of `bytes` bytes starting with `first` is skipped unread (see HUGE_VALUE_BYTES). */
export function isHugeNonRecord(first: number, bytes: number, limit = HUGE_VALUE_BYTES): boolean {
  return bytes >= limit && first !== OPEN_BRACE && first >= 0;
}

function sizeText(bytes: number): string {
  if (bytes >= 1 << 20) return `${Math.round(bytes / (1 << 20))} MB`;
  if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} KB`;
  return `${bytes} bytes`;
}

/** What a skipped huge value is, from its first byte: "a single 200 MB string, not a record; skipped". */
export function hugeValueMessage(first: number, bytes: number, allNul: boolean): string {
  if (allNul) return `${bytes} NUL bytes (a crash can leave the end of a file unwritten)`;
  const kind = first === 0x22 ? 'string' : first === 0x5b ? 'JSON array' : 'value';
  return `a single ${sizeText(bytes)} ${kind}, not a record; skipped without reading it`;
}

export type LineOutcome =
  | { kind: 'blank' }
  | { kind: 'bad'; error: string }
  /** An unterminated last line that does not parse (yet): the trainer may still be writing it. */
  | { kind: 'incomplete' }
  | { kind: 'value'; value: JsonValue; nonFinite: boolean };

export interface ClassifiedLine {
  /** A UTF-8 BOM opened the file (line 1 at offset 0); it was skipped. */
  bom: boolean;
  /** File offset and byte length of the line's content (after a BOM, without '\r'). */
  offset: number;
  length: number;
  /** The line is not valid UTF-8 (reported before the outcome; never set for blank, NUL or skipped lines). */
  invalidUtf8: boolean;
  outcome: LineOutcome;
}

const BLANK: LineOutcome = { kind: 'blank' };
const INCOMPLETE: LineOutcome = { kind: 'incomplete' };

/**
 * Classifies bytes [s, e) of `b` (one line without its '\n', at file offset `off`). `knownUtf8`: the caller
 * checked a span holding the line; `terminated`: the line ended with '\n' (false for the file's last bytes).
 */
export function classifyLine(
  b: Buffer, s: number, e: number, off: number, lineNo: number, knownUtf8: boolean, terminated: boolean, hugeBytes: number = HUGE_VALUE_BYTES,
): ClassifiedLine {
  let bom = false;
  if (lineNo === 1 && off === 0 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) {
    // A BOM written by Windows tools; the JSON starts after it.
    bom = true;
    s += 3;
    off += 3;
  }
  if (e > s && b[e - 1] === CR) e--;
  const line: ClassifiedLine = { bom, offset: off, length: e - s, invalidUtf8: false, outcome: BLANK };
  if (e === s || (b[s] !== OPEN_BRACE && isBlank(b, s, e))) return line;
  if (b[s] === 0 && isAllNul(b, s, e)) {
    line.outcome = { kind: 'bad', error: `line is ${e - s} NUL bytes (a crash can leave the end of a file unwritten)` };
    return line;
  }
  const first = firstNonBlank(b, s, e);
  if (isHugeNonRecord(first, e - s, hugeBytes)) {
    line.outcome = { kind: 'bad', error: `line is ${hugeValueMessage(first, e - s, false)}` };
    return line;
  }
  const valid = knownUtf8 || isUtf8(b.subarray(s, e));
  let text: string;
  try {
    text = b.toString('utf8', s, e);
  } catch {
    // Above V8's maximum string length (~512 MB of UTF-16): nothing can hold this line as one string.
    line.outcome = { kind: 'bad', error: `line is too long to decode (${e - s} bytes)` };
    return line;
  }
  line.invalidUtf8 = !valid;
  const parsed = parseJsonTolerant(text);
  if (!parsed.ok) {
    line.outcome = terminated ? { kind: 'bad', error: parsed.error } : INCOMPLETE;
    return line;
  }
  line.outcome = { kind: 'value', value: parsed.value, nonFinite: parsed.nonFinite };
  return line;
}
