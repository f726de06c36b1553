// Reference copy of the detector as it was before the performance work (test/unit/detectors/differential.test.ts
// runs it against the current one and requires identical flags). Do not edit, do not import from src.
// Repetition and looping (docs/detection.md §11): four signals measured on the reasoning.
//  - tail loop: Z-function on the reversed, digit-normalised tail (§11.5) — the exact detector, error level;
//  - compression ratio of a fixed 2,000-character tail window (§11.3) — warning;
//  - seq-rep-4 over words (CJK: characters) for texts of ≥ 500 words — warning;
//  - repeated lines/paragraphs (a long line written ≥ 4 times) — warning, with every occurrence in the evidence.
// Everything is O(n) with small constants and reuses module-level buffers, because it runs on every sample.

import type { Flag } from '../../../../src/core/types';
import { estimateCompressRatio, type CompressRatio } from '../../../../src/core/detectors/compress';
import { Sc, scriptOf as importedScriptOf } from '../../../../src/core/detectors/lang/scripts';

// Local copies of the script classes: module-level constants are plain loads in hot loops (an imported enum
// member is a property read, through a getter in some module loaders).
const scriptOf = importedScriptOf;
const S_DIGIT = Sc.Digit;
const S_HAN = Sc.Han;
const S_KANA = Sc.Kana;
const S_MARK = Sc.Mark;
const S_OTHER = Sc.Other;
const S_THAI = Sc.Thai;

export interface RepetitionOptions {
  field?: string;
  from?: number;
  to?: number;
  /** Real zlib ratio (src/node injects node:zlib); defaults to the pure estimate. */
  compressRatio?: CompressRatio;
  /** Thresholds (docs/detection.md §11.6); all settings. */
  loopMinRepeats?: number;
  loopMinChars?: number;
  loopMaxPeriod?: number;
  /** Units shorter than 10 characters also need this share of the text (default 0.4). */
  loopShortUnitCoverage?: number;
  zlibThreshold?: number;
  /** Compute the compression ratio only when the tail window's seq-rep-4 reaches this (default 0.08; 0 = always). */
  compressGate?: number;
  zlibWindow?: number;
  seqRepThreshold?: number;
  seqRepMinWords?: number;
  lineMinChars?: number;
  lineMinRepeats?: number;
}

export interface TailLoop {
  period: number;
  repeats: number;
  /** Original-text span covered by the loop (ends at the end of the region). */
  start: number;
  end: number;
  /** The last period's text in the original (the repeated unit). */
  unit: string;
  coverage: number;
}

export interface RepetitionMetrics {
  tailLoop: TailLoop | null;
  /** null when not computed: region under 200 chars, or a clearly varied tail (see compressGate). */
  tailCompressRatio: number | null;
  seqRep4: number;
  words: number;
}

export interface RepetitionResult {
  flags: Flag[];
  metrics: RepetitionMetrics;
}

// ---- tail loop -----------------------------------------------------------------------------------------------

/** Digit runs up to this length are counters ("Step 12") and collapse to '#'. */
const MAX_COUNTER_DIGITS = 8;

let revBuf = new Uint16Array(1 << 15);
let posBuf = new Int32Array(1 << 15);
let zBuf = new Int32Array(4096);

/** Cursor of the lazy normalisation: `n` characters produced so far, next source index `src` (moving left). */
const norm = { n: 0, src: 0 };

/** Appends up to `count` normalised characters (reading text leftwards from norm.src, down to `from`). */
function extendNorm(text: string, from: number, count: number): void {
  let n = norm.n;
  let src = norm.src;
  if (revBuf.length < n + count) {
    const size = Math.max(revBuf.length * 2, n + count);
    const a2 = new Uint16Array(size);
    a2.set(revBuf.subarray(0, n));
    const p2 = new Int32Array(size);
    p2.set(posBuf.subarray(0, n));
    revBuf = a2;
    posBuf = p2;
  }
  const a = revBuf;
  const pos = posBuf;
  const stop = n + count;
  while (n < stop && src >= from) {
    const c = text.charCodeAt(src);
    if (c >= 48 && c <= 57) {
      let j = src;
      while (j - 1 >= from && text.charCodeAt(j - 1) >= 48 && text.charCodeAt(j - 1) <= 57) j--;
      if (src - j < MAX_COUNTER_DIGITS) {
        src = j;
        a[n] = 35;
      } else a[n] = c; // a long digit run (1111…) is itself the loop; keep it raw
    } else a[n] = c;
    pos[n++] = src--;
  }
  norm.n = n;
  norm.src = src;
}

