// The scoring settings (contributed in package.json): which rewards, their parameters, the user's reward functions,
// the Python interpreter, the per-batch timeout and the sidecar mode. Read per file so that folder settings apply.
import * as vscode from 'vscode';
import { DEFAULT_REWARDS } from '../../core/run/score-sample';
import type { RewardParams } from '../../core/rewards/types';

export interface ScoringSettings {
  rewards: string[];
  params: Record<string, RewardParams>;
  rewardFunctions: string[];
  pythonPath: string;
  timeoutMs: number;
  sidecar: boolean;
}

export function readScoringSettings(scope?: vscode.Uri): ScoringSettings {
  const c = vscode.workspace.getConfiguration('rolloutLens', scope);
  const rewards = c.get<string[]>('rewards', DEFAULT_REWARDS);
  return {
    rewards: Array.isArray(rewards) && rewards.length > 0 ? rewards : DEFAULT_REWARDS,
    params: c.get<Record<string, RewardParams>>('rewardParameters', {}),
    rewardFunctions: c.get<string[]>('rewardFunctions', []),
    pythonPath: c.get<string>('pythonPath', ''),
    timeoutMs: Math.max(1, c.get<number>('rewardFunctionTimeout', 30)) * 1000,
    sidecar: c.get<boolean>('scoring.sidecar', false),
  };
}

/** Settings target: the workspace when one is open (these choices belong to a project), else the user settings. */
export function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}
