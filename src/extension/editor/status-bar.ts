// The status bar item of a rollout file (format, samples, flags; its command is the summary or the large-file
// offer) and the `rolloutLens.isRolloutFile` context key the palette's when-clauses read (manifest/commands.ts):
// both follow the active text editor and the model cache.
import * as vscode from 'vscode';
import { statSync } from 'node:fs';
import type { ModelCache } from '../model-cache';
import { tierFor, type Tier } from '../tier';
import { statusText } from '../status-text';
import { leftOut } from '../diagnostics';
import { IS_ROLLOUT_FILE } from '../manifest/commands';

/** The size tier of an open document (from disk when it is a file: the text length undercounts bytes). */
export function tierOf(doc: vscode.TextDocument): Tier {
  let size = 0;
  try {
    size = doc.uri.scheme === 'file' ? statSync(doc.uri.fsPath).size : doc.getText().length;
  } catch {
    size = doc.getText().length;
  }
  return tierFor(size, doc.lineCount);
}

export interface RolloutStatusBar extends vscode.Disposable {
  /** What the item shows now (the test hooks report it). */
  readonly text: string;
}

export function registerStatusBar(cache: ModelCache): RolloutStatusBar {
  const status = vscode.window.createStatusBarItem('rolloutLens.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Rollout Lens';
  status.command = 'rolloutLens.showSummary';

  let isRolloutFile: boolean | undefined;
  const update = (): void => {
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
  const subscriptions = [status, vscode.window.onDidChangeActiveTextEditor(update), cache.onDidChangeModel(update)];
  update();
  return {
    get text() { return status.text; },
    dispose: () => { for (const s of subscriptions) s.dispose(); },
  };
}