/** True when a proper divisor q of p already explains the same periodic tail (z[q] + q ≥ covered). */
function hasPeriodicDivisor(z: Int32Array, p: number, covered: number): boolean {
  for (let q = 1; q * q <= p; q++) {
    if (p % q !== 0) continue;
    if (q < p && z[q]! + q >= covered) return true;
    const r = p / q;
    if (r < p && r !== q && z[r]! + r >= covered) return true;
  }
  return false;
}

/**
 * Tail loop of text[from, to) (§11.5). Digit runs (up to 8 digits) are collapsed to '#', so counting loops match.
 */
export function findTailLoop(
  text: string,
  from = 0,
  to = text.length,
  opts: { minRepeats?: number; minChars?: number; maxPeriod?: number; shortUnitCoverage?: number } = {},
): TailLoop | null {
  const minRepeats = opts.minRepeats ?? 3;
  const minChars = opts.minChars ?? 200;
  const maxPeriod = opts.maxPeriod ?? 2000;
  const shortCov = opts.shortUnitCoverage ?? 0.4;
  const length = to - from;
  if (length < minChars) return null;
  // The reversed, normalised text is produced lazily: the Z-function below only reads as far as the longest match
  // reaches, which for natural text is barely past maxPeriod. So the cost does not grow with the trace length.
  norm.n = 0;
  norm.src = to - 1;
  extendNorm(text, from, maxPeriod + 1);
  let a = revBuf;
  let n = norm.n;
  const limit = Math.min(maxPeriod, n - 1);
  if (limit < 1) return null;
  if (zBuf.length <= limit) zBuf = new Int32Array(limit * 2 + 1);
  const z = zBuf;
  // Z-function restricted to indices 1..limit; the Z-box keeps the total work O(limit + longest match).
  let L = 0;
  let R = 0;
  let best: { p: number; covered: number } | null = null;
  for (let i = 1; i <= limit; i++) {
    let zi = 0;
    if (i < R) zi = Math.min(R - i, z[i - L]!);
    for (;;) {
      if (i + zi >= n) {
        // Small steps: on natural text a match that reaches past the first maxPeriod characters is a few characters
        // long, and normalising thousands more characters for it used to double the cost of this function.
        extendNorm(text, from, 256);
        a = revBuf;
        n = norm.n;
        if (i + zi >= n) break;
      }
      if (a[zi] !== a[i + zi]) break;
      zi++;
    }
    z[i] = zi;
    if (i + zi > R) {
      L = i;
      R = i + zi;
    }
    const covered = zi + i;
    if (covered < minRepeats * i) continue;
    const coveredOrig = to - posBuf[covered - 1]!;
    if (coveredOrig < minChars) continue;
    // Judge a loop by its primitive unit: "==========" is period 1 repeated, not a 10-character unit.
    if (hasPeriodicDivisor(z, i, covered)) continue;
    if (i < 10 && coveredOrig / length < shortCov) continue;
    if (best === null || covered > best.covered) best = { p: i, covered };
  }
  if (best === null) return null;
  const start = posBuf[best.covered - 1]!;
  const unitStart = posBuf[best.p - 1]!;
  return {
    period: best.p,
    repeats: best.covered / best.p,
    start,
    end: to,
    unit: text.slice(unitStart, to),
    coverage: (to - start) / length,
  };
}

// ---- seq-rep-n -----------------------------------------------------------------------------------------------

let tokBuf: Int32Array = new Int32Array(1 << 14);
let tokStart: Int32Array = new Int32Array(1 << 14);
let setBuf: Int32Array = new Int32Array(1 << 15);

function isCjkChar(c: number): boolean {
  const s = scriptOf(c);
  return s === S_HAN || s === S_KANA || s === S_THAI;
}

/** Line-key table of the last tokenize() call, and the highest count in it (see tokenize). */
let lineTab: Int32Array = new Int32Array(1 << 10);
let lineCnt: Int32Array = new Int32Array(1 << 10);
let lineMaxCount = 0;

