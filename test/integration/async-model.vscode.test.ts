// The editor model of a large document is built asynchronously (time-sliced parsing, analysis in worker threads):
// opening a ~5 MB generated rollout file must keep the extension host responsive while the lenses, the model
// and the diagnostics still arrive. Responsiveness is probed from the extension host itself with a timer whose
// drift is the longest synchronous block the build caused.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { generateRolloutFile } from '../../bench/generate';
import { activeExtension, waitFor } from './helpers';

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

    // The test runs in the extension host: a 10 ms interval that fires late measures how long the thread was held.
    let longest = 0;
    let last = Date.now();
    let phase = 'open';
    const blocks: string[] = [];
    const probe = setInterval(() => {
      const now = Date.now();
      const gap = now - last - 10;
      if (gap > 50) blocks.push(`${gap} ms during ${phase}`);
      longest = Math.max(longest, gap);
      last = now;
    }, 10);
    let state: ModelState;
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      phase = 'show';
      await vscode.window.showTextDocument(doc, { preview: false });
      // The test hook waits for the model (ModelCache.whenReady): the build happens inside this window.
      phase = 'build';
      state = (await vscode.commands.executeCommand('rolloutLens._testState', uri)) as ModelState;
    } finally {
      clearInterval(probe);
    }
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
    console.log(`      ${state.samples ?? 0} samples; longest extension-host block while building: ${longest} ms${blocks.length ? ` (${blocks.join(', ')})` : ''}`);
    // Generous against a loaded CI machine (the target is ~50 ms); the synchronous build held it for the whole parse.
    assert.ok(longest < 250, `the extension host was blocked for ${longest} ms while the model was built: ${blocks.join(', ')}`);
  });
});
