// Everything the integration and end-to-end suites reach inside the extension, behind one switch: the code-server
// (or Electron) process of a test run is started with ROLLOUT_LENS_TEST=1, and only then does installTestHooks()
// register the `rolloutLens._*` commands, start the host-block monitor and write the state files Playwright reads
// from the server's private TMPDIR. No other file reads the variable. The counters below are plain fields that
// production code bumps unconditionally (cheaper than a branch); nothing reads them outside a test run.
// The tests import the types from here (`import type`), so both sides read one shape.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeFileAtomic } from '../node/atomic-write';
import { HostBlockMonitor, type HostBlockReport } from './host-block-monitor';
import type { ModelCache } from './model-cache';
import type { EditorFeatures } from './editor-features';
import type { RolloutStatusBar } from './editor/status-bar';
import { tierOf } from './editor/status-bar';
import type { Tier } from './tier';
import { compareTestState } from './viewer/compare-panel';
import { storeCodeConsent, type CodeConsent } from './code-reward/score-code';
import type { DecorationRole } from './decorations';
import type { FlagKind, FormatName } from '../core/types';

/** The single switch. */
export const TEST_HOOKS_ENABLED = process.env.ROLLOUT_LENS_TEST === '1';

/** Host responsiveness as Playwright reads it (outside the host); `rolloutLens._testState` returns the same report. */
export const HOST_BLOCKS_FILE = join(tmpdir(), 'rollout-lens-host-blocks.json');
/** The decoration type keys, for the e2e suite to find our `ced-*-<key>-*` elements in the DOM. */
export const TEST_STATE_FILE = join(tmpdir(), 'rollout-lens-test-state.json');

export interface ViewerTestState {
  /** Custom editors resolved, panels opened (run and sample). */
  resolved: number;
  panels: number;
  /** The last scan that finished, or failed. */
  lastDone: null | { path: string; samples: number };
  lastError: string | null;
  /** Live tail: re-reads after growth, the notices shown, the chart data last sent to a run viewer. */
  updates: number;
  notices: string[];
  lastAggregates: null | { path: string; rewardCounted: number; steps: (number | null)[]; scatter: number };
}

/** Counters of the viewer registration (viewer/register-viewer.ts bumps them). */
export const viewerTestState: ViewerTestState = {
  resolved: 0, panels: 0, lastDone: null, lastError: null, updates: 0, notices: [], lastAggregates: null,
};

/** `rolloutLens._viewerState`: the viewer counters and the last comparison. */
export type ViewerTestSnapshot = ViewerTestState & { compare: typeof compareTestState };

/** `rolloutLens._testState [uri] [opts]`: one document as the extension sees it, plus the host responsiveness. */
export interface EditorTestState {
  activated: true;
  hostBlocks: HostBlockReport;
  tier: Tier | undefined;
  lensCount: number;
  samples: number | undefined;
  format: FormatName | undefined;
  flagCounts: Record<FlagKind, number> | undefined;
  decorationTypeKeys: Record<DecorationRole, string>;
  decorationRanges: Record<DecorationRole, [number, number, number, number][]> | undefined;
  diagnosticsCount: number;
  statusText: string;
  /** Commands that failed since activation (id: message), oldest first: the command layer reports them here. */
  commandFailures: string[];
}

export interface EditorTestOptions {
  /** Read, then start a new window of host blocks. */
  resetHostBlocks?: boolean;
  /** Files over 50 MB cannot be opened as documents by extensions (openTextDocument throws). */
  noDocument?: boolean;
}

const commandFailures: string[] = [];

/** The command layer's failure listener: recorded only in test runs. */
export function noteCommandFailure(command: string, message: string): void {
  if (TEST_HOOKS_ENABLED) commandFailures.push(`${command}: ${message}`);
}

export interface TestHookDeps {
  cache: ModelCache;
  lenses: { readonly lastCount: number };
  editor: EditorFeatures;
  status: RolloutStatusBar;
}

export function installTestHooks(context: vscode.ExtensionContext, deps: TestHookDeps): void {
  if (!TEST_HOOKS_ENABLED) return;
  const { cache, lenses, editor, status } = deps;
  const blocks = new HostBlockMonitor({ file: HOST_BLOCKS_FILE }).start();
  // Activation often comes from opening a rollout file: that document's transfer happened before this listener.
  blocks.note(`activated (${vscode.workspace.textDocuments.length} documents open)`);
  try {
    writeFileAtomic(TEST_STATE_FILE, JSON.stringify({ decorationTypeKeys: editor.decorations.keys }));
  } catch {
    // a read-only TMPDIR only costs the e2e assertions
  }
  context.subscriptions.push(
    { dispose: () => blocks.dispose() },
    // VS Code deserialises a document it hands to the extension host in one task that ends with the open event:
    // the note marks that block as the platform's transfer (our open handlers only schedule work).
    vscode.workspace.onDidOpenTextDocument((d) => blocks.note(`document opened: ${d.uri.path.split('/').pop() ?? ''} (${d.lineCount} lines)`)),
    vscode.commands.registerCommand('rolloutLens._testState', async (uri?: vscode.Uri, opts?: EditorTestOptions): Promise<EditorTestState> => {
      const hostBlocks = blocks.read();
      if (opts?.resetHostBlocks) blocks.reset();
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
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
        decorationTypeKeys: editor.decorations.keys,
        decorationRanges: target ? editor.appliedRanges(target) : undefined,
        diagnosticsCount: target ? editor.diagnostics.get(target)?.length ?? 0 : 0,
        statusText: status.text,
        commandFailures: [...commandFailures],
      };
    }),
    vscode.commands.registerCommand('rolloutLens._viewerState', (): ViewerTestSnapshot => ({ ...viewerTestState, compare: { ...compareTestState } })),
    // Pre-answers the code-sandbox consent modal the way the user's "Run Programs" does: the same globalState key,
    // written by the same function, so Score Code Samples runs its real consent check.
    vscode.commands.registerCommand('rolloutLens._storeCodeConsent', async (kinds: CodeConsent[] = ['sandbox', 'weak']): Promise<void> => {
      for (const k of kinds) await storeCodeConsent(context.globalState, k);
    }),
  );
}
