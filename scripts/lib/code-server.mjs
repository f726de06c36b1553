// Shared helpers for everything that runs a real VS Code: the pinned code-server install, the browser,
// and an isolated, loopback-only code-server instance per run (docs/platform.md §4.3–4.6).
//
// Isolation is the point: code-server and Chromium both write into $HOME/XDG dirs even with --user-data-dir,
// and code-server records the last URL (payload included) in coder.json, so every run gets fresh folders
// under the repo's ignored .tmp/ and they are removed on exit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
/** VS Code version bundled in that code-server; also the pinned @vscode/test-electron version. */
export const VSCODE_VERSION = '1.100.3';
export const CACHE_DIR = join(REPO, '.cache');
export const INSTALL_DIR = join(CACHE_DIR, 'code-server');
export const MARKER = join(INSTALL_DIR, '.provisioned');
export const TMP_ROOT = join(REPO, '.tmp');

export function codeServerBin() {
  if (process.env.CODE_SERVER_PATH) return process.env.CODE_SERVER_PATH;
  return join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');
}

export function isProvisioned() {
  if (process.env.CODE_SERVER_PATH) return existsSync(process.env.CODE_SERVER_PATH);
  return existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(codeServerBin());
}

/** Throws a message that says what to run when code-server is missing: tests must never silently skip. */
export function requireCodeServer() {
  if (!isProvisioned()) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not provisioned (looked for ${MARKER}).\n`
      + '  Run: node scripts/provision-code-server.mjs   (needs apt packages: python3 make g++ libkrb5-dev ripgrep)\n'
      + '  or set CODE_SERVER_PATH to an existing code-server binary.');
  }
  return codeServerBin();
}

/** Chromium for playwright-core (which downloads no browser). */
export function findChromium() {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
  ].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  if (process.env.CHROME_PATH) throw new Error(`CHROME_PATH=${process.env.CHROME_PATH} does not exist.`);
  throw new Error('No Chromium/Chrome found (checked CHROME_PATH, /usr/bin/chromium, /usr/bin/google-chrome, …).\n'
    + '  Install it with: apt-get install -y chromium fonts-noto-cjk   or set CHROME_PATH.');
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/**
 * The test user settings (docs/platform.md §4.4): without them the Welcome page and Chat take the focus, and
 * code-server (remote) shows a "file is large" placeholder from 10 MB.
 */
export const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.editorLargeFileConfirmation': 1024,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Private HOME/XDG/TMPDIR + user-data + extensions dirs under .tmp/<prefix>-XXXX. */
export function makeIsolation(prefix) {
  mkdirSync(TMP_ROOT, { recursive: true });
  const root = mkdtempSync(join(TMP_ROOT, `${prefix}-`));
  const dirs = {
    root,
    home: join(root, 'home'),
    config: join(root, 'xdg-config'),
    data: join(root, 'xdg-data'),
    cache: join(root, 'xdg-cache'),
    tmp: join(root, 'tmp'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env = { ...process.env };
  // Don't let an outer VS Code terminal's CLI hook or node options leak into the server.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_OPTIONS') delete env[k];
  Object.assign(env, {
    HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache, TMPDIR: dirs.tmp,
  });
  return { dirs, env };
}

export function writeSettings(userDataDir, extra = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...extra }, null, 2));
}

/** `code-server --install-extension <vsix>` into the isolated extensions dir (exits in < 1 s, offline). */
export function installVsix(vsix, iso) {
  const r = spawnSync(requireCodeServer(), ['--extensions-dir', iso.dirs.extensions, '--user-data-dir', iso.dirs.userData, '--install-extension', vsix], { env: iso.env, encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout)) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

const live = new Set();
let hooksInstalled = false;
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Synchronous cleanup on exit: kill any server process group still running and drop its temp dirs.
  process.on('exit', () => { for (const s of live) s.stopSync(); });
  // On Ctrl-C / kill: SIGTERM the server groups, give them a few seconds, then the exit hook SIGKILLs leftovers.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      void Promise.all([...live].map((s) => s.stop())).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}

async function waitHealthy(url, proc, logFile, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      throw new Error(`code-server exited (${proc.exitCode ?? proc.signalCode}) before /healthz answered:\n${log.slice(-4000)}`);
    }
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.status === 200) return Date.now() - t0;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms (log: ${logFile})`);
}

/**
 * Starts an isolated code-server on 127.0.0.1:<free port> in its own process group.
 * @param {{ workspace: string, prefix?: string, env?: Record<string,string>, settings?: Record<string, unknown>,
 *           vsix?: string, keepTemp?: boolean, port?: number, workspaceTrust?: boolean, log?: (s: string) => void, iso?: ReturnType<typeof makeIsolation> }} opts
 */
export async function startCodeServer(opts) {
  const bin = requireCodeServer();
  const iso = opts.iso ?? makeIsolation(opts.prefix ?? 'cs');
  const { dirs } = iso;
  writeSettings(dirs.userData, opts.settings);
  if (opts.vsix) installVsix(opts.vsix, iso);
  const port = opts.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dirs.root, 'code-server.log');
  const out = createWriteStream(logFile);
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    // opts.workspaceTrust: keep VS Code's Restricted Mode (the trust e2e test); every other run turns it off.
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--disable-proxy',
    '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, opts.workspace,
  ];
  const env = { ...iso.env, ...(opts.env ?? {}) };
  // detached: own process group, so stop() can kill code-server and its extension hosts/watchers together.
  const proc = spawn(bin, args, { env, cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  if (opts.log) {
    proc.stdout.on('data', (b) => opts.log(b.toString()));
    proc.stderr.on('data', (b) => opts.log(b.toString()));
  }
  let stopped = false;
  const keep = opts.keepTemp || process.env.ROLLOUT_LENS_KEEP_TMP === '1';
  const killGroup = (sig) => { try { process.kill(-proc.pid, sig); } catch { /* already gone */ } };
  const server = {
    port, url, dirs, env, proc, logFile,
    stopSync() {
      if (stopped) return;
      stopped = true;
      live.delete(server);
      killGroup('SIGKILL');
      if (!keep) rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
    },
    async stop() {
      if (stopped) return;
      killGroup('SIGTERM');
      const t0 = Date.now();
      while (proc.exitCode === null && proc.signalCode === null && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
      out.end();
      server.stopSync();
    },
  };
  live.add(server);
  installExitHooks();
  try {
    server.healthyMs = await waitHealthy(url, proc, logFile, Number(process.env.CODE_SERVER_START_TIMEOUT_MS ?? 60000));
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/** Flags from docs/platform.md §4.4; --no-sandbox is required as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-default-apps',
  '--no-default-browser-check', '--password-store=basic', '--use-mock-keychain',
];

/** Launches Chromium with playwright-core and the server's private HOME/XDG (Chromium writes there too). */
export async function launchChromium(env) {
  const { chromium } = await import('playwright-core');
  const executablePath = findChromium();
  return chromium.launch({ executablePath, headless: process.env.HEADFUL !== '1', env, args: CHROMIUM_ARGS });
}
