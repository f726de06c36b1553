// One sample's result for `score --json`, the scored copy and the extension: recomputed rule-based rewards,
// detector flags, the extracted answer, and the sample's group and advantage from the run model.
import { analyseCompletion } from '../analyse';
import { computeRewards } from '../rewards/registry';
import { extractAnswer } from '../trace/answer';
import type { Flag, Sample } from '../types';
import type { RunModel } from './run-builder';
import { completionText, promptText } from './sample-text';

export interface ScoreLine {
  record: number;
  line: number | null;
  step: number | null;
  group: number | null;
  groupSize: number | null;
  reward: number | null;
  advantage: number | null;
  scores: Record<string, number | null>;
  answer: string | null;
  flags: Flag[];
  /** Set when the recorded reward is 1 while the trace never closed its reasoning (formats.md §2.3). */
  note?: string;
}

/** The rewards `score` computes when none are named (cli.md). */
export const DEFAULT_REWARDS = ['accuracy', 'format', 'tag_count', 'language_consistency', 'repetition_penalty'];

export interface ScoreOptions {
  rewards: string[];
  lang: string;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function scoreSample(s: Sample, index: number, model: RunModel, opts: ScoreOptions): ScoreLine {
  const text = completionText(s.completion);
  const prompt = promptText(s.prompt);
  const analysis = analyseCompletion({ completion: text, prompt, finishReason: s.finishReason, targetLanguage: opts.lang });
  const target = analysis.language.target ?? (opts.lang === 'auto' ? null : opts.lang);
  const scores = computeRewards({
    completion: text,
    prompt,
    gold: s.gold === undefined ? null : s.gold,
    finishReason: s.finishReason,
    lengthTokens: s.tokens.completion ?? null,
    targetLanguage: target,
  }, opts.rewards);
  const g = model.groups.grouping.groupOf[index] ?? -1;
  const groupSize = g >= 0 ? model.groups.grouping.groupStart[g + 1] - model.groups.grouping.groupStart[g] : null;
  const answer = extractAnswer(text);
  const line: ScoreLine = {
    record: s.source.record,
    line: s.source.line,
    step: s.step,
    group: g >= 0 ? g : null,
    groupSize,
    reward: s.reward,
    advantage: finiteOrNull(model.groups.advantage[index] ?? NaN),
    scores,
    answer: answer ? answer.text : null,
    flags: analysis.flags,
  };
  const unclosed = analysis.flags.some((f) => f.kind === 'truncated');
  if (unclosed && s.reward !== null && s.reward >= 1) line.note = 'reward granted with incomplete reasoning (no closing think)';
  return line;
}
