// One sample's result for `score --json`, the scored copy and the extension: recomputed rule-based rewards,
// detector flags, the extracted answer, and the sample's group and advantage from the run model.
import { scoreOne } from '../scoring/score-one';
import type { Flag, Sample } from '../types';
import type { RunModel } from './run-builder';

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
  /** Assistant turns (1 for a single-turn completion). */
  turns: number;
  /** Tool calls the model attempted, malformed ones included (docs/agentic.md). */
  toolCalls: number;
  /** Tool results that read as errors. */
  toolErrors: number;
  /** Set when the recorded reward is 1 while the trace never closed its reasoning (docs/formats.md §2.3). */
  note?: string;
}

/** The rewards `score` computes when none are named (cli.md). */
export const DEFAULT_REWARDS = ['accuracy', 'format', 'tag_count', 'language_consistency', 'repetition_penalty'];

export interface ScoreOptions {
  rewards: string[];
  lang: string;
}

/** The sample view's scoring: the palette's scoreOne with the given rewards and default parameters. */
export function scoreSample(s: Sample, index: number, model: RunModel, opts: ScoreOptions): ScoreLine {
  return scoreOne(s, index, model, { rewards: opts.rewards, lang: opts.lang });
}
