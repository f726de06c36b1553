/// <reference lib="dom" />
// Multi-turn / agentic samples in the Rollout Viewer (docs/agentic.md), on the two real agentic fixtures: verl
// multi-turn tool use with sglang (the whole exchange in one `output` string) and verifiers' wiki-search agent
// (`completion` as chat messages with `tool_calls`). The sample view is a transcript: assistant and tool turns,
// tool-call cards with pretty-printed arguments, malformed calls marked, long results cut with a "Show all".
// Screenshots of both in the dark and light themes.
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
// A scratch workspace with copies: the shared fixtures are never opened for writing.
const WS = join(REPO, '.tmp', 'e2e-agentic-workspace');

async function openRun(s: Session, file: string, total: number): Promise<Viewer> {
  await s.workbench.treeItem(file).first().waitFor({ state: 'visible', timeout: 10000 });
  await s.workbench.treeItem(file).first().dblclick();
  const v = await Viewer.find(s.page, 'run', file, 30000);
  await v.waitScanned(60000);
  assert.equal((await v.count()).total, total);
  return v;
}

/** Opens rows of the list until one shows a transcript matching `want`; returns how many rows were tried. */
async function openRowWhere(v: Viewer, want: (el: Element) => boolean, max = 20): Promise<number> {
  // The count line changes before the filtered rows are drawn: wait for the first row, not for the count.
  await v.rows().first().waitFor({ state: 'visible', timeout: 15000 });
  const rows = await v.rows().count();
  const seen: string[] = [];
  for (let i = 0; i < Math.min(rows, max); i++) {
    const row = v.rows().nth(i);
    const index = Number(await row.getAttribute('data-index'));
    await row.click();
    // The previous sample's transcript stays until the host answers: wait for this sample's title.
    await v.frame.waitForFunction((n) => document.querySelector('[data-testid="sample-title"]')?.textContent === `Sample ${n}`, index + 1, { timeout: 10000 });
    await v.id('transcript').waitFor({ state: 'visible', timeout: 10000 });
    if (await v.id('transcript').evaluate(want)) return i + 1;
    seen.push(`${index + 1}: ${await v.id('transcript').evaluate((el) => Array.from(el.querySelectorAll('[data-testid]')).map((x) => (x as HTMLElement).dataset.testid).join(','))}`);
  }
  throw new Error(`no row with the wanted transcript among ${rows} rows:\n${seen.join('\n')}`);
}

