// Repetition and looping (docs/detection.md §11): four signals measured on the reasoning.
//  - tail loop: Z-function on the reversed, digit-normalised tail (§11.5) — the exact detector, error level;
//  - compression ratio of a fixed 2,000-character tail window (§11.3) — warning;
//  - seq-rep-4 over words (CJK: characters) for texts of ≥ 500 words — warning;
//  - repeated lines/paragraphs (a long line written ≥ 4 times) — warning, with every occurrence in the evidence.
// Everything is O(n) with small constants and reuses module-level buffers, because it runs on every sample.

import type { Flag } from '../types';
import { estimateCompressRatio, type CompressRatio } from './compress';
import { FOREIGN_ASCII_WORDS } from './lang/latin';
import { scriptOf, S_DIGIT, S_GREEK, S_HAN, S_KANA, S_MARK, S_OTHER, S_THAI } from './lang/scripts';

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
  /** Shorter lines (≥ this many characters, default 10) need shortLineMinRepeats occurrences (default 5). */
  shortLineMinChars?: number;
  shortLineMinRepeats?: number;
  /** repeated-block: ≥ blockMinLines distinct lines (default 3) each written ≥ blockMinRepeats times (default 3). */
  blockMinLines?: number;
  blockMinRepeats?: number;
  /** The compressible flag also needs this ratio (default 6) and this tail seq-rep-4 (default 0.5). */
  compressStrongRatio?: number;
  compressMinSeqRep?: number;
  /**
   * Only what the flags need: the compression ratio (20–35 µs of zlib per window) is then computed only for tails
   * whose seq-rep-4 reaches compressMinSeqRep, the only ones the compressible flag can take, and
   * metrics.tailCompressRatio stays null for the others. The flags are the same; callers that keep nothing but flags
   * (the readers' workers) set it.
   */
  flagsOnly?: boolean;
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
  /** null when not computed: region under 200 chars, a clearly varied tail (see compressGate), or a tail loop. */
  tailCompressRatio: number | null;
  /** seq-rep-4 of the whole region; null below seqRepMinWords words (not computed: no flag can come of it). */
  seqRep4: number | null;
  words: number;
}

export interface RepetitionResult {
  flags: Flag[];
  metrics: RepetitionMetrics;
  /**
   * Whether the region is "plain English" in the language-mix detector's sense (no letters outside ASCII, Greek
   * runs under 3, fewer than 3 non-English function words), worked out in this detector's tokenisation pass, which
   * reads every character anyway; analyseCompletion hands it to detectLanguageMix so the region is not scanned twice.
   */
  plainEnglish: boolean;
  /**
   * True when the region certainly holds none of language-mix's junk characters (U+FFFD, C0 controls other than
   * tab, LF and CR), also seen by the tokenisation pass; then detectLanguageMix need not search for them. Only known
   * for plain-English regions (the pass stops looking at non-ASCII characters once one disqualifies): false otherwise.
   */
  junkFree: boolean;
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

/** Length of the suffix that the pre-screen looks for earlier in the text. */
const PRESCREEN_CHARS = 16;
/** Shortest digit-free piece worth searching for. */
const MIN_PRESCREEN_PIECE = 6;

/**
 * Exact pre-screen for findTailLoop (≥ 3 repeats, ≥ 200 characters, or stricter): false only when no tail loop can
 * exist. A loop of period p covering c normalised characters has c ≥ 3p, so c − p ≥ 2c/3, and the last c − p
 * normalised characters, and every piece of them, occur again p characters earlier. Two lower bounds on c: one
 * normalised character stands for at most 8 original ones (a collapsed digit run), so c ≥ 200 / 8; and the loop spans
 * at least the last 200 original characters, each non-digit of which is a normalised character of its own, so c is at
 * least their number. Take the longest piece without digits or '#' of the last ⌊2c/3⌋ (by those bounds, and at least
 * 16) original characters: it lies within the last c − p normalised ones (normalisation only shortens) and is its own
 * normalised form, so an earlier normalised occurrence is an earlier occurrence of the same original string, which
 * String.prototype.indexOf finds natively. Most traces end in text that occurs nowhere else, and then the Z-function
 * below (and normalising 2,000 characters for it) is skipped. The longer the piece, the rarer a chance recurrence:
 * traces that end in a short stock phrase ("Yes.") used to pass with 16 characters.
 */
function suffixRecurs(text: string, from: number, to: number, minChars: number, minRepeats: number): boolean {
  let nonDigits = 0;
  for (let i = Math.max(from, to - minChars); i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) nonDigits++;
  }
  const suffix = Math.max(PRESCREEN_CHARS, Math.floor((nonDigits * (minRepeats - 1)) / minRepeats));
  const start = to - suffix;
  if (start - 1 < from) return true;
  let bestStart = to;
  let bestEnd = to;
  let runEnd = to;
  for (let i = to - 1; i >= start - 1; i--) {
    const c = i >= start ? text.charCodeAt(i) : 48; // a sentinel digit closes the last run
    if ((c >= 48 && c <= 57) || c === 35) {
      if (runEnd - (i + 1) > bestEnd - bestStart) {
        bestStart = i + 1;
        bestEnd = runEnd;
      }
      runEnd = i;
    }
  }
  // Short pieces recur everywhere; let the exact algorithm decide.
  if (bestEnd - bestStart < MIN_PRESCREEN_PIECE) return true;
  // "Occurs somewhere in [from, bestStart)": the first occurrence from `from` says it as well as the last one before
  // bestStart, and V8's forward search (Boyer–Moore–Horspool) is about three times faster than lastIndexOf here.
  const first = text.indexOf(text.slice(bestStart, bestEnd), from);
  return first >= 0 && first < bestStart;
}

