// Registers the Rollout Viewer: the read-only custom editor for rollout files of any size, run panels for
// folders (restored by a serializer), the rendered-sample panel behind the "Open Sample" lens, and the
// commands that open them. Called once from activate().
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { RunDocument } from './run-document';
import { ViewerController } from './viewer-controller';
import { viewerHtml, webviewOptions } from './webview-html';
import type { ChartAggregates, ViewerState } from '../../protocol/viewer-protocol';
import { openComparePanel, type CompareTarget } from './compare-panel';
import { viewerTestState } from '../test-hooks';
import { targetUri, type CommandLayer } from '../commands/command-context';

export const VIEWER_TYPE = 'rolloutLens.viewer';
export const RUN_PANEL_TYPE = 'rolloutLens.run';
export const SAMPLE_PANEL_TYPE = 'rolloutLens.sample';

/** The run documents open in a viewer (most recent last): "Compare Runs…" offers two steps of the active one. */
const openRuns: RunDocument[] = [];

function trackOpen(doc: RunDocument): void {
  openRuns.push(doc);
}

function untrack(doc: RunDocument): void {
  const i = openRuns.indexOf(doc);
  if (i >= 0) openRuns.splice(i, 1);
}

function recordAggregates(doc: RunDocument): (a: ChartAggregates) => void {
  return (a) => {
    viewerTestState.lastAggregates = {
      path: doc.uri.fsPath, rewardCounted: a.reward?.counts.reduce((x, y) => x + y, 0) ?? 0, steps: a.steps.map((p) => p.step), scatter: a.scatter.length,
    };
  };
}

class RolloutViewerProvider implements vscode.CustomReadonlyEditorProvider<RunDocument> {
  constructor(private readonly extensionUri: vscode.Uri) {}

  openCustomDocument(uri: vscode.Uri): RunDocument {
    // The scan starts now, while the webview loads; nothing here needs a TextDocument (files > 50 MB work).
    return trackDone(new RunDocument(uri));
  }

  resolveCustomEditor(doc: RunDocument, panel: vscode.WebviewPanel): void {
    // Explicit options: custom editors did not get the default roots (#282495).
    panel.webview.options = webviewOptions(this.extensionUri);
    const title = basename(doc.uri.fsPath);
    panel.webview.html = viewerHtml(panel.webview, this.extensionUri, 'run', title);
    const ctl = new ViewerController(panel.webview, doc, {
      mode: 'run', title,
      onReopenAsText: () => void vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default'),
      onAggregates: recordAggregates(doc),
    });
    trackOpen(doc);
    panel.onDidChangeViewState(() => { if (panel.active) { untrack(doc); trackOpen(doc); } });
    panel.onDidDispose(() => { ctl.dispose(); untrack(doc); });
    viewerTestState.resolved++;
  }
}

function trackDone(doc: RunDocument): RunDocument {
  void doc.scanned.then(() => {
    if (doc.state === 'done') viewerTestState.lastDone = { path: doc.uri.fsPath, samples: doc.session.model?.count ?? 0 };
    if (doc.state === 'error') viewerTestState.lastError = doc.error;
  });
  doc.onEvent((e) => {
    if (e.kind === 'updated') {
      viewerTestState.updates++;
      viewerTestState.lastDone = { path: doc.uri.fsPath, samples: doc.session.model?.count ?? 0 };
    }
    if (e.kind === 'notice') viewerTestState.notices.push(e.message);
  });
  return doc;
}

