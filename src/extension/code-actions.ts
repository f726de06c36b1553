// Quick fixes on our diagnostics: open the sample rendered, turn this kind of flag off, jump to the next flag.
// The flag kind travels as the diagnostic's `code`, the sample comes from the document's line index.
import * as vscode from 'vscode';
import { FLAG_KINDS, type FlagKind } from '../core/types';
import type { ModelCache } from './model-cache';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

function isFlagKind(v: unknown): v is FlagKind {
  return typeof v === 'string' && (FLAG_KINDS as readonly string[]).includes(v);
}

export class FlagCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly cache: ModelCache) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = ctx.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    // The diagnostics may be from the previous version while the current one is being built: wait for it.
    const dm = await this.cache.whenReady(doc);
    const actions: vscode.CodeAction[] = [];
    const kinds = new Set<FlagKind>();
    const lines = new Set<number>();
    for (const d of ours) {
      const line = d.range.start.line;
      const sample = dm && line < dm.sampleAtLine.length ? dm.sampleAtLine[line] : -1;
      if (sample >= 0 && !lines.has(line)) {
        lines.add(line);
        const open = new vscode.CodeAction(`Open sample ${sample + 1} rendered`, vscode.CodeActionKind.QuickFix);
        open.command = { title: open.title, command: 'rolloutLens.openSample', arguments: [doc.uri, sample] };
        open.diagnostics = [d];
        actions.push(open);
      }
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      if (isFlagKind(code)) kinds.add(code);
    }
    for (const kind of kinds) {
      const off = new vscode.CodeAction(`Disable "${kind}" flags`, vscode.CodeActionKind.QuickFix);
      off.command = { title: off.title, command: 'rolloutLens.disableFlagKind', arguments: [kind, doc.uri] };
      off.diagnostics = ours.filter((d) => d.code === kind);
      actions.push(off);
    }
    const next = new vscode.CodeAction('Go to next flag', vscode.CodeActionKind.QuickFix);
    next.command = { title: next.title, command: 'rolloutLens.nextFlag' };
    actions.push(next);
    return actions;
  }
}

/** Turns a flag kind off in rolloutLens.flags.enabled (workspace settings when a folder is open, else user). */
export async function disableFlagKind(kind: unknown, scope?: vscode.Uri): Promise<void> {
  if (!isFlagKind(kind)) return;
  const config = vscode.workspace.getConfiguration('rolloutLens', scope);
  const current = config.get<Record<string, boolean>>('flags.enabled', {});
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('flags.enabled', { ...current, [kind]: false }, target);
  void vscode.window.showInformationMessage(`Rollout Lens: "${kind}" flags are off (rolloutLens.flags.enabled).`);
}

/** Moves the cursor of the active editor to the next (or first, wrapping) Rollout Lens diagnostic after it. */
export function goToNextFlag(): vscode.Position | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const diags = vscode.languages.getDiagnostics(editor.document.uri)
    .filter((d) => d.source === DIAGNOSTIC_SOURCE)
    .sort((a, b) => a.range.start.compareTo(b.range.start));
  if (diags.length === 0) {
    void vscode.window.showInformationMessage('Rollout Lens: no flags in this file.');
    return undefined;
  }
  const at = editor.selection.active;
  const next = diags.find((d) => d.range.start.isAfter(at)) ?? diags[0];
  editor.selection = new vscode.Selection(next.range.start, next.range.end);
  editor.revealRange(next.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return next.range.start;
}
