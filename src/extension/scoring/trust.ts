// User reward functions run the user's code; VS Code's Restricted Mode exists so that opening a downloaded folder
// cannot run code from it. So they only run in trusted workspaces, and we say why when they do not.
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE =
  'Rollout Lens: reward functions are programs (Python or JavaScript) that run on this machine with your permissions. ' +
  'This workspace is in Restricted Mode, where VS Code keeps extensions from running code that came with a folder, ' +
  'so your reward function was not run. Trust the workspace to use it; the built-in rule-based rewards work either way.';

/** True when code may run; otherwise explains why not (with a button to manage trust) and returns false. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