describe('Rollout Viewer: agentic transcripts', { timeout: 300000, skip: needFixtures(VERL_SRC, WIKI_SRC) }, () => {
  let s: Session;
  const consoleAll: string[] = [];

  before(async () => {
    s = await openCopiedWorkspace('e2e-agentic', WS, [[VERL_SRC, VERL], [WIKI_SRC, WIKI]], consoleAll);
  });

  after(async () => {
    await s?.close();
    rmSync(WS, { recursive: true, force: true });
  });

  test('verl multi-turn: turns, tool-call cards and a malformed call flagged in its turn', { timeout: 90000 }, async () => {
    const v = await openRun(s, VERL, 1024);
    await v.id('filter-flag-tool').click();
    await v.frame.waitForFunction(() => /^\d+ of 1024/.test(document.querySelector('[data-testid="list-count"]')?.textContent ?? '') && !/^1024 of/.test(document.querySelector('[data-testid="list-count"]')?.textContent ?? ''));
    const tried = await openRowWhere(v, (el) => el.querySelectorAll('[data-testid="tool-call-error"]').length > 0 && el.querySelectorAll('[data-testid="turn-tool"]').length > 0);
    const t = await v.id('transcript').evaluate((el) => ({
      assistant: el.querySelectorAll('[data-testid="turn-assistant"]').length,
      tool: el.querySelectorAll('[data-testid="turn-tool"]').length,
      calls: Array.from(el.querySelectorAll('[data-testid="tool-call-name"]')).map((n) => n.textContent),
      args: Array.from(el.querySelectorAll('[data-testid="tool-call-args"]')).map((n) => n.textContent ?? ''),
      summary: el.querySelector('[data-testid="transcript-summary"]')?.textContent ?? '',
    }));
    console.log(`verl row ${tried}: ${JSON.stringify(t).slice(0, 400)}`);
    assert.ok(t.assistant >= 2 && t.tool >= 1, 'assistant and tool turns');
    assert.ok(t.calls.includes('calc_gsm8k_reward'));
    assert.ok(t.args.some((a) => /\{\n {2}"answer": /.test(a)), 'well-formed arguments are pretty-printed');
    // The list at the harness's 1280 px window: the turns, calls and flags columns are on screen, inside the list.
    const fit = await v.id('sample-list').evaluate((list) => {
      const right = list.getBoundingClientRect().right;
      const row = list.querySelector('[data-testid="sample-row"]');
      const cells = ['row-turns', 'row-tool-calls'].map((id) => row?.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect() ?? null);
      const flags = row?.querySelector('.c-flags')?.getBoundingClientRect() ?? null;
      return { right, cells: [...cells, flags].map((r) => (r ? { left: r.left, right: r.right, width: r.width } : null)), windowWidth: window.innerWidth };
    });
    console.log(`list at 1280 px: ${JSON.stringify(fit)}`);
    for (const c of fit.cells) assert.ok(c && c.width >= 24 && c.right <= fit.right + 0.5, `a column is clipped: ${JSON.stringify(fit)}`);
    await s.shot('agentic-00-verl-list-1280-dark');
    const flags = (await v.id('flag-list').textContent()) ?? '';
    assert.match(flags, /Malformed tool call[^]*turn \d+/, 'the malformed call is in the flag list with its turn');
    await v.id('transcript').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await s.shot('agentic-01-verl-dark');
    await v.id('tool-call-error').first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await s.shot('agentic-01b-verl-malformed-dark');
  });

  test('verifiers wiki-search: tool_calls from message fields, results collapsible and cut', { timeout: 90000 }, async () => {
    const v = await openRun(s, WIKI, 100);
    await openRowWhere(v, (el) => el.querySelectorAll('[data-testid="tool-result-expand"]').length > 0);
    const t = await v.id('transcript').evaluate((el) => ({
      calls: Array.from(el.querySelectorAll('[data-testid="tool-call-name"]')).map((n) => n.textContent),
      results: el.querySelectorAll('[data-testid="turn-tool"]').length,
      summary: el.querySelector('[data-testid="transcript-summary"]')?.textContent ?? '',
    }));
    console.log(`wiki: ${JSON.stringify(t)}`);
    assert.ok(t.calls.includes('search_pages'));
    assert.equal(t.results, t.calls.length, 'one result per call');
    await v.id('transcript').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await s.shot('agentic-02-wiki-dark');
    // The result holding the first "Show all" grows when it is clicked.
    const cut = v.frame.locator('details:has([data-testid="tool-result-expand"])').first();
    const before = ((await cut.locator('[data-testid="tool-result-text"]').textContent()) ?? '').length;
    await cut.locator('[data-testid="tool-result-expand"]').click();
    await v.frame.waitForFunction((n) => {
      const d = Array.from(document.querySelectorAll('details')).find((x) => x.querySelector('[data-testid="tool-result-text"]')?.textContent?.length !== undefined && x.dataset.expanded === '1');
      return (d?.querySelector('[data-testid="tool-result-text"]')?.textContent?.length ?? 0) > n;
    }, before, { timeout: 10000 });
    await s.shot('agentic-02b-wiki-expanded-dark');
  });

  test('light theme: both transcripts readable', { timeout: 120000 }, async () => {
    await setColorTheme(s.page, s.server.dirs.userData, 'Default Light Modern', false);
    for (const [file, name] of [[VERL, 'agentic-03-verl-light'], [WIKI, 'agentic-04-wiki-light']] as const) {
      // Bring this panel to the front first: a restored panel in a background tab has no webview yet.
      await s.page.locator('.tabs-container .tab', { hasText: file }).first().click();
      const v = await Viewer.find(s.page, 'run', file, 30000);
      await v.frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: 15000 });
      await v.waitScanned(60000);
      await openRowWhere(v, (el) => el.querySelectorAll('[data-testid="tool-call"]').length > 0);
      await v.id('transcript').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await s.shot(name);
    }
    // The charts tab of the wiki run (the panel in front): reward by number of tool calls.
    const wiki = await Viewer.find(s.page, 'run', WIKI, 30000);
    await wiki.id('tab-charts').click();
    await wiki.frame.waitForFunction(() => (document.querySelector<HTMLCanvasElement>('[data-testid="chart-tool-reward"]')?.width ?? 0) > 0, undefined, { timeout: 10000 });
    assert.ok((await wiki.canvasPixels('chart-tool-reward')) > 1000, 'reward-by-tool-calls chart is blank');
    await wiki.id('card-tool-reward').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await s.shot('agentic-05-wiki-tool-chart-light');
    const csp = consoleAll.filter((m) => /Content Security Policy|Refused to/.test(m));
    assert.deepEqual(csp, [], 'no CSP violation');
  });
});
