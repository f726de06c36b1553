// Turns text into language-labelled units (docs/detection.md §10.6 steps 1–4): Latin runs, CJK pieces, and runs of other
// scripts, each with a language, its span and a word count. Non-linguistic material (code, maths, numbers,
// identifiers, acronyms, single letters) is skipped and does not break runs, so "we get $x^2$ here" stays one run.

import { hanVerdict } from './cjk';
import { bestVote, francAmong, isLatinLanguage, latinIndex, voteWord, LATIN_LANGS, LEXICON_WORDS } from './latin';
import { maskSpans } from './mask';
import { Sc, languageForScript, languageScript, scriptOf, S_DIGIT, S_GREEK, S_HAN, S_KANA, S_LATIN, S_MARK, S_OTHER, S_THAI } from './scripts';

export interface LangUnit {
  lang: string;
  script: Sc;
  start: number;
  end: number;
  words: number;
  /** Letters (Latin/other) or characters (CJK) in the unit. */
  chars: number;
  /** The label is a default, not an identification (short Latin runs, ambiguous Han). */
  guess: boolean;
}

/** Function names and units that show up as words in maths but say nothing about the language. */
const MATH_WORDS = new Set(['sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'log', 'ln', 'lg', 'exp', 'lim', 'max', 'min', 'mod', 'gcd', 'lcm', 'det', 'arg', 'sup', 'inf', 'deg', 'cm', 'mm', 'km', 'kg', 'mod', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh']);

/** Longest of MATH_WORDS: longer words skip the set lookup (and the string hashing it costs). */
const MATH_WORD_MAX = Math.max(...[...MATH_WORDS].map((w) => w.length));

/**
 * A 4,096-bit filter over the FNV-1a hashes of the lexicon and math words (all lower case). A word of ASCII letters
 * whose lower-case hash misses it is in neither set, so it is counted without being sliced, hashed again by a Map and
 * looked up twice (that was a third of this function's time on English traces with a Chinese sentence in them).
 */
const WORD_FILTER = new Int32Array(128);
function fnvLower(h: number, c: number): number {
  return Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), 0x01000193);
}
function filterBit(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> 20;
}
for (const w of [...LEXICON_WORDS, ...MATH_WORDS]) {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < w.length; k++) h = fnvLower(h, w.charCodeAt(k));
  const b = filterBit(h);
  WORD_FILTER[b >>> 5]! |= 1 << (b & 31);
}
function mayBeListed(h: number): boolean {
  const b = filterBit(h);
  return ((WORD_FILTER[b >>> 5]! >>> (b & 31)) & 1) !== 0;
}

const MAX_FRANC_CALLS = 48;

/**
 * Word count of a CJK piece without a dictionary segmenter. Intl.Segmenter gives real words but costs ~2 µs per call
 * plus ~1 µs per character, which made Chinese traces 50× slower than English ones; for the ratio only the relative
 * weight of CJK text matters, so: each kana run is one word (particles, okurigana, katakana loanwords), and Han runs
 * count one word per 1.7 characters (the mean word length of ICU's Chinese segmentation on maths prose).
 */
function cjkWords(text: string, from: number, to: number): number {
  let words = 0;
  let han = 0;
  let prevKana = false;
  for (let i = from; i < to; i++) {
    const s = scriptOf(text.charCodeAt(i));
    if (s === S_KANA) {
      if (!prevKana) words++;
      prevKana = true;
    } else {
      if (s === S_HAN) han++;
      prevKana = false;
    }
  }
  return Math.max(1, words + Math.round(han / 1.7));
}

/** Clause and sentence punctuation that ends a Latin (or other alphabetic) run. */
function isRunBreak(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 44 || c === 10 || c === 0x3002 || c === 0xff0c || c === 0xff1b || c === 0xff1a || c === 0xff01 || c === 0xff1f || c === 0x3001;
}

/** Sentence end for the Chinese/Japanese decision (§10.7: 。！？!?. and newlines). */
function isSentenceEnd(c: number): boolean {
  return c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 33 || c === 63 || c === 46 || c === 10;
}

export interface UnitOptions {
  /** ISO 639-1 target, or 'und' when computing the dominant language. */
  target: string;
  from?: number;
  to?: number;
}