/**
 * Whitespace that separates tokens: Python's str.split() set (open-r1's lower().split()) plus U+FEFF, which makes it
 * a superset of what String.prototype.trim() removes. That superset is what lets the repeated-line pre-filter below
 * work on token hashes: two lines equal after trim() always have the same token sequence.
 */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * One pass over text[from, to) that feeds every repetition sub-check:
 *  - token hashes into tokBuf (and start offsets into tokStart): whitespace-separated words (ASCII lower-cased, as
 *    open-r1's lower().split()) and single CJK characters, for seq-rep-4 and the compression gate;
 *  - a hash per line (over its token hashes) counted in lineTab/lineCnt, for lines of at least `lineMinChars`
 *    characters, so that repeatedLines() only slices and maps strings when some line key occurs often enough.
 * Buffers are sized up front (tokens ≤ characters), so the loop has no growth checks. The position `to` is treated as
 * a newline (a sentinel): the end of the text then flushes through the same code as every other separator, with no
 * tail code after the loop (code there never gets type feedback on traces that end in whitespace, and V8 then
 * deoptimised this function hundreds of times per second).
 */
function tokenize(text: string, from: number, to: number, lineMinChars = 1 << 30): number {
  const len = to - from + 1;
  if (tokBuf.length < len) {
    tokBuf = new Int32Array(len * 2);
    tokStart = new Int32Array(len * 2);
  }
  // Lines of ≥ lineMinChars characters: at most len / lineMinChars of them; keep the table under half full.
  let size = 256;
  const maxLines = lineMinChars < len ? Math.ceil(len / lineMinChars) + 1 : 1;
  while (size < maxLines * 2) size <<= 1;
  if (lineTab.length < size) {
    lineTab = new Int32Array(size);
    lineCnt = new Int32Array(size);
  }
  const ltab = lineTab;
  const lcnt = lineCnt;
  ltab.fill(0, 0, size);
  const lmask = size - 1;
  let lmax = 0;
  const out = tokBuf;
  const at = tokStart;
  let n = 0;
  let h = 0;
  let inTok = false;
  let lineStart = from;
  let lh = 0x2f1c3b7;
  let i = from;
  while (i <= to) {
    const c = i < to ? text.charCodeAt(i) : 10;
    if (c > 32 && c < 127) {
      // The common case: a printable-ASCII word, hashed in a tight inner loop (ASCII lower-cased). It ends at the
      // first character that is not printable ASCII, which the outer loop then handles (a space, or a non-ASCII
      // letter that continues the word).
      if (!inTok) {
        h = 0x811c9dc5 | 0;
        inTok = true;
        at[n] = i;
      }
      let d = c;
      for (;;) {
        h = Math.imul(h ^ (d >= 65 && d <= 90 ? d | 32 : d), 0x01000193);
        if (++i >= to) break;
        d = text.charCodeAt(i);
        if (d <= 32 || d >= 127) break;
      }
      continue;
    }
    if (c <= 32 || (c >= 0x85 && isSpace(c))) {
      if (inTok) {
        out[n++] = h;
        lh = Math.imul(lh ^ h, 0x5bd1e995) ^ (lh >>> 13);
        inTok = false;
      }
      if (c === 10) {
        if (i - lineStart >= lineMinChars) {
          const key = lh | 1; // 0 marks an empty slot
          let k = key & lmask;
          for (;;) {
            const v = ltab[k]!;
            if (v === 0) {
              ltab[k] = key;
              lcnt[k] = 1;
              if (lmax < 1) lmax = 1;
              break;
            }
            if (v === key) {
              const cnt = lcnt[k]! + 1;
              lcnt[k] = cnt;
              if (cnt > lmax) lmax = cnt;
              break;
            }
            k = (k + 1) & lmask;
          }
        }
        lineStart = i + 1;
        lh = 0x2f1c3b7;
      }
      if (c <= 32 && !isSpace(c)) {
        // ASCII control characters outside the split set belong to a word.
        if (!inTok) {
          h = 0x811c9dc5 | 0;
          inTok = true;
          at[n] = i;
        }
        h = Math.imul(h ^ c, 0x01000193);
      }
      i++;
      continue;
    }
    if (c >= 0x2e80 && isCjkChar(c)) {
      if (inTok) {
        out[n++] = h;
        lh = Math.imul(lh ^ h, 0x5bd1e995) ^ (lh >>> 13);
        inTok = false;
      }
      at[n] = i;
      const t = Math.imul(c ^ 0x5bd1e995, 0x01000193);
      out[n++] = t;
      lh = Math.imul(lh ^ t, 0x5bd1e995) ^ (lh >>> 13);
      i++;
      continue;
    }
    // Other non-ASCII characters (accented letters, symbols) continue or start a word.
    if (!inTok) {
      h = 0x811c9dc5 | 0;
      inTok = true;
      at[n] = i;
    }
    h = Math.imul(h ^ c, 0x01000193);
    i++;
  }
  lineMaxCount = lmax;
  return n;
}

/** seq-rep-n over tokens [first, count) of the last tokenize() call. */
function seqRepTokens(first: number, count: number, n: number): number {
  const grams = count - first - n + 1;
  if (grams <= 0) return 0;
  let size = 1024;
  while (size < grams * 2) size <<= 1;
  if (setBuf.length < size) setBuf = new Int32Array(size);
  const set = setBuf;
  const tokens = tokBuf;
  set.fill(0, 0, size);
  const mask = size - 1;
  let unique = 0;
  for (let i = first; i < first + grams; i++) {
    let h = 0x9747b28c;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ tokens[i + k]!, 0x5bd1e995) ^ (h >>> 15);
    h |= 1; // 0 marks an empty slot
    let slot = h & mask;
    for (;;) {
      const v = set[slot]!;
      if (v === 0) {
        set[slot] = h;
        unique++;
        break;
      }
      if (v === h) break;
      slot = (slot + 1) & mask;
    }
  }
  return 1 - unique / grams;
}

