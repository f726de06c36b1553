// Batch rewards that the scoring pipeline can add by name: the user's own reward function (src/node/reward-fn) and
// the code-execution reward (src/node/code-sandbox) register a factory here; the CLI, the extension commands and
// the pipeline create them by name without knowing how they run. Pure: the factories themselves spawn processes.
import type { RewardParams } from '../rewards/types';
import type { BatchReward } from './batch-reward';

/** What a factory may need to start its reward. Everything is optional so that each reward takes only its part. */
export interface BatchRewardContext {
  /** Folder a relative path is resolved against (the workspace folder, or the CLI's working directory). */
  cwd?: string;
  /** Python interpreter for rewards that run Python. */
  pythonPath?: string;
  /** Time limit of one batch, ms. */
  timeoutMs?: number;
  /** Reward parameters chosen by the user (Choose Rewards…, --rewards). */
  params?: RewardParams;
  /** Where stderr and diagnostics go (the extension's output channel, the CLI's stderr). */
  log?: (text: string) => void;
}

export interface BatchRewardFactory {
  /** Name used in settings, `--rewards` and result columns. */
  readonly name: string;
  readonly description: string;
  /** Runs code outside Rollout Lens' own: only offered in trusted workspaces. */
  readonly runsCode: boolean;
  create(ctx: BatchRewardContext): Promise<BatchReward>;
}

const FACTORIES = new Map<string, BatchRewardFactory>();

/**
 * Makes a batch reward available by name to `rollout-lens score --rewards`, Choose Rewards… and Score File.
 * Registering a name twice replaces the earlier factory (tests re-register).
 */
export function registerBatchReward(factory: BatchRewardFactory): void {
  FACTORIES.set(factory.name, factory);
}

export function batchRewardFactory(name: string): BatchRewardFactory | undefined {
  return FACTORIES.get(name);
}

export function listBatchRewards(): BatchRewardFactory[] {
  return [...FACTORIES.values()];
}
