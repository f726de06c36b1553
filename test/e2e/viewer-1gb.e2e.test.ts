/// <reference lib="dom" />
// e2e-timeout-ms: 900000
// The Rollout Viewer on a 1 GB file in code-server, as a user meets it: the file (generated here by the benchmark
// generator, in a temp folder removed afterwards) opens from the Explorer straight into the viewer
// (`*.rollout.jsonl`), the first rows appear while the scan goes on, then the full statistics; the sample list,
// a sample, a group and every chart render (non-blank canvases) and a chart click filters the list, in the dark
// and the light theme. Measured and printed: time to the first rows and to full statistics (the host's clock and
// the user's), extension-host memory (RSS, peak), the webview's memory (growth of the workbench renderer) and the
// longest extension-host block from opening the file until the filtered list is shown.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateRolloutFile } from '../../bench/generate';
import { REPO } from '../../scripts/lib/code-server.mjs';
import { openSession, type Session } from './harness';
import { Viewer, waitExtensionActive } from './pages/viewer';
import { extensionHostPid, fmtMB, hostBlocks, processMemory, rendererMemory } from './viewer-metrics';

const CHARTS = ['pass-counts', 'group-strip', 'adv-hist', 'reward-hist', 'reward-steps', 'length-steps', 'zv-steps', 'flags-steps', 'scatter'];
const FILE = 'rollouts-1gb.rollout.jsonl';
const BYTES = 1024 * 1024 * 1024;
/** Full statistics take ~100 s on the 2-core development machine; CI machines may be slower. */
const FULL_STATS_TIMEOUT_MS = Number(process.env.VIEWER_1GB_TIMEOUT_MS ?? 420000);

