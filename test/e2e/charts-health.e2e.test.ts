/// <reference lib="dom" />
// The Charts tab as a GRPO user meets it, light and dark: on a real single-step file (Qwen2.5-Math, 100 groups of
// 8 with 0/1 rewards) the pass counts say 86 all right, 4 all wrong, 10 mixed, the per-group strip is drawn, the
// charts over steps are left out with one line saying why; on a generated 60-step run whose language-mixing rate
// jumps at step 30, the run-health list names that change and its examples open their samples.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO } from '../../scripts/lib/code-server.mjs';
import { fixture, needFixtures } from '../support/fixtures';
import { writeHealthRun } from '../support/health-run-file';
import { openSession, type Session } from './harness';
import { Viewer, setColorTheme, waitExtensionActive } from './pages/viewer';

const QWEN = 'qwen25-math.rollout.jsonl';
const QWEN_SRC = fixture('real2', 'qwen25-math-rm-maj', 'math_cot_100.jsonl');
const RUN = 'health-run.rollout.jsonl';

async function waitChart(v: Viewer, id: string): Promise<number> {
  await v.frame.waitForFunction((t) => (document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${t}"]`)?.width ?? 0) > 0, id, { timeout: 15000 });
  return v.canvasPixels(`chart-${id}`);
}

describe('Charts tab: pass counts, per-group strip and run health', { timeout: 300000 }, () => {
  let s: Session;
  let dir: string;

  before(async () => {
    mkdirSync(join(REPO, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(REPO, '.tmp', 'charts-health-'));
    if (!needFixtures(QWEN_SRC)) copyFileSync(QWEN_SRC, join(dir, QWEN));
    writeHealthRun(join(dir, RUN), { steps: 60, flagRate: { kind: 'language-mix', rate: (st) => (st >= 30 ? 0.3 : 0.02) } });
    s = await openSession('e2e-charts-health', { 'workbench.colorTheme': 'Default Light Modern' }, dir);
  });

  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Qwen2.5-Math (one step): pass counts 86 / 4 / 10, the strip, no charts over steps (light, then dark)', { timeout: 120000, skip: needFixtures(QWEN_SRC) }, async () => {
    await s.workbench.treeItem(QWEN).first().waitFor({ state: 'visible', timeout: 10000 });
    await waitExtensionActive(s.page, s.server.dirs.tmp);
    await s.workbench.treeItem(QWEN).first().dblclick();
    let v = await Viewer.find(s.page, 'run', QWEN, 30000);
    await v.waitScanned();
    await v.id('tab-charts').click();
    assert.ok((await waitChart(v, 'pass-counts')) > 1000, 'pass-count chart is blank');
    assert.ok((await waitChart(v, 'group-strip')) > 1000, 'per-group strip is blank');
    const pass = (await v.id('pass-summary').textContent()) ?? '';
    console.log(`pass counts: ${pass}`);
    assert.match(pass, /^100 groups: 86 all right, 4 all wrong, 10 mixed — 10 % give a learning signal/);
    const notDrawn = (await v.id('not-drawn').textContent()) ?? '';
    console.log(`not drawn: ${notDrawn}`);
    assert.match(notDrawn, /charts over steps \(the file has no steps\)/);
    for (const id of ['trends', 'reward-steps', 'zv-steps', 'flags-steps', 'group-box']) assert.equal(await v.id(`card-${id}`).isVisible(), false, `${id} is drawn`);
    assert.match((await v.id('health-note').textContent()) ?? '', /not tested: the run has no steps/);
    await s.shot('charts-health-01-qwen-light');
    // A column of the strip opens its group (and filters the list to it).
    const strip = v.id('chart-group-strip');
    const box = await strip.boundingBox();
    assert.ok(box);
    await strip.click({ position: { x: box.width * 0.08, y: box.height * 0.3 } });
    await v.id('group-title').waitFor({ state: 'visible', timeout: 10000 });
    console.log(`strip click: ${await v.id('group-title').textContent()} · ${await v.id('active-filter').textContent()}`);
    await s.shot('charts-health-02-qwen-group-light');
    await setColorTheme(s.page, s.server.dirs.userData, 'Default Dark Modern', true);
    v = await Viewer.find(s.page, 'run', QWEN, 30000);
    await v.waitScanned();
    await v.id('tab-charts').click();
    assert.ok((await waitChart(v, 'group-strip')) > 1000);
    await s.shot('charts-health-03-qwen-dark');
  });

  test('a 60-step run: run health names the language-mixing jump at step 30 and its examples open (dark, then light)', { timeout: 120000 }, async () => {
    await s.workbench.treeItem(RUN).first().dblclick();
    let v = await Viewer.find(s.page, 'run', RUN, 30000);
    await v.waitScanned();
    await v.id('tab-charts').click();
    await v.id('health-finding').first().waitFor({ state: 'visible', timeout: 15000 });
    const findings = await v.id('health-finding').allTextContents();
    console.log(`health: ${JSON.stringify(findings)}`);
    assert.ok(findings.some((f) => /^language mixing rose from [\d.]+ % to \d+ % at step (2[5-9]|3[0-5])$/.test(f)), JSON.stringify(findings));
    for (const id of ['trends', 'reward-steps', 'flags-steps', 'pass-counts', 'group-strip']) assert.ok((await waitChart(v, id)) > 1000, `${id} is blank`);
    await s.shot('charts-health-04-run-dark');
    await v.id('card-flags-steps').scrollIntoViewIfNeeded();
    await s.shot('charts-health-05-run-lower-dark');
    await v.id('tab-charts').click();
    await v.id('health-example').first().click();
    await v.id('sample-title').waitFor({ state: 'visible', timeout: 10000 });
    assert.ok((await v.id('flag-list').locator('li').count()) > 0, 'the example shows no flag');
    await s.shot('charts-health-06-example-dark');
    await setColorTheme(s.page, s.server.dirs.userData, 'Default Light Modern', false);
    v = await Viewer.find(s.page, 'run', RUN, 30000);
    await v.waitScanned();
    await v.id('tab-charts').click();
    await v.id('health-finding').first().waitFor({ state: 'visible', timeout: 15000 });
    assert.ok((await waitChart(v, 'group-strip')) > 1000);
    await s.shot('charts-health-07-run-light');
  });
});
