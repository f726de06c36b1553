/// <reference lib="dom" />
// Page object for the Rollout Viewer webview. Webviews are two iframes deep (docs/platform.md §4.4); several may be
// open at once, so the frame is found by what it shows (mode and title), not by position.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { openSession, type Session } from '../harness';

export const VIEWER_IFRAME = 'iframe.webview.ready[src*="extensionId=rollout-lens.rollout-lens"]';

/**
 * Switches the colour theme through the user settings file and reloads the workbench (offline, the theme
 * picker fails on its marketplace search, and code-server does not apply an edited settings file live).
 * Open webview panels come back through their serializers.
 */
export async function setColorTheme(page: Page, userDataDir: string, theme: string, dark: boolean): Promise<void> {
  const file = join(userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
  await reloadWindow(page);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 30000 });
  await page.waitForFunction((d) => {
    const c = document.querySelector('.monaco-workbench')?.classList;
    return c !== undefined && (d ? c.contains('vs-dark') : c.contains('vs') && !c.contains('vs-dark'));
  }, dark, { timeout: 15000 }).catch(async (e: unknown) => {
    const cls = await page.evaluate(() => document.querySelector('.monaco-workbench')?.className ?? '');
    throw new Error(`theme ${theme} not applied (workbench classes: ${cls})`, { cause: e });
  });
}

/**
 * Reloads through VS Code's own "Developer: Reload Window": it runs the workbench shutdown, which saves the open
 * editors and webview panels, before the page reloads. A bare page.reload() can cut that save short, and the
 * restored window then has no tabs (seen once in five runs).
 */
async function reloadWindow(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.pressSequentially('Developer: Reload Window');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor({ state: 'visible', timeout: 5000 });
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30000 });
  await page.keyboard.press('Enter');
  await navigated;
}

/**
 * Waits until our extension has activated in code-server (its test hook writes a state file into the server's
 * private TMPDIR on activation). Before that the workbench may not know the extension's contributions yet, and a
 * double-clicked `*.rollout.jsonl` opens in the text editor instead of the viewer.
 */
export async function waitExtensionActive(page: Page, serverTmp: string, timeoutMs = 30000): Promise<void> {
  const file = join(serverTmp, 'rollout-lens-test-state.json');
  const t0 = Date.now();
  while (!existsSync(file)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`the extension did not activate within ${timeoutMs} ms (no ${file})`);
    await page.waitForTimeout(200);
  }
}

export class Viewer {
  constructor(readonly page: Page, readonly frame: Frame) {}

  /** Waits for a viewer frame of this mode whose title contains `title`. */
  static async find(page: Page, mode: 'run' | 'sample', title: string, timeoutMs = 20000): Promise<Viewer> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      for (const f of page.frames()) {
        try {
          if (f.isDetached()) continue;
          const ok = await f.evaluate(([m, t]) => {
            const root = document.querySelector('[data-testid="viewer-root"]');
            const tt = document.querySelector('[data-testid="viewer-title"]')?.textContent ?? '';
            return root !== null && document.body.dataset.mode === m && tt.includes(t) && document.visibilityState === 'visible';
          }, [mode, title] as const);
          if (ok) return new Viewer(page, f);
        } catch {
          // frame navigated or detached while we looked
        }
      }
      await page.waitForTimeout(200);
    }
    throw new Error(`no ${mode} viewer titled "${title}" within ${timeoutMs} ms`);
  }

  id(testid: string): Locator {
    return this.frame.locator(`[data-testid="${testid}"]`);
  }

  rows(): Locator {
    return this.id('sample-row');
  }

  async waitScanned(timeoutMs = 20000): Promise<void> {
    await this.frame.waitForFunction(() => /\d+ of \d+ samples/.test(document.querySelector('[data-testid="list-count"]')?.textContent ?? ''), undefined, { timeout: timeoutMs });
    await this.rows().first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async count(): Promise<{ shown: number; total: number }> {
    const t = (await this.id('list-count').textContent()) ?? '';
    const m = /(\d+) of (\d+)/.exec(t);
    return { shown: Number(m?.[1] ?? -1), total: Number(m?.[2] ?? -1) };
  }

  /** Non-blank pixels of a canvas, read inside the webview. */
  async canvasPixels(testid: string): Promise<number> {
    return canvasPixels(this.frame, testid);
  }

  /**
   * A point (CSS pixels, relative to the canvas) in the middle of the tallest coloured mark of a chart: the
   * column with the most saturated pixels (axes, grid and text are greys). For clicking a bar among hundreds.
   */
  async markPoint(testid: string): Promise<{ x: number; y: number } | null> {
    return this.frame.evaluate((id) => {
      const c = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`);
      const ctx = c?.getContext('2d');
      if (!c || !ctx || c.width === 0) return null;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let best = -1;
      let bestCount = 0;
      let bestTop = 0;
      let bestBottom = 0;
      for (let x = 0; x < c.width; x++) {
        let n = 0;
        let top = -1;
        let bottom = -1;
        for (let y = 0; y < c.height; y++) {
          const i = (y * c.width + x) * 4;
          const sat = Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!);
          if (d[i + 3]! > 0 && sat > 60) {
            n++;
            if (top < 0) top = y;
            bottom = y;
          }
        }
        if (n > bestCount) { best = x; bestCount = n; bestTop = top; bestBottom = bottom; }
      }
      if (best < 0) return null;
      const scale = c.getBoundingClientRect().width / c.width;
      return { x: best * scale, y: ((bestTop + bestBottom) / 2) * scale };
    }, testid);
  }

  /** The body's theme class (vscode-light / vscode-dark / vscode-high-contrast). */
  async themeKind(): Promise<string> {
    return this.frame.evaluate(() => Array.from(document.body.classList).find((c) => c.startsWith('vscode-')) ?? '');
  }
}

/** Non-blank pixels of the canvas `testid` in a webview frame (any panel: viewer, comparison). */
export function canvasPixels(frame: Frame, testid: string): Promise<number> {
  return frame.evaluate((id) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`);
    const ctx = c?.getContext('2d');
    if (!c || !ctx || c.width === 0 || c.height === 0) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  }, testid);
}

/**
 * A fresh workspace folder holding copies of `files` ([source, name in the workspace]), opened in code-server with
 * the dark theme and the extension active; the page's console lines go to `consoleLines`.
 */
export async function openCopiedWorkspace(
  name: string, ws: string, files: [string, string][], consoleLines: string[],
): Promise<Session> {
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws, { recursive: true });
  for (const [src, dst] of files) copyFileSync(src, join(ws, dst));
  const s = await openSession(name, undefined, ws);
  await setColorTheme(s.page, s.server.dirs.userData, 'Default Dark Modern', true);
  s.page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  await waitExtensionActive(s.page, s.server.dirs.tmp);
  return s;
}
