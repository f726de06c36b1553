// Activation, commands and the test hook, as seen through the real extension API in code-server's remote host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activeExtension, editorStateOf, openDemo, testState } from './helpers';

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
    // Resolves once the command handler has returned. The command layer turns a throw into a notification and
    // reports it to the test hooks: none may be recorded.
    const before = (await editorStateOf(undefined)).commandFailures.length;
    const summary = await vscode.commands.executeCommand<{ samples: number } | undefined>('rolloutLens.showSummary');
    assert.deepEqual((await editorStateOf(undefined)).commandFailures.slice(before), []);
    assert.ok(summary && summary.samples > 0, 'Show Summary returns the summary of the open demo file');
  });

  test('a command on a file that is not a rollout log: one warning through the command layer, no throw', async () => {
    const ext = await activeExtension();
    const before = (await editorStateOf(undefined)).commandFailures.length;
    const pkg = vscode.Uri.joinPath(ext.extensionUri, 'package.json');
    assert.equal(await vscode.commands.executeCommand('rolloutLens.scoreSample', pkg, 0), undefined);
    assert.deepEqual((await editorStateOf(undefined)).commandFailures.slice(before), ['rolloutLens.scoreSample: Rollout Lens: package.json is not recognised as a rollout file.']);
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
