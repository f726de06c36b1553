// The editor model of a large document is built asynchronously (time-sliced parsing, analysis in worker threads):
// opening a ~5 MB generated rollout file must keep the extension host responsive while the lenses, the model
// and the diagnostics still arrive. Responsiveness is read from the extension's host-block monitor (thread CPU time).
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { generateRolloutFile } from '../../bench/generate';
import { activeExtension, waitFor } from './helpers';

interface HostBlocks {
  longestMs: number;
  longestWallMs: number;
  worst: { at: number; ms: number; busyMs: number; notes?: string[] }[];
}

interface ModelState {
  samples?: number;
  lensCount?: number;
  flagCounts?: Record<string, number>;
}

suite('asynchronous document model', () => {
  test('a ~5 MB file gets its model, lenses and diagnostics without blocking the extension host', async () => {
    await activeExtension();
    const path = join(mkdtempSync(join(tmpdir(), 'rollout-lens-async-')), 'rollouts.jsonl');
    await generateRolloutFile(path, 5 * 1024 * 1024);
    const uri = vscode.Uri.file(path);

    // The extension's host-block monitor (test mode) measures the longest hold of the host thread by its CPU time,
    // so that a loaded CI machine (other processes taking the cores) does not count as our block.
    const hostBlocks = async (reset: boolean): Promise<HostBlocks> =>
      ((await vscode.commands.executeCommand('rolloutLens._testState', undefined, { resetHostBlocks: reset, noDocument: true })) as { hostBlocks: HostBlocks }).hostBlocks;
    await hostBlocks(true);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    // The test hook waits for the model (ModelCache.whenReady): the build happens inside this window.
    const state = (await vscode.commands.executeCommand('rolloutLens._testState', uri)) as ModelState;
    const blocks = await hostBlocks(false);
    try {
      assert.ok((state.samples ?? 0) > 1000, `expected the model of a 5 MB file, got ${JSON.stringify(state)}`);
      const flagged = Object.values(state.flagCounts ?? {}).reduce((a, b) => a + b, 0);
      assert.ok(flagged > 0, 'the generator plants language drift, loops and truncation: some samples must be flagged');
      const lenses = await waitFor('code lenses on the generated file', async () => {
        const l = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
        return l.length > 0 ? l : undefined;
      }, 60000, 250);
      assert.ok(lenses.length > 0);
      await waitFor('diagnostics on the generated file', () => (vscode.languages.getDiagnostics(uri).length > 0 ? true : undefined), 30000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    const worst = blocks.worst.map((b) => `${b.busyMs}/${b.ms} ms${b.notes?.length ? ` [${b.notes.join('; ')}]` : ''}`).join(', ');
    console.log(`      ${state.samples ?? 0} samples; longest extension-host block from opening to the model: ${blocks.longestMs} ms busy, ${blocks.longestWallMs} ms wall (busy/wall: ${worst})`);
    // The window includes VS Code's own transfer of the 5 MB text into the host (~30 ms busy); our slices are
    // ≤ 8 ms and the final grouping ~10 ms. 150 ms of CPU is far below the synchronous build's 1.6 s of old.
    assert.ok(blocks.longestMs < 150, `the extension host was blocked for ${blocks.longestMs} ms of CPU while the model was built: ${worst}`);
  });
});
