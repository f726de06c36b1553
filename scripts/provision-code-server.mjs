#!/usr/bin/env node
// Installs a pinned code-server (4.100.3 = VS Code 1.100, our engines.vscode floor) into .cache/code-server/
// using only the npm registry and Debian packages (docs/platform.md §4.6, route (b)). Idempotent: a marker file
// with the version is written last, so a rerun after success returns at once.
//
// Why route (b) by hand instead of `npm install code-server`: its postinstall downloads ripgrep from GitHub
// and needs network we don't have, so we install with --ignore-scripts and build the native modules ourselves.
//
//   node scripts/provision-code-server.mjs          install if needed, then check the browser
//   node scripts/provision-code-server.mjs --force  reinstall from scratch
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, symlinkSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CODE_SERVER_VERSION, CACHE_DIR, INSTALL_DIR, MARKER, codeServerBin, findChromium, isProvisioned,
} from './lib/code-server.mjs';

const force = process.argv.includes('--force');
const t0 = Date.now();
const log = (msg) => console.log(`[provision ${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);

function fail(msg) {
  console.error(`provision-code-server: ${msg}`);
  process.exit(1);
}

function sh(cmd, args, cwd, extraEnv = {}) {
  log(`${cwd.replace(process.cwd() + '/', '')}$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...npmEnv(), ...extraEnv } });
  if (r.status !== 0) fail(`command failed (exit ${r.status}): ${cmd} ${args.join(' ')} in ${cwd}`);
}

// npm as root refuses lifecycle scripts without unsafe-perm; node-gyp must compile against the local Node
// headers (Debian's nodejs-dev puts them in /usr/include/node), otherwise it tries to download them.
function npmEnv() {
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  if (process.getuid?.() === 0) env.npm_config_unsafe_perm = 'true';
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node_version.h')) env.npm_config_nodedir = '/usr';
  return env;
}

function checkPrereqs() {
  const missing = [];
  const which = (b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0;
  for (const b of ['python3', 'make', 'g++']) if (!which(b)) missing.push(b);
  if (!existsSync('/usr/bin/rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length) fail(`missing build prerequisites: ${missing.join(', ')}.\n  Install them with: apt-get install -y ${missing.map((m) => (m === 'g++' ? 'g++' : m)).join(' ')}`);
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) fail(`Node ${process.versions.node} is too old; code-server ${CODE_SERVER_VERSION} needs Node 20.`);
}

// npm 11 gates install scripts; `npm rebuild` still runs them for the named packages, but we don't trust that
// blindly: every native module must leave at least one .node file behind, or the server fails at runtime.
function findNodeFiles(dir, depth = 0) {
  if (!existsSync(dir) || depth > 6) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' && depth > 0) continue;
    const p = join(dir, name);
    let st;
    try { st = lstatSync(p); } catch { continue; }
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) out.push(...findNodeFiles(p, depth + 1));
    else if (name.endsWith('.node')) out.push(p);
  }
  return out;
}

function ensureBuilt(nodeModules, pkgs) {
  const notBuilt = pkgs.filter((p) => findNodeFiles(join(nodeModules, p)).length === 0);
  return notBuilt;
}

function rebuildNative(cwd, pkgs) {
  const nodeModules = join(cwd, 'node_modules');
  // npm rebuild runs the packages' install scripts (node-gyp rebuild / prebuild-install) for the named ones.
  const r = spawnSync('npm', ['rebuild', '--foreground-scripts', ...pkgs], { cwd, stdio: 'inherit', env: npmEnv() });
  if (r.status !== 0) log(`npm rebuild exited ${r.status}; checking which modules were built (node-pty's compile_commands step may fail harmlessly)`);
  let notBuilt = ensureBuilt(nodeModules, pkgs);
  // Fallback: run node-gyp directly in each package that still has no binary (e.g. if npm skipped its script).
  for (const p of notBuilt) {
    const dir = join(nodeModules, p);
    if (!existsSync(join(dir, 'binding.gyp'))) continue;
    log(`${p}: no .node after npm rebuild, running node-gyp rebuild directly`);
    const gyp = join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const gypCmd = existsSync(gyp) ? [process.execPath, gyp] : ['npx', 'node-gyp'];
    const g = spawnSync(gypCmd[0], [...gypCmd.slice(1), 'rebuild'], { cwd: dir, stdio: 'inherit', env: npmEnv() });
    if (g.status !== 0) log(`node-gyp rebuild failed in ${p}`);
  }
  notBuilt = ensureBuilt(nodeModules, pkgs);
  if (notBuilt.length) fail(`native modules not built: ${notBuilt.join(', ')} (in ${nodeModules}). See the compiler output above.`);
  for (const p of pkgs) log(`built ${p}: ${findNodeFiles(join(nodeModules, p)).map((f) => f.slice(nodeModules.length + 1)).join(', ')}`);
}

