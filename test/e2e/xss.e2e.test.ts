/// <reference lib="dom" />
// The XSS corpus (test/fixtures/xss/xss.jsonl) in the Rollout Viewer as a user opens it in code-server: every
// sample in the sample view (Markdown + KaTeX rendering, then raw text with flag highlights), every GRPO group in
// the group view, and the "Open Sample" panel beside the text. Payloads try to set window.__xss, change the
// title, open dialogs, post messages, load remote images/CSS/frames and navigate. Asserted: no payload ran in any
// frame, no request left code-server (Playwright sees every request of every frame), no CSP violation
// (securitypolicyviolation listener in every frame + console), no live markup from model text in the webview DOM.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO } from '../../scripts/lib/code-server.mjs';
import { INIT_SCRIPT, inspectFrame } from '../unit/xss/page-checks';
import { openSession, type Session } from './harness';
import { Viewer } from './pages/viewer';

const SAMPLES = 80;
const GROUPS = 20;

describe('XSS corpus in the Rollout Viewer (code-server)', { timeout: 420_000 }, () => {
  let s: Session;
  let run: Viewer;
  let workspace = '';
  const external: string[] = [];
  const csp: string[] = [];
  const dialogs: string[] = [];

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'rl-xss-ws-'));
    copyFileSync(join(REPO, 'test/fixtures/xss/xss.jsonl'), join(workspace, 'xss.jsonl'));
    s = await openSession('e2e-xss', undefined, workspace);
    const origin = new URL(s.server.url).origin;
    await s.page.addInitScript(INIT_SCRIPT);
    s.page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith(origin) || /^(data|blob|vscode-webview|vscode-file):/.test(url)) return;
      // Webview resources (asWebviewUri): the webview's service worker answers them from code-server itself, and
      // localResourceRoots limits them to the extension's dist/webview and media folders.
      const u = new URL(url);
      if (u.hostname.endsWith('.vscode-resource.vscode-cdn.net') && u.pathname.includes('/rollout-lens.rollout-lens-')) return;
      external.push(url);
    });
    s.page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text()); });
    s.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  });

  after(async () => {
    await s?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  /** No frame of the page (workbench, webview hosts, our documents) has a payload marker. */
  async function assertNothingRan(where: string): Promise<void> {
    for (const f of s.page.frames()) {
      if (f.isDetached()) continue;
      const xss = await f.evaluate(() => (window as unknown as { __xss?: unknown }).__xss).catch(() => undefined);
      assert.equal(xss, undefined, `${where}: a payload ran in ${f.url().slice(0, 120)}: ${String(xss)}`);
    }
    const v = await inspectFrame(run.frame);
    assert.deepEqual(v.liveMarkup, [], `${where}: model text became live markup`);
    assert.deepEqual(v.cspViolations, [], `${where}: CSP violations in the viewer`);
    assert.doesNotMatch(v.title, /XSS/, `${where}: title changed`);
  }

  test('the corpus opens in the viewer through the command', { timeout: 90_000 }, async () => {
    await s.workbench.openFromExplorer('xss.jsonl');
    await s.workbench.runFromPalette('Rollout Lens: Open in Rollout Viewer');
    run = await Viewer.find(s.page, 'run', 'xss.jsonl', 30_000);
    await run.waitScanned(30_000);
    assert.equal((await run.count()).total, SAMPLES);
    await assertNothingRan('list');
  });

  test('every sample in the sample view, rendered (Markdown + KaTeX) then raw', { timeout: 240_000 }, async () => {
    await run.rows().first().click();
    await run.id('sample-title').waitFor({ state: 'visible', timeout: 15_000 });
    const rendered = async (): Promise<boolean> => ((await run.id('toggle-raw').textContent()) ?? '').includes('Raw text');
    if (!(await rendered())) await run.id('toggle-raw').click();
    const seen = new Set<string>();
    for (let i = 0; i < SAMPLES; i++) {
      const title = (await run.id('sample-title').textContent()) ?? '';
      seen.add(title);
      // Open the reasoning so its Markdown/KaTeX is in the DOM and laid out (images would load now).
      for (const d of await run.id('reasoning').all()) await d.evaluate((el) => { (el as HTMLDetailsElement).open = true; });
      if (i % 10 === 0) {
        await run.id('toggle-raw').click();
        await run.frame.waitForTimeout(150);
        await assertNothingRan(`sample ${i + 1} raw`);
        await run.id('toggle-raw').click();
      }
      if (i === 12) await s.shot('xss-01-sample-rendered');
      if (i === SAMPLES - 1) break;
      await run.id('next-sample').click();
      await run.frame.waitForFunction((t) => document.querySelector('[data-testid="sample-title"]')?.textContent !== t, title, { timeout: 10_000 }).catch(() => undefined);
    }
    await run.frame.waitForTimeout(1000); // let onload/onerror/meta refresh payloads have their chance
    await assertNothingRan('sample view');
    assert.ok(seen.size >= SAMPLES - 1, `visited ${seen.size} samples`);
    // The payloads are on screen as text.
    const text = await run.frame.evaluate(() => document.body.innerText);
    assert.match(text, /window\.__xss|\$\{|onerror|javascript:/, 'payload text is displayed');
  });

  test('every GRPO group in the group view', { timeout: 180_000 }, async () => {
    await run.id('open-group').click();
    await run.id('group-title').waitFor({ state: 'visible', timeout: 10_000 });
    // The group list has ends (no wrap-around): walk forward to the end, then backward to the start.
    const seen = new Set<string>([(await run.id('group-title').textContent()) ?? '']);
    for (const button of ['group-next', 'group-prev']) {
      for (let step = 0; step < GROUPS; step++) {
        const title = (await run.id('group-title').textContent()) ?? '';
        await run.id(button).click();
        const moved = await run.frame.waitForFunction((t) => document.querySelector('[data-testid="group-title"]')?.textContent !== t, title, { timeout: 4_000 }).then(() => true, () => false);
        if (!moved) break;
        seen.add((await run.id('group-title').textContent()) ?? '');
        if (seen.size === 6) await s.shot('xss-02-group');
      }
    }
    await run.frame.waitForTimeout(500);
    await assertNothingRan('group view');
    assert.equal(seen.size, GROUPS, `visited ${seen.size} groups`);
  });

  test('the "Open Sample" panel beside the text', { timeout: 90_000 }, async () => {
    const editor = await s.workbench.openFromExplorer('xss.jsonl');
    const lens = s.workbench.codeLensLinks(editor).filter({ hasText: 'Open Sample' }).first();
    await lens.waitFor({ state: 'visible', timeout: 20_000 });
    await lens.click();
    const panel = await Viewer.find(s.page, 'sample', 'xss.jsonl', 20_000);
    await panel.id('sample-title').waitFor({ state: 'visible', timeout: 15_000 });
    for (let i = 0; i < 8; i++) {
      const title = (await panel.id('sample-title').textContent()) ?? '';
      await panel.id('next-sample').click();
      await panel.frame.waitForFunction((t) => document.querySelector('[data-testid="sample-title"]')?.textContent !== t, title, { timeout: 10_000 }).catch(() => undefined);
    }
    await panel.frame.waitForTimeout(500);
    await s.shot('xss-03-sample-panel');
    run = panel;
    await assertNothingRan('sample panel');
  });

  test('no request left code-server, no CSP violation, no dialog', () => {
    assert.deepEqual(external, [], `requests outside code-server:\n${external.join('\n')}`);
    assert.deepEqual(csp, [], `CSP messages:\n${csp.join('\n')}`);
    assert.deepEqual(dialogs, []);
  });
});
