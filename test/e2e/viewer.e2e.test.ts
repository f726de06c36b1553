/// <reference lib="dom" />
// The Rollout Viewer as a user sees it in code-server: the demo run folder opens from the Explorer context menu
// as a run panel, the virtualised list, a sample, a group and every chart render (non-blank canvases), a chart
// click filters the list, a demo file opens through the command, the "Open Sample" lens opens the rendered
// sample panel, and the webviews log no CSP violation. Screenshots in the dark and light themes.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSession, type Session } from './harness';
import { Viewer, setColorTheme } from './pages/viewer';
import { chooseMenuEntry } from './pages/workbench';

const CHARTS = ['pass-counts', 'group-strip', 'adv-hist', 'reward-hist', 'reward-steps', 'length-steps', 'zv-steps', 'flags-steps', 'scatter'];

describe('Rollout Viewer in code-server', { timeout: 300000 }, () => {
  let s: Session;
  let run: Viewer;
  const consoleAll: string[] = [];

  before(async () => {
    s = await openSession('e2e-viewer');
    // Dark first (the fresh profile's default theme differs between VS Code versions), light later.
    await setColorTheme(s.page, s.server.dirs.userData, 'Default Dark Modern', true);
    s.page.on('console', (m) => consoleAll.push(`${m.type()}: ${m.text()}`));
  });

  after(async () => {
    await s?.close();
  });

  /** Opens a demo folder from the Explorer's context menu ("Open in Rollout Viewer") and returns its run panel. */
  async function openFolderFromMenu(name: string): Promise<Viewer> {
    const folder = s.workbench.treeItem(name).first();
    await folder.waitFor({ state: 'visible', timeout: 10000 });
    // Extension menu contributions arrive from the remote extension host a little after the Explorer shows:
    // reopen the menu until our entry is there.
    const item = s.page.locator('.context-view .action-item', { hasText: 'Open in Rollout Viewer' }).first();
    let labels: string[] = [];
    for (let attempt = 0; attempt < 15; attempt++) {
      await folder.click({ button: 'right' });
      await s.page.locator('.context-view .action-label').first().waitFor({ state: 'visible', timeout: 5000 });
      if (await item.isVisible()) break;
      labels = await s.page.locator('.context-view .action-label').allInnerTexts();
      await s.page.keyboard.press('Escape');
      await s.page.waitForTimeout(1000);
    }
    if (!(await item.isVisible())) {
      await s.shot('viewer-00-context-menu');
      throw new Error(`context menu has no "Open in Rollout Viewer": ${JSON.stringify(labels)}`);
    }
    await chooseMenuEntry(s.page, item);
    return Viewer.find(s.page, 'run', name);
  }

  test('the demo run folder opens from the Explorer context menu as a run', { timeout: 45000 }, async () => {
    run = await openFolderFromMenu('verl');
    await run.waitScanned();
    const { shown, total } = await run.count();
    assert.equal(total, 48);
    assert.equal(shown, 48);
    const overview = (await run.id('overview').textContent()) ?? '';
    console.log(`overview: ${overview}`);
    assert.match(overview, /verl · 48 samples · \d+ groups/);
  });

  test('the list is virtualised and sorts by a column', { timeout: 30000 }, async () => {
    const inDom = await run.rows().count();
    assert.ok(inDom > 5 && inDom < 48, `${inDom} row elements for 48 samples: the list is not virtualised`);
    await run.id('sort-reward').click();
    await run.frame.waitForFunction(() => document.querySelector('[data-testid="sort-reward"]')?.textContent?.includes('▼') === true);
    await run.rows().first().waitFor({ state: 'visible' });
    // The header arrow changes at once; the rows follow when the host answers the new query. Wait for them.
    await run.frame.waitForFunction(() => {
      const rows = Array.from(document.querySelectorAll('[data-testid="sample-row"]')).slice(0, 12).map((r) => Number(r.children[1]?.textContent));
      return rows.length > 1 && rows.every((v, i) => i === 0 || rows[i - 1]! >= v);
    }, undefined, { timeout: 10000 }).catch(() => undefined);
    const rewards = await run.rows().evaluateAll((rows) => rows.slice(0, 12).map((r) => Number(r.children[1]?.textContent)));
    for (let i = 1; i < rewards.length; i++) assert.ok(rewards[i - 1]! >= rewards[i]!, `not sorted by reward: ${rewards.join(',')}`);
  });

  test('a flagged sample opens with folded reasoning, flags and highlighted spans', { timeout: 30000 }, async () => {
    await run.id('filter-flag-language-mix').click();
    await run.frame.waitForFunction(() => /^\d+ of 48/.test(document.querySelector('[data-testid="list-count"]')?.textContent ?? '') && !/^48 of/.test(document.querySelector('[data-testid="list-count"]')?.textContent ?? ''));
    const { shown } = await run.count();
    assert.ok(shown > 0 && shown < 48, `language-mix filter shows ${shown}`);
    await run.rows().first().click();
    await run.id('sample-title').waitFor({ state: 'visible', timeout: 10000 });
    const reasoning = run.id('reasoning').first();
    assert.equal(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open), false, 'reasoning is folded by default');
    assert.ok((await run.id('flag-list').locator('li').count()) > 0);
    await run.id('toggle-raw').click();
    await run.id('flag-mark').first().waitFor({ state: 'attached', timeout: 5000 });
    await run.id('flag-list').locator('li').first().click();
    assert.equal(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open), true, 'clicking a flag opens the reasoning at its span');
    await s.shot('viewer-01-sample-dark');
    await run.id('next-sample').click();
    await run.frame.waitForFunction(() => /\d+ of \d+ in the list/.test(document.body.textContent ?? ''));
  });

  test('the group view shows every completion of the prompt', { timeout: 30000 }, async () => {
    await run.id('open-group').click();
    await run.id('group-title').waitFor({ state: 'visible', timeout: 10000 });
    const members = await run.id('group-member').count();
    assert.ok(members >= 2, `${members} members`);
    assert.ok((await run.canvasPixels('group-adv-chart')) > 100, 'advantage-per-member chart is blank');
    await s.shot('viewer-02-group-dark');
    const title = await run.id('group-title').textContent();
    await run.id('group-next').click();
    await run.frame.waitForFunction((t) => document.querySelector('[data-testid="group-title"]')?.textContent !== t, title, { timeout: 10000 });
  });

  test('every chart renders non-blank and a chart click filters the list', { timeout: 45000 }, async () => {
    await run.id('tab-charts').click();
    for (const id of CHARTS) {
      await run.frame.waitForFunction((t) => {
        const c = document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${t}"]`);
        return c !== null && c.width > 0;
      }, id, { timeout: 10000 });
      const px = await run.canvasPixels(`chart-${id}`);
      console.log(`chart ${id}: ${px} non-blank pixels`);
      assert.ok(px > 1000, `chart ${id} is blank (${px})`);
    }
    await s.shot('viewer-03-charts-dark');
    // Click across the zero-variance-per-step chart until a bar is hit: the list then shows that step only.
    const canvas = run.id('chart-zv-steps');
    const box = await canvas.boundingBox();
    assert.ok(box);
    let hit = false;
    for (let fx = 0.15; fx < 0.95 && !hit; fx += 0.05) {
      await canvas.click({ position: { x: box.width * fx, y: box.height * 0.8 } });
      // chart.js handles pointer events on the next animation frame: let two frames pass before looking.
      await run.frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      // A hit switches to the Samples tab at once (the chart is then hidden); the filter chip follows once the host
      // answers. Either sign means the click landed on a bar.
      hit = (await run.id('active-filter').isVisible()) || !(await canvas.isVisible());
    }
    assert.ok(hit, 'no bar of the zero-variance chart could be clicked');
    await run.id('active-filter').waitFor({ state: 'visible', timeout: 10000 });
    const chip = (await run.id('active-filter').textContent()) ?? '';
    console.log(`chart filter: ${chip}`);
    await run.waitScanned();
    const { shown } = await run.count();
    assert.ok(shown > 0 && shown < 48, `chart click left ${shown} samples`);
    await s.shot('viewer-04-chart-filter-dark');
  });

  test('search: regex over the reasoning counts hits and filters the list', { timeout: 30000 }, async () => {
    await run.id('clear-chart-filter').click();
    await run.id('filter-flag-language-mix').click({ force: true }).catch(() => undefined);
    const input = run.id('search-input').locator('input');
    await input.fill('我们|所以');
    await run.id('search-run').click();
    await run.frame.waitForFunction(() => /^\d+ samples · hits: prompt \d+, reasoning [1-9]/.test(document.querySelector('[data-testid="search-status"]')?.textContent ?? ''), undefined, { timeout: 15000 });
    console.log(`search: ${await run.id('search-status').textContent()}`);
  });

  test('light theme: after a reload the run panel is restored by its serializer, re-themed', { timeout: 60000 }, async () => {
    await setColorTheme(s.page, s.server.dirs.userData, 'Default Light Modern', false);
    try {
      run = await Viewer.find(s.page, 'run', 'verl', 30000);
    } catch (e) {
      await s.shot('viewer-05-restore-failed');
      const tabs = await s.page.locator('.tabs-container .tab').allInnerTexts();
      throw new Error(`run panel not restored after reload (tabs: ${JSON.stringify(tabs)})`, { cause: e });
    }
    await run.frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: 15000 });
    await run.waitScanned();
    // The webview state (setState) kept the tab and the sort.
    assert.match((await run.id('sort-reward').textContent()) ?? '', /▼/, 'sort order restored from the webview state');
    await run.id('tab-charts').click();
    for (const id of CHARTS) {
      await run.frame.waitForFunction((t) => (document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${t}"]`)?.width ?? 0) > 0, id, { timeout: 10000 });
      assert.ok((await run.canvasPixels(`chart-${id}`)) > 1000, `chart ${id} blank in light theme`);
    }
    await s.shot('viewer-05-charts-light');
    await run.id('tab-samples').click();
    await run.rows().first().click();
    await run.id('sample-title').waitFor({ state: 'visible' });
    await s.shot('viewer-06-sample-light');
  });

  test('a demo file opens in the viewer through the command', { timeout: 45000 }, async () => {
    await s.workbench.openFromExplorer('verl', '1.jsonl');
    await s.workbench.runFromPalette('Rollout Lens: Open in Rollout Viewer');
    const file = await Viewer.find(s.page, 'run', '1.jsonl');
    await file.waitScanned();
    assert.equal((await file.count()).total, 16);
    await s.shot('viewer-07-file-light');
  });

  test('the "Open Sample" lens opens the rendered sample beside the text', { timeout: 45000 }, async () => {
    const editor = await s.workbench.openFromExplorer('verl', '2.jsonl');
    const lens = s.workbench.codeLensLinks(editor).filter({ hasText: 'Open Sample' }).first();
    await lens.waitFor({ state: 'visible', timeout: 15000 });
    await lens.click();
    const panel = await Viewer.find(s.page, 'sample', '2.jsonl');
    await panel.id('sample-title').waitFor({ state: 'visible', timeout: 15000 });
    const first = await panel.id('sample-title').textContent();
    await panel.id('next-sample').click();
    try {
      await panel.frame.waitForFunction((t) => document.querySelector('[data-testid="sample-title"]')?.textContent !== t, first, { timeout: 10000 });
    } catch (e) {
      await s.shot('viewer-08-sample-panel-failed');
      throw new Error(`next sample did not change "${first}"; detail: ${((await panel.id('detail').textContent()) ?? '').slice(0, 300)}`, { cause: e });
    }
    await s.shot('viewer-08-sample-panel-light');
  });

  test('a TRL parquet run: rows and a sample read back from the viewer\'s temporary copy of the rows', { timeout: 60000 }, async () => {
    const pq = await openFolderFromMenu('trl');
    await pq.waitScanned();
    assert.equal((await pq.count()).total, 16);
    const row = pq.rows().nth(3);
    await row.waitFor({ state: 'visible', timeout: 15000 });
    const index = Number(await row.getAttribute('data-index'));
    await row.click();
    await pq.frame.waitForFunction((n) => document.querySelector('[data-testid="sample-title"]')?.textContent === `Sample ${n}`, index + 1, { timeout: 10000 });
    const detail = (await pq.id('detail').textContent()) ?? '';
    assert.match(detail, /completions_00001\.parquet/, 'the sample names its file');
    assert.ok(detail.length > 200, `the sample's text is shown: ${detail.slice(0, 200)}`);
    await s.shot('viewer-09-parquet-light');
  });

  test('no CSP violation in any webview', () => {
    const csp = consoleAll.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepEqual(csp, [], `CSP messages:\n${csp.join('\n')}`);
  });
});
