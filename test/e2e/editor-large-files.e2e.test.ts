// Large rollout files in a real VS Code (code-server + Chromium), as a user meets them (docs/platform.md §1):
// - ~30 MB (tier B): VS Code hands the document to the extension but turns code lenses off. The status bar says
//   so and offers the alternatives; highlighting, squiggles and Problems entries still appear.
// - ~300 MB (tier C): VS Code never gives the document to extensions. Opening its tab starts a scan from disk;
//   the user is told what is available, and "Rollout Lens: Scan File for Problems" fills the Problems panel.
// Both files are generated at test time (bench/generate.ts) in a temp folder that is the workspace, and removed
// afterwards. Extension-host responsiveness comes from the extension's own block monitor (test mode only), read
// from the JSON file it keeps in the server's private TMPDIR. Screenshots: test-results/e2e/editor-large-*.png.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { generateRolloutFile } from '../../bench/generate';
import { openSession, type Session } from './harness';

const TIER_B = 'tier-b-30mb.jsonl';
const TIER_C = 'tier-c-300mb.jsonl';
/**
 * Seen from outside the host, a block cannot be split between Rollout Lens, VS Code, other extensions and the
 * garbage collector (the integration test measures our share strictly, ≤ 50 ms, by separating VS Code's document
 * transfer). Here: no freeze of the host from opening to diagnostics, whoever causes it. Observed: 65–67 ms busy
 * right after activation on the 30 MB file: hence 150 ms there. The 300 MB file never reaches the host as a
 * document; its 54–89 ms blocks came from the VSIX lacking dist/problem-scan-worker.js, so the scan ran on the host
 * thread (issue #18; a missing worker is now an error, and test/unit/packaging checks the VSIX): the strict 50 ms.
 */
const MAX_BLOCK_MS = 150;
const MAX_BLOCK_MS_300MB = 50;

interface Block { at: number; ms: number; busyMs: number; notes?: string[] }

