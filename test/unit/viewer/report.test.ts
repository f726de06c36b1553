// `rollout-lens report`: the HTML is self-contained (no request leaves the file), model text is escaped, the
// CSP meta tag holds (no violations), every chart draws, and a headless Chromium screenshot is kept in
// test-results/report/ for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReportData, findReportAssets, reportHtml, scriptJson } from '../../../src/cli/report-command';
import { escapeHtml } from '../../../src/core/text/escape-html';
import type { CliOptions } from '../../../src/cli/args';
import { withTempDir } from '../../support/temp-dir';
import { fixture, needFixtures } from '../../support/fixtures';

const REPO = join(__dirname, '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';

function ensureBuilt(): void {
  try {
    findReportAssets();
  } catch {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
}

const opts = (path: string, out: string): CliOptions => ({
  command: 'report', path, format: 'auto', fields: {}, groupBy: 'auto', advantage: 'auto', lang: 'auto', rewards: null, out, failOn: [], json: false, rewardFns: [],
} as unknown as CliOptions);

/** System Chromium with a private home under `dir`, or null when the machine has none. */
async function reportBrowser(dir: string): Promise<import('playwright-core').Browser | null> {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const home = join(dir, 'home');
  mkdirSync(home);
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local') } as Record<string, string>;
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env });
}

test('escaping helpers keep model text inert', () => {
  assert.equal(escapeHtml('<script>alert("x")</script>&'), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
  assert.ok(!scriptJson({ t: '</script><img src=x onerror=alert(1)>' }).includes('</script'));
});

test('report of the demo run plus a hostile sample renders offline with every chart drawn', { timeout: 90000 }, async (t) => {
  ensureBuilt();
  await withTempDir(async ({ dir }) => {
    // The demo run's step files plus one whose completion tries to inject markup.
    const run = join(dir, 'run');
    mkdirSync(run);
    for (const f of ['1.jsonl', '2.jsonl', '10.jsonl']) writeFileSync(join(run, f), readFileSync(join(REPO, 'demo', 'verl', f)));
    const evil = { input: 'user\nWhat is 1+1?\nassistant\n', output: '<think>我们 <script>window.__pwned=1</script> 计算 计算 计算 <img src=x onerror="window.__pwned=2"></think><answer>2</answer>', gts: '2', score: 1, step: 11 };
    writeFileSync(join(run, '11.jsonl'), Array.from({ length: 4 }, () => JSON.stringify(evil)).join('\n') + '\n');
    const out = join(dir, 'r.html');
    const { data, session } = await buildReportData(run, opts(run, out));
    await session.close();
    const html = reportHtml(data, findReportAssets());
    writeFileSync(out, html);
    assert.ok(!/<script>window.__pwned/.test(html), 'model markup is escaped');
    assert.ok(html.includes("Content-Security-Policy"), 'CSP meta tag');
    assert.ok(!/https?:\/\/(?!www\.w3\.org)/.test(html.replace(/<script nonce[\s\S]*?<\/script>/, '')), 'no external URL outside the bundled script');
    assert.ok(data.flaggedTotal > 0);
    assert.deepEqual(data.health?.findings, []);
    assert.equal(data.health?.steps, 4);

    const browser = await reportBrowser(dir);
    if (browser === null) {
      t.skip('no /usr/bin/chromium');
      return;
    }
    try {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, colorScheme: scheme });
        const console: string[] = [];
        const external: string[] = [];
        page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
        await page.route('**/*', (route) => {
          if (route.request().url().startsWith('file:')) return route.continue();
          external.push(route.request().url());
          return route.abort();
        });
        await page.goto(`file://${out}`);
        await page.waitForFunction(() => document.body.dataset.rendered === 'true', undefined, { timeout: 15000 });
        const pixels = await page.evaluate(() => Array.from(document.querySelectorAll('canvas')).map((c) => {
          const ctx = c.getContext('2d');
          if (!ctx || c.width === 0) return 0;
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        }));
        // 0/1 rewards: the pass counts and the per-group strip take the box plots' place.
        assert.equal(pixels.length, 9, 'nine charts');
        assert.equal(await page.locator('[data-testid="chart-pass-counts"]').count(), 1);
        assert.equal(await page.locator('[data-testid="chart-group-strip"]').count(), 1);
        assert.match((await page.locator('[data-testid="health-note"]').textContent()) ?? '', /not tested: the run has 4 steps/);
        for (const [i, n] of pixels.entries()) assert.ok(n > 500, `chart ${i} is blank (${n} pixels)`);
        assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0), 0, 'no injected script ran');
        assert.deepEqual(external, [], 'no network request');
        assert.deepEqual(console.filter((m) => /Content Security Policy|Refused/i.test(m)), [], 'no CSP violation');
        // A click on a step of the flags chart filters the table.
        const box = await page.locator('[data-testid="chart-zv-steps"]').boundingBox();
        assert.ok(box);
        const shots = join(REPO, 'test-results', 'report');
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, `report-${scheme}.png`), fullPage: false });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 'rl-report-');
});

