// Extension entry point: the only layer that imports `vscode`. Wires the core and node layers into the editor.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('rolloutLens.showSummary', () => {
      void vscode.window.showInformationMessage('Rollout Lens is active.');
    }),
  );
}

export function deactivate(): void {
  // nothing to release: subscriptions are disposed by VS Code
}
