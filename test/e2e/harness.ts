// One isolated code-server + Chromium per e2e file: the extension comes from the packaged .vsix
// (E2E_VSIX, set by scripts/test-e2e.mjs), so what is tested is what users install.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO, launchChromium, makeIsolation, startCodeServer, type CodeServer } from '../../scripts/lib/code-server.mjs';
import { Workbench } from './pages/workbench';

export const DEMO = join(REPO, 'demo');
export const SHOTS = join(REPO, 'test-results', 'e2e');
/** Fixed for every test: lens and decoration counts depend on the viewport (docs/platform.md §4.4). */
export const VIEWPORT = { width: 1280, height: 800 } as const;

export interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  workbench: Workbench;
  consoleErrors: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * `settings` are added to the test user settings (e.g. `workbench.colorTheme` for light/dark screenshots);
 * `workspace` is the folder code-server opens (the demo by default; a generated run for the 1 GB test).
 */
export async function openSession(prefix: string, settings?: Record<string, unknown>, workspace = DEMO): Promise<Session> {
  const vsix = process.env.E2E_VSIX;
  if (!vsix) throw new Error('E2E_VSIX is not set: run the e2e tests through scripts/test-e2e.mjs (it packages the extension first)');
  const iso = makeIsolation(prefix);
  const server = await startCodeServer({ workspace, iso, vsix, env: { ROLLOUT_LENS_TEST: '1' }, settings });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(iso.env);
    const page = await browser.newPage({ viewport: VIEWPORT });
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    // folder= is always given: otherwise code-server redirects to its last-opened folder.
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    const workbench = new Workbench(page);
    await workbench.waitReady();
    mkdirSync(SHOTS, { recursive: true });
    const b = browser;
    return {
      server, browser: b, page, workbench, consoleErrors,
      async shot(name) {
        const p = join(SHOTS, `${name}.png`);
        await page.screenshot({ path: p });
        return p;
      },
      async close() {
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}