const HECATE = fixture('real2', 'verl-hecate', '2.jsonl');

test('report of a verl tool-use run: reward by turns and by tool calls drawn; a bar filters the flagged table', { timeout: 90000, skip: needFixtures(HECATE) }, async (t) => {
  ensureBuilt();
  await withTempDir(async ({ dir }) => {
    const out = join(dir, 'r.html');
    const { data, session } = await buildReportData(HECATE, opts(HECATE, out));
    await session.close();
    assert.ok(data.aggregates.turns && data.aggregates.tools, 'both charts have data');
    assert.ok(data.flagged.every((s) => typeof s.turns === 'number' && typeof s.toolCalls === 'number'));
    writeFileSync(out, reportHtml(data, findReportAssets()));
    const browser = await reportBrowser(dir);
    if (browser === null) {
      t.skip('no /usr/bin/chromium');
      return;
    }
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, colorScheme: 'dark' });
      const console: string[] = [];
      page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
      await page.goto(`file://${out}`);
      await page.waitForFunction(() => document.body.dataset.rendered === 'true', undefined, { timeout: 15000 });
      for (const id of ['turn-reward', 'tool-reward']) {
        const bins = (await page.locator(`[data-testid="chart-${id}"]`).getAttribute('data-bins')) ?? '';
        assert.ok(bins.split(' ').filter(Boolean).length >= 3, `${id}: bars (${bins})`);
      }
      // The tool-calls chart's first bar (0 calls): the table keeps the flagged samples without a call.
      const want = data.flagged.filter((s) => s.toolCalls === 0).length;
      assert.ok(want > 0 && want < data.flagged.length);
      const chart = page.locator('[data-testid="chart-tool-reward"]');
      await chart.scrollIntoViewIfNeeded();
      const xs = ((await chart.getAttribute('data-bin-x')) ?? '').split(' ').map(Number);
      const box = await chart.boundingBox();
      assert.ok(box && xs.length > 0);
      await chart.click({ position: { x: xs[0], y: box.height * 0.45 } });
      await page.waitForFunction(() => /Filtered by/.test(document.getElementById('table-filter')?.textContent ?? ''), undefined, { timeout: 5000 });
      const shown = await page.locator('table.flagged tbody tr:not(.hidden)').count();
      assert.equal(shown, want, 'rows left after the click');
      assert.deepEqual(console.filter((m) => /Content Security Policy|Refused|error/i.test(m)), [], 'no console error');
      const shots = join(REPO, 'test-results', 'report');
      mkdirSync(shots, { recursive: true });
      await page.locator('[data-testid="card-turn-reward"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'report-turn-charts-dark.png'), fullPage: false });
      await page.close();
    } finally {
      await browser.close();
    }
  }, 'rl-report-');
});
