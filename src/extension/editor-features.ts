// One registration call for the text-editor surfaces of a rollout file: think/answer decorations, diagnostics
// (in-document and streamed by URI for files over 50 MB), quick fixes and hovers. Their commands are registered
// by editor/editor-commands.ts.
import * as vscode from 'vscode';
import type { ModelCache } from './model-cache';
import { DecorationController, type DecorationRole } from './decorations';
import { DocumentDiagnostics } from './diagnostics';
import { LargeFileDiagnostics } from './large-file-diagnostics';
import { FlagCodeActionProvider } from './code-actions';
import { SampleHoverProvider } from './hover';

export interface EditorFeatures {
  decorations: DecorationController;
  diagnostics: vscode.DiagnosticCollection;
  /** Diagnostics of files too large for a text model (Scan File for Problems). */
  large: LargeFileDiagnostics;
  /** For the test hook: decoration ranges last applied to the editor of `uri`, as [line, startCol, line, endCol]. */
  appliedRanges(uri: vscode.Uri): Record<DecorationRole, [number, number, number, number][]> | undefined;
}

const SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.jsonl' }, { pattern: '**/*.json' }, { language: 'jsonl' }];

export function registerEditorFeatures(context: vscode.ExtensionContext, cache: ModelCache): EditorFeatures {
  const collection = vscode.languages.createDiagnosticCollection('rolloutLens');
  const decorations = new DecorationController(cache);
  const documentDiagnostics = new DocumentDiagnostics(cache, collection);
  const large = new LargeFileDiagnostics(collection);
  context.subscriptions.push(
    collection,
    decorations,
    documentDiagnostics,
    large,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new FlagCodeActionProvider(cache), { providedCodeActionKinds: FlagCodeActionProvider.kinds }),
    vscode.languages.registerHoverProvider(SELECTOR, new SampleHoverProvider(cache)),
  );
  return {
    decorations,
    diagnostics: collection,
    large,
    appliedRanges(uri) {
      const r = decorations.appliedFor(uri);
      if (!r) return undefined;
      const plain = (rs: vscode.Range[]): [number, number, number, number][] => rs.map((x) => [x.start.line, x.start.character, x.end.line, x.end.character]);
      return { think: plain(r.think), answer: plain(r.answer), tag: plain(r.tag) };
    },
  };
}
