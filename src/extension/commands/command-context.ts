// The one command layer: every command resolves its target file, that file's document model, the sample at the
// cursor and its errors here, the same way. A command is `layer.registerCommand(id, handler)`; inside, the handler
// calls `layer.target(arg)`, `await layer.model(uri)` and `layer.sampleAt(...)`, which throw a CommandError when
// the precondition fails. The registration catches every throw once: one notification (a warning for a missing
// or unrecognised file, an error otherwise), one line in the "Rollout Lens" output, and the command returns
// undefined (a rejected command would make VS Code show a second, generic notification).
// Features register their commands from their own folders (editor/, viewer/, scoring/, code-reward/).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ModelCache } from '../model-cache';
import type { DocumentModel } from '../document-model';
import { CommandError, describeFailure } from './command-error';
import { sampleAtLine } from './cursor-sample';

export { CommandError } from './command-error';

/** A text document the extension reads as rollouts, with its model. */
export interface ResolvedModel {
  doc: vscode.TextDocument;
  dm: DocumentModel;
}

/** Observes failures (the test hooks count them); production passes nothing. */
export type FailureListener = (command: string, message: string) => void;

let log: vscode.LogOutputChannel | null = null;

/** The "Rollout Lens" output channel where command failures are logged (created on the first failure). */
function commandLog(): vscode.LogOutputChannel {
  log ??= vscode.window.createOutputChannel('Rollout Lens', { log: true });
  return log;
}

/**
 * The file a command is about: the URI (or path) it was given by a lens, menu, keybinding or test; else the active
 * text editor's file; else the file of the active tab — the Rollout Viewer (custom editor) or a text tab without an
 * editor (files over 50 MB); else a non-file text editor's document (untitled, sample views).
 */
export function targetUri(arg?: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.scheme === 'file') return editor.document.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return editor?.document.uri;
}

export class CommandLayer {
  constructor(readonly cache: ModelCache, private readonly onFailure?: FailureListener) {}

  /** Registers `id` with the layer's error handling (see the file comment). */
  registerCommand<A extends unknown[], R>(id: string, run: (...args: A) => R | Promise<R>): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
      try {
        return await run(...args);
      } catch (e) {
        this.report(id, e);
        return undefined;
      }
    });
  }

  /** The command's target file (targetUri); throws a warning when there is none. */
  target(arg?: unknown, missing = 'open a rollout file first.'): vscode.Uri {
    const uri = targetUri(arg);
    if (!uri) throw new CommandError(missing, 'warning');
    return uri;
  }

  /** The model of `uri` as a text document, once it is built; throws a warning when it is not a rollout file. */
  async model(uri: vscode.Uri): Promise<ResolvedModel> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const dm = await this.cache.whenReady(doc);
    if (!dm) throw new CommandError(`${basename(uri.path)} is not recognised as a rollout file.`, 'warning');
    return { doc, dm };
  }

  /** `explicit` when a lens or test passed a sample index; else the sample at the cursor of `uri`'s editor, else 0. */
  sampleAt(uri: vscode.Uri, dm: DocumentModel, explicit?: unknown): number {
    if (typeof explicit === 'number') return explicit;
    const editor = vscode.window.activeTextEditor;
    const line = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active.line : 0;
    return sampleAtLine(dm.sampleAtLine, line);
  }

  private report(id: string, e: unknown): void {
    const f = describeFailure(id, e);
    if (f.level === 'warning') {
      void vscode.window.showWarningMessage(f.message);
      commandLog().warn(f.log);
    } else {
      void vscode.window.showErrorMessage(f.message);
      commandLog().error(f.log);
    }
    this.onFailure?.(id, f.message);
  }
}