/** Repeats that make a short unit (< 10 characters) a loop without the coverage condition. */
const SHORT_UNIT_MIN_REPEATS = 30;

/** Whether text[start, end) has a letter (any script): "飏", "the " yes; "=", "- " no. */
function unitHasLetter(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
    if (c >= 128) {
      const sc = scriptOf(c);
      if (sc !== S_OTHER && sc !== S_DIGIT && sc !== S_MARK) return true;
    }
  }
  return false;
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
  if (minRepeats >= 3 && minChars >= 200 && !suffixRecurs(text, from, to, minChars, minRepeats)) return null;
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
    // Short units need a share of the text (a ruler of ===== is not a loop) unless they are words repeated very many
    // times ("飏\n" ×200 after a tool call, "the " ×300): a unit with a letter repeated ≥ 30 times is a loop however
    // long the text before it.
    if (i < 10 && coveredOrig / length < shortCov && !(covered >= SHORT_UNIT_MIN_REPEATS * i && unitHasLetter(text, posBuf[i - 1]!, to))) continue;
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

// ---- plain-English verdict (see RepetitionResult.plainEnglish) ----------------------------------------------------

/**
 * Per ASCII character: its lower-case form (bits 0–7, what the token hash takes) and its class for word runs (bits
 * 8–9: 1 = a–z, 2 = other word characters [A-Z0-9_], 0 = not a word character). One load serves both.
 */
const ASCII_INFO = new Int32Array(128);
for (let c = 0; c < 128; c++) {
  const lower = c >= 65 && c <= 90 ? c | 32 : c;
  const cls = c >= 97 && c <= 122 ? 1 : (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 ? 2 : 0;
  ASCII_INFO[c] = lower | (cls << 8);
}

/** Run keys pack the last six letters at 5 bits each (a–z are 1–26): a shift and an or per character. */
const RUN_SEED = 0;
function runHash(h: number, c: number): number {
  return (h << 5) | (c & 31);
}
/** Table slot of a run key (keys are dense in the low bits; mix them). */
function runSlot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 24;
}
/** Hash table of the function words (run hash → word; 0 = empty), sized for few probes. */
const FW_SIZE = 256;
const fwKeys = new Int32Array(FW_SIZE);
const fwWords: string[] = new Array<string>(FW_SIZE).fill('');
for (const w of FOREIGN_ASCII_WORDS) {
  let h = RUN_SEED;
  for (let i = 0; i < w.length; i++) h = runHash(h, w.charCodeAt(i));
  h |= 1 << 31; // 0 marks an empty slot
  let k = runSlot(h);
  while (fwKeys[k] !== 0) k = (k + 1) & (FW_SIZE - 1);
  fwKeys[k] = h;
  fwWords[k] = w;
}
const FW_MIN = Math.min(...FOREIGN_ASCII_WORDS.map((w) => w.length));
const FW_MAX = Math.max(...FOREIGN_ASCII_WORDS.map((w) => w.length));

