// One entry point that runs segmentation and every detector on a completion. It runs on every sample of
// multi-gigabyte files, so each detector has a cheap fast path (see the per-detector notes) and nothing here allocates
// per character.
//
// Chat-message completions: pass completionText() (the assistant turns joined) and the messages themselves; offsets
// then refer to that joined string. Multi-turn and agentic completions (src/core/trajectory) are analysed per turn:
// the detectors see only the model's own turns (never a tool's reply), every flag carries its `turn`, and the
// agent loop gets findings of its own (kind 'tool').

import { detectFormat } from './detectors/format';
import { detectLanguageMix, dominantLanguage } from './detectors/language-mix';
import { detectRepetition, type RepetitionMetrics } from './detectors/repetition';
import type { CompressRatio } from './detectors/compress';
import { detectTruncation } from './detectors/truncation';
import { extractAnswer, type ExtractedAnswer } from './trace/answer';
import { promptExpectsTags, type RunConventions } from './run/conventions';
import { segmentTrace, type Segmentation, type Span } from './trace/segment';
import type { ChatMessage, Flag, FlagKind } from './types';
import { parseMessagesTrajectory } from './trajectory/parse-messages';
import { parseTextTrajectory } from './trajectory/parse-text';
import { isMultiTurn } from './trajectory/trajectory';
import { boundedMemo } from './text/bounded-memo';
import { toolFlags } from './trajectory/tool-flags';
import type { Trajectory } from './trajectory/types';

export interface AnalyseInput {
  completion: string;
  prompt?: string | null;
  finishReason?: string | null;
  /** 'auto' (default: the prompt's dominant language, else the reasoning's) or an ISO 639-1 code. */
  targetLanguage?: string;
  enabled?: Partial<Record<FlagKind, boolean>>;
  /** Real zlib ratio for the repetition detector (src/node injects node:zlib); a pure estimate otherwise. */
  compressRatio?: CompressRatio;
  /** Custom think tags (lighteval --reasoning-tags). */
  tags?: { open: string; close: string }[];
  /** The completion's messages when it is a message list (tool calls live in their fields); `completion` is then completionText(). */
  messages?: ChatMessage[] | null;
  /** Tools the prompt offers (src/core/trajectory/offered-tools.ts); null or absent: not known. */
  tools?: string[] | null;
  /**
   * The run's conventions (run/conventions.ts), decided once per run: format flags report deviations from them.
   * Without them (a sample on its own) tags are expected only when the prompt asks for them or opens one.
   */
  conventions?: RunConventions | null;
  /**
   * The completion's trajectory when the caller has parsed it already (completionTrajectory of the same completion,
   * e.g. for the run's turn and tool-call columns): the parse is then done once per sample, not twice.
   */
  trajectory?: Trajectory | null;
  /**
   * The caller reads only the flags (the readers' workers): detectors may skip metrics no flag needs (the repetition
   * detector's compression ratio of tails that cannot be flagged; RepetitionOptions.flagsOnly). Flags are the same.
   */
  flagsOnly?: boolean;
}

export interface TraceAnalysis {
  segmentation: Segmentation;
  flags: Flag[];
  language: {
    /** The target actually used (resolved from 'auto'). */
    target: string;
    /** Where the target came from. */
    targetSource: 'option' | 'prompt' | 'reasoning' | 'default';
    /** Dominant language of the reasoning (or of the whole completion without tags); null if not computed. */
    detected: string | null;
    /** R1 language-consistency ratio of the reasoning (target words / words); 1 when not computed. */
    ratio: number;
  };
  /** Final answer found in the answer region (offsets into the completion). */
  answer: ExtractedAnswer | null;
  /** When the answer region has none: an answer found inside the reasoning (answer.in_think_only). */
  answerInReasoning: ExtractedAnswer | null;
  repetition: RepetitionMetrics | null;
}

function shift(a: ExtractedAnswer | null, by: number): ExtractedAnswer | null {
  return a && by !== 0 ? { ...a, start: a.start + by, end: a.end + by } : a;
}

function extractIn(text: string, span: Span | null): ExtractedAnswer | null {
  if (!span || span.end <= span.start) return null;
  if (span.start === 0 && span.end === text.length) return extractAnswer(text);
  return shift(extractAnswer(text.slice(span.start, span.end)), span.start);
}

