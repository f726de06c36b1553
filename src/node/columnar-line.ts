// A ROLL step file is one JSONL line holding a column-oriented object (`{"responses": [...], "scores": [...], …}`,
// docs/formats.md §3.11), 8 MB and more. Parsing it whole and transposing it (core/columnar.ts) holds the parsed
// columns, the rows and the line's text at once in a worker: hundreds of MB over a run. Instead, one validating
// pass over the line's bytes finds each column's cells, and rows are then parsed one at a time from their cells'
// bytes, so only the raw line and one row are alive.
//
// The result must equal JSON.parse + columnarRows exactly. The scanner therefore accepts only what JSON.parse
// accepts, and declines (returns null, the caller parses the line whole) on everything it does not handle the same
// way: a value that is not an array, columns of unequal length or without `responses`/`scores` (the emitter's
// error messages and W&B tables live on the whole-object path), NaN/Infinity literals (the tolerant parser's path),
// duplicate keys, `__proto__`, nesting deeper than MAX_DEPTH.
import { constants } from 'node:buffer';
import type { JsonObject, JsonValue } from '../core/types';

/** Lines shorter than this are parsed whole: the scan pays off only on large lines. */
export const COLUMNAR_SCAN_MIN_BYTES = 1 << 20;
/** Deeper cells are left to the whole-line parser (and its nesting guard). */
const MAX_DEPTH = 64;

export interface ColumnarLayout {
  /** Column names in the order JSON.parse would list them (Object.keys). */
  keys: string[];
  rows: number;
  /** Start of the line in the buffer; cell offsets are relative to it (a line fits in 2^31 bytes, a range may not). */
  base: number;
  /** Per key, in `keys` order: [start0, end0, start1, end1, …], each cell's byte offsets from `base`. */
  cells: Int32Array[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Index after the string literal starting at `i` (a '"'), or -1 if it is not one JSON.parse accepts. */
function skipString(b: Uint8Array, i: number, e: number): number {
  i++;
  while (i < e) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const x = b[i + 1];
      if (x === 0x75 /* u */) {
        if (i + 5 >= e || !isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5])) return -1;
        i += 6;
        continue;
      }
      if (x === QUOTE || x === BACKSLASH || x === 0x2f || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74) {
        i += 2;
        continue;
      }
      return -1;
    }
    if (c < 0x20) return -1; // raw control characters are not valid in JSON strings
    i++;
  }
  return -1;
}

/** Index after the JSON number starting at `i`, or -1. */
function skipNumber(b: Uint8Array, i: number, e: number): number {
  if (b[i] === 0x2d) i++;
  if (i >= e) return -1;
  if (b[i] === 0x30) i++;
  else if (b[i] >= 0x31 && b[i] <= 0x39) while (i < e && isDigit(b[i])) i++;
  else return -1;
  if (i < e && b[i] === 0x2e) {
    i++;
    if (i >= e || !isDigit(b[i])) return -1;
    while (i < e && isDigit(b[i])) i++;
  }
  if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if (i >= e || !isDigit(b[i])) return -1;
    while (i < e && isDigit(b[i])) i++;
  }
  return i;
}

