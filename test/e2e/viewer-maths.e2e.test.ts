/// <reference lib="dom" />
// KaTeX in the Rollout Viewer's sample view, on real maths traces (test/fixtures/viewer/maths.rollout.jsonl: Qwen3
// answers from OpenR1-Math with $…$, the padded `$ L $` these models write, $$…$$ blocks, \frac and \boxed) and
// on a sample with broken LaTeX: valid maths becomes `.katex` markup, broken maths stays visible as escaped
// source text (KaTeX's error span), nothing in it becomes an element, and the rest of the view keeps working.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO } from '../../scripts/lib/code-server.mjs';
import { openSession, type Session } from './harness';
import { Viewer, waitExtensionActive } from './pages/viewer';

const FIXTURES = join(REPO, 'test', 'fixtures', 'viewer');
const FILE = 'maths.rollout.jsonl';

describe('Rollout Viewer: maths rendered with KaTeX', { timeout: 180000 }, () => {
  let s: Session;
  let run: Viewer;
  const consoleAll: string[] = [];

  before(async () => {
    s = await openSession('e2e-viewer-maths', { 'workbench.colorTheme': 'Default Light Modern' }, FIXTURES);
    s.page.on('console', (m) => consoleAll.push(`${m.type()}: ${m.text()}`));
  });

  after(async () => {
    await s?.close();
  });

  test('a *.rollout.jsonl opens in the viewer from the Explorer', { timeout: 45000 }, async () => {
    await s.workbench.treeItem(FILE).first().waitFor({ state: 'visible', timeout: 10000 });
    await waitExtensionActive(s.page, s.server.dirs.tmp);
    await s.workbench.treeItem(FILE).first().dblclick();
    run = await Viewer.find(s.page, 'run', FILE, 30000);
    await run.waitScanned();
    assert.deepEqual(await run.count(), { shown: 7, total: 7 });
  });

  test('inline, padded, display, \\frac and \\boxed maths render as KaTeX in prompt and answer', { timeout: 30000 }, async () => {
    await run.rows().first().click();
    await run.id('sample-title').waitFor({ state: 'visible', timeout: 10000 });
    const answer = run.id('answer-text').first();
    await answer.locator('.katex').first().waitFor({ state: 'attached', timeout: 10000 });
    const tex = await answer.evaluate((el) => ({
      inline: el.querySelectorAll('.katex:not(.katex-display .katex)').length,
      display: el.querySelectorAll('.katex-display').length,
      errors: el.querySelectorAll('.katex-error').length,
      sources: Array.from(el.querySelectorAll('annotation[encoding="application/x-tex"]')).map((a) => (a.textContent ?? '').trim()),
      text: Array.from(el.childNodes).map((n) => (n instanceof HTMLElement ? n.innerText : n.textContent ?? '')).join(''),
    }));
    console.log(`answer: ${tex.inline} inline and ${tex.display} display formulas, ${tex.errors} errors; sources ${JSON.stringify(tex.sources.slice(0, 6))}`);
    assert.equal(tex.errors, 0, 'the real answer has no broken maths');
    assert.ok(tex.display >= 5, `${tex.display} display formulas ($$…$$)`);
    assert.ok(tex.sources.includes('L'), 'the padded inline `$ L $` is rendered as maths');
    assert.ok(tex.sources.some((t) => t.startsWith('25L = 1000 \\Rightarrow L = \\frac{1000}{25}')), 'a display \\frac');
    assert.ok(tex.sources.includes('\\boxed{400}'), 'the boxed final answer');
    assert.ok(!tex.text.includes('$'), `dollar signs left in the rendered answer: ${tex.text.slice(0, 200)}`);
    // The answer choices in the prompt are one inline formula with \text and \qquad.
    assert.ok((await run.id('prompt-text').locator('.katex').count()) >= 1, 'maths in the prompt');
    const boxed = answer.locator('.katex-display').last();
    await boxed.scrollIntoViewIfNeeded();
    const bb = await boxed.boundingBox();
    assert.ok(bb && bb.width > 10 && bb.height > 10, `the boxed answer has no size: ${JSON.stringify(bb)}`);
    await run.id('detail').evaluate((d) => { d.scrollTop = 0; });
    await s.shot('viewer-maths-01-katex-light');
    await boxed.scrollIntoViewIfNeeded();
    await s.shot('viewer-maths-02-katex-boxed-light');
  });

  test('broken LaTeX stays readable as escaped source and the view keeps working', { timeout: 30000 }, async () => {
    await run.rows().nth(6).click();
    await run.frame.waitForFunction(() => document.querySelector('[data-testid="sample-title"]')?.textContent === 'Sample 7', undefined, { timeout: 10000 });
    const answer = run.id('answer-text').first();
    await answer.locator('.katex-error').first().waitFor({ state: 'attached', timeout: 10000 });
    const r = await answer.evaluate((el) => ({
      errors: Array.from(el.querySelectorAll('.katex-error')).map((e) => e.textContent ?? ''),
      valid: Array.from(el.querySelectorAll('.katex annotation[encoding="application/x-tex"]')).map((a) => (a.textContent ?? '').trim()),
      injected: el.querySelectorAll('img, script, b').length,
    }));
    console.log(`broken sample: errors ${JSON.stringify(r.errors)}; valid ${JSON.stringify(r.valid)}`);
    assert.ok(r.errors.some((t) => t.includes('\\left( \\frac{1}{2}')), 'the unmatched \\left display shows its source');
    assert.ok(r.errors.includes('\\frac{5}{6'), 'the missing brace shows its source');
    assert.ok(r.errors.some((t) => t.includes('<img src=x onerror=alert(1)>')), 'markup inside broken maths is shown as text');
    assert.equal(r.injected, 0, 'no element was created from the model text');
    assert.ok(r.valid.includes('6') && r.valid.includes('\\gcd(5, 6) = 1') && r.valid.includes('\\boxed{\\frac{5}{6}}'), `valid maths around the broken parts still renders: ${JSON.stringify(r.valid)}`);
    await answer.locator('.katex-error').first().scrollIntoViewIfNeeded();
    await s.shot('viewer-maths-03-broken-latex-light');
    // Raw text shows the exact source; Rendered comes back; next/previous still move.
    await run.id('toggle-raw').click();
    await run.frame.waitForFunction(() => (document.querySelector('[data-testid="answer-text"]')?.textContent ?? '').includes('$\\frac{5}{6$'), undefined, { timeout: 10000 });
    await run.id('toggle-raw').click();
    await answer.locator('.katex').first().waitFor({ state: 'attached', timeout: 10000 });
    await run.id('prev-sample').click();
    await run.frame.waitForFunction(() => document.querySelector('[data-testid="sample-title"]')?.textContent === 'Sample 6', undefined, { timeout: 10000 });
  });

  test('no CSP violation or script error in the webview', () => {
    const bad = consoleAll.filter((m) => /Content Security Policy|Refused to|Uncaught/i.test(m));
    assert.deepEqual(bad, [], bad.join('\n'));
  });
});
