// Activation, commands and the test hook, as seen through the real extension API in code-server's remote host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activeExtension, openDemo, testState } from './helpers';

suite('activation', () => {
  test('the extension is installed from the development path', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace, 'must run in the workspace (remote) host, it reads files with fs');
  });

  test('opening a demo .jsonl activates it', async () => {
    const editor = await openDemo('verl', '1.jsonl');
    assert.equal(editor.document.languageId, 'jsonl', 'VS Code\'s json extension maps .jsonl to the jsonl language');
    const ext = await activeExtension();
    assert.ok(ext.isActive);
  });

  test('command rolloutLens.showSummary is registered and runs', async () => {
    await openDemo('verl', '1.jsonl');
    await activeExtension();
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('rolloutLens.showSummary'), 'rolloutLens.showSummary is not registered');
    // Resolves once the command handler has returned; a throw in the handler rejects here.
    await vscode.commands.executeCommand('rolloutLens.showSummary');
  });

  test('test hook rolloutLens._testState reports activated (ROLLOUT_LENS_TEST=1)', async () => {
    assert.equal(process.env.ROLLOUT_LENS_TEST, '1', 'the runner must set ROLLOUT_LENS_TEST=1 on the code-server process');
    await openDemo('verl', '1.jsonl');
    await activeExtension();
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('rolloutLens._testState'), 'rolloutLens._testState is not registered although ROLLOUT_LENS_TEST=1');
    const state = await testState();
    assert.equal(state.activated, true);
  });
});
