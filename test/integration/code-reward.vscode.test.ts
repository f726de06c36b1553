// Score Code Samples… through vscode.commands.executeCommand in the real extension host: the programs in
// test/fixtures/code/code-rl.jsonl run in the sandbox, the summary counts them, and the hover shows per-test results.
// (The first-time opt-in modal is pre-answered through the stored consent, the globalState key "Run Programs"
// writes, set by the test hook rolloutLens._storeCodeConsent; the e2e test clicks the modal itself.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activeExtension, waitFor } from './helpers';

interface Summary {
  scored: number;
  allPassed: number;
  somePassed: number;
  nonePassed: number;
  notApplicable: number;
  python: string | null;
  samples: { index: number; code: number | null; passed: number; total: number; reason: string }[];
}

function fixture(name: string): vscode.Uri {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error('extension not loaded');
  return vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', 'code', name);
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  // appendText escapes Markdown and turns spaces into &nbsp;: undo both to assert on what the user reads.
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n')
    .replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>"~])/g, '$1');
}

suite('Score Code Samples… (code reward)', () => {
  suiteSetup(async () => {
    await activeExtension();
    await vscode.commands.executeCommand('rolloutLens._storeCodeConsent');
  });

  test('runs every sample\'s program against its tests and shows per-test results in the hover', async function () {
    this.timeout(120_000);
    const uri = fixture('code-rl.jsonl');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await activeExtension();
    const t0 = Date.now();
    const s = await vscode.commands.executeCommand<Summary>('rolloutLens.scoreCodeSamples', uri, { quiet: true });
    console.log(`      ${s.scored} samples in ${((Date.now() - t0) / 1000).toFixed(1)} s with ${s.python}`);
    assert.equal(s.scored, 13);
    assert.deepEqual([s.allPassed, s.somePassed, s.nonePassed, s.notApplicable], [5, 4, 4, 0]);
    const byIndex = new Map(s.samples.map((x) => [x.index, x]));
    assert.deepEqual(byIndex.get(1), { index: 1, code: 1 / 3, passed: 1, total: 3, reason: '2 of 3 tests failed' });
    assert.match(byIndex.get(3)?.reason ?? '', /test 1 timed out: open-r1 scores the whole sample 0/);
    assert.equal(byIndex.get(7)?.reason, 'no code block');

    // Hover over the wrong-answer sample (line 2): the code tests section with expected vs got.
    const text = await waitFor('a hover with the code tests', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 5)));
      return t.includes('Code tests') ? t : undefined;
    }, 15000, 250);
    assert.match(text, /1\/3 passed · code 0\.333/);
    assert.match(text, /test 1 ✗ failed: line 1: got "-1", expected "3"/);
    assert.match(text, /test 2 ✓ passed/);

    // The sandbox refusal of the socket sample is visible too (line 7).
    const socket = await waitFor('the socket sample hover', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(6, 5)));
      return t.includes('Code tests') ? t : undefined;
    });
    assert.match(socket, /sandbox: network \(socket\./);
  });

  test('a file without test cases: nothing scored, each sample says why', async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const uri = vscode.Uri.joinPath(ext!.extensionUri, 'test', 'fixtures', 'formats', 'generic.jsonl');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const s = await vscode.commands.executeCommand<Summary>('rolloutLens.scoreCodeSamples', uri, { quiet: true });
    assert.equal(s.scored, 0);
    assert.ok(s.notApplicable > 0);
    assert.ok(s.samples.every((x) => x.reason === 'no test cases in the record'));
  });
});
