// What a user sees on a small demo rollout: the file opens from the Explorer, code lenses show the reward,
// the palette runs our command and a notification appears, and the Problems panel opens.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { openSession, type Session } from './harness';

const FILE = ['verl', '1.jsonl'] as const;

describe('Rollout Lens in code-server (installed from the .vsix)', { timeout: 240000 }, () => {
  let s: Session;
  let editor: Locator;

  before(async () => {
    s = await openSession('e2e');
    await s.shot('01-workbench');
  });

  after(async () => {
    await s?.close();
  });

  test('opens a demo rollout from the Explorer', { timeout: 30000 }, async () => {
    editor = await s.workbench.openFromExplorer(...FILE);
    const first = await editor.locator('.view-lines .view-line').first().innerText();
    assert.match(first, /"input"/, 'first visible line is not a verl record');
    await s.shot('02-editor');
  });

  test('code lenses show the reward of each sample', { timeout: 30000 }, async () => {
    assert.ok(editor, 'editor did not open');
    const links = s.workbench.codeLensLinks(editor);
    try {
      // Lenses are rendered only in the viewport, after the provider's analysis; wait for a reward title.
      await links.filter({ hasText: /^reward / }).first().waitFor({ state: 'visible', timeout: 15000 });
    } catch {
      const titles = await links.allInnerTexts();
      await s.shot('03-codelens-missing');
      assert.fail(`no code lens starting with "reward " (lens titles: ${JSON.stringify(titles.slice(0, 5))})`);
    }
    const titles = await links.allInnerTexts();
    console.log(`lens titles: ${JSON.stringify(titles.slice(0, 4))}`);
    assert.ok(titles.some((t) => /^reward -?\d/.test(t)), `lens titles: ${JSON.stringify(titles.slice(0, 5))}`);
    await s.shot('03-codelens');
  });

  test('palette: "Rollout Lens: Show Summary" runs and notifies', { timeout: 30000 }, async () => {
    // Give the workbench the keyboard without depending on :focus (click into the editor text if open).
    await (editor ?? s.page.locator('.monaco-workbench')).click({ position: { x: 200, y: 100 } });
    const before = await s.workbench.notifications().count();
    await s.workbench.runFromPalette('Rollout Lens: Show Summary', () => s.shot('04-palette').then(() => undefined));
    const toast = s.workbench.notifications();
    await toast.nth(before).waitFor({ state: 'visible', timeout: 10000 });
    await s.workbench.waitToastShown();
    const text = await toast.nth(before).innerText();
    console.log(`notification: ${JSON.stringify(text.split('\n')[0])}`);
    assert.match(text, /\S/, 'empty notification');
    assert.doesNotMatch(text, /command '.*' not found|failed/i, `the command failed: ${text}`);
    await s.shot('05-notification');
  });

  test('Problems panel opens (and lists rollout findings when there are any)', { timeout: 30000 }, async () => {
    const panel = await s.workbench.openProblems();
    assert.ok(await panel.isVisible());
    // Diagnostics arrive after analysis; give them a moment to show before deciding there are none.
    const rows = s.workbench.problemRows();
    await rows.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
    const texts = await rows.allInnerTexts();
    console.log(`problems rows: ${texts.length}${texts.length ? ` (first: ${JSON.stringify(texts[0]!.slice(0, 120))})` : ''}`);
    if (texts.length > 0) assert.ok(texts.some((t) => /\.jsonl/.test(t)), `Problems rows do not name a .jsonl file: ${JSON.stringify(texts.slice(0, 3))}`);
    await s.shot('06-problems');
  });
});
