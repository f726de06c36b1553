// The commands of a rollout file in the text editor: Show Summary, Preview Sample, Open Sample as Text, Show
// Group, Go to Next Flag, Scan File for Problems, and the targets of a quick fix (Disable a Kind of Flag) and of
// the large-file status bar item. Target, model, cursor and errors come from the command layer.
import * as vscode from 'vscode';
import type { CommandLayer } from '../commands/command-context';
import type { LargeFileDiagnostics } from '../large-file-diagnostics';
import { summariseRun } from '../../core/run/run-summary';
import { sampleUri } from '../sample-document';
import { disableFlagKind, goToNextFlag } from '../code-actions';
import { offerLargeFileActions } from '../large-file-actions';

/** Opens the rollout-sample: view of the sample (or its group) at the cursor beside the editor. */
async function openBeside(layer: CommandLayer, arg: unknown, sample: unknown, view: 'sample' | 'group'): Promise<void> {
  const { doc, dm } = await layer.model(layer.target(arg));
  const d = await vscode.workspace.openTextDocument(sampleUri(doc.uri, layer.sampleAt(doc.uri, dm, sample), view));
  await vscode.window.showTextDocument(d, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

export function registerEditorCommands(layer: CommandLayer, large: LargeFileDiagnostics): vscode.Disposable[] {
  return [
    layer.registerCommand('rolloutLens.showSummary', async (arg?: unknown) => {
      const { doc, dm } = await layer.model(layer.target(arg));
      const summary = summariseRun(dm.model, doc.uri.fsPath);
      if (!summary) return undefined;
      const reward = summary.reward ? `mean reward ${summary.reward.mean.toFixed(3)}` : 'no reward in file';
      void vscode.window.showInformationMessage(
        `Rollout Lens: ${summary.format} (${summary.formatReason}) — ${summary.samples} samples, ${summary.groups.count} groups (${summary.groups.zeroVariance} zero-variance), ${reward}; flags: ${Object.entries(summary.flags).map(([k, v]) => `${k} ${v}`).join(', ')}${summary.badLines.length ? `; ${summary.badLines.length} bad lines` : ''}`,
      );
      return summary;
    }),
    layer.registerCommand('rolloutLens.showSampleInfo', async (arg?: unknown, sample?: number) => {
      const { doc, dm } = await layer.model(layer.target(arg));
      await vscode.commands.executeCommand('markdown.showPreviewToSide', sampleUri(doc.uri, layer.sampleAt(doc.uri, dm, sample), 'sample'));
    }),
    layer.registerCommand('rolloutLens.openSampleAsText', (arg?: unknown, sample?: number) => openBeside(layer, arg, sample, 'sample')),
    layer.registerCommand('rolloutLens.showGroup', (arg?: unknown, sample?: number) => openBeside(layer, arg, sample, 'group')),
    layer.registerCommand('rolloutLens.nextFlag', () => goToNextFlag()),
    layer.registerCommand('rolloutLens.disableFlagKind', (kind: unknown, scope?: vscode.Uri) => disableFlagKind(kind, scope)),
    layer.registerCommand('rolloutLens.largeFileActions', (uri?: vscode.Uri) => offerLargeFileActions(uri)),
    layer.registerCommand('rolloutLens.scanFile', (arg?: unknown) => large.scan(layer.target(arg, 'open or select a rollout file first.'), true)),
  ];
}
