// The `summary --json` object of the CLI contract (cli.md): the core summary of groups/summarise plus the
// path, bad lines, flag counts and notes that only the run knows.
import { summarise, type CoreSummary } from '../groups/summarise';
import type { BadLine, FlagKind, InferenceReport } from '../types';
import type { RunModel } from './run-builder';
import { passCountBins, passCountRecord, passCountsOf } from '../groups/pass-counts';
import { runHealth } from './health';
import type { HealthReport } from '../../protocol/viewer-protocol';
import { summariseTrajectories, type TrajectorySummary } from '../trajectory/run-summary';

export interface RunSummary extends Omit<CoreSummary, 'advantage' | 'groups'>, Partial<TrajectorySummary> {
  path: string;
  /** passCounts: `{"<k>/<n>": groups}` when the rewards are binary (k = members above the midpoint reward). */
  groups: CoreSummary['groups'] & { passCounts?: Record<string, number> };
  /** Changes of per-step rates (src/core/run/health.ts); empty for runs with fewer than 8 steps. */
  health: HealthReport['findings'];
  /** One line on what run health tested (or why it did not). */
  healthNote: string;
  badLines: BadLine[];
  advantage: { source: string | null; mean: number | null; std: number | null };
  flags: Record<FlagKind, number>;
  /** The run's conventions that the format flags follow (core/run/conventions.ts). */
  conventions?: { reasoningTags: string; thinkOpensInPrompt: boolean; answer: string; evidence: string; sampled: number; medianChars: number };
  notes?: string[];
  /** Format `inferred`: every role with its field, evidence and confidence (docs/recognition.md). */
  inference?: InferenceReport;
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1e6) / 1e6;
}

export function summariseRun(model: RunModel, path: string): RunSummary | null {
  if (model.detection === null) return null;
  const core = summarise({
    detection: model.detection,
    rewards: model.columns.reward,
    advantages: { values: model.groups.advantage, source: model.groups.advantageSource },
    steps: model.columns.step,
    grouping: model.groups.grouping,
  });
  const notes = [...(model.detection.notes ?? []), ...model.groups.grouping.warnings];
  // What the reader noticed (an incomplete last line, invalid UTF-8, NaN literals…), naming the file in a folder.
  for (const n of model.notes) notes.push(n.file && n.file !== path ? `${n.file}: ${n.message}` : n.message);
  if (model.groups.advantageError) notes.push(model.groups.advantageError);
  const { advantage, reward, groups, ...rest } = core;
  const pc = passCountsOf(model);
  const health = runHealth(model);
  return {
    path,
    ...rest,
    groups: pc.levels.kind === 'binary' ? { ...groups, passCounts: passCountRecord(passCountBins(pc)) } : groups,
    health: health.findings,
    healthNote: health.note,
    badLines: model.badLines.map((b) => (b.file && b.file !== path ? { file: b.file, line: b.line, error: b.error } : { line: b.line, error: b.error })),
    reward: reward ? { mean: round(reward.mean) ?? 0, std: round(reward.std) ?? 0, min: reward.min, max: reward.max } : null,
    advantage: advantage.source === 'none' ? { source: null, mean: null, std: null } : { source: advantage.source, mean: round(advantage.mean), std: round(advantage.std) },
    flags: { ...model.flagCounts },
    ...(summariseTrajectories(model.trajectories) ?? {}),
    ...(model.conventions ? { conventions: { ...model.conventions } } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    ...(model.detection.inference ? { inference: model.detection.inference } : {}),
  };
}
