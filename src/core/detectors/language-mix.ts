// Language mixing (docs/detection.md §10.6–10.7): script segmentation, a function-word lexicon plus franc for Latin runs,
// charset coverage for Chinese vs Japanese. Flags name the foreign runs at exact spans; the R1 language-consistency
// ratio (target-language words / all words, §2.3) is reported alongside.

import type { Flag } from '../types';
import { countForeignAsciiWords } from './lang/latin';
import { Sc, languageName, languageScript, scriptOf, S_DIGIT, S_GREEK, S_HAN, S_LATIN, S_MARK, S_OTHER } from './lang/scripts';
import { languageUnits, type LangUnit } from './lang/units';


export interface LanguageMixOptions {
  /** ISO 639-1 code of the expected language. */
  target: string;
  /** Field the offsets refer to (default 'completion'). */
  field?: string;
  /** Region of `text` to analyse (e.g. the reasoning span); offsets stay relative to `text`. */
  from?: number;
  to?: number;
  /** Words describing the region in messages ('reasoning', 'answer'). */
  regionLabel?: string;
  /** Below this ratio the whole region is also reported as written in another language (default 0.3). */
  mismatchRatio?: number;
  /** Maximum number of run flags (the rest are counted in the evidence of the last one). */
  maxFlags?: number;
  /** isPlainEnglish(text, from, to) when the caller already knows it (the repetition detector's pass computes it). */
  plainEnglish?: boolean;
  /** True when the caller knows the region has no junk character (the repetition detector's pass: junkFree). */
  junkFree?: boolean;
}

export interface LanguageMixResult {
  flags: Flag[];
  /** Target-language words / all words; 1 for a text without words. */
  ratio: number;
  /** Dominant language of the region, null without words. */
  detected: string | null;
  words: Record<string, number>;
}

/**
 * True when the region certainly contains nothing but English-looking ASCII words: no letters outside ASCII (symbols
 * such as − × ≤ and lone Greek letters are fine) and fewer than three non-English function words. Lets the common
 * case (English target, English trace) skip tokenisation entirely.
 */
/** Next character outside ASCII: the regex engine skips ASCII text several times faster than a charCodeAt loop. */
const NON_ASCII = /[\u0080-\uffff]/g;

export function isPlainEnglish(text: string, from: number, to: number): boolean {
  let greekRun = 0;
  let prev = -2;
  NON_ASCII.lastIndex = from;
  for (;;) {
    const m = NON_ASCII.exec(text);
    if (m === null || m.index >= to) break;
    const i = m.index;
    // An ASCII character in between ends a run of Greek letters, as in a character-by-character scan.
    if (i !== prev + 1) greekRun = 0;
    prev = i;
    const c = text.charCodeAt(i);
    const s = scriptOf(c);
    if (s === S_GREEK) {
      if (++greekRun >= 3) return false;
      continue;
    }
    greekRun = 0;
    if (s !== S_OTHER && s !== S_DIGIT && s !== S_MARK) return false;
  }
  return countForeignAsciiWords(text, 3, from, to) < 3;
}

function tally(units: LangUnit[]): { words: Record<string, number>; total: number; top: string | null } {
  const words: Record<string, number> = {};
  let total = 0;
  for (const u of units) {
    words[u.lang] = (words[u.lang] ?? 0) + u.words;
    total += u.words;
  }
  let top: string | null = null;
  for (const [k, v] of Object.entries(words)) if (top === null || v > words[top]!) top = k;
  return { words, total, top };
}

/** R1 language-consistency ratio of `text` for `target` (ISO 639-1): target-language words / all words (1 if none). */
export function languageRatio(text: string, target: string, from = 0, to = text.length): number {
  if (target === 'en' && isPlainEnglish(text, from, to)) return 1;
  const { words, total } = tally(languageUnits(text, { target, from, to }));
  return total === 0 ? 1 : (words[target] ?? 0) / total;
}

