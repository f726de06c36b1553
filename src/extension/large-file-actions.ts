// The tier-B offer behind the status bar's "lenses off (file > 20 MB)": VS Code switched code lenses off for the
// file (editor.largeFileOptimizations), so offer the Rollout Viewer or turning the optimisation off for JSONL.
import * as vscode from 'vscode';

interface Choice extends vscode.QuickPickItem {
  action: 'viewer' | 'optimizations';
}

export async function offerLargeFileActions(uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  const items: Choice[] = [
    { action: 'viewer', label: '$(preview) Open in Rollout Viewer', detail: 'Streams the file; per-sample rewards, groups and flags for any size.' },
    {
      action: 'optimizations',
      label: '$(settings-gear) Turn off large-file optimizations for JSONL files',
      detail: 'Sets "editor.largeFileOptimizations": false for [jsonl] in this workspace, so code lenses come back after the file is reopened (slower editor on big files).',
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Rollout Lens: code lenses are off (file > 20 MB)', placeHolder: 'Decorations and diagnostics stay on. Choose how to see per-sample lenses' });
  if (!pick) return;
  if (pick.action === 'viewer') {
    const all = await vscode.commands.getCommands(true);
    if (all.includes('rolloutLens.openViewer')) {
      await vscode.commands.executeCommand('rolloutLens.openViewer', target);
    } else {
      void vscode.window.showInformationMessage('Rollout Lens: the Rollout Viewer is not available in this build; use the status bar summary or the Problems panel.');
    }
    return;
  }
  // The setting is read when the text model is created, per language: a [jsonl] override is the narrowest scope
  // VS Code offers (there is no per-file scope).
  const target2 = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('editor', { languageId: 'jsonl' }).update('largeFileOptimizations', false, target2, true);
  void vscode.window.showInformationMessage('Rollout Lens: large-file optimizations are off for JSONL files. Close and reopen the file to get code lenses back.');
}
