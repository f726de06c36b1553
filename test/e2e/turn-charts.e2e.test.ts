/// <reference lib="dom" />
// Reward by number of assistant turns and of tool calls in the Rollout Viewer's charts tab (docs/turn-charts.md),
// on the two real multi-turn files: verl multi-turn tool use (sglang) and verifiers' wiki-search agent. Checks the
// bins each chart draws (the long tail of verl's tool calls in one "≥ 6" bar), that clicking a bar lists exactly
// its samples, and takes screenshots of both runs' charts in the dark and light themes.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO } from '../../scripts/lib/code-server.mjs';
import { fixture, needFixtures } from '../support/fixtures';
import type { Session } from './harness';
import { Viewer, openCopiedWorkspace, setColorTheme } from './pages/viewer';

const VERL_SRC = fixture('real2', 'verl-hecate', '2.jsonl');
const WIKI_SRC = fixture('real2', 'verifiers-wiki-search', 'results.jsonl');
const VERL = 'verl-hecate.rollout.jsonl';
const WIKI = 'wiki-search.rollout.jsonl';
const WS = join(REPO, '.tmp', 'e2e-turn-charts-workspace');

/** Bins as `value:samples` (the top bin `≥value:samples`), from the counts in the files (see count-reward.test.ts). */
const EXPECTED: Record<string, { turns: string; tools: string; total: number; click: { chart: 'turn-reward' | 'tool-reward'; bin: number; samples: number; label: RegExp } }> = {
  [VERL]: {
    turns: '1:99 2:673 3:221 4:26 5:5',
    tools: '0:52 1:422 2:364 3:111 4:54 5:13 ≥6:8',
    total: 1024,
    // The top bin: 6 or more calls.
    click: { chart: 'tool-reward', bin: 6, samples: 8, label: /≥ 6 tool calls/ },
  },
  [WIKI]: {
    turns: '4:63 5:18 6:5 7:8 8:1 9:1 10:4',
    tools: '3:63 4:18 5:5 6:8 7:1 8:1 9:1 10:3',
    total: 100,
    click: { chart: 'turn-reward', bin: 1, samples: 18, label: /5 assistant turns/ },
  },
};

async function openCharts(s: Session, file: string): Promise<Viewer> {
  const v = await Viewer.find(s.page, 'run', file, 30000);
  await v.waitScanned(60000);
  await v.id('tab-charts').click();
  for (const id of ['chart-turn-reward', 'chart-tool-reward']) {
    await v.frame.waitForFunction((t) => (document.querySelector<HTMLCanvasElement>(`[data-testid="${t}"]`)?.dataset.bins ?? '') !== '', id, { timeout: 15000 });
  }
  return v;
}

async function bins(v: Viewer, id: string): Promise<string> {
  return (await v.id(id).getAttribute('data-bins')) ?? '';
}

describe('Rollout Viewer: reward by number of turns and tool calls', { timeout: 300000, skip: needFixtures(VERL_SRC, WIKI_SRC) }, () => {
  let s: Session;
  const consoleAll: string[] = [];

  before(async () => {
    s = await openCopiedWorkspace('e2e-turn-charts', WS, [[VERL_SRC, VERL], [WIKI_SRC, WIKI]], consoleAll);
  });

  after(async () => {
    await s?.close();
    rmSync(WS, { recursive: true, force: true });
  });

  test('dark: both charts on both files with the expected bins; a click lists the bar\'s samples', { timeout: 150000 }, async () => {
    let n = 1;
    for (const file of [VERL, WIKI]) {
      const want = EXPECTED[file];
      await s.workbench.treeItem(file).first().waitFor({ state: 'visible', timeout: 10000 });
      await s.workbench.treeItem(file).first().dblclick();
      const v = await openCharts(s, file);
      assert.equal((await v.count()).total, want.total);
      assert.equal(await bins(v, 'chart-turn-reward'), want.turns, `${file}: turn bins`);
      assert.equal(await bins(v, 'chart-tool-reward'), want.tools, `${file}: tool-call bins`);
      for (const id of ['chart-turn-reward', 'chart-tool-reward']) assert.ok((await v.canvasPixels(id)) > 1000, `${file}: ${id} is blank`);
      // The two cards sit side by side in the grid (1280 px window): one screenshot shows both.
      await v.id('card-turn-reward').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await s.shot(`turn-charts-0${n++}-${file.split('.')[0]}-dark`);
      // Click the bar: the whole column answers (index mode), so the middle of the chart's height will do.
      const c = want.click;
      const xs = ((await v.id(`chart-${c.chart}`).getAttribute('data-bin-x')) ?? '').split(' ').map(Number);
      const box = await v.id(`chart-${c.chart}`).boundingBox();
      assert.ok(box && xs.length > c.bin, `${file}: bar positions`);
      await v.id(`chart-${c.chart}`).click({ position: { x: xs[c.bin], y: box.height * 0.45 } });
      await v.frame.waitForFunction((want) => (document.querySelector('[data-testid="list-count"]')?.textContent ?? '').startsWith(want), `${c.samples} of ${want.total}`, { timeout: 15000 });
      assert.match((await v.id('active-filter').textContent()) ?? '', c.label);
      await s.shot(`turn-charts-0${n++}-${file.split('.')[0]}-clicked-dark`);
    }
  });

  test('light: both files\' charts re-themed', { timeout: 120000 }, async () => {
    await setColorTheme(s.page, s.server.dirs.userData, 'Default Light Modern', false);
    let n = 5;
    for (const file of [VERL, WIKI]) {
      // Bring this panel to the front first: a restored panel in a background tab has no webview yet.
      await s.page.locator('.tabs-container .tab', { hasText: file }).first().click();
      const v = await Viewer.find(s.page, 'run', file, 30000);
      await v.frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: 15000 });
      const lv = await openCharts(s, file);
      assert.equal(await bins(lv, 'chart-turn-reward'), EXPECTED[file].turns);
      assert.equal(await bins(lv, 'chart-tool-reward'), EXPECTED[file].tools);
      await lv.id('card-turn-reward').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await s.shot(`turn-charts-0${n++}-${file.split('.')[0]}-light`);
    }
    const csp = consoleAll.filter((m) => /Content Security Policy|Refused to/.test(m));
    assert.deepEqual(csp, [], 'no CSP violation');
  });
});
