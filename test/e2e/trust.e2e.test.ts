/// <reference lib="dom" />
// Workspace trust: a user reward function is a program, so in Restricted Mode it must not run. code-server is
// started WITH workspace trust (every other test turns it off), the folder is opened untrusted ("No, I don't trust
// the authors"), a reward function whose import writes a marker file is configured in the user settings, and
// "Rollout Lens: Score File" runs on a rollout file. Asserted: the Restricted Mode warning is shown, the marker is
// never written (the function was not even imported), the rollout file is byte-identical, and the extension is
// otherwise working (lenses). A control then trusts the workspace and sees the same command run the function.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REPO, launchChromium, makeIsolation, startCodeServer, type CodeServer } from '../../scripts/lib/code-server.mjs';
import { sha256 } from '../support/files';
import { SHOTS, VIEWPORT } from './harness';
import { Workbench } from './pages/workbench';

const sha = sha256;

describe('user reward code only in trusted workspaces (code-server in Restricted Mode)', { timeout: 300_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let wb: Workbench;
  let workspace = '';
  let outside = '';
  let marker = '';
  let rollouts = '';

  before(async () => {
    const vsix = process.env.E2E_VSIX;
    if (!vsix) throw new Error('E2E_VSIX is not set: run through scripts/test-e2e.mjs');
    workspace = mkdtempSync(join(tmpdir(), 'rl-trust-ws-'));
    outside = mkdtempSync(join(tmpdir(), 'rl-trust-fn-'));
    marker = join(outside, 'reward-function-ran');
    rollouts = join(workspace, 'run.jsonl');
    copyFileSync(join(REPO, 'demo', 'verl', '1.jsonl'), rollouts);
    // TRL signature; importing the module is enough to leave the marker.
    const fn = join(outside, 'evil_reward.py');
    writeFileSync(fn, `open(${JSON.stringify(marker)}, "w").write("imported")\n\ndef reward(prompts, completions, **kwargs):\n    open(${JSON.stringify(marker)}, "a").write("called")\n    return [1.0 for _ in completions]\n`);
    const iso = makeIsolation('e2e-trust');
    server = await startCodeServer({
      workspace, iso, vsix, workspaceTrust: true, env: { ROLLOUT_LENS_TEST: '1' },
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'always',
        'security.workspace.trust.emptyWindow': false,
        'rolloutLens.rewardFunctions': [`${fn}:reward`],
      },
    });
    browser = await launchChromium(iso.env);
    page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    wb = new Workbench(page);
    await wb.waitReady();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    for (const d of [workspace, outside]) if (d) rmSync(d, { recursive: true, force: true });
  });

  test('the folder is opened in Restricted Mode', { timeout: 60_000 }, async () => {
    const no = page.getByRole('button', { name: /No, I don't trust the authors/i });
    await no.waitFor({ state: 'visible', timeout: 30_000 });
    await no.click();
    await page.locator('footer .statusbar-item', { hasText: /Restricted Mode/i }).first().waitFor({ state: 'visible', timeout: 15_000 });
  });

  test('Score File does not run the reward function and says why', { timeout: 120_000 }, async () => {
    const before = sha(rollouts);
    await wb.openFromExplorer('run.jsonl');
    // The extension works in Restricted Mode: lenses appear on the samples.
    await page.locator('.codelens-decoration a', { hasText: 'Open Sample' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.runFromPalette('Rollout Lens: Score File');
    const warning = wb.notifications().filter({ hasText: /Restricted Mode/ }).first();
    await warning.waitFor({ state: 'visible', timeout: 20_000 });
    const text = (await warning.textContent()) ?? '';
    assert.match(text, /reward functions are programs/);
    await page.screenshot({ path: join(SHOTS, 'trust-01-restricted-warning.png') });
    // Give a wrongly started subprocess every chance to leave its marker.
    await page.waitForTimeout(3000);
    assert.equal(existsSync(marker), false, 'the reward function ran in an untrusted workspace');
    assert.equal(sha(rollouts), before, 'the rollout file changed');
  });

  test('control: once the workspace is trusted, the same command does run the function', { timeout: 120_000 }, async () => {
    await wb.runFromPalette('Workspaces: Manage Workspace Trust');
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor({ state: 'visible', timeout: 15_000 });
    await trust.click();
    await page.locator('footer .statusbar-item', { hasText: /Restricted Mode/i }).first().waitFor({ state: 'hidden', timeout: 15_000 });
    await wb.openFromExplorer('run.jsonl');
    await wb.runFromPalette('Rollout Lens: Score File');
    const t0 = Date.now();
    while (!existsSync(marker) && Date.now() - t0 < 60_000) await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'trust-02-trusted-ran.png') });
    assert.ok(existsSync(marker), 'the reward function did not run in the trusted workspace: the test above would prove nothing');
    assert.match(readFileSync(marker, 'utf8'), /^imported/);
  });
});
