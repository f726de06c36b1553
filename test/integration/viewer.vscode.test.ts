// The Rollout Viewer resolves in a real VS Code: the command opens a demo file in the custom editor (no
// TextDocument needed) and a run folder in a panel, and both scans finish with the expected sample counts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, demoUri, viewerStateOf, waitFor } from './helpers';

interface ViewerTestState { resolved: number; panels: number; lastDone: { path: string; samples: number } | null; lastError: string | null }

const viewerState = viewerStateOf<ViewerTestState>;

suite('Rollout Viewer', () => {
  test('openViewer on a demo file resolves the custom editor and finishes the scan', async () => {
    await activeExtension();
    const before = await viewerState();
    const uri = demoUri('verl', '2.jsonl');
    await vscode.commands.executeCommand('rolloutLens.openViewer', uri);
    const tab = await waitFor('a rolloutLens.viewer tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputCustom && t.input.viewType === 'rolloutLens.viewer' ? t : undefined;
    }, 15000);
    assert.equal((tab.input as vscode.TabInputCustom).uri.fsPath, uri.fsPath);
    const st = await waitFor('the viewer scan to finish', async () => {
      const s = await viewerState();
      // lastError is the last failure of any viewer in this window (other suites open broken files on purpose).
      if (s.lastError?.includes(uri.fsPath)) throw new Error(`scan failed: ${s.lastError}`);
      return s.resolved > before.resolved && s.lastDone?.path === uri.fsPath ? s : undefined;
    }, 15000).catch(async (e: unknown) => { throw new Error(`${e instanceof Error ? e.message : String(e)}; state ${JSON.stringify(await viewerState())}`); });
    assert.equal(st.lastDone?.samples, 16);
    console.log(`      viewer resolved: ${JSON.stringify(st)}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('openViewer on the demo run folder opens a run panel', async () => {
    await activeExtension();
    const before = await viewerState();
    const uri = demoUri('verl');
    await vscode.commands.executeCommand('rolloutLens.openViewer', uri);
    const st = await waitFor('the run panel scan to finish', async () => {
      const s = await viewerState();
      return s.panels > before.panels && s.lastDone?.path === uri.fsPath ? s : undefined;
    }, 15000);
    assert.equal(st.lastDone?.samples, 48);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