/** A 4,096-bit filter over the words' hashes: most English words fail it without a table probe. */
const fwBits = new Int32Array(128);
function bloomBit(key: number): number {
  return Math.imul(key & 0x7fffffff, 0x85ebca6b) >>> 20;
}
for (const k of fwKeys) if (k !== 0) fwBits[bloomBit(k) >>> 5]! |= 1 << (bloomBit(k) & 31);
function maybeFunctionWord(key: number): boolean {
  const b = bloomBit(key);
  return ((fwBits[b >>> 5]! >>> (b & 31)) & 1) !== 0;
}

/** Non-English function words counted by the last tokenize() call, and whether it saw a disqualifying character. */
let foreignWords = 0;
let notPlain = false;
/** Whether the last tokenize() call saw a junk character (see RepetitionResult.junkFree; U+FFFD only while !notPlain). */
let junkSeen = false;

/** A word run of `len` characters (with key h) ended at `end`: counts it if it is a function word. */
function endRun(text: string, end: number, len: number, h: number): void {
  if (len >= FW_MIN && len <= FW_MAX && maybeFunctionWord(h)) countRun(text, end - len, len, h);
}

/** Counts the a–z run text[start, start + len) with hash h when it is one of the function words. */
function countRun(text: string, start: number, len: number, h: number): void {
  h |= 1 << 31;
  let k = runSlot(h);
  for (;;) {
    const v = fwKeys[k]!;
    if (v === 0) return;
    if (v === h) {
      const w = fwWords[k]!;
      if (w.length === len && text.startsWith(w, start)) foreignWords++;
      return;
    }
    k = (k + 1) & (FW_SIZE - 1);
  }
}

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
  // Plain-English verdict (RepetitionResult.plainEnglish): function words are maximal runs of ASCII word characters,
  // followed in the inner loop below; non-ASCII characters are judged as language-mix's isPlainEnglish() does (its twin:
  // the differential test holds the two equal).
  foreignWords = 0;
  notPlain = false;
  junkSeen = false;
  let greekRun = 0;
  let prevNonAscii = -2;
  const info = ASCII_INFO;
  let i = from;
  while (i <= to) {
    const c = i < to ? text.charCodeAt(i) : 10;
    if (c > 32 && c < 127) {
      // The common case: a printable-ASCII word, hashed in a tight inner loop (ASCII lower-cased). It ends at the
      // first character that is not printable ASCII, which the outer loop then handles (a space, or a non-ASCII
      // letter that continues the word). Alongside, the current run of word characters: its length (pushed past every
      // function word's length once it has a character other than a–z, which no function word has) and key.
      if (!inTok) {
        h = 0x811c9dc5 | 0;
        inTok = true;
        at[n] = i;
      }
      let d = c;
      let runLen = 0;
      let rh = RUN_SEED;
      for (;;) {
        const e = info[d]!;
        h = Math.imul(h ^ (e & 255), 0x01000193);
        const k = e >> 8;
        if (k === 0) {
          // Punctuation inside a token (rare): it ends a run.
          endRun(text, i, runLen, rh);
          runLen = 0;
          rh = RUN_SEED;
        } else {
          // Branch-free: a–z adds 1, [A-Z0-9_] adds 65, which takes the run out of the function words' lengths.
          runLen += 1 + ((k & 2) << 5);
          rh = runHash(rh, d);
        }
        if (++i >= to) break;
        d = text.charCodeAt(i);
        if (d > 32 && d < 127) continue;
        if (d !== 32) break;
        // One space between two ASCII words (the most common separator): end this token and start the next one here,
        // exactly as the outer loop would, without a round trip through it.
        endRun(text, i, runLen, rh);
        runLen = 0;
        rh = RUN_SEED;
        out[n++] = h;
        lh = Math.imul(lh ^ h, 0x5bd1e995) ^ (lh >>> 13);
        inTok = false;
        if (++i >= to) break;
        d = text.charCodeAt(i);
        if (d <= 32 || d >= 127) break;
        h = 0x811c9dc5 | 0;
        inTok = true;
        at[n] = i;
      }
      endRun(text, i, runLen, rh);
      continue;
    }
    if (c >= 128 && !notPlain) {
      // An ASCII character in between ends a run of Greek letters (language-mix's isPlainEnglish()).
      if (i !== prevNonAscii + 1) greekRun = 0;
      prevNonAscii = i;
      const sc = scriptOf(c);
      if (c === 0xfffd) junkSeen = true;
      if (sc === S_GREEK) {
        if (++greekRun >= 3) notPlain = true;
      } else {
        greekRun = 0;
        if (sc !== S_OTHER && sc !== S_DIGIT && sc !== S_MARK) notPlain = true;
      }
    }
    if (c <= 32 || (c >= 0x85 && isSpace(c))) {
      // language-mix's junk: C0 controls other than tab, LF and CR (VT, FF and 28–31 are separators here).
      if (c < 32 && c !== 10 && c !== 9 && c !== 13) junkSeen = true;
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

/** seq-rep-n of tokens [windowFirst, count) from the last seqRepTokens() call that was given a window. */
let windowRate = 0;

/**
 * seq-rep-n over tokens [first, count) of the last tokenize() call. With `windowFirst` > first, the seq-rep-n of the
 * tokens [windowFirst, count) is computed in the same pass and left in windowRate: the n-grams are visited from the
 * last to the first, so when the window's n-grams have all been seen the distinct count so far is the window's.
 * (A distinct count does not depend on the visiting order; this is the number a separate pass would give.)
 */
function seqRepTokens(first: number, count: number, n: number, windowFirst = first): number {
  const grams = count - first - n + 1;
  const windowGrams = count - windowFirst - n + 1;
  windowRate = 0;
  if (grams <= 0) return 0;
  let size = 1024;
  while (size < grams * 4) size <<= 1; // load ≤ 1/4: about one probe per gram
  if (setBuf.length < size) setBuf = new Int32Array(size);
  const set = setBuf;
  const tokens = tokBuf;
  set.fill(0, 0, size);
  const mask = size - 1;
  let unique = 0;
  // The window's n-grams are the last windowGrams ones, from index windowFirst: record its distinct count just
  // after visiting that index (windowFirst > first, so the loop always gets there).
  const record = windowFirst > first && windowGrams > 0 ? windowFirst - 1 : -1;
  // seq-rep-4 (every caller here) keeps the gram's four tokens in locals, shifted one token per step: the same hash as
  // the general loop (which is what the reference and n ≠ 4 use), without re-reading four tokens per gram.
  const four = n === 4;
  let t1 = four ? tokens[first + grams]! : 0;
  let t2 = four ? tokens[first + grams + 1]! : 0;
  let t3 = four ? tokens[first + grams + 2]! : 0;
  for (let i = first + grams - 1; i >= first; i--) {
    if (i === record) windowRate = 1 - unique / windowGrams;
    let h = 0x9747b28c;
    if (four) {
      const t0 = tokens[i]!;
      h = Math.imul(h ^ t0, 0x5bd1e995) ^ (h >>> 15);
      h = Math.imul(h ^ t1, 0x5bd1e995) ^ (h >>> 15);
      h = Math.imul(h ^ t2, 0x5bd1e995) ^ (h >>> 15);
      h = Math.imul(h ^ t3, 0x5bd1e995) ^ (h >>> 15);
      t3 = t2;
      t2 = t1;
      t1 = t0;
    } else for (let k = 0; k < n; k++) h = Math.imul(h ^ tokens[i + k]!, 0x5bd1e995) ^ (h >>> 15);
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

/** Lines that are tool-call markup or JSON: structure the agent loop writes, not prose that can loop. */
const TOOL_MARKUP = /^(?:<\/?tool_(?:call|response|result)>|<\/?(?:function|tool)[^>]*>|\{.*\}|\[.*\]|user|assistant|tool|\\(?:begin|end)\{[a-z*]+\})$/;

interface LineRules {
  /** Lines of ≥ longChars characters count from longRepeats occurrences (default 40 / 4). */
  longChars: number;
  longRepeats: number;
  /** Shorter lines (≥ shortChars) need shortRepeats occurrences (default 10 / 5): "FirstChildTotalTime" ×40. */
  shortChars: number;
  shortRepeats: number;
  /** A block: ≥ blockLines distinct lines of ≥ 12 characters each written ≥ blockRepeats times (default 3 / 3). */
  blockLines: number;
  blockRepeats: number;
}

interface LineScan {
  lines: LineRepeat[];
  /** Distinct lines (≥ 12 characters) written ≥ blockRepeats times, when there are ≥ blockLines of them. */
  block: LineRepeat[];
}

/** Longest unit between two occurrences that is compared (longer gaps are not a loop of this line). */
const MAX_LOOP_UNIT = 4000;

/**
 * The longest run of consecutive occurrences (line starts) whose units — the text from one occurrence to the next,
 * whitespace collapsed and digit runs as '#' — are all the same.
 */
function identicalRun(text: string, starts: number[]): number[] {
  let bestFrom = 0;
  let bestLen = 1;
  let runFrom = 0;
  let prev: string | null = null;
  for (let k = 0; k + 1 < starts.length; k++) {
    const a = starts[k]!;
    const b = starts[k + 1]!;
    const unit = b - a <= MAX_LOOP_UNIT ? text.slice(a, b).replace(/\s+/g, ' ').replace(/\d+/g, '#') : null;
    if (unit === null || unit !== prev) runFrom = k;
    prev = unit;
    const len = unit === null ? 1 : k + 2 - runFrom;
    if (len > bestLen) {
      bestLen = len;
      bestFrom = runFrom;
    }
  }
  return starts.slice(bestFrom, bestFrom + bestLen);
}

/** Occurrences in a dense run make a loop even when the text between varies a little ("≈ 14.33" / "= 14.33"). */
const DENSE_REPEATS = 6;

/**
 * DENSE_REPEATS or more occurrences of a line, each within (line length + 60) characters of the previous one on
 * average: the line and a short varying remainder, written over and over. The occurrences of that run, or null.
 */
function denseRun(starts: number[], lineLength: number): number[] | null {
  const k = DENSE_REPEATS - 1;
  const span = k * (lineLength + 60);
  for (let i = 0; i + k < starts.length; i++) {
    if (starts[i + k]! - starts[i]! <= span) {
      let j = i + k;
      while (j + 1 < starts.length && starts[j + 1]! - starts[j]! <= lineLength + 60) j++;
      return starts.slice(i, j + 1);
    }
  }
  return null;
}

function repeatedLines(text: string, from: number, to: number, rules: LineRules): LineScan {
  const seen = new Map<string, number[]>();
  let i = from;
  let inToolResult = false;
  while (i < to) {
    let e = text.indexOf('\n', i);
    if (e < 0 || e > to) e = to;
    if (e - i >= rules.shortChars) {
      const line = text.slice(i, e).trim();
      // Tool results (between <tool_response> and its close) are not the model's text.
      if (line.startsWith('<tool_response>') || line.startsWith('<tool_result>')) inToolResult = !/<\/tool_(?:response|result)>$/.test(line);
      else if (line.startsWith('</tool_response>') || line.startsWith('</tool_result>')) inToolResult = false;
      else if (!inToolResult && line.length >= rules.shortChars && !TOOL_MARKUP.test(line)) {
        const arr = seen.get(line);
        if (arr) arr.push(i);
        else seen.set(line, [i]);
      }
    } else if (inToolResult && /<\/tool_(?:response|result)>/.test(text.slice(i, e))) inToolResult = false;
    i = e + 1;
  }
  const lines: LineRepeat[] = [];
  const block: LineRepeat[] = [];
  for (const [line, all] of seen) {
    if (all.length < Math.min(rules.longRepeats, rules.shortRepeats, rules.blockRepeats)) continue;
    // Re-deriving an equation line is normal in maths traces; only prose-like lines (≥ 50% letters) count.
    if (letterShare(line) < 0.5) continue;
    // A loop repeats the line with the same text in between; a case list ("This is the same as the original
    // expression." after each case) or R1 re-checking ("Therefore, the answer is A." then "But wait") repeats it
    // between different texts. Count the longest run of occurrences with identical text in between.
    const starts = identicalRun(text, all);
    const need = line.length >= rules.longChars ? rules.longRepeats : rules.shortRepeats;
    if (starts.length >= need) lines.push({ line, starts });
    else if (denseRun(all, line.length) !== null) lines.push({ line, starts: denseRun(all, line.length)! });
    else if (line.length >= 12 && starts.length >= rules.blockRepeats) block.push({ line, starts });
  }
  return { lines, block: block.length + lines.filter((l) => l.line.length >= 12).length >= rules.blockLines && block.length > 0 ? block : [] };
}

// ---- detector ------------------------------------------------------------------------------------------------

function clip(s: string, max = 70): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) + '…' : t;
}

/** Any UTF-16 surrogate (no `u` flag: the class matches single code units). */
const SURROGATE = /[\ud800-\udfff]/;

/** Start index of the last `count` code points of text[from, to). */
function tailStart(text: string, from: number, to: number, count: number): number {
  if (to - from <= count) return from; // at most `count` characters, so at most `count` code points
  // Without surrogates characters are code points. The regex scans natively (this ran on every sample, and walking
  // 2,000 characters back one charCodeAt at a time was the largest single line of the repetition detector).
  if (!SURROGATE.test(text.slice(to - count, to))) return to - count;
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

  const rules: LineRules = {
    longChars: opts.lineMinChars ?? 40,
    longRepeats: opts.lineMinRepeats ?? 4,
    shortChars: opts.shortLineMinChars ?? 10,
    shortRepeats: opts.shortLineMinRepeats ?? 5,
    blockLines: opts.blockMinLines ?? 3,
    blockRepeats: opts.blockMinRepeats ?? 3,
  };
  const count = tokenize(text, from, to, Math.min(rules.shortChars, rules.longChars));
  const plainEnglish = !notPlain && foreignWords < 3;
  const junkFree = !notPlain && !junkSeen;
  // Lines equal after trim() have equal keys, so when no key reaches the smallest repeat count no line can (most traces).
  const lineCandidates = lineMaxCount >= Math.min(rules.longRepeats, rules.shortRepeats, rules.blockRepeats);
  const windowChars = opts.zlibWindow ?? 2000;
  const ws = tailStart(text, from, to, windowChars);
  // A reasoning shorter than the window is its own window (firstWindowToken 0): its seq-rep-4 is the whole one.
  const firstWindowToken = firstTokenAt(count, ws);
  // The whole trace's seq-rep-4 only matters from seqRepMinWords words on (the ngram-repetition flag); below that,
  // only the tail window's grams are visited (the same window rate, as a distinct count does not depend on the order).
  const minWords = opts.seqRepMinWords ?? 500;
  const rate = count >= minWords ? seqRepTokens(0, count, 4, length >= 200 ? firstWindowToken : 0) : null;
  // Asked for only by the compression gate below (not for short regions, loops or a gate of 0).
  const windowSeqRep = (): number => (rate === null ? seqRepTokens(firstWindowToken, count, 4) : firstWindowToken === 0 ? rate : windowRate);
  let ratio: number | null = null;
  let tailSeqRep = 0;
  if (length >= 200) {
    // Compression costs 20–35 µs per window, more than everything else here; natural tails have a window seq-rep-4
    // around 0.06 while every real tail above zlib 3.0 had ≥ 0.16 (§11.7 fixtures), so skip clearly varied tails.
    // A compression ratio alone is not evidence of a loop: step-by-step LaTeX derivations and tool-call transcripts
    // compress 3–4.5× and repeat 10–45 % of their 4-grams; the loops of the real fixtures that the tail-loop and
    // repeated-line signals miss (a unit with small variations, a block restated) compress ≥ 9× with ≥ 50 %.
    const strong = opts.compressStrongRatio ?? 6;
    const minSeqRep = opts.compressMinSeqRep ?? 0.5;
    // flagsOnly: below minSeqRep no ratio can raise the flag (its condition below), so none is computed.
    const gate = opts.flagsOnly === true ? Math.max(opts.compressGate ?? 0.08, minSeqRep) : (opts.compressGate ?? 0.08);
    // With a tail loop the compressible flag is not raised (the loop says more), so its ratio is not needed.
    if (!loop && (gate <= 0 || (tailSeqRep = windowSeqRep()) >= gate)) {
      if (gate <= 0) tailSeqRep = windowSeqRep();
      const window = text.slice(ws, to);
      ratio = (opts.compressRatio ?? estimateCompressRatio)(window);
    }
    const th = opts.zlibThreshold ?? 3.0;
    if (ratio !== null && ratio > th && ratio >= strong && tailSeqRep >= minSeqRep && !loop) {
      flags.push({
        kind: 'repetition',
        field,
        start: ws,
        end: to,
        code: 'compressible',
        severity: 'warning',
        message: `Repetitive tail: the last ${to - ws} chars compress ${ratio.toFixed(1)}× and ${Math.round(tailSeqRep * 100)}% of their 4-grams are repeats (natural text and derivations stay below 4.5× and 45%)`,
        evidence: { ratio: Math.round(ratio * 100) / 100, threshold: strong, seqRep4: Math.round(tailSeqRep * 1000) / 1000, window: to - ws, estimated: opts.compressRatio === undefined },
      });
    }
  }

  // open-r1's repetition penalty counts from 0.3, but circular reasoning (R1 restating a case) and enumerations of
  // cases in LaTeX reach 0.3–0.59 on the real fixtures: only a loop repeats more than 60 % of its 4-grams.
  const srTh = opts.seqRepThreshold ?? 0.6;
  if (rate !== null && rate > srTh) {
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

  const scan = lineCandidates ? repeatedLines(text, from, to, rules) : { lines: [], block: [] };
  for (const r of scan.lines) {
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
      message: `The same line is written ${r.starts.length} times over, with the same text in between: “${clip(r.line)}”`,
      evidence: { line: r.line.length > 300 ? r.line.slice(0, 300) : r.line, count: r.starts.length, at: r.starts.join(',') },
    });
  }

  const block = scan.block.filter((r) => !(loop && r.starts[0]! >= loop.start));
  if (block.length > 0 && (scan.lines.length === 0 || block.length >= (opts.blockMinLines ?? 3))) {
    const first = Math.min(...block.map((r) => r.starts[0]!));
    const last = block.reduce((a, r) => Math.max(a, text.indexOf(r.line, r.starts[r.starts.length - 1]!) + r.line.length), first);
    const times = Math.min(...block.map((r) => r.starts.length));
    flags.push({
      kind: 'repetition',
      field,
      start: text.indexOf(block[0]!.line, first),
      end: last,
      code: 'repeated-block',
      severity: 'warning',
      message: `A block of ${block.length} lines is written ${times}+ times (“${clip(block[0]!.line, 50)}” …)`,
      evidence: { lines: block.length, count: times, first: block[0]!.line.slice(0, 200) },
    });
  }

  return { flags, metrics: { tailLoop: loop, tailCompressRatio: ratio, seqRep4: rate, words: count }, plainEnglish, junkFree };
}
