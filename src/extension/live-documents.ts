// Live tail in the text editor: VS Code reloads a non-dirty document when its file changes on disk, and the
// model cache rebuilds from the reload (throttled). VS Code learns of the change from its workspace watcher,
// which can miss files outside the workspace or coalesce a stream of appends; so every open rollout file also
// gets its own non-recursive watch (createFileSystemWatcher on the file), which VS Code serves separately.
import * as vscode from 'vscode';
import { ModelCache } from './model-cache';

export function registerLiveDocuments(context: vscode.ExtensionContext): void {
  const watchers = new Map<string, vscode.FileSystemWatcher>();
  const watch = (doc: vscode.TextDocument): void => {
    if (doc.uri.scheme !== 'file' || !ModelCache.isCandidate(doc)) return;
    const key = doc.uri.toString();
    if (watchers.has(key)) return;
    const dir = vscode.Uri.joinPath(doc.uri, '..');
    const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
    // Events are not needed here: the watch request itself makes VS Code follow the file and reload it.
    watchers.set(key, vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, name), true, false, true));
  };
  for (const d of vscode.workspace.textDocuments) watch(d);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(watch),
    vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      watchers.get(key)?.dispose();
      watchers.delete(key);
    }),
    { dispose: () => { for (const w of watchers.values()) w.dispose(); watchers.clear(); } },
  );
}
