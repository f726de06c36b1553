#!/usr/bin/env node
// Optional layer: the same extension-host tests (out/test/integration/index.js) in a DESKTOP VS Code through
// @vscode/test-electron (docs/platform.md §4.7). VS Code is not on npm and cannot be downloaded here, so this runs
// only against a local install given by VSCODE_EXECUTABLE_PATH; scripts/test-integration.mjs calls it only
// when that variable is set. The version is pinned to our engines.vscode floor for when downloads do work.
// Electron needs a display: run under Xvfb (xvfb-run -a …) on a headless machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO, VSCODE_VERSION, makeIsolation } from '../../scripts/lib/code-server.mjs';

const exe = process.env.VSCODE_EXECUTABLE_PATH;
if (!exe) {
  console.error('electron: VSCODE_EXECUTABLE_PATH is not set (a local VS Code is required; nothing is downloaded).');
  process.exit(1);
}
if (!existsSync(exe)) {
  console.error(`electron: VSCODE_EXECUTABLE_PATH=${exe} does not exist`);
  process.exit(1);
}
if (!process.env.DISPLAY && process.platform === 'linux') {
  console.error('electron: no DISPLAY; run under Xvfb, e.g. `xvfb-run -a node test/electron/run-tests.mjs` (apt-get install xvfb)');
  process.exit(1);
}
const testsEntry = join(REPO, 'out', 'test', 'integration', 'index.js');
if (!existsSync(testsEntry)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });

const iso = makeIsolation('electron');
try {
  await runTests({
    version: VSCODE_VERSION, // '1.100.3': pinned, never 'stable' (that asks the update service every time)
    vscodeExecutablePath: exe, // a local build: no network access at all
    extensionDevelopmentPath: REPO,
    extensionTestsPath: testsEntry,
    extensionTestsEnv: { ROLLOUT_LENS_TEST: '1', ROLLOUT_LENS_FIXTURES: resolve(process.env.ROLLOUT_LENS_FIXTURES ?? join(REPO, '..', 'shared', 'fixtures')), HOME: iso.dirs.home, XDG_CONFIG_HOME: iso.dirs.config, XDG_DATA_HOME: iso.dirs.data, XDG_CACHE_HOME: iso.dirs.cache, TMPDIR: iso.dirs.tmp },
    launchArgs: [join(REPO, 'demo'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      `--user-data-dir=${iso.dirs.userData}`, `--extensions-dir=${iso.dirs.extensions}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  });
  process.exitCode = 0;
} catch (err) {
  console.error(`electron: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  const { rmSync } = await import('node:fs');
  rmSync(iso.dirs.root, { recursive: true, force: true });
}
