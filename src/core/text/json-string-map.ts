// Maps offsets inside a JSON string literal between its decoded value (what detectors see: UTF-16 offsets into
// the JS string) and its raw text on the line (what the editor shows: UTF-16 columns of the JSONL line).
// Escapes make the two differ: `\n`, `\"`, `\\`, `\/` are 2 raw units for 1 decoded unit, `\uXXXX` is 6 for 1
// (a surrogate pair written as `\ud83d\ude00` is 12 raw for 2 decoded), while raw astral characters and raw CJK are
// the same length on both sides. Pure: no vscode, no node.

/** Raw span of a string literal's content on the line: the characters between the quotes (end exclusive). */
export interface RawStringSpan {
  start: number;
  end: number;
}

/** A located string literal: its path in the record, its raw content span and its decoded value. */
export interface JsonStringLiteral extends RawStringSpan {
  path: (string | number)[];
  value: string;
}

/** `completion.2.content` → ['completion', 2, 'content']; numeric segments index arrays (they also match object keys). */
export function parseFieldPath(path: string): (string | number)[] {
  return path.split('.').filter((s) => s.length > 0).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * A minimal JSON walker over one line that reports every string VALUE (not keys) with its path. It does not
 * validate numbers or literals beyond skipping them: the line was already parsed by the reader, we only need
 * positions. Stops early when `visit` returns true.
 */
export function walkJsonStrings(line: string, visit: (path: (string | number)[], start: number, end: number) => boolean): void {
  let i = 0;
  const n = line.length;
  const path: (string | number)[] = [];
  const skipWs = (): void => {
    while (i < n && WS.has(line.charCodeAt(i))) i++;
  };
  // Returns the index just past the closing quote of the string starting at `i` (line[i] === '"').
  const stringEnd = (from: number): number => {
    let j = from + 1;
    while (j < n) {
      const c = line.charCodeAt(j);
      if (c === 0x5c) j += 2; // backslash: skip the escaped character (\uXXXX's hex digits are plain characters)
      else if (c === 0x22) return j + 1;
      else j++;
    }
    return n;
  };
  let stop = false;
  const value = (): void => {
    if (stop) return;
    skipWs();
    if (i >= n) return;
    const c = line.charCodeAt(i);
    if (c === 0x22) {
      const e = stringEnd(i);
      if (visit(path, i + 1, Math.max(i + 1, e - 1))) stop = true;
      i = e;
    } else if (c === 0x7b) {
      i++;
      skipWs();
      if (line.charCodeAt(i) === 0x7d) { i++; return; }
      while (i < n && !stop) {
        skipWs();
        if (line.charCodeAt(i) !== 0x22) return; // malformed: give up quietly
        const ke = stringEnd(i);
        const rawKey = line.slice(i + 1, ke - 1);
        const key = rawKey.includes('\\') ? decodeRaw(rawKey) : rawKey;
        i = ke;
        skipWs();
        if (line.charCodeAt(i) !== 0x3a) return;
        i++;
        path.push(key);
        value();
        path.pop();
        skipWs();
        if (line.charCodeAt(i) === 0x2c) { i++; continue; }
        if (line.charCodeAt(i) === 0x7d) i++;
        return;
      }
    } else if (c === 0x5b) {
      i++;
      skipWs();
      if (line.charCodeAt(i) === 0x5d) { i++; return; }
      let k = 0;
      while (i < n && !stop) {
        path.push(k++);
        value();
        path.pop();
        skipWs();
        if (line.charCodeAt(i) === 0x2c) { i++; continue; }
        if (line.charCodeAt(i) === 0x5d) i++;
        return;
      }
    } else {
      // number, true, false, null (or NaN/Infinity written by Python): skip to the next delimiter
      while (i < n) {
        const d = line.charCodeAt(i);
        if (d === 0x2c || d === 0x7d || d === 0x5d || WS.has(d)) break;
        i++;
      }
    }
  };
  // A BOM may precede the first record of a file.
  if (line.charCodeAt(0) === 0xfeff) i = 1;
  value();
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k] && String(a[k]) !== String(b[k])) return false;
  return true;
}

/** The raw content span of the string at `path` (dotted string or segments); null when absent or not a string. */
export function findStringAtPath(line: string, path: string | readonly (string | number)[]): RawStringSpan | null {
  const want = typeof path === 'string' ? parseFieldPath(path) : path;
  let found: RawStringSpan | null = null;
  walkJsonStrings(line, (p, start, end) => {
    if (!samePath(p, want)) return false;
    found = { start, end };
    return true;
  });
  return found;
}

/**
 * Every string value whose decoded text equals `value`, in line order. The fallback when the field path is not
 * known (format-specific nesting): a completion is long and distinctive, so the match is the field.
 */
export function findStringsWithValue(line: string, value: string): JsonStringLiteral[] {
  const out: JsonStringLiteral[] = [];
  walkJsonStrings(line, (p, start, end) => {
    // Cheap reject: the raw text is never shorter than the decoded value.
    if (end - start < value.length) return false;
    const raw = line.slice(start, end);
    const decoded = raw.includes('\\') ? decodeRaw(raw) : raw;
    if (decoded === value) out.push({ path: [...p], start, end, value: decoded });
    return false;
  });
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decodes the raw content of a JSON string literal (without quotes). Invalid escapes are kept verbatim. */
export function decodeRaw(raw: string): string {
  let out = '';
  let last = 0;
  for (let i = raw.indexOf('\\'); i >= 0 && i < raw.length; i = raw.indexOf('\\', i)) {
    out += raw.slice(last, i);
    const e = raw[i + 1];
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      out += String.fromCharCode(Number.parseInt(raw.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (e !== undefined && e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else {
      out += raw.slice(i, i + 2);
      i += 2;
    }
    last = i;
  }
  return out + raw.slice(last);
}

/**
 * Offset map of one string literal. `rawOf[d]` is the raw line offset where decoded unit `d` starts;
 * `rawOf[length]` is the raw end. Built in one pass over the raw text, O(raw length) memory as Int32Array.
 */
export class JsonStringMap {
  readonly decodedLength: number;
  private readonly rawOf: Int32Array;

  constructor(line: string, readonly span: RawStringSpan) {
    const { start, end } = span;
    // Upper bound on decoded length: the raw length.
    const table = new Int32Array(end - start + 1);
    let d = 0;
    let i = start;
    while (i < end) {
      table[d++] = i;
      if (line.charCodeAt(i) !== 0x5c) { i++; continue; }
      const e = line[i + 1];
      i += e === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 2, i + 6)) ? 6 : 2;
    }
    table[d] = end;
    this.decodedLength = d;
    this.rawOf = table.subarray(0, d + 1);
  }

  /** Raw line offset of decoded offset `d` (clamped to the literal). */
  toRaw(d: number): number {
    return this.rawOf[Math.max(0, Math.min(this.decodedLength, d))];
  }

  /** Raw range of a decoded span [start, end): the raw text that decodes to exactly that span. */
  rangeToRaw(start: number, end: number): RawStringSpan {
    return { start: this.toRaw(start), end: this.toRaw(end) };
  }

  /** Decoded offset of the unit whose raw text contains raw offset `r` (binary search). */
  toDecoded(r: number): number {
    let lo = 0;
    let hi = this.decodedLength;
    if (r >= this.rawOf[hi]) return hi;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rawOf[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