/** First token (of the last tokenize() call) that starts at or after `offset`. */
function firstTokenAt(count: number, offset: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokStart[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * seq-rep-n (Welleck et al.) = 1 − #unique n-grams / #n-grams over the tokens of text[from, to); 0 when there are no
 * n-grams. Tokens: whitespace words (lower-cased ASCII) and single CJK characters. n-grams are compared by a 32-bit
 * hash, so on very long texts a collision may rarely merge two n-grams (it can only raise the rate slightly).
 */
export function seqRep(text: string, n = 4, from = 0, to = text.length): { rate: number; tokens: number } {
  const count = tokenize(text, from, to);
  return { rate: seqRepTokens(0, count, n), tokens: count };
}

// ---- repeated lines ------------------------------------------------------------------------------------------

interface LineRepeat {
  line: string;
  starts: number[];
}

/** Share of visible characters that are letters of words of ≥ 2 letters (single-letter variables are maths). */
function letterShare(s: string): number {
  let letters = 0;
  let visible = 0;
  let run = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const sc = scriptOf(c);
    const isLetter = sc !== S_OTHER && sc !== S_DIGIT && sc !== S_MARK;
    if (isLetter) run++;
    else {
      if (run >= 2 || (run === 1 && i > 0 && isCjkChar(s.charCodeAt(i - 1)))) letters += run;
      run = 0;
    }
    if (i < s.length && c !== 32 && c !== 9) visible++;
  }
  return visible === 0 ? 0 : letters / visible;
}

function repeatedLines(text: string, from: number, to: number, minChars: number, minRepeats: number): LineRepeat[] {
  const seen = new Map<string, number[]>();
  let i = from;
  while (i < to) {
    let e = text.indexOf('\n', i);
    if (e < 0 || e > to) e = to;
    if (e - i >= minChars) {
      const line = text.slice(i, e).trim();
      if (line.length >= minChars) {
        const arr = seen.get(line);
        if (arr) arr.push(i);
        else seen.set(line, [i]);
      }
    }
    i = e + 1;
  }
  const out: LineRepeat[] = [];
  for (const [line, starts] of seen) {
    // Re-deriving an equation line is normal in maths traces; only prose-like lines (≥ 50% letters) count.
    if (starts.length >= minRepeats && letterShare(line) >= 0.5) out.push({ line, starts });
  }
  return out;
}

// ---- detector ------------------------------------------------------------------------------------------------

function clip(s: string, max = 70): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) + '…' : t;
}

/** Start index of the last `count` code points of text[from, to). */
function tailStart(text: string, from: number, to: number, count: number): number {
  let i = to;
  let k = 0;
  while (i > from && k < count) {
    i--;
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c < 0xe000 && i > from) {
      const h = text.charCodeAt(i - 1);
      if (h >= 0xd800 && h < 0xdc00) i--;
    }
    k++;
  }
  return i;
}

