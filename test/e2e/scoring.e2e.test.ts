// Score File from the palette on a demo rollout: the lenses change from the recorded reward alone to the recorded
// reward beside the recomputed scores, with the disagreement (recorded 0, recomputed 1) called out; the
// notification counts the samples and disagreements. Screenshots before and after.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { openSession, type Session } from './harness';
import { ScoringPage } from './pages/scoring';

describe('Score File from the command palette', { timeout: 240000 }, () => {
  let s: Session;
  let editor: Locator;
  let scoring: ScoringPage;

  before(async () => {
    s = await openSession('scoring');
    scoring = new ScoringPage(s.workbench);
  });

  after(async () => {
    await s?.close();
  });

  test('lenses show only the recorded reward before scoring', { timeout: 60000 }, async () => {
    editor = await s.workbench.openFromExplorer('verl', '2.jsonl');
    await scoring.headlines(editor).first().waitFor({ state: 'visible', timeout: 20000 });
    const titles = await scoring.headlines(editor).allInnerTexts();
    assert.ok(titles.length >= 8, `headline lenses: ${titles.length}`);
    assert.equal(await scoring.rescored(editor).count(), 0, 'nothing is recomputed yet');
    await s.shot('scoring-01-before');
  });

  test('Score File from the palette: lenses now carry the recomputed scores and the disagreement', { timeout: 90000 }, async () => {
    await editor.click({ position: { x: 300, y: 60 } });
    const toast = await scoring.scoreFileFromPalette(() => s.shot('scoring-02-palette').then(() => undefined));
    await s.workbench.waitToastShown();
    const message = await toast.innerText();
    console.log(`notification: ${JSON.stringify(message)}`);
    assert.match(message, /scored 16 samples with accuracy, format, tag_count, language_consistency, repetition_penalty: 1 disagree with the recorded reward \(accuracy\)/);
    await scoring.rescored(editor).first().waitFor({ state: 'visible', timeout: 20000 });
    const titles = await scoring.headlines(editor).allInnerTexts();
    console.log(`first lens: ${JSON.stringify(titles[0])}`);
    // Short enough that the lens actions stay on screen: the compared reward, or the disagreement first.
    assert.ok(titles.every((t) => /· recomputed accuracy [01] \(\+4 in hover\)|·\s*recomputed accuracy [01] ≠ recorded [01]: /.test(t)), JSON.stringify(titles.slice(0, 3)));
    // Recorded beside recomputed: the headline still starts with the recorded reward.
    assert.ok(titles.every((t) => /^reward [01] /.test(t)));
    await s.shot('scoring-03-after');
    // Line 14 (recorded 0, answer 100 = gold 100) is the disagreement: bring it into view and read its lens.
    await scoring.goToLine(14);
    const flagged = scoring.headlines(editor).filter({ hasText: 'recomputed accuracy 1 ≠ recorded 0' });
    await flagged.first().waitFor({ state: 'visible', timeout: 10000 });
    const text = await flagged.first().innerText();
    console.log(`disagreement lens: ${JSON.stringify(text)}`);
    assert.match(text, /answer 100 = gold 100/);
    assert.equal(await flagged.count(), 1);
    await s.shot('scoring-04-disagreement');
  });
});
