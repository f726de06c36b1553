// One sample's recomputed result for the scoring pipeline: the rule-based rewards with the user's parameters, the
// detector flags, the extracted answer, group and advantage (the same fields as `score --json`), plus the input a
// batch reward receives. Batch scores are merged in afterwards (mergeBatchResults), so that a sample's line is
// complete only when every reward has answered.
import { analyseCompletion } from '../analyse';
import { agenticFields } from '../trajectory/analyse-fields';
import { completionTrajectory, isMultiTurn, trajectoryStats } from '../trajectory/trajectory';
import { modelTextOf } from '../trajectory/reward-text';
import { computeRewards } from '../rewards/registry';
import type { RewardParams } from '../rewards/types';
import { extractAnswer } from '../trace/answer';
import type { JsonValue, Sample } from '../types';
import type { RunModel } from '../run/run-builder';
import { membersOf } from '../groups/group-builder';
import type { ScoreLine } from '../run/score-sample';
import { completionText, promptText } from '../run/sample-text';
import type { BatchRewardInput, BatchRewardResult } from './batch-reward';

export interface ScoringOptions {
  /** Rule-based rewards of the registry. */
  rewards: string[];
  /** Parameters per reward name (Choose Rewards…). */
  params?: Record<string, RewardParams>;
  /** Target language ('auto' = the prompt's). */
  lang: string;
}

/** A sample's result: the `score --json` line, with batch-reward errors and the recorded-vs-recomputed verdict. */
export interface ScoredSample extends ScoreLine {
  /** Per-reward failures (exception text, timeout) of batch rewards; the score is then null. */
  errors?: Record<string, string>;
  /** Reward-specific detail of batch rewards (per-test results of the code reward). */
  details?: Record<string, JsonValue>;
  disagreement?: import('./disagreement').Disagreement;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Completion lengths of the sample's group, for the Kimi length reward (UTF-16 units: equal to Python's len except for astral characters). */
function groupLengths(model: RunModel, index: number): number[] | null {
  const { groupOf } = model.groups.grouping;
  const g = groupOf[index] ?? -1;
  if (g < 0) return null;
  return Array.from(membersOf(model.groups.grouping, g), (i) => model.columns.completionChars[i]);
}

/** Rule-based scoring of sample `index` of the run (flags and answer included). */
export function scoreOne(s: Sample, index: number, model: RunModel, opts: ScoringOptions): ScoredSample {
  const text = completionText(s.completion);
  const prompt = promptText(s.prompt);
  // Parsed once: the analysis, the rewards' model text and the turn/tool counts all read it.
  const trajectory = completionTrajectory(s.completion);
  const analysis = analyseCompletion({ completion: text, prompt, finishReason: s.finishReason, targetLanguage: opts.lang, conventions: model.conventions ?? undefined, ...agenticFields(s), trajectory });
  const target = analysis.language.target ?? (opts.lang === 'auto' ? null : opts.lang);
  const multi = isMultiTurn(trajectory);
  const scores = computeRewards({
    completion: text,
    modelText: multi ? modelTextOf(trajectory, text) : null,
    prompt,
    gold: s.gold === undefined ? null : s.gold,
    finishReason: s.finishReason,
    lengthTokens: s.tokens.completion ?? null,
    targetLanguage: target,
    groupLengths: opts.rewards.includes('length') ? groupLengths(model, index) : null,
  }, opts.rewards, opts.params);
  const g = model.groups.grouping.groupOf[index] ?? -1;
  const traj = trajectoryStats(trajectory);
  // Multi-turn: the answer is the last model turn's (a tool's reply is not the model answering).
  const answer = multi ? analysis.answer ?? analysis.answerInReasoning : extractAnswer(text);
  const line: ScoredSample = {
    record: s.source.record,
    line: s.source.line,
    step: s.step,
    group: g >= 0 ? g : null,
    groupSize: g >= 0 ? model.groups.grouping.groupStart[g + 1] - model.groups.grouping.groupStart[g] : null,
    reward: s.reward,
    advantage: finiteOrNull(model.groups.advantage[index] ?? Number.NaN),
    scores,
    answer: answer ? answer.text : null,
    flags: analysis.flags,
    turns: traj.turns,
    toolCalls: traj.toolCalls,
    toolErrors: traj.toolErrors,
  };
  const unclosed = analysis.flags.some((f) => f.kind === 'truncated');
  if (unclosed && s.reward !== null && s.reward >= 1) line.note = 'reward granted with incomplete reasoning (no closing think)';
  return line;
}

/** What a batch reward is given for one sample. */
export function batchInputOf(s: Sample, index: number): BatchRewardInput {
  const raw = s.raw;
  let dataSource: string | null = null;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const ds = raw['data_source'] ?? raw['dataSource'];
    if (typeof ds === 'string') dataSource = ds;
  }
  return { index, prompt: promptText(s.prompt), completion: completionText(s.completion), gold: s.gold, dataSource, record: raw };
}

/** Adds one batch reward's answer for a sample to its line. */
export function mergeBatchResult(line: ScoredSample, reward: string, r: BatchRewardResult | undefined): void {
  if (r === undefined) {
    line.scores[reward] = null;
    (line.errors ??= {})[reward] = 'no result returned for this sample';
    return;
  }
  line.scores[reward] = typeof r.score === 'number' && Number.isFinite(r.score) ? r.score : null;
  if (r.error !== undefined) (line.errors ??= {})[reward] = r.error;
  if (r.detail !== undefined) (line.details ??= {})[reward] = r.detail;
}
