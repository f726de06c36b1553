// Builds the reward set of a scoring run from the settings: rule-based rewards of the registry, registered batch
// rewards (code execution…) and the user's reward functions. Anything that runs code is left out in untrusted
// workspaces, with the explanation (trust.ts).
import * as vscode from 'vscode';
import { getReward } from '../../core/rewards/registry';
import { batchRewardFactory } from '../../core/scoring/batch-registry';
import type { BatchReward } from '../../core/scoring/batch-reward';
import { createUserReward } from '../../node/reward-fn/user-reward';
import { pythonInterpreter } from './python-interpreter';
import type { ScoringSettings } from './scoring-settings';
import { requireTrust } from './trust';

export interface RewardSet {
  rules: string[];
  batch: BatchReward[];
  /** Names that are neither a rule-based nor a registered batch reward. */
  unknown: string[];
}

let channel: vscode.OutputChannel | null = null;

/** The output channel where reward functions' stderr, timeouts and load errors go. */
export function scoringOutput(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('Rollout Lens Scoring');
  return channel;
}

export async function buildRewardSet(uri: vscode.Uri, s: ScoringSettings): Promise<RewardSet> {
  const out: RewardSet = { rules: [], batch: [], unknown: [] };
  const batchNames: string[] = [];
  for (const name of s.rewards) {
    if (getReward(name)) out.rules.push(name);
    else if (batchRewardFactory(name)) batchNames.push(name);
    else out.unknown.push(name);
  }
  const runsCode = s.rewardFunctions.length > 0 || batchNames.some((n) => batchRewardFactory(n)?.runsCode);
  if (runsCode && !requireTrust()) return out;
  const log = (text: string): void => scoringOutput().appendLine(text);
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const needsPython = s.rewardFunctions.some((f) => /\.py(:[\w$]+)?$/i.test(f)) || batchNames.length > 0;
  const python = needsPython ? await pythonInterpreter(uri) : null;
  if (python) log(`Python: ${python.path} (from ${python.source})`);
  try {
    for (const n of batchNames) {
      out.batch.push(await batchRewardFactory(n)!.create({ cwd: folder, pythonPath: python?.path, timeoutMs: s.timeoutMs, params: s.params[n], log }));
    }
    for (const spec of s.rewardFunctions) {
      out.batch.push(createUserReward(spec, { cwd: folder, pythonPath: python?.path, timeoutMs: s.timeoutMs, log }));
    }
  } catch (e) {
    await disposeAll(out.batch);
    throw e;
  }
  return out;
}

export async function disposeAll(batch: readonly BatchReward[]): Promise<void> {
  await Promise.all(batch.map((b) => b.dispose().catch(() => undefined)));
}
