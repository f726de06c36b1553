// Extension entry point: the only layer that imports `vscode`. Wires the core (formats, groups, detectors,
// rewards) into the editor: code lenses on sample lines, sample/group documents, summary and scoring commands,
// the status bar, and a test hook for the integration and end-to-end suites.
import * as vscode from 'vscode';
import { cleanupNow } from '../node/process-cleanup';
import { statSync } from 'node:fs';
import { ModelCache } from './model-cache';
import { RolloutCodeLensProvider } from './code-lens';
import { SAMPLE_SCHEME, SampleDocumentProvider, sampleUri } from './sample-document';
import { tierFor, type Tier } from './tier';
import { summariseRun } from '../core/run/run-summary';
import { registerScoringCommands } from './scoring/scoring-commands';
import { registerCodeRewardCommands } from './code-reward/score-code';
import { scoreStore } from './scoring/score-store';
import { registerEditorFeatures } from './editor-features';
import { statusText } from './status-text';
import { leftOut } from './diagnostics';
import { registerViewer } from './viewer/register-viewer';
import { registerLiveDocuments } from './live-documents';
import { HostBlockMonitor } from './host-block-monitor';
import { IS_ROLLOUT_FILE } from './manifest/commands';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.jsonl' }, { pattern: '**/*.json' }, { language: 'jsonl' }];

function tierOf(doc: vscode.TextDocument): Tier {
  let size = 0;
  try {
    size = doc.uri.scheme === 'file' ? statSync(doc.uri.fsPath).size : doc.getText().length;
  } catch {
    size = doc.getText().length;
  }
  return tierFor(size, doc.lineCount);
}

export function activate(context: vscode.ExtensionContext): { cache: ModelCache } {
  const cache = new ModelCache();
  const lenses = new RolloutCodeLensProvider(cache);
  const status = vscode.window.createStatusBarItem('rolloutLens.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Rollout Lens';
  status.command = 'rolloutLens.showSummary';

  // The palette's when-clauses for commands about the sample at the cursor read this key (manifest/commands.ts).
  let isRolloutFile: boolean | undefined;
  const updateStatus = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const dm = doc ? cache.get(doc) : null;
    if (isRolloutFile !== Boolean(dm)) {
      isRolloutFile = Boolean(dm);
      void vscode.commands.executeCommand('setContext', IS_ROLLOUT_FILE, isRolloutFile);
    }
    if (!doc || !dm) {
      status.hide();
      return;
    }
    const st = statusText(dm.model, tierOf(doc), leftOut(dm, doc.uri));
    status.text = st.text;
    status.tooltip = st.tooltip;
    status.command = { title: 'Rollout Lens', command: st.command, arguments: [doc.uri] };
    status.show();
  };

  const withModel = async (uri: vscode.Uri | undefined): Promise<{ doc: vscode.TextDocument; dm: NonNullable<ReturnType<ModelCache['get']>> } | null> => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showWarningMessage('Rollout Lens: open a rollout file first.');
      return null;
    }
    const doc = await vscode.workspace.openTextDocument(target);
    const dm = await cache.whenReady(doc);
    if (!dm) {
      void vscode.window.showWarningMessage(`Rollout Lens: ${target.path.split('/').pop()} is not recognised as a rollout file.`);
      return null;
    }
    return { doc, dm };
  };

  const sampleAtCursor = (doc: vscode.TextDocument, dm: NonNullable<ReturnType<ModelCache['get']>>): number => {
    const editor = vscode.window.activeTextEditor;
    const line = editor && editor.document === doc ? editor.selection.active.line : 0;
    for (let l = line; l >= 0; l--) if (dm.sampleAtLine[l] >= 0) return dm.sampleAtLine[l];
    return 0;
  };

  const editorFeatures = registerEditorFeatures(context, cache);
  context.subscriptions.push(
    cache,
    status,
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.workspace.registerTextDocumentContentProvider(SAMPLE_SCHEME, new SampleDocumentProvider(cache)),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    cache.onDidChangeModel(updateStatus),
    vscode.commands.registerCommand('rolloutLens.showSummary', async (uri?: vscode.Uri) => {
      const r = await withModel(uri);
      if (!r) return undefined;
      const summary = summariseRun(r.dm.model, r.doc.uri.fsPath);
      if (!summary) return undefined;
      const reward = summary.reward ? `mean reward ${summary.reward.mean.toFixed(3)}` : 'no reward in file';
      void vscode.window.showInformationMessage(
        `Rollout Lens: ${summary.format} (${summary.formatReason}) — ${summary.samples} samples, ${summary.groups.count} groups (${summary.groups.zeroVariance} zero-variance), ${reward}; flags: ${Object.entries(summary.flags).map(([k, v]) => `${k} ${v}`).join(', ')}${summary.badLines.length ? `; ${summary.badLines.length} bad lines` : ''}`,
      );
      return summary;
    }),
    vscode.commands.registerCommand('rolloutLens.showSampleInfo', async (uri?: vscode.Uri, sample?: number) => {
      const r = await withModel(uri);
      if (!r) return;
      const i = sample ?? sampleAtCursor(r.doc, r.dm);
      await vscode.commands.executeCommand('markdown.showPreviewToSide', sampleUri(r.doc.uri, i, 'sample'));
    }),
    vscode.commands.registerCommand('rolloutLens.openSampleAsText', async (uri?: vscode.Uri, sample?: number) => {
      const r = await withModel(uri);
      if (!r) return;
      const i = sample ?? sampleAtCursor(r.doc, r.dm);
      const d = await vscode.workspace.openTextDocument(sampleUri(r.doc.uri, i, 'sample'));
      await vscode.window.showTextDocument(d, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
    vscode.commands.registerCommand('rolloutLens.showGroup', async (uri?: vscode.Uri, sample?: number) => {
      const r = await withModel(uri);
      if (!r) return;
      const i = sample ?? sampleAtCursor(r.doc, r.dm);
      const d = await vscode.workspace.openTextDocument(sampleUri(r.doc.uri, i, 'group'));
      await vscode.window.showTextDocument(d, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
    // Scoring commands (Score File/Sample/Group, Choose Rewards…, reward functions, scored copies, Compare).
    ...registerScoringCommands({ cache }),
    ...registerCodeRewardCommands(context),
    scoreStore.onDidChange(() => lenses.refresh()),
  );

  registerViewer(context);
  registerLiveDocuments(context);

  if (process.env.ROLLOUT_LENS_TEST === '1') {
    // Test hook (docs/platform.md §4.4): state for assertions from the integration and e2e suites.
    // Host responsiveness: read (and optionally reset) around a scenario; Playwright reads the file instead.
    const blocks = new HostBlockMonitor({ file: join(tmpdir(), 'rollout-lens-host-blocks.json') }).start();
    // Activation often comes from opening a rollout file: that document's transfer happened before this listener.
    blocks.note(`activated (${vscode.workspace.textDocuments.length} documents open)`);
    // VS Code deserialises a document it hands to the extension host in one task that ends with the open event:
    // the note marks that block as the platform's transfer (our open handlers only schedule work).
    context.subscriptions.push({ dispose: () => blocks.dispose() }, vscode.workspace.onDidOpenTextDocument((d) => blocks.note(`document opened: ${d.uri.path.split('/').pop() ?? ''} (${d.lineCount} lines)`)));
    context.subscriptions.push(vscode.commands.registerCommand('rolloutLens._testState', async (uri?: vscode.Uri, opts?: { resetHostBlocks?: boolean; noDocument?: boolean }) => {
      const hostBlocks = blocks.read();
      if (opts?.resetHostBlocks) blocks.reset();
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      // noDocument: files over 50 MB cannot be opened as documents by extensions (openTextDocument throws).
      const doc = target && !opts?.noDocument ? await vscode.workspace.openTextDocument(target) : undefined;
      const dm = doc ? await cache.whenReady(doc) : null;
      return {
        activated: true,
        hostBlocks,
        tier: doc ? tierOf(doc) : undefined,
        lensCount: lenses.lastCount,
        samples: dm?.model.count,
        format: dm?.model.detection?.format,
        flagCounts: dm?.model.flagCounts,
        decorationTypeKeys: editorFeatures.decorations.keys,
        decorationRanges: target ? editorFeatures.appliedRanges(target) : undefined,
        diagnosticsCount: target ? editorFeatures.diagnostics.get(target)?.length ?? 0 : 0,
        statusText: status.text,
      };
    }));
  }
  updateStatus();
  return { cache };
}

export function deactivate(): void {
  // Subscriptions are disposed by VS Code; sandboxes and reward-function drivers still running are killed here,
  // their temp folders and pending output files removed (process-cleanup.ts also does this at process exit).
  cleanupNow();
}
