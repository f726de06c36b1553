// Score Code Samples… from the palette in code-server, on test/fixtures/code (a small code-RL JSONL in open-r1,
// verl/prime and function-call shapes): the first-time modal says what will run and is accepted, the programs run
// in the sandbox, the notification counts the results, and "Show Failing Sample" opens the sample view with the
// per-test table (expected vs got). Screenshots: code-reward-01-modal, -02-notification, -03-sample-tests.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO } from '../../scripts/lib/code-server.mjs';
import { openSession, type Session } from './harness';
import { CodeRewardPage } from './pages/code-reward';
import { Viewer, waitExtensionActive } from './pages/viewer';
import { SELECTORS } from './pages/workbench';

describe('Score Code Samples… from the command palette', { timeout: 240000 }, () => {
  let s: Session;
  let code: CodeRewardPage;

  before(async () => {
    s = await openSession('code-reward', undefined, join(REPO, 'test', 'fixtures', 'code'));
    code = new CodeRewardPage(s.page);
  });

  after(async () => {
    await s?.close();
  });

  test('opt-in modal, run, notification, per-test results of one sample in the sample view', { timeout: 180000 }, async () => {
    // The palette only lists the command once the extension has activated.
    await waitExtensionActive(s.page, s.server.dirs.tmp);
    const editor = await s.workbench.openFromExplorer('code-rl.jsonl');
    await editor.click({ position: { x: 300, y: 60 } });
    await s.workbench.runFromPalette('Rollout Lens: Score Code Samples…');

    // First time: a modal that states the interpreter, limits and isolation.
    await code.dialog().waitFor({ state: 'visible', timeout: 20000 });
    const text = await code.dialogText();
    console.log(`modal: ${JSON.stringify(text.slice(0, 400))}`);
    assert.match(text, /Run the programs in these completions\?/);
    assert.match(text, /interpreter: \/\S*python3[\d.]* \(Python 3\.\d+/);
    assert.match(text, /5 s wall clock per test/);
    assert.match(text, /network: /);
    await s.shot('code-reward-01-modal');
    await code.clickDialogButton('Run Programs');

    const toast = s.workbench.notifications().filter({ hasText: /ran the code of \d+ samples/ }).first();
    await toast.waitFor({ state: 'visible', timeout: 120000 });
    await s.workbench.waitToastShown();
    const message = (await toast.locator(SELECTORS.notificationMessage).innerText()).replace(/\s+/g, ' ');
    console.log(`notification: ${JSON.stringify(message)}`);
    assert.match(message, /ran the code of 13 samples in code-rl\.jsonl: 5 passed every test, 4 some, 4 none/);
    await s.shot('code-reward-02-notification');

    // "Show Failing Sample": sample 2 (a − b instead of a + b) with its three tests.
    await toast.getByRole('button', { name: 'Show Failing Sample' }).click();
    const panel = await Viewer.find(s.page, 'sample', 'code-rl.jsonl', 30000);
    const t = code.tests(panel);
    await t.section.waitFor({ state: 'visible', timeout: 20000 });
    assert.equal(await panel.id('sample-title').textContent(), 'Sample 2');
    const summary = (await t.summary.textContent()) ?? '';
    console.log(`code tests: ${JSON.stringify(summary)}`);
    assert.match(summary, /1\/3 passed · code 0\.333 · 2 of 3 tests failed/);
    assert.equal(await t.rows.count(), 3);
    const rows = await t.rows.allInnerTexts();
    console.log(`rows: ${JSON.stringify(rows.map((r) => r.replace(/\s+/g, ' ')))}`);
    assert.match(rows[0] ?? '', /✗ failed[\s\S]*1 2[\s\S]*3[\s\S]*-1[\s\S]*line 1: got "-1", expected "3"/);
    assert.match(rows[1] ?? '', /✓ passed/);
    await t.section.scrollIntoViewIfNeeded();
    await s.shot('code-reward-03-sample-tests');
  });
});