/** A run folder (or any path) in a WebviewPanel; the panel's state keeps the path for the serializer. */
function showRunPanel(extensionUri: vscode.Uri, uri: vscode.Uri, panel?: vscode.WebviewPanel): vscode.WebviewPanel {
  const title = basename(uri.fsPath);
  const p = panel ?? vscode.window.createWebviewPanel(RUN_PANEL_TYPE, `Run: ${title}`, vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
  p.webview.options = webviewOptions(extensionUri);
  p.webview.html = viewerHtml(p.webview, extensionUri, 'run', title);
  const doc = trackDone(new RunDocument(uri));
  const ctl = new ViewerController(p.webview, doc, { mode: 'run', title, onAggregates: recordAggregates(doc) });
  trackOpen(doc);
  p.onDidChangeViewState(() => { if (p.active) { untrack(doc); trackOpen(doc); } });
  p.onDidDispose(() => { ctl.dispose(); doc.dispose(); untrack(doc); });
  viewerTestState.panels++;
  return p;
}

/** The rendered-sample panel: one per file, reused; shows sample `index` with next/previous. */
class SamplePanels {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; ctl: ViewerController }>();
  constructor(private readonly extensionUri: vscode.Uri) {}

  show(uri: vscode.Uri, index: number, panel?: vscode.WebviewPanel): void {
    const key = uri.toString();
    const existing = this.open.get(key);
    if (existing && !panel) {
      existing.ctl.showSample(index);
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const title = basename(uri.fsPath);
    const p = panel ?? vscode.window.createWebviewPanel(SAMPLE_PANEL_TYPE, `Sample ${index + 1}: ${title}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false });
    p.webview.options = webviewOptions(this.extensionUri);
    p.webview.html = viewerHtml(p.webview, this.extensionUri, 'sample', title);
    // The sample panel shows one sample: no live tail (the run viewer follows the file).
    const doc = new RunDocument(uri, { live: false });
    const ctl = new ViewerController(p.webview, doc, { mode: 'sample', title, initialSample: index, onSample: (i) => { p.title = `Sample ${i + 1}: ${title}`; } });
    this.open.set(key, { panel: p, ctl });
    p.onDidDispose(() => { ctl.dispose(); doc.dispose(); this.open.delete(key); });
    viewerTestState.panels++;
  }
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await fsp.stat(uri.fsPath)).isDirectory();
  } catch {
    return false;
  }
}

export function registerViewer(context: vscode.ExtensionContext, layer: CommandLayer): void {
  const ext = context.extensionUri;
  const samples = new SamplePanels(ext);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(VIEWER_TYPE, new RolloutViewerProvider(ext), {
      supportsMultipleEditorsPerDocument: false,
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const path = (state as ViewerState | undefined)?.path;
        if (!path) {
          panel.dispose();
          return;
        }
        showRunPanel(ext, vscode.Uri.file(path), panel);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(SAMPLE_PANEL_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const st = state as ViewerState | undefined;
        if (!st?.path) {
          panel.dispose();
          return;
        }
        samples.show(vscode.Uri.file(st.path), st.selected ?? 0, panel);
      },
    }),
    layer.registerCommand('rolloutLens.openViewer', async (uri?: vscode.Uri) => {
      const target = layer.target(uri, 'select a rollout file or run folder to open in the Rollout Viewer.');
      if (await isFolder(target)) showRunPanel(ext, target);
      else await vscode.commands.executeCommand('vscode.openWith', target, VIEWER_TYPE);
    }),
    layer.registerCommand('rolloutLens.reopenAsText', async (uri?: vscode.Uri) => {
      const target = targetUri(uri);
      if (target) await vscode.commands.executeCommand('vscode.openWith', target, 'default');
    }),
    layer.registerCommand('rolloutLens.openSample', (uri?: vscode.Uri, sample?: number) => {
      const target = layer.target(uri);
      let index = typeof sample === 'number' ? sample : 0;
      if (typeof sample !== 'number') {
        // From the palette: the sample on the cursor line's record (line n holds record n for plain JSONL).
        const ed = vscode.window.activeTextEditor;
        if (ed && ed.document.uri.toString() === target.toString()) index = Math.max(0, ed.selection.active.line);
      }
      samples.show(target, index);
    }),
    layer.registerCommand('rolloutLens.compareRuns', (a?: unknown, b?: unknown) => compareRuns(ext, a, b)),
  );
}

/** A side given by a test or another command: a Uri, a path, or { path | uri, step }. */
function targetOf(v: unknown): CompareTarget | null {
  if (v instanceof vscode.Uri) return { uri: v, step: 'all' };
  if (typeof v === 'string') return { uri: vscode.Uri.file(v), step: 'all' };
  if (typeof v === 'object' && v !== null) {
    const o = v as { path?: unknown; uri?: unknown; step?: unknown };
    const uri = o.uri instanceof vscode.Uri ? o.uri : typeof o.path === 'string' ? vscode.Uri.file(o.path) : null;
    const step = typeof o.step === 'number' || o.step === null ? o.step : 'all';
    if (uri) return { uri, step };
  }
  return null;
}

async function pickStep(doc: RunDocument, placeHolder: string, exclude?: number | null): Promise<number | null | undefined> {
  const steps = doc.session.steps().filter((s) => s !== exclude);
  const pick = await vscode.window.showQuickPick(steps.map((s) => ({ label: s === null ? 'no step' : `step ${s}`, step: s })), { placeHolder });
  return pick?.step;
}

/**
 * "Rollout Lens: Compare Runs…": from the Explorer with two items selected, with two targets (tests,
 * other commands), or from the palette — two steps of the open run, or two files/folders picked in a dialog.
 */
async function compareRuns(ext: vscode.Uri, a?: unknown, b?: unknown): Promise<vscode.WebviewPanel | undefined> {
  if (Array.isArray(b) && b.length === 2) {
    const [x, y] = b.map(targetOf);
    if (x && y) return openComparePanel(ext, x, y);
  }
  const ta = targetOf(a);
  const tb = targetOf(b);
  if (ta && tb) return openComparePanel(ext, ta, tb);
  const current = openRuns[openRuns.length - 1];
  const items: (vscode.QuickPickItem & { id: 'steps' | 'files' })[] = [];
  if (current?.state === 'done' && current.session.steps().length >= 2) items.push({ id: 'steps', label: `Two steps of ${basename(current.uri.fsPath)}`, description: `${current.session.steps().length} steps` });
  items.push({ id: 'files', label: 'Two rollout files or run folders…' });
  const choice = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Compare what?' });
  if (!choice) return undefined;
  if (choice.id === 'steps' && current) {
    const sa = await pickStep(current, 'First step (A)');
    if (sa === undefined) return undefined;
    const sb = await pickStep(current, 'Second step (B)', sa);
    if (sb === undefined) return undefined;
    return openComparePanel(ext, { uri: current.uri, step: sa }, { uri: current.uri, step: sb });
  }
  const pick = async (title: string): Promise<vscode.Uri[] | undefined> => vscode.window.showOpenDialog({ title, canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Compare' });
  const first = await pick('Compare Runs: pick two rollout files or run folders (or the first one)');
  if (!first || first.length === 0) return undefined;
  let second = first.slice(1, 2);
  if (second.length === 0) second = (await pick('Compare Runs: pick the second rollout file or run folder'))?.slice(0, 1) ?? [];
  if (second.length === 0) return undefined;
  return openComparePanel(ext, { uri: first[0], step: 'all' }, { uri: second[0], step: 'all' });
}
