#!/usr/bin/env node
// Extension-host integration tests in a real VS Code (code-server 4.100.3) driven through the `payload` URL
// (docs/platform.md §4.3): code-server has no --extensionTestsPath, so the workbench page is loaded with
// extensionDevelopmentPath/extensionTestsPath in its query, it runs test/integration/index.ts's run() in the
// remote Node extension host and reports back through window.codeAutomationExit.
//
// Prints the mocha output, then `integration: N passed, N failed`; exit 0 only when everything passed.
// With VSCODE_EXECUTABLE_PATH set, the same tests also run in that desktop VS Code (test/electron/run-tests.mjs)
// and the counts are added up.
// Env: INTEGRATION_TIMEOUT_MS (overall, default 420000), ROLLOUT_LENS_TEST_GREP (mocha grep),
//      ROLLOUT_LENS_FIXTURES (shared fixture root, default ../shared/fixtures),
//      ROLLOUT_LENS_KEEP_TMP=1 (keep .tmp/integration-* with the code-server and window logs), SKIP_BUILD=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { REPO, launchChromium, makeIsolation, startCodeServer } from './lib/code-server.mjs';
import { startSuite } from './lib/suite-start.mjs';

const COUNT_PREFIX = 'rollout-lens-integration-result:';
const START_MARKER = 'rollout-lens-integration-start';
const overallMs = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 420000);
// Fails loudly (never skips) when the environment is incomplete.
const { note, elapsed: el, finish } = startSuite('integration');

if (process.env.SKIP_BUILD !== '1') {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (b.status !== 0) { console.error('build failed'); finish(0, 1, 1); }
}
const testsEntry = join(REPO, 'out', 'test', 'integration', 'index.js');
if (!existsSync(testsEntry)) { console.error(`missing ${testsEntry} (scripts/build.mjs did not bundle the integration tests)`); finish(0, 1, 1); }

const workspace = join(REPO, 'demo');
// Same default as test/support/fixtures.ts: ../shared/fixtures beside the checkout.
const FIXTURES_ROOT = resolve(process.env.ROLLOUT_LENS_FIXTURES ?? join(REPO, '..', 'shared', 'fixtures'));
const iso = makeIsolation('integration');
let server;
let browser;
let passed = 0;
let failed = 0;
let sawCounts = false;
let inTests = false;

async function cleanup() {
  try { await browser?.close(); } catch { /* already closed */ }
  await server?.stop();
}

const timer = setTimeout(async () => {
  console.error(`integration: overall timeout after ${overallMs} ms (no codeAutomationExit)`);
  await cleanup();
  finish(passed, Math.max(failed, 1), 2);
}, overallMs);

try {
  // Test-only switches go on the code-server process: the extension host inherits its environment. The bundled
  // tests cannot find the shared fixtures from their own path (out/test/integration/), so their root goes too.
  server = await startCodeServer({ workspace, iso, env: { ROLLOUT_LENS_TEST: '1', ROLLOUT_LENS_FIXTURES: FIXTURES_ROOT, ...(process.env.ROLLOUT_LENS_TEST_GREP ? { ROLLOUT_LENS_TEST_GREP: process.env.ROLLOUT_LENS_TEST_GREP } : {}) } });
  note(`code-server on ${server.url} (healthz after ${server.healthyMs} ms)`);
  browser = await launchChromium(iso.env);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

  // The remote authority in the payload URIs must equal the page's location.host (127.0.0.1:PORT).
  const authority = `127.0.0.1:${server.port}`;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO)],
    ['extensionTestsPath', remote(testsEntry)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  let resolveExit = () => {};
  const exited = new Promise((r) => { resolveExit = r; });
  // Both must be exposed BEFORE goto: the workbench checks for them once, when the tests end.
  {
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (process.env.DEBUG_AUTOMATION_LOG === '1') process.stderr.write(`RAW ${type} ${JSON.stringify(args).slice(0, 300)}\n`);
      if (line === START_MARKER) { inTests = true; return; }
      const m = line.match(new RegExp(`${COUNT_PREFIX} (\\d+) passed, (\\d+) failed`));
      if (m) { passed = Number(m[1]); failed = Number(m[2]); sawCounts = true; inTests = false; return; }
      if (/No extension host found that can launch the test runner/.test(line)) {
        console.error(line);
        resolveExit({ code: 1, logs: [] });
        return;
      }
      // Between the markers it is the extension host's console (mocha's spec reporter); outside it is
      // workbench chatter (offline gallery errors and the like), shown only with VERBOSE=1.
      if (inTests) process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
      else if (process.env.VERBOSE === '1') process.stderr.write(`[workbench ${type}] ${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => resolveExit({ code, logs }));
    page.on('console', (msg) => {
      if (msg.text().includes('No extension host found that can launch the test runner')) {
        console.error(msg.text());
        resolveExit({ code: 1, logs: [] });
      }
    });
    page.on('pageerror', (err) => note(`page error: ${err.message}`));
  }
  note('opening the workbench with the test payload');
  await page.goto(url);
  const { code, logs } = await exited;
  note(`codeAutomationExit(${code})`);
  if (Array.isArray(logs) && logs.length) {
    const dir = join(REPO, 'test-results', 'integration', 'logs');
    for (const l of logs) {
      if (!l || typeof l.relativePath !== 'string') continue;
      const p = join(dir, l.relativePath.replace(/\.\.+/g, '_'));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, String(l.contents ?? ''));
    }
  }
  clearTimeout(timer);
  await cleanup();
  if (!sawCounts) failed = Math.max(failed, code === 0 ? 0 : 1);
  if (code !== 0 && failed === 0) failed = 1;
  note(`code-server run done in ${el()}`);
  let ok = code === 0 && failed === 0;
  // Optional desktop layer (test/electron/run-tests.mjs): only with a local VS Code, never downloaded.
  if (process.env.VSCODE_EXECUTABLE_PATH) {
    note(`electron run with ${process.env.VSCODE_EXECUTABLE_PATH}`);
    const r = spawnSync(process.execPath, [join(REPO, 'test', 'electron', 'run-tests.mjs')], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    process.stdout.write((r.stdout ?? '').split('\n').filter((l) => l !== START_MARKER).join('\n'));
    const m = (r.stdout ?? '').match(new RegExp(`${COUNT_PREFIX} (\\d+) passed, (\\d+) failed`));
    const ep = m ? Number(m[1]) : 0;
    const ef = m ? Number(m[2]) : 0;
    passed += ep;
    failed += r.status !== 0 && ef === 0 ? 1 : ef;
    ok = ok && r.status === 0;
  }
  finish(passed, failed, ok ? 0 : 1);
} catch (e) {
  clearTimeout(timer);
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  await cleanup();
  finish(passed, Math.max(failed, 1), 1);
}