/** Boilerplate that many prompts append in English whatever their language. */
// Template instructions (often English around a question in another language) are not the question: leave them
// out when deciding the prompt's language. "Think step by step inside <think> </think> tags, then…" and verl's
// "…and output the final answer within \boxed{}." run to the end of their line.
const BOILERPLATE = /(please reason step by step[^\n]*|let's think step by step[^\n]*|think step by step[^\n]*|(?:and )?output the final answer[^\n]*|put your final answer within[^\n]*|you are a helpful assistant\.?|<\/?(?:think|answer)>|\b(system|user|assistant)\n)/gi;

/** Dominant language of a text (ISO 639-1), or null when it has no words. Prompts: pass the prompt text. */
export function dominantLanguage(text: string, maxChars = 6000): string | null {
  // The question usually sits at the end of a (possibly few-shot) prompt.
  let t = text.length > maxChars ? text.slice(text.length - maxChars) : text;
  t = t.replace(BOILERPLATE, ' ');
  if (isPlainEnglish(t, 0, t.length)) return /[A-Za-z]{2}/.test(t) ? 'en' : null;
  return tally(languageUnits(t, { target: 'und' })).top;
}

function excerpt(text: string, start: number, end: number): string {
  const s = text.slice(start, Math.min(end, start + 60)).replace(/\s+/g, ' ');
  return end - start > 60 ? s + '…' : s;
}

/** Whether a group of foreign units is long enough to be mixing rather than a borrowed word or a name. */
function significant(script: Sc, lang: string, target: string, words: number, chars: number, targetLatin: boolean): boolean {
  if (script === S_LATIN) return targetLatin ? words >= 3 : words >= 2 && chars >= 8;
  // Two Han characters are a word ("我们", "所以"): a short switch, not a stray token.
  if (script === S_HAN) return (lang === 'zh' || lang === 'ja') && (target === 'zh' || target === 'ja') ? chars >= 4 : chars >= 2;
  if (script === S_GREEK) return words >= 2;
  return words >= 2 || chars >= 3;
}

/** Whether a unit's script is foreign to the target (CJK scripts are one family for zh/ja targets; Greek is maths). */
function foreignScript(script: Sc, target: string): boolean {
  if (script === S_LATIN || script === S_GREEK || script === S_OTHER || script === S_DIGIT || script === S_MARK) return false;
  if ((script === S_HAN || script === Sc.Kana) && (target === 'zh' || target === 'ja')) return false;
  return languageScript(target) !== script;
}

/** Replacement characters (U+FFFD: bytes that did not decode) and C0 controls other than whitespace: junk. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const JUNK_CHAR = /[\ufffd\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function strayFlag(field: string, start: number, end: number, text: string, junk: boolean, evidence: Flag['evidence']): Flag {
  return {
    kind: 'language-mix',
    field,
    start,
    end,
    code: 'stray-token',
    severity: junk ? 'warning' : 'info',
    message: junk
      ? `Junk in the text (${end - start} chars: undecodable bytes or fragments of several scripts): “${excerpt(text, start, end)}”`
      : `Stray foreign-script token “${excerpt(text, start, end)}” in the text`,
    evidence,
  };
}

export function detectLanguageMix(text: string, opts: LanguageMixOptions): LanguageMixResult {
  const target = opts.target;
  const from = opts.from ?? 0;
  const to = opts.to ?? text.length;
  const field = opts.field ?? 'completion';
  const label = opts.regionLabel ?? 'reasoning';
  // Undecodable bytes (U+FFFD) and control characters are junk in any language, and invisible to the plain-English
  // fast path (they are not letters): look for them first, natively.
  let junk = -1;
  if (opts.junkFree !== true) {
    JUNK_CHAR.lastIndex = from;
    const junkAt = JUNK_CHAR.exec(text);
    junk = junkAt !== null && junkAt.index < to ? junkAt.index : -1;
  }
  if (junk < 0 && target === 'en' && (opts.plainEnglish ?? isPlainEnglish(text, from, to))) return { flags: [], ratio: 1, detected: 'en', words: {} };

  const units = languageUnits(text, { target, from, to });
  const { words, total, top } = tally(units);
  const ratio = total === 0 ? 1 : (words[target] ?? 0) / total;
  const flags: Flag[] = [];
  if (total === 0) {
    if (junk >= 0) flags.push(strayFlag(field, junk, junkEnd(text, junk, to), text, true, { chars: 1 }));
    return { flags, ratio, detected: null, words };
  }

  if (ratio < (opts.mismatchRatio ?? 0.3) && top !== null && top !== target && total >= 5) {
    flags.push({
      kind: 'language-mix',
      field,
      start: from,
      end: to,
      code: `mismatch-${top}-for-${target}`,
      language: top,
      severity: 'warning',
      message: `${label[0]!.toUpperCase()}${label.slice(1)} is mostly ${languageName(top)}, not ${languageName(target)} (${Math.round(ratio * 100)}% of ${total} words in ${languageName(target)})`,
      evidence: { target, detected: top, ratio: Math.round(ratio * 1000) / 1000, words: total },
    });
  }

  // Merge consecutive non-target units of one language (target-language units break a group).
  const targetLatin = languageScript(target) === S_LATIN;
  const maxFlags = opts.maxFlags ?? 20;
  /** Spans of foreign-script groups too short to be a switch, and the foreign languages seen. */
  const strays: number[] = [];
  const foreignLangs = new Set<string>();
  /** Indexes in `flags` of the run flags (not the mismatch flag). */
  const runs: number[] = [];
  let suppressed = 0;
  let k = 0;
  while (k < units.length) {
    const u = units[k]!;
    if (u.lang === target) {
      k++;
      continue;
    }
    let end = k + 1;
    let w = u.words;
    let chars = u.chars;
    while (end < units.length && units[end]!.lang === u.lang) {
      w += units[end]!.words;
      chars += units[end]!.chars;
      end++;
    }
    const last = units[end - 1]!;
    k = end;
    if (foreignScript(u.script, target)) foreignLangs.add(u.lang);
    if (!significant(u.script, u.lang, target, w, chars, targetLatin)) {
      if (foreignScript(u.script, target)) strays.push(u.start, last.end);
      continue;
    }
    runs.push(flags.length);
    if (flags.length >= maxFlags) {
      suppressed++;
      continue;
    }
    const span = last.end - u.start;
    flags.push({
      kind: 'language-mix',
      field,
      start: u.start,
      end: last.end,
      code: `${u.lang}-in-${target}`,
      language: u.lang,
      severity: 'warning',
      message: `${languageName(u.lang)} inside ${languageName(target)} ${label} (${span} chars, ${w} word${w === 1 ? '' : 's'}): “${excerpt(text, u.start, last.end)}”`,
      evidence: { target, language: u.lang, words: w, chars: span, guess: u.guess, ratio: Math.round(ratio * 1000) / 1000 },
    });
  }
  if (suppressed > 0 && flags.length > 0) flags[flags.length - 1]!.evidence!['moreRuns'] = suppressed;

  // Multilingual junk (Qwen2.5-Math's "\\boxed{25}.pd自如取消 Brig … 司Ո Stake insurerれ 권"): fragments of three or more
  // foreign languages, or undecodable bytes, are not a language switch. One junk flag replaces their run flags.
  if (foreignLangs.size >= 3 || (junk >= 0 && foreignLangs.size >= 1)) {
    let s0 = junk >= 0 ? junk : to;
    let e0 = junk >= 0 ? junkEnd(text, junk, to) : from;
    for (const i of runs) {
      const f = flags[i];
      if (f && f.language !== undefined && foreignScript(scriptOfLanguage(f.language), target)) {
        s0 = Math.min(s0, f.start);
        e0 = Math.max(e0, f.end);
      }
    }
    for (let i = 0; i < strays.length; i += 2) {
      s0 = Math.min(s0, strays[i]!);
      e0 = Math.max(e0, strays[i + 1]!);
    }
    const kept = flags.filter((f, i) => !runs.includes(i) || f.language === undefined || !foreignScript(scriptOfLanguage(f.language), target));
    kept.push(strayFlag(field, s0, e0, text, true, { languages: [...foreignLangs].sort().join(','), junkChars: junk >= 0 }));
    return { flags: kept, ratio, detected: top, words };
  }
  if (junk >= 0) flags.push(strayFlag(field, junk, junkEnd(text, junk, to), text, true, { chars: junkEnd(text, junk, to) - junk }));
  // Isolated foreign-script tokens: one flag per sample (the first, with the count), as they come from one glitch.
  if (strays.length > 0) {
    flags.push(strayFlag(field, strays[0]!, strays[1]!, text, false, { tokens: strays.length / 2, at: strays.filter((_, i) => i % 2 === 0).slice(0, 20).join(',') }));
  }
  return { flags, ratio, detected: top, words };
}

/** End of the junk that starts at `at`: the following junk characters and the foreign letters around them. */
function junkEnd(text: string, at: number, to: number): number {
  let e = at + 1;
  while (e < to && e - at < 200) {
    const c = text.charCodeAt(e);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13)) e++;
    else break;
  }
  return e;
}

function scriptOfLanguage(lang: string): Sc {
  return lang === 'zh' ? S_HAN : lang === 'ja' ? Sc.Kana : languageScript(lang);
}
