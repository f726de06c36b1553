// One entry point that runs segmentation and every detector on a completion. It runs on every sample of
// multi-gigabyte files, so each detector has a cheap fast path (see the per-detector notes) and nothing here allocates
// per character.
//
// Chat-message completions: pass the assistant turns' content joined with '\n' (and a separately stored reasoning as
// `<think>reasoning</think>` in front, if you want it analysed); offsets then refer to that joined string.

import { detectFormat } from './detectors/format';
import { detectLanguageMix, dominantLanguage } from './detectors/language-mix';
import { detectRepetition, type RepetitionMetrics } from './detectors/repetition';
import type { CompressRatio } from './detectors/compress';
import { detectTruncation } from './detectors/truncation';
import { extractAnswer, type ExtractedAnswer } from './trace/answer';
import { promptExpectsTags, type RunConventions } from './run/conventions';
import { segmentTrace, type Segmentation, type Span } from './trace/segment';
import type { Flag, FlagKind } from './types';

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
  /**
   * The run's conventions (run/conventions.ts), decided once per run: format flags report deviations from them.
   * Without them (a sample on its own) tags are expected only when the prompt asks for them or opens one.
   */
  conventions?: RunConventions | null;
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
const promptLanguages = new Map<string, string | null>();
function promptLanguage(prompt: string): string | null {
  let lang = promptLanguages.get(prompt);
  if (lang === undefined) {
    lang = dominantLanguage(prompt);
    if (promptLanguages.size >= 512) promptLanguages.clear();
    promptLanguages.set(prompt, lang);
  }
  return lang;
}

export function analyseCompletion(input: AnalyseInput): TraceAnalysis {
  const text = input.completion;
  const on = (k: FlagKind): boolean => input.enabled?.[k] !== false;
  const segmentation = segmentTrace(text, { prompt: input.prompt ?? undefined, tags: input.tags });
  const flags: Flag[] = [];
  // The reasoning if there is one, else the whole text (no tags: the completion is the reasoning and the answer).
  const body: Span = segmentation.reasoning ?? { start: 0, end: segmentation.contentEnd };

  // Repetition runs first: its tokenisation pass also works out whether the region is plain English, which saves
  // language-mix a scan of its own. Its flags are still listed after language-mix's.
  let repetition: RepetitionMetrics | null = null;
  let repetitionFlags: Flag[] = [];
  let plainEnglish: boolean | undefined;
  if (on('repetition')) {
    const r = detectRepetition(text, { from: body.start, to: body.end, compressRatio: input.compressRatio });
    repetitionFlags = r.flags;
    repetition = r.metrics;
    plainEnglish = r.plainEnglish;
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
    const r = detectLanguageMix(text, { target, from: body.start, to: body.end, regionLabel: segmentation.reasoning ? 'reasoning' : 'text', plainEnglish });
    flags.push(...r.flags);
    detected = r.detected;
    ratio = r.ratio;
    const ar = segmentation.answerRegion;
    if (segmentation.reasoning && ar && ar.end > ar.start) {
      flags.push(...detectLanguageMix(text, { target, from: ar.start, to: ar.end, regionLabel: 'answer' }).flags);
    }
  }
  target ??= 'en';
  flags.push(...repetitionFlags);

  if (on('truncated')) flags.push(...detectTruncation({ text, segmentation, finishReason: input.finishReason, tailLoop: segmentation.state === 'none' && (repetition?.tailLoop ?? null) !== null, medianChars: input.conventions?.medianChars }));
  if (on('format')) {
    const c = input.conventions;
    const expectTags = c ? c.reasoningTags === 'expected' : promptExpectsTags(input.prompt, segmentation.promptEndsWithOpenTag);
    const expectAnswerTags = c ? c.answer === 'answer-tag' || c.reasoningTags === 'expected' : true;
    flags.push(...detectFormat({ text, segmentation, promptKnown: input.prompt !== undefined && input.prompt !== null, expectTags, convention: c?.evidence, expectAnswerTags }));
  }

  const answer = extractIn(text, segmentation.answerRegion);
  const answerInReasoning = answer ? null : extractIn(text, segmentation.reasoning);
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