/**
 * dominantLanguage of recent prompts: GRPO logs repeat every prompt once per completion of its group (8–64 times),
 * and the prompt's language costs a regex replace and a script pass each time. A pure function of the string, so
 * memoising it changes nothing; the table is dropped when it grows (prompts of a step are close together).
 */
const promptLanguage: (prompt: string) => string | null = boundedMemo(512, dominantLanguage);

/** Every flag of a sample, single- or multi-turn: see the file comment. */
export function analyseCompletion(input: AnalyseInput): TraceAnalysis {
  const traj = input.trajectory ?? (input.messages ? parseMessagesTrajectory(input.messages) : parseTextTrajectory(input.completion));
  if (!isMultiTurn(traj)) return analyseText(input, true);
  return analyseTurns(input, traj);
}

/** Adds `by` to every {start, end} pair (and contentEnd) of a result computed on a slice: a shifted copy. */
function shiftSpans<T>(v: T, by: number): T {
  if (by === 0 || v === null || typeof v !== 'object') return v;
  return shiftCopy(v, by) as T;
}

/** shiftSpans' walk. for…in over the copy, not Object.entries: no array of pairs per object (it runs per turn flag). */
function shiftCopy(v: object, by: number): unknown {
  if (Array.isArray(v)) return v.map((x: unknown) => (x !== null && typeof x === 'object' ? shiftCopy(x, by) : x));
  const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'number') {
      if (k === 'start' || k === 'end' || k === 'contentEnd') o[k] = x + by;
    } else if (x !== null && typeof x === 'object' && k !== 'evidence') o[k] = shiftCopy(x, by);
  }
  return o;
}

/**
 * What the whole-episode pass of a multi-turn sample learnt that the per-turn passes can reuse: the region its
 * repetition tokeniser read and judged plain English and junk-free (language-mix's own verdicts, see
 * RepetitionResult.plainEnglish/junkFree), in the coordinates of `whole`. A turn's language region inside it needs
 * no scan of its own: see knownPlain.
 */
interface EpisodeScan {
  whole: string;
  /** Where the analysed string starts in `whole` (a turn's span start; 0 for the whole-episode pass). */
  offset: number;
  clean: Span | null;
  /** The whole-episode pass found no built-in think tag before this offset of `whole` (0: not known). */
  untaggedEnd: number;
  /** True during the whole-episode pass, which records what it learns here; the turns' passes only read it. */
  learning: boolean;
}

/** An ASCII word character ([A-Za-z0-9_]: what a non-unicode regex \b and the function-word runs go by). */
function isAsciiWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Whether position `at` of `s` splits no ASCII word: the region's end there is a word boundary in `s` too. */
function noWordSplit(s: string, at: number): boolean {
  return at <= 0 || at >= s.length || !isAsciiWord(s.charCodeAt(at - 1)) || !isAsciiWord(s.charCodeAt(at));
}

/**
 * Whether [from, to) of the analysed string (whole-text coordinates: + scan.offset) is certainly plain English and
 * junk-free, from the whole-episode verdict alone. Junk characters, letters outside ASCII and runs of Greek letters
 * in a sub-region are among those of the region; its non-English function words (maximal ASCII word runs) are among
 * the region's as long as neither of its ends cuts a word in two, and there were fewer than three of those.
 */
function knownPlain(scan: EpisodeScan | undefined, from: number, to: number): boolean {
  if (!scan || !scan.clean) return false;
  const a = from + scan.offset;
  const b = to + scan.offset;
  const c = scan.clean;
  if (a < c.start || b > c.end || a > b) return false;
  return (a === c.start || noWordSplit(scan.whole, a)) && (b === c.end || noWordSplit(scan.whole, b));
}

