// The real verl multi-turn tool-use dump (shared fixtures, real2/verl-hecate/2.jsonl) in the text editor, as a user
// opens it on Monday morning: the run never writes <think> and its prompt never asks for it, so the status bar and
// the Problems panel must show its real findings (tool-call problems, language drift, loops), not 1,024 "No
// reasoning tags" warnings. Light and dark screenshots: test-results/e2e/real-verl-<theme>-*.png.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixture, needFixtures } from '../support/fixtures';
import { openSession, type Session } from './harness';

const FOLDER = fixture('real2', 'verl-hecate');

for (const theme of ['Default Light Modern', 'Default Dark Modern'] as const) {
  const tag = theme.includes('Light') ? 'light' : 'dark';
  describe(`real verl tool-use dump in the editor (${theme})`, { timeout: 240000, skip: needFixtures(FOLDER) }, () => {
    let s: Session;

    before(async () => {
      s = await openSession(`e2e-real-verl-${tag}`, { 'workbench.colorTheme': theme, 'workbench.editorAssociations': { '*.jsonl': 'default' } }, FOLDER);
    });

    after(async () => {
      await s?.close();
    });

    test('status bar: the run with its flag counts and no format flood', { timeout: 90000 }, async () => {
      const editor = await s.workbench.openFromExplorer('2.jsonl');
      await s.workbench.codeLensLinks(editor).filter({ hasText: /^reward / }).first().waitFor({ state: 'visible', timeout: 30000 });
      const item = s.workbench.statusBarItem(/1024 samples/);
      await item.waitFor({ state: 'visible', timeout: 30000 });
      const text = await item.innerText();
      console.log(`[${tag}] status bar: ${JSON.stringify(text)}`);
      assert.match(text, /verl · 1024 samples · 64 groups/);
      assert.doesNotMatch(text, /fmt 1024/);
      await s.shot(`real-verl-${tag}-01-editor`);
    });

    test('Problems panel: real findings first, no "No reasoning tags" on a run without tags', { timeout: 60000 }, async () => {
      await s.workbench.openProblems();
      const rows = s.workbench.problemRows();
      await rows.first().waitFor({ state: 'visible', timeout: 15000 });
      const texts = (await rows.allInnerTexts()).slice(0, 30);
      console.log(`[${tag}] first problems rows: ${JSON.stringify(texts.slice(0, 6).map((t) => t.slice(0, 120)))}`);
      assert.ok(texts.length > 0, 'no Problems rows');
      assert.ok(!texts.some((t) => /No reasoning tags/i.test(t)), 'a per-sample "No reasoning tags" finding on a run without tags');
      assert.ok(texts.some((t) => /tool|Chinese|Looping|repeated|malformed/i.test(t)), `no real finding among the first rows: ${JSON.stringify(texts.slice(0, 6))}`);
      await s.shot(`real-verl-${tag}-02-problems`);
    });
  });
}
