// Scores a handful of samples already in memory (Score Sample at Cursor, Score Group): rule-based rewards, each
// batch reward over the samples as one batch, and the recorded-vs-recomputed verdict. The whole-file path with
// streaming, progress and output files is src/node/scoring/score-run.ts; this one has no I/O of its own.
import type { RunModel } from '../run/run-builder';
import type { Sample } from '../types';
import type { BatchReward } from './batch-reward';
import { accuracyReason, compareRecorded } from './disagreement';
import { batchInputOf, mergeBatchResult, scoreOne, type ScoredSample, type ScoringOptions } from './score-one';

export interface ScoreSamplesOptions extends ScoringOptions {
  batchRewards?: BatchReward[];
  /** Reward compared with the log: default the first batch reward, else `accuracy` when computed. */
  compareWith?: string | null;
  signal: AbortSignal;
}

/** The reward a run compares with the log, by the pipeline's rule. */
export function comparedReward(rewards: readonly string[], batchNames: readonly string[], explicit?: string | null): string | null {
  if (explicit !== undefined) return explicit;
  if (batchNames.length > 0) return batchNames[0];
  return rewards.includes('accuracy') ? 'accuracy' : null;
}

/** The reason shown with a disagreement: the accuracy pipeline's verdict, or what the batch reward said. */
export function explainDisagreement(sample: Sample, line: ScoredSample, reward: string, params: ScoringOptions['params']): string {
  if (reward === 'accuracy') return accuracyReason(sample, params?.accuracy);
  const err = line.errors?.[reward];
  return err ? `${reward} failed: ${err}` : `${reward} gives ${line.scores[reward]}, the log has ${sample.reward ?? '—'}`;
}

export async function scoreSamples(model: RunModel, indices: readonly number[], opts: ScoreSamplesOptions): Promise<Map<number, ScoredSample>> {
  const samples: { index: number; sample: Sample }[] = [];
  for (const i of indices) {
    const s = model.samples?.[i];
    if (s) samples.push({ index: i, sample: s });
  }
  const lines = new Map<number, ScoredSample>();
  for (const { index, sample } of samples) lines.set(index, scoreOne(sample, index, model, opts));
  const batch = opts.batchRewards ?? [];
  if (samples.length > 0) {
    const inputs = samples.map(({ index, sample }) => batchInputOf(sample, index));
    for (const br of batch) {
      const rs = await br.score(inputs, opts.signal);
      samples.forEach(({ index }, k) => mergeBatchResult(lines.get(index)!, br.name, rs[k]));
    }
  }
  const compared = comparedReward(opts.rewards, batch.map((b) => b.name), opts.compareWith);
  if (compared !== null) {
    for (const { index, sample } of samples) {
      const line = lines.get(index)!;
      const d = compareRecorded(sample, compared, line.scores[compared] ?? null, () => explainDisagreement(sample, line, compared, opts.params));
      if (d) line.disagreement = d;
    }
  }
  return lines;
}
