// Which file a scoring command is about: the URI it was given (lens, menu, test), else the active text editor's
// document, else the file of the active Rollout Viewer tab (large files have no text editor).
import * as vscode from 'vscode';

export function targetUri(arg?: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.scheme === 'file') return editor.document.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return editor?.document.uri;
}
