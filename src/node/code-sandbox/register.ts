// Registers `code` and `binary_code` with the scoring pipeline's batch-reward registry (core/scoring/batch-registry),
// so `rollout-lens score --rewards code`, Choose Rewards… and Score Code Samples… create them by name. The two share
// one executor per interpreter and limits, so asking for both runs every sample's tests once.
import { registerBatchReward, type BatchRewardContext } from '../../core/scoring/batch-registry';
import type { RewardParams } from '../../core/rewards/types';
import type { BatchReward } from '../../core/scoring/batch-reward';
import { createCodeRewards, type CodeRewardOptions } from './code-reward';
import { DEFAULT_LIMITS, type SandboxLimits } from './run-test';

/** Reward parameters (Choose Rewards… / settings) → sandbox options. Unknown or invalid values keep the default. */
export function codeOptionsFromParams(params: RewardParams | undefined, python?: string): CodeRewardOptions {
  const num = (k: string, d: number): number => {
    const v = params?.[k];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d;
  };
  const limits: SandboxLimits = {
    timeoutSeconds: num('timeout', DEFAULT_LIMITS.timeoutSeconds),
    memoryMb: num('memory_mb', DEFAULT_LIMITS.memoryMb),
    outputKb: num('output_kb', DEFAULT_LIMITS.outputKb),
    fileMb: DEFAULT_LIMITS.fileMb,
  };
  const lang = params?.language;
  return { python, limits, language: typeof lang === 'string' && lang !== '' ? lang : undefined };
}

type Pair = ReturnType<typeof createCodeRewards>;
const shared = new Map<string, { pair: Pair; users: number }>();

function acquire(ctx: BatchRewardContext, which: 'code' | 'binaryCode'): BatchReward {
  const opts = codeOptionsFromParams(ctx.params, ctx.pythonPath);
  const key = JSON.stringify(opts);
  let entry = shared.get(key);
  if (!entry) {
    entry = { pair: createCodeRewards(opts), users: 0 };
    shared.set(key, entry);
  }
  // Refuse up front (no sandbox and the weak guard not allowed, or no interpreter): nothing is read or run.
  entry.pair.executor.checkRunnable();
  entry.users++;
  const e = entry;
  const inner = e.pair[which];
  let disposed = false;
  return {
    name: inner.name,
    description: inner.description,
    score: (batch, signal) => inner.score(batch, signal),
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (--e.users === 0) {
        shared.delete(key);
        await inner.dispose();
      }
    },
  };
}

let registered = false;

export function registerCodeRewards(): void {
  if (registered) return;
  registered = true;
  registerBatchReward({
    name: 'code',
    description: 'Runs the completion\'s last ```python block against the record\'s test cases in a sandboxed python3 subprocess; fraction of tests passed (open-r1 code_reward). Parameters: timeout (s, per test), memory_mb, output_kb, language.',
    runsCode: true,
    create: async (ctx) => acquire(ctx, 'code'),
  });
  registerBatchReward({
    name: 'binary_code',
    description: '1 when every test case of the record passes, else 0 (open-r1 binary_code_reward); shares the runs of `code`.',
    runsCode: true,
    create: async (ctx) => acquire(ctx, 'binaryCode'),
  });
}
