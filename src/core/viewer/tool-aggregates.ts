// Reward against the number of tool calls, for the charts tab of multi-turn runs (docs/agentic.md): per call count
// (the last bucket gathers the long tail), how many samples, their mean reward and the share rewarded > 0.
import type { RunModel } from '../run/run-builder';
import { isAgenticRun } from '../trajectory/tally';
import type { ToolRewardPoint } from '../../protocol/viewer-protocol';

/** Call counts from 0 to MAX_BUCKET − 1 each get a bar; MAX_BUCKET and more share the last. */
export const MAX_BUCKET = 12;

export function rewardByToolCalls(model: RunModel): ToolRewardPoint[] | null {
  const t = model.trajectories;
  if (!isAgenticRun(t) || t.total === 0) return null;
  const count = new Float64Array(MAX_BUCKET + 1);
  const rewarded = new Float64Array(MAX_BUCKET + 1);
  const sum = new Float64Array(MAX_BUCKET + 1);
  const withReward = new Float64Array(MAX_BUCKET + 1);
  const r = model.columns.reward;
  for (let i = 0; i < t.toolCalls.length; i++) {
    const b = Math.min(MAX_BUCKET, t.toolCalls[i]);
    count[b]++;
    if (Number.isFinite(r[i])) {
      withReward[b]++;
      sum[b] += r[i];
      if (r[i] > 0) rewarded[b]++;
    }
  }
  let last = MAX_BUCKET;
  while (last > 0 && count[last] === 0) last--;
  const out: ToolRewardPoint[] = [];
  for (let b = 0; b <= last; b++) {
    out.push({
      calls: b,
      orMore: b === MAX_BUCKET,
      count: count[b],
      rewardMean: withReward[b] > 0 ? sum[b] / withReward[b] : null,
      passRate: withReward[b] > 0 ? rewarded[b] / withReward[b] : null,
    });
  }
  return out;
}