function analyseTurns(input: AnalyseInput, traj: Trajectory): TraceAnalysis {
  const text = input.completion;
  const model = traj.turns.map((t, k) => ({ t, k })).filter(({ t }) => t.byModel && t.span !== null);
  const flags: Flag[] = [];
  let last: TraceAnalysis | null = null;
  // Repetition and truncation read the episode as a whole: a turn that ends on a tool call is not cut off, and a
  // call written again after each tool reply is the 'tool' repeated-call finding, not a loop of the text (judged on
  // the hand-labelled verl tool-use dump: per-turn loops were 42 false flags of 60). The repetition detector already
  // passes over tool results; any flag that still starts inside one is dropped. Language mixing and format are
  // judged per model turn, so a tool's reply never sets or breaks the language.
  const wholeOn = { repetition: input.enabled?.repetition !== false, truncated: input.enabled?.truncated !== false };
  const scan: EpisodeScan = { whole: text, offset: 0, clean: null, untaggedEnd: 0, learning: true };
  if (wholeOn.repetition || wholeOn.truncated) {
    const enabled = { ...input.enabled, 'language-mix': false, format: false, tool: false, repetition: wholeOn.repetition, truncated: wholeOn.truncated };
    for (const f of analyseText({ ...input, enabled }, false, scan).flags) {
      const owner = model.find(({ t }) => f.start >= t.span!.start && f.start < Math.max(t.span!.end, t.span!.start + 1));
      if (owner) flags.push({ ...f, turn: owner.k });
      else if (f.kind === 'truncated' && f.start >= text.length - 1) flags.push({ ...f, turn: model.length > 0 ? model[model.length - 1].k : undefined });
    }
  }
  scan.learning = false;
  model.forEach(({ t, k }, j) => {
    const span = t.span!;
    const final = j === model.length - 1;
    // Format and the answer concern the turn that ends the episode; earlier turns legitimately stop at a call.
    const enabled = { ...input.enabled, repetition: false, truncated: false, format: final && input.enabled?.format !== false };
    scan.offset = span.start;
    const a = analyseText({ ...input, completion: text.slice(span.start, span.end), enabled, finishReason: final ? input.finishReason : null }, final, scan);
    // One copy per flag: the shifted copy takes the turn (a flag of a turn's own pass has none yet, so the key
    // lands last, as a spread would put it).
    for (const f of a.flags) {
      const g = span.start === 0 ? { ...f } : shiftSpans(f, span.start);
      g.turn = k;
      flags.push(g);
    }
    // The turn's flags were shifted just above, and the result's flags replace them: not copied a second time.
    if (final) last = shiftSpans({ ...a, flags: [] }, span.start);
  });
  const base: TraceAnalysis = last ?? analyseText({ ...input, completion: '' }, true);
  const on = input.enabled?.tool !== false;
  if (on) flags.push(...toolFlags(traj, { tools: input.tools, answered: base.answer !== null }));
  return { ...base, flags };
}

/**
 * The detectors on one string (a single-turn completion, or one turn of a multi-turn one). `answers`: whether the
 * caller reads the answers (and so format's answer findings); the whole-episode pass and the earlier turns of a
 * multi-turn sample keep only other flags, and the answer extraction (two regex scans of the text) is skipped there.
 */