/** The monitor's blocks since `since` (waits until the file has been written after `since`); logs the notes. */
async function hostBlocks(s: Session, since: number): Promise<Block[]> {
  const p = join(s.server.dirs.tmp, 'rollout-lens-host-blocks.json');
  const until = Date.now() + 10000;
  for (;;) {
    if (existsSync(p)) {
      const data = JSON.parse(readFileSync(p, 'utf8')) as { writtenAt: number; blocks: Block[]; notes?: { at: number; text: string }[] };
      if (data.writtenAt > Date.now() - 100 || Date.now() > until) {
        const notes = (data.notes ?? []).filter((n) => n.at >= since).map((n) => `+${n.at - since} ${n.text}`);
        console.log(`host notes: ${notes.join(' | ') || 'none'}`);
        console.log(`host blocks over 25 ms busy: ${data.blocks.filter((b) => b.at + b.ms >= since && b.busyMs > 25).map((b) => `${b.busyMs}/${b.ms} ms at +${b.at - since}${b.notes ? ` [${b.notes.join('; ')}]` : ''}`).join(', ') || 'none'}`);
        return data.blocks.filter((b) => b.at + b.ms >= since);
      }
    } else if (Date.now() > until) {
      throw new Error(`no host-block file at ${p}: was the extension started with ROLLOUT_LENS_TEST=1?`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** VS Code's own transfer of a document to the host ends in the open event: those blocks are the platform's. */
const isTransfer = (b: Block): boolean => (b.notes ?? []).some((n) => n.startsWith('document opened'));

function describe3(blocks: Block[], t0: number): string {
  return [...blocks].sort((a, b) => b.busyMs - a.busyMs).slice(0, 3).map((b) => `${b.busyMs}/${b.ms} ms at +${b.at - t0} ms${b.notes ? ` [${b.notes.join('; ')}]` : ''}`).join(', ') || 'none';
}

function decorationKeys(s: Session): { think: string; answer: string; tag: string } {
  const p = join(s.server.dirs.tmp, 'rollout-lens-test-state.json');
  return (JSON.parse(readFileSync(p, 'utf8')) as { decorationTypeKeys: { think: string; answer: string; tag: string } }).decorationTypeKeys;
}

/** Toggles light/dark from the palette, as a user does, and waits for the workbench to re-theme. */
async function toggleTheme(s: Session, dark: boolean): Promise<void> {
  await s.workbench.runFromPalette('Preferences: Toggle between Light/Dark Themes');
  await s.page.waitForFunction((d) => {
    const c = document.querySelector('.monaco-workbench')?.classList;
    return c !== undefined && (d ? c.contains('vs-dark') : c.contains('vs') && !c.contains('vs-dark'));
  }, dark, { timeout: 15000 });
}

describe('large rollout files: 30 MB (lenses off) and 300 MB (no document for extensions)', { timeout: 280000 }, () => {
  let dir = '';
  let s: Session;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollout-lens-e2e-large-'));
    const t0 = Date.now();
    // The templated (v2) text: short traces, twice the samples per MB of the default text, the harder case for the
    // host and the one the README's figures were measured on.
    await generateRolloutFile(join(dir, TIER_B), 30_000_000, 8, 7, 'templated');
    await generateRolloutFile(join(dir, TIER_C), 300_000_000, 8, 11, 'templated');
    console.log(`generated ${statSync(join(dir, TIER_B)).size} + ${statSync(join(dir, TIER_C)).size} bytes in ${Date.now() - t0} ms`);
    s = await openSession('e2e-editor-large', {
      'workbench.colorTheme': 'Default Light Modern',
      'workbench.editorAssociations': { '*.jsonl': 'default' },
      // Between the two files: 30 MB opens in the text editor, 300 MB shows VS Code's "very large" placeholder
      // (as it does for any file over 10 MB in Remote-SSH) instead of loading 300 MB into the browser.
      'workbench.editorLargeFileConfirmation': 100,
      // The built-in merge-conflict extension reads every opened document whole (~60 ms of host time on 30 MB,
      // measured): off, so that the host figures are what Rollout Lens costs.
      'merge-conflict.decorators.enabled': false,
      'merge-conflict.codeLens.enabled': false,
    }, dir);
  });

  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('30 MB: status bar says lenses are off and why; highlighting and Problems entries appear; host stays responsive', { timeout: 150000 }, async () => {
    const t0 = Date.now();
    await s.workbench.treeItem(TIER_B).first().dblclick();
    const editor: Locator = s.workbench.editor(TIER_B);
    await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: 90000 });
    const tText = Date.now() - t0;
    const status = s.workbench.statusBarItem('lenses off');
    await status.waitFor({ state: 'visible', timeout: 90000 });
    const tStatus = Date.now() - t0;
    const statusText = await status.innerText();
    assert.match(statusText, /samples · lenses off \(file > 20 MB\) · .*groups/s);
    const keys = decorationKeys(s);
    await editor.locator(`.view-lines [class*="-${keys.tag}-1"]`).first().waitFor({ state: 'attached', timeout: 30000 });
    const tDeco = Date.now() - t0;
    await s.workbench.openProblems();
    const rows = s.workbench.problemRows().filter({ hasText: 'Rollout Lens' });
    await rows.first().waitFor({ state: 'visible', timeout: 30000 });
    const tProblems = Date.now() - t0;
    assert.equal(await s.workbench.codeLensLinks(editor).count(), 0, 'VS Code turns lenses off above 20 MB: none may render');
    const squiggles = await editor.locator('.view-overlays .cdr[class*="squiggly-"]').count();
    console.log(`30 MB: text ${tText} ms, status bar ${tStatus} ms ("${statusText.trim()}"), tags highlighted ${tDeco} ms, Problems rows ${tProblems} ms, ${squiggles} squiggles on screen`);
    await s.shot('editor-large-light-01-30mb');

    const blocks = await hostBlocks(s, t0);
    const ours = blocks.filter((b) => !isTransfer(b));
    const longest = ours.reduce((m, b) => Math.max(m, b.busyMs), 0);
    console.log(`30 MB host blocks: VS Code's document transfer ${describe3(blocks.filter(isTransfer), t0)}; the rest: longest busy ${longest} ms, wall ${ours.reduce((m, b) => Math.max(m, b.ms), 0)} ms (${describe3(ours, t0)})`);
    assert.ok(longest <= MAX_BLOCK_MS, `extension host busy ${longest} ms in one block (> ${MAX_BLOCK_MS} ms): ${describe3(ours, t0)}`);

    // The status bar item is the way to the alternatives: the Rollout Viewer, or lenses back for JSONL.
    await status.click();
    const pick = s.page.locator('.quick-input-widget');
    await pick.filter({ hasText: 'code lenses are off' }).waitFor({ state: 'visible', timeout: 10000 });
    assert.ok(await s.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open in Rollout Viewer' }).count() > 0);
    assert.ok(await s.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Turn off large-file optimizations' }).count() > 0);
    await s.shot('editor-large-light-02-30mb-options');
    await s.page.keyboard.press('Escape');
    await pick.waitFor({ state: 'hidden', timeout: 5000 });
    await toggleTheme(s, true);
    await s.shot('editor-large-dark-01-30mb');
    await toggleTheme(s, false);
    // Closing the document drops its 1,000 Problems rows, so the 300 MB file's rows are the ones on screen next.
    await s.workbench.runFromPalette('View: Close All Editors');
    await s.workbench.problemRows().filter({ hasText: TIER_B }).first().waitFor({ state: 'hidden', timeout: 30000 });
  });

  test('300 MB: opening it tells the user what is available; Scan File for Problems fills the Problems panel; host stays responsive', { timeout: 200000 }, async () => {
    const name = TIER_C;
    const t0 = Date.now();
    await s.workbench.treeItem(name).first().dblclick();
    // The tab opens (VS Code's "very large" placeholder): the extension sees the tab, not a document, and scans.
    const told = s.workbench.notifications().filter({ hasText: `${name} is` });
    await told.first().waitFor({ state: 'visible', timeout: 150000 });
    const tAuto = Date.now() - t0;
    const message = await told.first().locator('.notification-list-item-message').innerText();
    assert.match(message, /over the 50 MB VS Code hands to extensions: no code lenses, highlighting or hovers/);
    assert.match(message, /1000 problems scanned from disk are in the Problems panel/);
    // Ctrl+Shift+M toggles: the panel is still open from the 30 MB case.
    if (!(await s.page.locator('.markers-panel').isVisible())) await s.workbench.openProblems();
    await s.workbench.problemRows().filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 30000 });
    const autoBlocks = await hostBlocks(s, t0);
    await s.workbench.waitToastShown();
    await s.shot('editor-large-light-03-300mb-opened');

    // The command, as a user runs it on the active tab: its progress notification comes and goes.
    const t1 = Date.now();
    await s.workbench.runFromPalette('Rollout Lens: Scan File for Problems');
    const progress = s.workbench.notifications().filter({ hasText: 'scanning' }).first();
    await progress.waitFor({ state: 'visible', timeout: 10000 });
    await progress.waitFor({ state: 'hidden', timeout: 150000 });
    await told.first().waitFor({ state: 'visible', timeout: 10000 });
    const tScan = Date.now() - t1;
    const rows = s.workbench.problemRows();
    await rows.filter({ hasText: 'Rollout Lens' }).first().waitFor({ state: 'visible', timeout: 10000 });
    const texts = await rows.allInnerTexts();
    const first = texts.find((t) => t.includes('Rollout Lens'));
    console.log(`300 MB: first scan (on opening the tab) ${tAuto} ms; Scan File for Problems ${tScan} ms; ${texts.length} Problems rows rendered; first: ${JSON.stringify(first?.slice(0, 160))}`);
    assert.ok(texts.some((t) => t.includes(name) && /1000|999|\d{3,}/.test(t)), `no file row with a count: ${JSON.stringify(texts.slice(0, 3))}`);
    assert.ok(first && /\[Ln \d+, Col \d+\]/.test(first), 'a finding with its position');
    await s.workbench.waitToastShown();
    await s.shot('editor-large-light-04-300mb-scanned');
    await toggleTheme(s, true);
    await s.shot('editor-large-dark-02-300mb-scanned');

    const blocks = [...autoBlocks, ...(await hostBlocks(s, t1))];
    const longest = blocks.reduce((m, b) => Math.max(m, b.busyMs), 0);
    console.log(`300 MB host blocks: longest busy ${longest} ms, wall ${blocks.reduce((m, b) => Math.max(m, b.ms), 0)} ms (${describe3(blocks, t0)})`);
    assert.ok(longest <= MAX_BLOCK_MS_300MB, `extension host busy ${longest} ms in one block (> ${MAX_BLOCK_MS_300MB} ms): ${describe3(blocks, t0)}`);
  });
});
