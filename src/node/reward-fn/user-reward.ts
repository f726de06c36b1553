// The user's own reward function as a BatchReward, by file type: Python in a subprocess, JS/TS in a worker thread.
// Also registers `createUserReward` so the pipeline can add it like any other batch reward.
import { isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { BatchReward } from '../../core/scoring/batch-reward';
import { parseRewardFnSpec, rewardFnColumn, type RewardFnSpec } from '../../core/scoring/reward-fn-spec';
import { JsReward } from './js-reward';
import { PythonReward, RewardFnLoadError } from './python-reward';

export { RewardFnLoadError } from './python-reward';

export interface UserRewardOptions {
  /** Folder a relative path is resolved against. */
  cwd?: string;
  /** Python interpreter (default `python3`). */
  pythonPath?: string;
  /** Time limit of one batch, ms (default 30 s). */
  timeoutMs?: number;
  log?: (text: string) => void;
}

export const DEFAULT_REWARD_FN_TIMEOUT_MS = 30_000;

/** A BatchReward for `path[:name]`. Throws RewardFnSpecError / RewardFnLoadError for a bad spec or a missing file. */
export function createUserReward(specOrText: string | RewardFnSpec, opts: UserRewardOptions = {}): BatchReward {
  const spec = typeof specOrText === 'string' ? parseRewardFnSpec(specOrText) : specOrText;
  const file = isAbsolute(spec.path) ? spec.path : resolve(opts.cwd ?? process.cwd(), spec.path);
  if (!existsSync(file)) throw new RewardFnLoadError(`${spec.path}: no such file`);
  const common = { name: spec.name, timeoutMs: opts.timeoutMs ?? DEFAULT_REWARD_FN_TIMEOUT_MS, column: rewardFnColumn(spec), log: opts.log };
  if (spec.language === 'python') return new PythonReward(file, { ...common, pythonPath: opts.pythonPath ?? 'python3' });
  return new JsReward(file, common);
}