function analyseText(input: AnalyseInput, answers: boolean, scan?: EpisodeScan): TraceAnalysis {
  const text = input.completion;
  const on = (k: FlagKind): boolean => input.enabled?.[k] !== false;
  const builtinTags = !input.tags || input.tags.length === 0;
  // A turn's text is a slice of the episode's: where the episode has no think tag, neither has the turn.
  const untaggedBefore = scan && !scan.learning && builtinTags ? Math.max(0, scan.untaggedEnd - scan.offset) : 0;
  const segmentation = segmentTrace(text, { prompt: input.prompt ?? undefined, tags: input.tags, untaggedBefore });
  if (scan?.learning && builtinTags && segmentation.variant === null) scan.untaggedEnd = scan.offset + segmentation.contentEnd;
  const flags: Flag[] = [];
  // The reasoning if there is one, else the whole text (no tags: the completion is the reasoning and the answer).
  const body: Span = segmentation.reasoning ?? { start: 0, end: segmentation.contentEnd };

  // Repetition runs first: its tokenisation pass also works out whether the region is plain English, which saves
  // language-mix a scan of its own. Its flags are still listed after language-mix's.
  let repetition: RepetitionMetrics | null = null;
  let repetitionFlags: Flag[] = [];
  let plainEnglish: boolean | undefined;
  let junkFree: boolean | undefined;
  if (on('repetition')) {
    const r = detectRepetition(text, { from: body.start, to: body.end, compressRatio: input.compressRatio, flagsOnly: input.flagsOnly });
    repetitionFlags = r.flags;
    repetition = r.metrics;
    plainEnglish = r.plainEnglish;
    junkFree = r.junkFree;
    if (scan?.learning && plainEnglish && junkFree) scan.clean = { start: body.start + scan.offset, end: body.end + scan.offset };
  } else if (knownPlain(scan, body.start, body.end)) {
    plainEnglish = true;
    junkFree = true;
  }

  let target = input.targetLanguage && input.targetLanguage !== 'auto' ? input.targetLanguage : null;
  let targetSource: TraceAnalysis['language']['targetSource'] = target ? 'option' : 'default';
  let detected: string | null = null;
  let ratio = 1;
  if (on('language-mix')) {
    if (!target && input.prompt) {
      target = promptLanguage(input.prompt);
      if (target) targetSource = 'prompt';
    }
    if (!target) {
      target = dominantLanguage(body.start === 0 && body.end === text.length ? text : text.slice(body.start, body.end));
      if (target) targetSource = 'reasoning';
    }
    target ??= 'en';
    const r = detectLanguageMix(text, { target, from: body.start, to: body.end, regionLabel: segmentation.reasoning ? 'reasoning' : 'text', plainEnglish, junkFree });
    flags.push(...r.flags);
    detected = r.detected;
    ratio = r.ratio;
    const ar = segmentation.answerRegion;
    if (segmentation.reasoning && ar && ar.end > ar.start) {
      const known = knownPlain(scan, ar.start, ar.end);
      flags.push(...detectLanguageMix(text, { target, from: ar.start, to: ar.end, regionLabel: 'answer', plainEnglish: known || undefined, junkFree: known || undefined }).flags);
    }
  }
  target ??= 'en';
  flags.push(...repetitionFlags);

  if (on('truncated')) flags.push(...detectTruncation({ text, segmentation, finishReason: input.finishReason, tailLoop: segmentation.state === 'none' && (repetition?.tailLoop ?? null) !== null, medianChars: input.conventions?.medianChars }));
  if (on('format')) {
    const c = input.conventions;
    const expectTags = c ? c.reasoningTags === 'expected' : promptExpectsTags(input.prompt, segmentation.promptEndsWithOpenTag);
    const expectAnswerTags = c ? c.answer === 'answer-tag' || c.reasoningTags === 'expected' : true;
    flags.push(...detectFormat({ text, segmentation, promptKnown: input.prompt !== undefined && input.prompt !== null, expectTags, convention: c?.evidence, expectAnswerTags, opensInPrompt: c?.thinkOpensInPrompt === true }));
  }

  const answer = answers ? extractIn(text, segmentation.answerRegion) : null;
  const answerInReasoning = answers && !answer ? extractIn(text, segmentation.reasoning) : null;
  if (on('format') && !answer && segmentation.answerRegion && segmentation.state !== 'none') {
    const ar = segmentation.answerRegion;
    flags.push({
      kind: 'format',
      field: 'completion',
      start: ar.start,
      end: ar.end,
      code: answerInReasoning ? 'answer-in-think-only' : 'answer-missing',
      severity: answerInReasoning ? 'info' : 'warning',
      message: answerInReasoning
        ? `No answer after the reasoning; one appears only inside it (“${answerInReasoning.text.slice(0, 40)}”)`
        : 'No final answer (no \\boxed{}, <answer>, "Answer:" line or ####) after the reasoning',
    });
  } else if (on('format') && !answer && segmentation.state === 'unterminated' && answerInReasoning) {
    flags.push({
      kind: 'format',
      field: 'completion',
      start: answerInReasoning.start,
      end: answerInReasoning.end,
      code: 'answer-in-think-only',
      severity: 'info',
      message: `Answer “${answerInReasoning.text.slice(0, 40)}” appears only inside unfinished reasoning; a reward for it was granted without a finished trace`,
    });
  }

  return { segmentation, flags, language: { target, targetSource, detected, ratio }, answer, answerInReasoning, repetition };
}