function skipLiteral(b: Uint8Array, i: number, e: number, word: string): number {
  if (i + word.length > e) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

function skipWs(b: Uint8Array, i: number, e: number): number {
  while (i < e && isWs(b[i])) i++;
  return i;
}

/**
 * Index after the JSON value starting at `i` (no leading whitespace), or -1 when it is not valid JSON, holds a
 * NaN/Infinity literal, or nests deeper than MAX_DEPTH below `depth`. Iterative: a stack of open brackets.
 */
function skipValue(b: Uint8Array, i: number, e: number, depth: number): number {
  const stack: number[] = [];
  // expect: 0 = a value, 1 = ',' or a closer after a value, 2 = a key or '}' (just after '{'), 3 = a value or ']'
  // (just after '['), 4 = a key (after ',' in an object)
  let expect = 0;
  for (;;) {
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    const c = b[i];
    if (expect === 1) {
      const top = stack[stack.length - 1];
      if (c === 0x2c) {
        i++;
        expect = top === 0x7b ? 4 : 0;
        continue;
      }
      if ((c === 0x5d && top === 0x5b) || (c === 0x7d && top === 0x7b)) {
        stack.pop();
        i++;
        if (stack.length === 0) return i;
        continue;
      }
      return -1;
    }
    if (expect === 2 || expect === 4) {
      if (c === 0x7d && expect === 2) {
        stack.pop();
        i++;
        if (stack.length === 0) return i;
        expect = 1;
        continue;
      }
      if (c !== QUOTE) return -1;
      i = skipString(b, i, e);
      if (i < 0) return -1;
      i = skipWs(b, i, e);
      if (i >= e || b[i] !== 0x3a) return -1;
      i++;
      expect = 0;
      continue;
    }
    if (expect === 3 && c === 0x5d) {
      stack.pop();
      i++;
      if (stack.length === 0) return i;
      expect = 1;
      continue;
    }
    // A value.
    if (c === 0x7b || c === 0x5b) {
      if (depth + stack.length >= MAX_DEPTH) return -1;
      stack.push(c);
      i++;
      expect = c === 0x7b ? 2 : 3;
      continue;
    }
    if (c === QUOTE) i = skipString(b, i, e);
    else if (c === 0x2d || isDigit(c)) i = skipNumber(b, i, e);
    else if (c === 0x74) i = skipLiteral(b, i, e, 'true');
    else if (c === 0x66) i = skipLiteral(b, i, e, 'false');
    else if (c === 0x6e) i = skipLiteral(b, i, e, 'null');
    else return -1; // NaN, Infinity and anything else: the whole-line parser decides
    if (i < 0) return -1;
    if (stack.length === 0) return i;
    expect = 1;
  }
}

/** Growable list of cell offsets. */
class Offsets {
  a = new Int32Array(256);
  n = 0;
  push(s: number, e: number): void {
    if (this.n + 2 > this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = s;
    this.a[this.n++] = e;
  }
}

/**
 * The cells of the ROLL column-oriented object in b[s, e), or null when the line is anything else (or anything the
 * whole-line parse would treat differently; see the file comment).
 */
export function scanColumnarLine(b: Buffer, s: number, e: number): ColumnarLayout | null {
  if (e - s > constants.MAX_STRING_LENGTH) return null; // the whole-line path reports it as too long to decode
  let i = skipWs(b, s, e);
  if (b[i] !== 0x7b) return null;
  i = skipWs(b, i + 1, e);
  const order: Record<string, number> = {};
  const byKey = new Map<string, Offsets>();
  let first = true;
  for (;;) {
    if (i >= e) return null;
    if (b[i] === 0x7d && first) return null; // {}: not columnar
    if (b[i] !== QUOTE) return null;
    const ks = i;
    i = skipString(b, i, e);
    if (i < 0) return null;
    const key = JSON.parse(b.toString('utf8', ks, i)) as string;
    if (key === '__proto__' || byKey.has(key)) return null;
    i = skipWs(b, i, e);
    if (b[i] !== 0x3a) return null;
    i = skipWs(b, i + 1, e);
    if (b[i] !== 0x5b) return null; // every value of a columnar object is an array
    const cells = new Offsets();
    i = skipWs(b, i + 1, e);
    if (i < e && b[i] === 0x5d) {
      i++;
    } else {
      for (;;) {
        const cs = i;
        i = skipValue(b, i, e, 2);
        if (i < 0) return null;
        cells.push(cs - s, i - s);
        i = skipWs(b, i, e);
        if (i >= e) return null;
        if (b[i] === 0x2c) {
          i = skipWs(b, i + 1, e);
          continue;
        }
        if (b[i] === 0x5d) {
          i++;
          break;
        }
        return null;
      }
    }
    byKey.set(key, cells);
    order[key] = 0;
    first = false;
    i = skipWs(b, i, e);
    if (i >= e) return null;
    if (b[i] === 0x2c) {
      i = skipWs(b, i + 1, e);
      continue;
    }
    if (b[i] !== 0x7d) return null;
    i = skipWs(b, i + 1, e);
    if (i !== e) return null; // text after the object: JSON.parse fails, and says where
    break;
  }
  const responses = byKey.get('responses');
  const scores = byKey.get('scores');
  if (responses === undefined || scores === undefined) return null;
  const rows = responses.n / 2;
  // Object.keys order of the parsed object: the same engine rules (integer-like keys first) applied to `order`.
  const keys = Object.keys(order);
  const cells: Int32Array[] = [];
  for (const k of keys) {
    const o = byKey.get(k) as Offsets;
    if (o.n / 2 !== rows) return null; // unequal columns: the emitter's error message names their lengths
    cells.push(o.a);
  }
  return { base: s, keys, rows, cells };
}

/** Row `i` of a scanned line, equal to columnarRows(JSON.parse(line), rows)[i]. */
export function columnarLineRow(b: Buffer, layout: ColumnarLayout, i: number): JsonObject {
  const row: JsonObject = {};
  for (let k = 0; k < layout.keys.length; k++) {
    const c = layout.cells[k];
    row[layout.keys[k]] = JSON.parse(b.toString('utf8', layout.base + c[2 * i], layout.base + c[2 * i + 1])) as JsonValue;
  }
  return row;
}
