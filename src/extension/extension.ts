// Extension entry point: the only layer that imports `vscode`. `activate` is wiring only: the model cache, the
// text-editor surfaces, the status bar, and each feature's commands registered from its own folder on the one
// command layer (commands/command-context.ts: target file, model, sample at the cursor, errors). The test hooks
// install themselves only in test runs (test-hooks.ts).
import * as vscode from 'vscode';
import { cleanupNow } from '../node/process-cleanup';
import { ModelCache } from './model-cache';
import { RolloutCodeLensProvider } from './code-lens';
import { SAMPLE_SCHEME, SampleDocumentProvider } from './sample-document';
import { CommandLayer } from './commands/command-context';
import { registerEditorCommands } from './editor/editor-commands';
import { registerStatusBar } from './editor/status-bar';
import { registerScoringCommands } from './scoring/scoring-commands';
import { registerCodeRewardCommands } from './code-reward/score-code';
import { scoreStore } from './scoring/score-store';
import { registerEditorFeatures } from './editor-features';
import { registerViewer } from './viewer/register-viewer';
import { registerLiveDocuments } from './live-documents';
import { installTestHooks, noteCommandFailure } from './test-hooks';

const SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.jsonl' }, { pattern: '**/*.json' }, { language: 'jsonl' }];

export function activate(context: vscode.ExtensionContext): { cache: ModelCache } {
  const cache = new ModelCache();
  const layer = new CommandLayer(cache, noteCommandFailure);
  const lenses = new RolloutCodeLensProvider(cache);
  const editor = registerEditorFeatures(context, cache);
  context.subscriptions.push(
    cache,
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.workspace.registerTextDocumentContentProvider(SAMPLE_SCHEME, new SampleDocumentProvider(cache)),
    ...registerEditorCommands(layer, editor.large),
    ...registerScoringCommands(layer),
    ...registerCodeRewardCommands(context, layer),
    scoreStore.onDidChange(() => lenses.refresh()),
  );
  registerViewer(context, layer);
  registerLiveDocuments(context);
  const status = registerStatusBar(cache);
  context.subscriptions.push(status);
  installTestHooks(context, { cache, lenses, editor, status });
  return { cache };
}

export function deactivate(): void {
  // Subscriptions are disposed by VS Code; sandboxes and reward-function drivers still running are killed here,
  // their temp folders and pending output files removed (process-cleanup.ts also does this at process exit).
  cleanupNow();
}