function install() {
  checkPrereqs();
  if (force && existsSync(INSTALL_DIR)) rmSync(INSTALL_DIR, { recursive: true, force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  // Its own package.json so npm doesn't walk up into the repo's package.json / lockfile.
  writeFileSync(join(INSTALL_DIR, 'package.json'), JSON.stringify({ name: 'rollout-lens-code-server', private: true, version: '0.0.0', description: 'provisioned by scripts/provision-code-server.mjs' }, null, 2) + '\n');

  const csDir = join(INSTALL_DIR, 'node_modules', 'code-server');
  const csPkg = join(csDir, 'package.json');
  const haveCs = existsSync(csPkg) && JSON.parse(readFileSync(csPkg, 'utf8')).version === CODE_SERVER_VERSION;
  if (!haveCs) sh('npm', ['install', '--ignore-scripts', '--no-package-lock', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], INSTALL_DIR);

  const vsDir = join(csDir, 'lib', 'vscode');
  if (!existsSync(join(vsDir, 'node_modules', '@vscode', 'spdlog'))) sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], vsDir);

  // The native modules the server actually loads (docs/platform.md §4.6).
  rebuildNative(vsDir, ['kerberos', 'node-pty', 'native-watchdog', '@vscode/spdlog', '@parcel/watcher', '@vscode/deviceid']);

  // @vscode/ripgrep's postinstall downloads from GitHub; point it at Debian's rg instead (search, quick open).
  const rgBin = join(vsDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  const rgLink = join(rgBin, 'rg');
  if (!existsSync(rgLink)) { rmSync(rgLink, { force: true }); symlinkSync('/usr/bin/rg', rgLink); }

  // The server resolves some modules through node_modules.asar (as packaged in the desktop build).
  const asar = join(vsDir, 'node_modules.asar');
  if (!existsSync(asar)) { rmSync(asar, { force: true }); symlinkSync('node_modules', asar); }

  // Built-in extensions' own dependencies (e.g. the json language server).
  const extDir = join(vsDir, 'extensions');
  if (existsSync(join(extDir, 'package.json')) && !existsSync(join(extDir, 'node_modules'))) {
    sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], extDir);
  }

  // argon2 (password auth) is loaded at startup even with --auth none.
  rebuildNative(INSTALL_DIR, ['argon2']);

  // Smoke check: the CLI answers --version.
  const v = spawnSync(codeServerBin(), ['--version'], { encoding: 'utf8', env: { ...process.env, HOME: join(CACHE_DIR, 'home-for-version') } });
  rmSync(join(CACHE_DIR, 'home-for-version'), { recursive: true, force: true });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) fail(`code-server --version did not report ${CODE_SERVER_VERSION}:\n${v.stdout}${v.stderr}`);
  log(`code-server --version: ${v.stdout.split('\n').find((l) => l.startsWith(CODE_SERVER_VERSION)) ?? v.stdout.trim()}`);
  writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n`);
}

if (!force && isProvisioned()) {
  console.log(`code-server ${CODE_SERVER_VERSION} already provisioned in ${INSTALL_DIR}`);
} else {
  rmSync(MARKER, { force: true });
  install();
  log(`code-server ${CODE_SERVER_VERSION} provisioned in ${INSTALL_DIR}`);
}
try {
  const chrome = findChromium();
  console.log(`browser: ${chrome}`);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