export function languageUnits(text: string, opts: UnitOptions): LangUnit[] {
  const target = opts.target;
  const from = opts.from ?? 0;
  const to = opts.to ?? text.length;
  const targetLatin = target !== 'und' && languageScript(target) === S_LATIN;
  const units: LangUnit[] = [];
  const masks = maskSpans(text, from, to);
  let mi = 0;
  let francCalls = 0;

  // Latin run state
  let lStart = -1;
  let lEnd = -1;
  let lWords = 0;
  let lChars = 0;
  // The run's text for franc (its words joined by spaces, up to 400 characters) is only needed for the few runs that
  // reach franc: keep the words' spans and the length the text would have, and build it then.
  const lSpans: number[] = [];
  let lTextLen = 0;
  const runText = (): string => {
    let t = '';
    for (let k = 0; k < lSpans.length; k += 2) t += (k > 0 ? ' ' : '') + text.slice(lSpans[k]!, lSpans[k + 1]!);
    return t;
  };
  const scores = new Float64Array(LATIN_LANGS.length);
  // Other-script run state
  let oScript = S_OTHER;
  let oStart = -1;
  let oEnd = -1;
  let oWords = 0;
  let oChars = 0;
  // CJK sentence state: pieces [start, end) and whether any kana occurred
  const pieces: number[] = [];
  let kana = false;
  let lastCjk: string | null = null;

  const flushLatin = (): void => {
    if (lStart < 0) return;
    let lang: string;
    let guess = false;
    const best = bestVote(scores);
    if (targetLatin) {
      lang = target;
      const ti = latinIndex(target);
      const tScore = ti >= 0 ? scores[ti]! : 0;
      if (lWords >= 3 && best && best.lang !== target && best.score >= 1.5 && best.score > 2 * tScore) {
        // Several function words of one language and (almost) none of the target: trigrams add nothing, and franc
        // is unreliable on clauses this short. Weaker evidence is confirmed by franc when the run is long enough.
        if (best.score >= 3 && tScore <= 0.5) lang = best.lang;
        else if (lChars >= 20 && francCalls < MAX_FRANC_CALLS && isLatinLanguage(target)) {
          francCalls++;
          const f = francAmong(runText(), [target, 'en', 'fr', 'de', 'es', best.lang]);
          // franc confirms the lexicon's language or nothing: "Non-rent extra expenses = $3000 per month" has two
          // Italian function words (non, per) and franc calls it French; a run that two judges disagree on stays English.
          if (f !== null && f !== target && f === best.lang) lang = f;
        } else if (best.score >= 2) lang = best.lang;
      }
    } else if (best && best.score >= 1) lang = best.lang;
    else if (lChars >= 20 && francCalls < MAX_FRANC_CALLS) {
      francCalls++;
      lang = francAmong(runText(), ['en', 'fr', 'de', 'es', 'pt', 'it']) ?? 'en';
    } else {
      lang = 'en';
      guess = true;
    }
    units.push({ lang, script: S_LATIN, start: lStart, end: lEnd, words: lWords, chars: lChars, guess });
    lStart = -1;
    lWords = 0;
    lChars = 0;
    lSpans.length = 0;
    lTextLen = 0;
    scores.fill(0);
  };

  const flushOther = (): void => {
    if (oStart < 0) return;
    if (oWords > 0) {
      units.push({ lang: languageForScript(oScript, target), script: oScript, start: oStart, end: oEnd, words: oWords, chars: oChars, guess: false });
    }
    oStart = -1;
    oWords = 0;
    oChars = 0;
  };

  const flushCjk = (): void => {
    if (pieces.length === 0) return;
    let lang: string;
    let guess = false;
    if (kana) lang = 'ja';
    else {
      // Decide on all the Han of the sentence at once (§10.7: coverage of every character).
      let v: string;
      if (pieces.length === 2) v = hanVerdict(text, pieces[0]!, pieces[1]!, target === 'zh');
      else {
        let all = '';
        for (let k = 0; k < pieces.length; k += 2) all += text.slice(pieces[k]!, pieces[k + 1]!);
        v = hanVerdict(all, 0, all.length, target === 'zh');
      }
      if (v === 'zh' || v === 'ja') lang = v;
      else if (target === 'zh' || target === 'ja') lang = target;
      else {
        lang = lastCjk ?? 'zh';
        guess = lastCjk === null;
      }
    }
    lastCjk = lang;
    for (let k = 0; k < pieces.length; k += 2) {
      const s = pieces[k]!;
      const e = pieces[k + 1]!;
      units.push({ lang, script: S_HAN, start: s, end: e, words: cjkWords(text, s, e), chars: e - s, guess });
    }
    pieces.length = 0;
    kana = false;
  };

  let i = from;
  while (i < to) {
    if (mi < masks.length && i >= masks[mi]!) {
      // Masked spans are transparent: skip them without ending the current run.
      if (i < masks[mi + 1]!) i = masks[mi + 1]!;
      mi += 2;
      continue;
    }
    const c = text.charCodeAt(i);
    const s = scriptOf(c);
    if (s === S_LATIN || s === S_DIGIT || c === 95) {
      // Read an identifier-like chunk: letters, digits, underscores, marks, inner apostrophes.
      const start = i;
      let hasDigit = false;
      let hasUnderscore = false;
      let hasLower = false;
      let camel = false;
      let upper = 0;
      let letters = 0;
      // Only a–z, digits and '_' so far: toLowerCase() would return the same string.
      let asciiLower = true;
      // All ASCII so far (then wh is the FNV-1a hash of the lower-cased word, see WORD_FILTER).
      let ascii = true;
      let wh = 0x811c9dc5 | 0;
      let j = i;
      while (j < to) {
        const d = text.charCodeAt(j);
        if ((d === 39 || d === 0x2019) && j + 1 < to && scriptOf(text.charCodeAt(j + 1)) === S_LATIN && j > start) {
          ascii = false; // an inner apostrophe: no listed word has one, but leave such words to the exact path
          j++;
          continue;
        }
        // Word characters: Latin letters, digits, marks and '_' (one script lookup per character).
        const ds = scriptOf(d);
        if (!(ds === S_LATIN || ds === S_DIGIT || ds === S_MARK || d === 95)) break;
        if (d >= 65 && (d <= 90 || d >= 128)) asciiLower = false;
        if (d >= 128) ascii = false;
        wh = fnvLower(wh, d);
        if (ds === S_DIGIT) hasDigit = true;
        else if (d === 95) hasUnderscore = true;
        else if (ds === S_LATIN) {
          letters++;
          const isUpper = (d >= 65 && d <= 90) || (d >= 0xc0 && d <= 0xde);
          if (isUpper) {
            upper++;
            if (hasLower) camel = true;
          } else hasLower = true;
        }
        j++;
      }
      i = j;
      if (letters === 0 || hasDigit || hasUnderscore || camel || letters === 1) continue;
      if (upper === letters && letters <= 5) continue; // acronyms and geometry labels: GPU, API, ABC
      // An ASCII word that the filter rules out is neither a math word nor a lexicon word: it counts, and votes nothing.
      const listed = !ascii || mayBeListed(wh);
      let lower = '';
      if (listed) {
        const word = text.slice(start, j);
        lower = asciiLower ? word : word.toLowerCase();
        if (lower.length <= MATH_WORD_MAX && MATH_WORDS.has(lower)) continue;
      }
      if (oStart >= 0) flushOther();
      if (lStart < 0) lStart = start;
      lEnd = j;
      lWords++;
      lChars += letters;
      if (lTextLen < 400) {
        lTextLen += (lTextLen > 0 ? 1 : 0) + (j - start);
        lSpans.push(start, j);
      }
      if (listed) voteWord(lower, scores);
      continue;
    }
    if (s === S_HAN || s === S_KANA) {
      flushLatin();
      flushOther();
      const start = i;
      let j = i;
      while (j < to) {
        const ds = scriptOf(text.charCodeAt(j));
        if (ds === S_KANA) kana = true;
        else if (ds !== S_HAN && ds !== S_MARK) break;
        j++;
      }
      pieces.push(start, j);
      i = j;
      continue;
    }
    if (s !== S_OTHER && s !== S_MARK) {
      flushLatin();
      if (oStart >= 0 && oScript !== s) flushOther();
      const start = i;
      let j = i + 1;
      while (j < to) {
        const ds = scriptOf(text.charCodeAt(j));
        if (ds !== s && ds !== S_MARK) break;
        j++;
      }
      i = j;
      const len = j - start;
      // Lone Greek letters are maths (α, β, Δx); only longer Greek tokens are words.
      if (s === S_GREEK && len < 3) continue;
      if (oStart < 0) {
        oStart = start;
        oScript = s;
      }
      oEnd = j;
      oChars += len;
      oWords += s === S_THAI ? Math.max(1, Math.round(len / 5)) : 1;
      continue;
    }
    if (isRunBreak(c)) {
      flushLatin();
      flushOther();
    }
    if (isSentenceEnd(c)) {
      // A '.' between digits (3.14) is not a sentence end.
      if (!(c === 46 && i + 1 < to && scriptOf(text.charCodeAt(i + 1)) === S_DIGIT)) flushCjk();
    }
    i++;
  }
  flushLatin();
  flushOther();
  flushCjk();
  units.sort((a, b) => a.start - b.start);
  return units;
}