export function detectRepetition(text: string, opts: RepetitionOptions = {}): RepetitionResult {
  const field = opts.field ?? 'completion';
  const from = opts.from ?? 0;
  const to = opts.to ?? text.length;
  const flags: Flag[] = [];
  const length = to - from;

  const loop = findTailLoop(text, from, to, {
    minRepeats: opts.loopMinRepeats,
    minChars: opts.loopMinChars,
    maxPeriod: opts.loopMaxPeriod,
    shortUnitCoverage: opts.loopShortUnitCoverage,
  });
  if (loop) {
    const reps = Math.round(loop.repeats * 10) / 10;
    flags.push({
      kind: 'repetition',
      field,
      start: loop.start,
      end: loop.end,
      code: 'tail-loop',
      severity: 'error',
      message: `Looping: “${clip(loop.unit)}” repeated ${reps}× at the end (${loop.end - loop.start} chars, ${Math.round(loop.coverage * 100)}% of the text)`,
      evidence: { unit: loop.unit.length > 500 ? loop.unit.slice(0, 500) : loop.unit, period: loop.period, repeats: reps, chars: loop.end - loop.start, coverage: Math.round(loop.coverage * 1000) / 1000 },
    });
  }

  const lineMinChars = opts.lineMinChars ?? 40;
  const lineMinRepeats = opts.lineMinRepeats ?? 4;
  const count = tokenize(text, from, to, lineMinChars);
  // Lines equal after trim() have equal keys, so when no key reaches lineMinRepeats no line can (most traces).
  const lineCandidates = lineMaxCount >= lineMinRepeats;
  const rate = seqRepTokens(0, count, 4);
  let ratio: number | null = null;
  const windowChars = opts.zlibWindow ?? 2000;
  if (length >= 200) {
    const ws = tailStart(text, from, to, windowChars);
    // Compression costs ~50 µs per window, more than everything else here; natural tails have a window seq-rep-4
    // around 0.06 while every real tail above zlib 3.0 had ≥ 0.16 (§11.7 fixtures), so skip clearly varied tails.
    const gate = opts.compressGate ?? 0.08;
    if (gate <= 0 || seqRepTokens(firstTokenAt(count, ws), count, 4) >= gate) {
      const window = text.slice(ws, to);
      ratio = (opts.compressRatio ?? estimateCompressRatio)(window);
    }
    const th = opts.zlibThreshold ?? 3.0;
    if (ratio !== null && ratio > th && !loop) {
      flags.push({
        kind: 'repetition',
        field,
        start: ws,
        end: to,
        code: 'compressible',
        severity: 'warning',
        message: `Repetitive tail: the last ${to - ws} chars compress ${ratio.toFixed(1)}× (threshold ${th}; natural text stays below 2.5)`,
        evidence: { ratio: Math.round(ratio * 100) / 100, threshold: th, window: to - ws, estimated: opts.compressRatio === undefined },
      });
    }
  }

  const minWords = opts.seqRepMinWords ?? 500;
  const srTh = opts.seqRepThreshold ?? 0.3;
  if (count >= minWords && rate > srTh) {
    flags.push({
      kind: 'repetition',
      field,
      start: from,
      end: to,
      code: 'ngram-repetition',
      severity: 'warning',
      message: `Repetitive wording: ${Math.round(rate * 100)}% of the 4-grams are repeats (seq-rep-4 over ${count} words; threshold ${srTh}, natural prose 0.04–0.06)`,
      evidence: { seqRep4: Math.round(rate * 1000) / 1000, words: count, threshold: srTh },
    });
  }

  const lines = lineCandidates ? repeatedLines(text, from, to, lineMinChars, lineMinRepeats) : [];
  for (const r of lines) {
    const first = r.starts[0]!;
    const lastStart = r.starts[r.starts.length - 1]!;
    const lastEnd = text.indexOf(r.line, lastStart) + r.line.length;
    if (loop && first >= loop.start) continue; // already reported as the tail loop
    flags.push({
      kind: 'repetition',
      field,
      start: text.indexOf(r.line, first),
      end: lastEnd,
      code: 'repeated-line',
      severity: 'warning',
      message: `The same line is written ${r.starts.length} times: “${clip(r.line)}”`,
      evidence: { line: r.line.length > 300 ? r.line.slice(0, 300) : r.line, count: r.starts.length, at: r.starts.join(',') },
    });
  }

  return { flags, metrics: { tailLoop: loop, tailCompressRatio: ratio, seqRep4: rate, words: count } };
}
