// The XSS corpus (test/fixtures/xss/xss.jsonl: script tags, event handlers, javascript: links, SVG, CSS and
// Markdown/KaTeX tricks, iframes, meta refresh, template injection) through `rollout-lens report`, opened in
// headless Chromium: no payload runs (window.__xss, the title, dialogs), no request leaves the file, no CSP
// violation, no live markup from model text in the DOM, and the payloads are shown as text. The input also
// sits under a hostile file name, which the report prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../support/cli';
import { PROJECT_ROOT as ROOT } from '../../support/fixtures';
import { INIT_SCRIPT, inspectFrame, settled, watchRequests } from './page-checks';
import { withTempDir } from '../../support/temp-dir';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CORPUS = join(ROOT, 'test/fixtures/xss/xss.jsonl');

test('report HTML of the XSS corpus: nothing runs, nothing loads, everything reads as text', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: install chromium (Debian) or set CHROME_PATH`);
  await withTempDir(async ({ dir }) => {
    const run = join(dir, `run<svg onload=window.__xss='dir'>`);
    mkdirSync(run);
    copyFileSync(CORPUS, join(run, `1<img src=x onerror="window.__xss='file-name'">.jsonl`));
    const out = join(dir, 'report.html');
    const r = await runCli(['report', run, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.ok(!html.includes(`<img src=x onerror`), 'raw payload markup in the HTML');
    assert.ok(!html.includes(`<script>window.__xss`), 'raw script payload in the HTML');

    const { chromium } = await import('playwright-core');
    const home = join(dir, 'home');
    mkdirSync(home);
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') } as Record<string, string>;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.addInitScript(INIT_SCRIPT);
      const leaked = watchRequests(page, (url) => url.startsWith('file:') && decodeURIComponent(url).endsWith('report.html'));
      const consoleCsp: string[] = [];
      page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text()); });
      const dialogs: string[] = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
      await page.goto(`file://${out}`);
      await page.waitForFunction(() => document.body.dataset.rendered === 'true', undefined, { timeout: 30_000 });
      // Let any timer- or load-driven payload (meta refresh, onload, autofocus) have its chance.
      await settled(page.mainFrame());
      const v = await inspectFrame(page.mainFrame());
      assert.equal(v.xss, undefined, `a payload ran: window.__xss = ${String(v.xss)}`);
      assert.match(v.title, /^Rollout Lens report: /, 'title unchanged');
      assert.deepEqual(v.liveMarkup, [], 'model text became live markup');
      assert.deepEqual(v.cspViolations, [], 'CSP violations (securitypolicyviolation)');
      assert.deepEqual(consoleCsp, [], 'CSP violations (console)');
      assert.deepEqual(leaked, [], 'requests left the report');
      assert.deepEqual(dialogs, []);
      assert.equal(page.frames().length, 1, 'no frame was created');
      assert.equal(page.url(), `file://${out}`, 'no navigation (meta refresh, base, form)');
      // The payloads are there, as text: the flagged table shows excerpts of the completions and the file name.
      const text = await page.evaluate(() => document.body.innerText);
      assert.match(text, /window\.__xss/, 'payload text is displayed literally');
      assert.ok(text.includes(`1<img src=x onerror="window.__xss='file-name'">.jsonl`), 'hostile file name shown as text');
      // Control: the same checks DO see a payload when markup is live, so the zeros above mean something.
      const control = await browser.newPage();
      await control.addInitScript(INIT_SCRIPT);
      await control.setContent(`<p>x</p><img src=x onerror="window.__xss='control'">`);
      await control.waitForFunction(() => (window as unknown as { __xss?: string }).__xss === 'control', undefined, { timeout: 5000 });
      const c = await inspectFrame(control.mainFrame());
      assert.equal(c.xss, 'control');
      assert.deepEqual(c.liveMarkup, ['IMG onerror']);
      await control.close();
      console.log(`# report: ${html.length} bytes, ${(text.match(/window\.__xss/g) ?? []).length} payload excerpts shown as text, 0 requests, 0 CSP violations`);
    } finally {
      await browser.close();
    }
  }, 'rl-xss-report-');
});
