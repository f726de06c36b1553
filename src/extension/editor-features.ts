// One registration call for the text-editor surfaces of a rollout file: think/answer decorations, diagnostics
// (in-document and streamed by URI for files over 50 MB), quick fixes, hovers, and their commands.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ModelCache } from './model-cache';
import { DecorationController, type DecorationRole } from './decorations';
import { DocumentDiagnostics } from './diagnostics';
import { LargeFileDiagnostics } from './large-file-diagnostics';
import { FlagCodeActionProvider, disableFlagKind, goToNextFlag } from './code-actions';
import { SampleHoverProvider } from './hover';
import { offerLargeFileActions } from './large-file-actions';
import { writeFileAtomic } from '../node/atomic-write';

export interface EditorFeatures {
  decorations: DecorationController;
  diagnostics: vscode.DiagnosticCollection;
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
    vscode.commands.registerCommand('rolloutLens.nextFlag', () => goToNextFlag()),
    vscode.commands.registerCommand('rolloutLens.disableFlagKind', (kind: unknown, scope?: vscode.Uri) => disableFlagKind(kind, scope)),
    vscode.commands.registerCommand('rolloutLens.largeFileActions', (uri?: vscode.Uri) => offerLargeFileActions(uri)),
    vscode.commands.registerCommand('rolloutLens.scanFile', async (uri?: vscode.Uri) => {
      const target = uri ?? activeTabUri();
      if (!target) {
        void vscode.window.showWarningMessage('Rollout Lens: open or select a rollout file first.');
        return null;
      }
      return large.scan(target, true);
    }),
  );
  if (process.env.ROLLOUT_LENS_TEST === '1') {
    // The e2e suite (Playwright, outside the extension host) reads the decoration type keys from this file in the
    // server's private TMPDIR, to find our `ced-*-<key>-*` elements in the DOM (docs/platform.md §4.4 test hook).
    try {
      writeFileAtomic(join(tmpdir(), 'rollout-lens-test-state.json'), JSON.stringify({ decorationTypeKeys: decorations.keys }));
    } catch {
      // a read-only TMPDIR only costs the e2e assertions
    }
  }
  return {
    decorations,
    diagnostics: collection,
    appliedRanges(uri) {
      const r = decorations.appliedFor(uri);
      if (!r) return undefined;
      const plain = (rs: vscode.Range[]): [number, number, number, number][] => rs.map((x) => [x.start.line, x.start.character, x.end.line, x.end.character]);
      return { think: plain(r.think), answer: plain(r.answer), tag: plain(r.tag) };
    },
  };
}

/** The URI of the active tab, also for files over 50 MB that have no TextEditor. */
function activeTabUri(): vscode.Uri | undefined {
  const input: unknown = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}
