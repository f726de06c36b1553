#!/usr/bin/env node
// `npm start`: run Rollout Lens in a real VS Code on the demo rollouts.
//  - builds and packages the extension (rollout-lens.vsix);
//  - with a desktop `code` on PATH: `code --extensionDevelopmentPath=<repo> demo/` (a new window, then exit);
//  - otherwise: provisions code-server if needed and serves it on http://127.0.0.1:<port> with the .vsix
//    installed into a throw-away profile under .tmp/, until Ctrl-C (which stops the whole process group).
// Env: ROLLOUT_LENS_START=code-server (force code-server even when `code` exists), PORT (fixed port).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, isProvisioned, makeIsolation, startCodeServer } from './lib/code-server.mjs';

const demo = join(REPO, 'demo');
const vsix = join(REPO, 'rollout-lens.vsix');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
}

/** A desktop VS Code CLI: `code --version` prints a version line first (code-server's binary is `code-server`). */
function desktopCode() {
  if (process.env.ROLLOUT_LENS_START === 'code-server') return undefined;
  const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) return undefined;
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 15000 });
  return v.status === 0 && /^\d+\.\d+\.\d+/.test(v.stdout) ? bin : undefined;
}

run('npm', ['run', '--silent', 'package']);
if (!existsSync(vsix)) { console.error('start: packaging produced no rollout-lens.vsix'); process.exit(1); }

const code = desktopCode();
if (code) {
  // The development copy wins over any installed one with the same id, so this runs the fresh build.
  console.log(`start: opening ${demo} in VS Code (${code}) with the extension from ${REPO}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${REPO}`, demo], { stdio: 'inherit' });
  child.on('exit', (c) => process.exit(c ?? 0));
} else {
  if (!isProvisioned()) run(process.execPath, [join(REPO, 'scripts', 'provision-code-server.mjs')]);
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { interrupted = true; });
  const iso = makeIsolation('start');
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer({ workspace: demo, iso, vsix, ...(port ? { port } : {}) });
  const url = `${server.url}/?folder=${encodeURIComponent(demo)}`;
  console.log(`\nRollout Lens is running in code-server (extension installed from rollout-lens.vsix):\n\n  ${url}\n\n`
    + `Listening on 127.0.0.1 only; from another machine use SSH port forwarding (ssh -L ${server.port}:127.0.0.1:${server.port} …).\n`
    + `Logs: ${server.logFile}\nPress Ctrl-C to stop.`);
  // Keep running until the server dies or we are interrupted (the lib's signal hooks stop the process group
  // and remove the throw-away profile).
  server.proc.on('exit', (c, sig) => {
    if (interrupted) { console.log('start: stopped'); return; }
    console.error(`start: code-server exited (${c ?? sig})`);
    void server.stop().then(() => process.exit(c ?? 1));
  });
}