describe('Rollout Viewer on a 1 GB file in code-server', { timeout: 900000 }, () => {
  let dir = '';
  let records = 0;
  let s: Session;
  let run: Viewer;
  let hostPid = 0;
  let opened = 0;
  const m: Record<string, number | string> = {};
  const cleanup = (): void => { if (dir) rmSync(dir, { recursive: true, force: true }); };
  /** Screenshot without the toasts (the Problems scan of the same file announces itself over the viewer). */
  const shot = async (name: string): Promise<void> => {
    if ((await s.workbench.notifications().count()) > 0) await s.workbench.runFromPalette('Notifications: Clear All Notifications');
    await s.shot(name);
  };

  before(async () => {
    mkdirSync(join(REPO, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(REPO, '.tmp', 'viewer-1gb-'));
    process.on('exit', cleanup); // also when the runner's time limit kills us
    const t = Date.now();
    // The templated (v2) text: short traces, twice the samples per MB of the default text, the harder case for the
    // host and the one the README's figures were measured on.
    records = await generateRolloutFile(join(dir, FILE), BYTES, 8, 1, 'templated');
    m.generateS = (Date.now() - t) / 1000;
    m.fileMB = statSync(join(dir, FILE)).size / 1048576;
    console.log(`generated ${FILE}: ${m.fileMB.toFixed(0)} MB, ${records} records in ${m.generateS.toFixed(1)} s`);
    s = await openSession('e2e-viewer-1gb', { 'workbench.colorTheme': 'Default Dark Modern' }, dir);
  });

  after(async () => {
    await s?.close();
    cleanup();
  });

  test('the file opens from the Explorer in the viewer and the first rows appear while it is read', { timeout: 120000 }, async () => {
    await s.workbench.treeItem(FILE).first().waitFor({ state: 'visible', timeout: 10000 });
    await waitExtensionActive(s.page, s.server.dirs.tmp);
    hostPid = extensionHostPid(s.server.proc.pid!);
    const host = processMemory(hostPid);
    const renderer = await rendererMemory(s.browser, s.page);
    m.hostRssBeforeMB = host.rssMB;
    m.rendererHeapBeforeMB = renderer.jsHeapMB;
    m.rendererRssBeforeMB = renderer.rssMB;
    opened = Date.now();
    m.loadAvgAtOpen = loadavg()[0]!;
    await s.workbench.treeItem(FILE).first().dblclick();
    run = await Viewer.find(s.page, 'run', FILE, 30000);
    await run.rows().first().waitFor({ state: 'visible', timeout: 30000 });
    m.firstRowsUiMs = Date.now() - opened;
    const count = (await run.id('list-count').textContent()) ?? '';
    assert.match(count, /^first \d+ samples \(reading…\)$/, 'the first rows are shown before the scan ends');
    assert.ok(await run.id('progress').isVisible(), 'scan progress is visible');
    await run.frame.waitForFunction(() => / of 1\.00 GB · \d+ records/.test(document.querySelector('[data-testid="scan-progress-text"]')?.textContent ?? ''), undefined, { timeout: 10000 });
    console.log(`first rows on screen ${m.firstRowsUiMs} ms after the double click; progress: ${await run.id('scan-progress-text').textContent()}`);
    await s.shot('viewer-1gb-01-first-rows-dark');
  });

  test('the full statistics arrive and the list holds every record', { timeout: FULL_STATS_TIMEOUT_MS + 10000 }, async () => {
    // Sample the extension host's RSS while it scans (VmHWM gives the peak as well).
    let hostPeak = 0;
    const sampler = setInterval(() => { try { hostPeak = Math.max(hostPeak, processMemory(hostPid).rssMB); } catch { /* gone */ } }, 1000);
    try {
      await run.waitScanned(FULL_STATS_TIMEOUT_MS);
    } finally {
      clearInterval(sampler);
    }
    m.fullStatsUiS = (Date.now() - opened) / 1000;
    m.loadAvgAtDone = loadavg()[0]!;
    const { shown, total } = await run.count();
    assert.equal(total, records);
    assert.equal(shown, records);
    const overview = (await run.id('overview').textContent()) ?? '';
    console.log(`overview: ${overview}`);
    assert.match(overview, new RegExp(`^verl · ${records} samples · \\d+ groups`));
    const title = (await run.id('overview').getAttribute('title')) ?? '';
    const timing = /first samples (\d+) ms · full statistics (\d+) ms/.exec(title);
    assert.ok(timing, `no timings in the overview tooltip: ${title}`);
    m.firstSamplesHostMs = Number(timing[1]);
    m.fullStatsHostS = Number(timing[2]) / 1000;
    const host = processMemory(hostPid);
    m.hostRssDoneMB = host.rssMB;
    m.hostRssPeakMB = Math.max(hostPeak, host.peakMB);
    assert.equal(await run.id('progress').isVisible(), false, 'progress hidden after the scan');
    await shot('viewer-1gb-02-list-dark');
  });

  test('a sample and its group render', { timeout: 60000 }, async () => {
    await run.rows().nth(3).click();
    await run.id('sample-title').waitFor({ state: 'visible', timeout: 15000 });
    assert.equal(await run.id('reasoning').first().evaluate((d) => (d as HTMLDetailsElement).open), false, 'reasoning folded');
    assert.match((await run.id('sample-stats').textContent()) ?? '', /^reward[01]advantage/);
    await shot('viewer-1gb-03-sample-dark');
    await run.id('open-group').click();
    await run.id('group-title').waitFor({ state: 'visible', timeout: 15000 });
    assert.match((await run.id('group-title').textContent()) ?? '', /· 8 completions$/);
    assert.equal(await run.id('group-member').count(), 8);
    const px = await run.canvasPixels('group-adv-chart');
    assert.ok(px > 100 || (await run.id('zero-variance-banner').isVisible()), `advantage-per-member chart is blank (${px})`);
    await shot('viewer-1gb-04-group-dark');
  });

  test('every chart renders non-blank and a chart click filters the list', { timeout: 90000 }, async () => {
    await run.id('tab-charts').click();
    for (const id of CHARTS) {
      await run.frame.waitForFunction((t) => (document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${t}"]`)?.width ?? 0) > 0, id, { timeout: 20000 });
      const px = await run.canvasPixels(`chart-${id}`);
      console.log(`chart ${id}: ${px} non-blank pixels`);
      assert.ok(px > 1000, `chart ${id} is blank (${px})`);
    }
    await shot('viewer-1gb-05-charts-dark');
    await run.id('card-scatter').scrollIntoViewIfNeeded();
    await shot('viewer-1gb-06-charts-lower-dark');
    // Click the tallest bar of the reward histogram (found from the drawn pixels); around it if the first point
    // falls on a bar's edge. A hit switches to the Samples tab at once and shows the filter chip.
    const chart = run.id('chart-reward-hist');
    const point = await run.markPoint('chart-reward-hist');
    assert.ok(point, 'no bar drawn in the reward histogram');
    let hit = false;
    for (const dx of [0, -2, 2, -4, 4]) {
      if (hit) break;
      await chart.click({ position: { x: point.x + dx, y: point.y } });
      await run.frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      hit = (await run.id('active-filter').isVisible()) || !(await chart.isVisible());
    }
    assert.ok(hit, `a click on the reward histogram at ${JSON.stringify(point)} did not filter`);
    await run.id('active-filter').waitFor({ state: 'visible', timeout: 15000 });
    await run.frame.waitForFunction((n) => {
      const t = /^(\d+) of (\d+) samples/.exec(document.querySelector('[data-testid="list-count"]')?.textContent ?? '');
      return t !== null && Number(t[1]) < n;
    }, records, { timeout: 15000 });
    const chip = (await run.id('active-filter').textContent()) ?? '';
    const { shown } = await run.count();
    console.log(`chart filter: ${chip} → ${shown} samples`);
    assert.match(chip, /reward (0–0\.05|0\.95–1)/);
    assert.ok(shown > 0 && shown < records, `${shown} samples after the chart click`);
    await run.rows().first().waitFor({ state: 'visible', timeout: 15000 });
    m.filteredAtMs = Date.now() - opened;
    await shot('viewer-1gb-07-chart-filter-dark');
  });

  test('measured: memory of the extension host and the webview, longest extension-host block', { timeout: 60000 }, async () => {
    const end = Date.now();
    const found = await hostBlocks(s.server.dirs.tmp, opened, end);
    if (!found) console.log('longest extension-host block: NOT MEASURED (no host-block monitor report in this build)');
    const blocks = found ?? [];
    const busy = (b: { ms: number; busyMs?: number }): number => b.busyMs ?? b.ms;
    m.longestHostBlockMs = blocks[0] ? busy(blocks[0]) : 0;
    m.longestHostBlockWallMs = Math.max(0, ...blocks.map((b) => b.ms));
    m.hostBlocksOver50 = blocks.filter((b) => busy(b) > 50).length;
    const host = processMemory(hostPid);
    m.hostRssChartsMB = host.rssMB;
    m.hostRssPeakMB = Math.max(Number(m.hostRssPeakMB), host.peakMB);
    const renderer = await rendererMemory(s.browser, s.page);
    m.rendererHeapAfterMB = renderer.jsHeapMB;
    m.rendererRssAfterMB = renderer.rssMB;
    m.webviewDomNodes = await run.frame.evaluate(() => document.getElementsByTagName('*').length);
    const fixed = (k: string, d = 0): string => Number(m[k]).toFixed(d);
    console.log([
      `viewer on ${fixed('fileMB')} MB (${records} samples, generated in ${fixed('generateS', 1)} s; ${cpus().length} cores, load average ${fixed('loadAvgAtOpen', 1)} at open, ${fixed('loadAvgAtDone', 1)} when done):`,
      `  first rows: ${fixed('firstSamplesHostMs')} ms after the scan started (host), ${fixed('firstRowsUiMs')} ms after the double click (on screen)`,
      `  full statistics: ${fixed('fullStatsHostS', 1)} s (host), ${fixed('fullStatsUiS', 1)} s after the double click (list of every sample on screen)`,
      `  extension host RSS: ${fmtMB(Number(m.hostRssBeforeMB))} before, peak ${fmtMB(Number(m.hostRssPeakMB))}, ${fmtMB(Number(m.hostRssDoneMB))} after the scan, ${fmtMB(Number(m.hostRssChartsMB))} with charts shown`,
      `  webview (workbench renderer growth, after GC): JS heap ${fixed('rendererHeapBeforeMB')} → ${fixed('rendererHeapAfterMB')} MB (+${(Number(m.rendererHeapAfterMB) - Number(m.rendererHeapBeforeMB)).toFixed(1)} MB), renderer RSS ${fixed('rendererRssBeforeMB')} → ${fixed('rendererRssAfterMB')} MB; ${m.webviewDomNodes} DOM elements in the viewer`,
      found === null ? '  longest extension-host block: not measured' : `  longest extension-host block from opening the file to the filtered list: ${fixed('longestHostBlockMs')} ms on the host thread's CPU clock, ${fixed('longestHostBlockWallMs')} ms wall (${m.hostBlocksOver50} blocks > 50 ms; worst: ${blocks.slice(0, 5).map((b) => `${busy(b).toFixed(0)}/${b.ms} ms at +${((b.at - opened) / 1000).toFixed(1)} s${b.notes ? ` ${b.notes.join('; ')}` : ''}`).join(', ') || 'none over 16 ms'})`,
    ].join('\n'));
    console.log(`viewer-1gb metrics ${JSON.stringify(m)}`);
    // Bounds that catch a regression without tying the test to this machine's speed.
    assert.ok(Number(m.firstSamplesHostMs) < 5000, `first samples after ${m.firstSamplesHostMs} ms`);
    assert.ok(Number(m.hostRssPeakMB) < 2048, `extension host peaked at ${fmtMB(Number(m.hostRssPeakMB))} on a 1 GB file`);
    assert.ok(Number(m.rendererHeapAfterMB) - Number(m.rendererHeapBeforeMB) < 256, 'the webview holds the file, not aggregates');
    assert.ok(Number(m.longestHostBlockMs) < 1000, `the extension host blocked for ${m.longestHostBlockMs} ms`);
  });

  test('light theme: charts and the sample re-themed in place', { timeout: 60000 }, async () => {
    await s.workbench.runFromPalette('Preferences: Toggle between Light/Dark Themes');
    await s.page.waitForFunction(() => {
      const c = document.querySelector('.monaco-workbench')?.classList;
      return c !== undefined && c.contains('vs') && !c.contains('vs-dark');
    }, undefined, { timeout: 15000 });
    await run.frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: 15000 });
    await run.id('clear-chart-filter').click();
    await run.frame.waitForFunction((n) => (document.querySelector('[data-testid="list-count"]')?.textContent ?? '').startsWith(`${n} of ${n}`), records, { timeout: 15000 });
    await run.id('tab-charts').click();
    for (const id of CHARTS) {
      await run.frame.waitForFunction((t) => (document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${t}"]`)?.width ?? 0) > 0, id, { timeout: 20000 });
      assert.ok((await run.canvasPixels(`chart-${id}`)) > 1000, `chart ${id} blank in the light theme`);
    }
    await shot('viewer-1gb-08-charts-light');
    await run.id('tab-samples').click();
    await run.rows().nth(1).click();
    await run.id('sample-title').waitFor({ state: 'visible', timeout: 15000 });
    await shot('viewer-1gb-09-sample-light');
  });
});
