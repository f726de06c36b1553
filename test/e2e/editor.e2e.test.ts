// What a user sees in the text editor on a rollout with escapes and a language drift (demo/editor/
// escapes.rollout.jsonl), in a light and a dark theme: code lenses, highlighted think/answer/tags (our `ced-*`
// decoration classes), a warning squiggle under the Chinese sentence, and Problems rows with the evidence.
// Screenshots: test-results/e2e/editor-<theme>-*.png.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { openSession, type Session } from './harness';

const FILE = ['editor', 'escapes.rollout.jsonl'] as const;
const CHINESE_START = '我们需要计算';
// A piece of the sentence that never wraps across two visual rows at the fixed viewport (wrapping splits the start).
const CHINESE_ROW = '乘以三十是九百';

interface Keys { think: string; answer: string; tag: string }

function decorationKeys(s: Session): Keys {
  const p = join(s.server.dirs.tmp, 'rollout-lens-test-state.json');
  return (JSON.parse(readFileSync(p, 'utf8')) as { decorationTypeKeys: Keys }).decorationTypeKeys;
}

for (const theme of ['Default Light Modern', 'Default Dark Modern'] as const) {
  const tag = theme.includes('Light') ? 'light' : 'dark';
  describe(`editor surfaces (${theme})`, { timeout: 240000 }, () => {
    let s: Session;
    let editor: Locator;

    before(async () => {
      // Word wrap so that the whole sample (and the squiggle under the drift) is on screen for the screenshot.
      // The association pins the text editor: this suite is about the text editor, not the Rollout Viewer.
      s = await openSession(`e2e-editor-${tag}`, { 'workbench.colorTheme': theme, 'editor.wordWrap': 'on', 'workbench.editorAssociations': { '*.jsonl': 'default' } });
    });

    after(async () => {
      await s?.close();
    });

    test('lenses and highlighted tags on the rollout', { timeout: 60000 }, async () => {
      try {
        editor = await s.workbench.openFromExplorer(...FILE);
      } catch {
        // The file came up in the Rollout Viewer (custom editor) instead of the text editor: reopen it as text the
        // way a user would, through the palette.
        await s.shot(`editor-${tag}-00-opened-in-viewer`);
        await s.workbench.runFromPalette('View: Reopen Editor With Text Editor');
        editor = s.workbench.editor(FILE.join('/'));
        await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: 15000 });
      }
      await s.workbench.codeLensLinks(editor).filter({ hasText: /^reward / }).first().waitFor({ state: 'visible', timeout: 15000 });
      const titles = await s.workbench.codeLensLinks(editor).allInnerTexts();
      console.log(`[${tag}] lens titles: ${JSON.stringify(titles.slice(0, 4))}`);
      assert.match(titles[0] ?? '', /^reward 1 · .*language-mix/);
      const keys = decorationKeys(s);
      // Inline styles (tag colour) render as ced-<n>-<key>-1 in .view-lines; backgrounds as ced-<n>-<key>-0 in .view-overlays.
      const tagSpans = editor.locator(`.view-lines [class*="-${keys.tag}-1"]`);
      await tagSpans.first().waitFor({ state: 'attached', timeout: 10000 });
      const tagTexts = await tagSpans.allInnerTexts();
      console.log(`[${tag}] tag spans: ${tagTexts.length} (${JSON.stringify(tagTexts.slice(0, 4))})`);
      assert.ok(tagTexts.some((t) => t.includes('<think>')), `no highlighted <think>: ${JSON.stringify(tagTexts)}`);
      assert.ok(tagTexts.some((t) => t.includes('</answer>')), 'no highlighted </answer>');
      assert.ok(await editor.locator(`.view-overlays [class*="-${keys.think}-0"]`).count() > 0, 'no think background');
      assert.ok(await editor.locator(`.view-overlays [class*="-${keys.answer}-0"]`).count() > 0, 'no answer background');
      await s.shot(`editor-${tag}-01-decorations`);
    });

    test('a warning squiggle sits on the row of the Chinese sentence', { timeout: 30000 }, async () => {
      const squiggles = editor.locator('.view-overlays .cdr.squiggly-warning');
      await squiggles.first().waitFor({ state: 'attached', timeout: 10000 });
      const boxes = (await Promise.all((await squiggles.all()).map((l) => l.boundingBox()))).filter((b) => b !== null);
      const rows = editor.locator('.view-lines .view-line', { hasText: CHINESE_ROW });
      const rowBoxes = (await Promise.all((await rows.all()).map((l) => l.boundingBox()))).filter((b) => b !== null);
      assert.ok(rowBoxes.length > 0, 'the Chinese sentence is not on screen');
      const overlaps = boxes.some((b) => rowBoxes.some((r) => b.y < r.y + r.height && b.y + b.height > r.y));
      console.log(`[${tag}] squiggles: ${boxes.length}, rows with the sentence: ${rowBoxes.length}, overlap: ${overlaps}`);
      assert.ok(overlaps, 'no squiggle on the visual row that holds the Chinese sentence');
    });

    test('Problems panel lists the language-mix finding with its evidence', { timeout: 30000 }, async () => {
      await s.workbench.openProblems();
      const rows = s.workbench.problemRows();
      await rows.filter({ hasText: 'Chinese inside Japanese reasoning' }).first().waitFor({ state: 'visible', timeout: 10000 });
      const texts = await rows.allInnerTexts();
      console.log(`[${tag}] problems rows: ${texts.length} (first finding: ${JSON.stringify(texts.find((t) => t.includes('Chinese'))?.slice(0, 140))})`);
      assert.ok(texts.some((t) => t.includes('Chinese inside Japanese reasoning') && t.includes('Rollout Lens') && t.includes(CHINESE_START)));
      assert.ok(texts.some((t) => t.includes('Malformed line')), 'the malformed line is not listed');
      await s.shot(`editor-${tag}-02-problems`);
    });
  });
}
