// `npm test`: lint, type-check, build, then unit, extension-host integration and end-to-end tests.
// Each stage's counts are collected and one closing line `N passed, N failed` is printed for CI.
// Stage scripts other than the unit runner print a line `<stage>: N passed, N failed` that is parsed here.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdirSync, rmSync } from 'node:fs';

let passed = 0;
let failed = 0;
const results = [];

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  const out = r.stdout?.toString() ?? '';
  process.stdout.write(out);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  return { ok: r.status === 0, out, secs, name };
}

function step(name, cmd, args) {
  const r = run(name, cmd, args);
  if (r.ok) passed += 1; else failed += 1;
  results.push(`${name}: ${r.ok ? 'ok' : 'FAILED'} (${r.secs}s)`);
  return r.ok;
}

function counted(name, cmd, args, env = {}) {
  const r = run(name, cmd, args, env);
  const m = [...r.out.matchAll(new RegExp(`^${name}: (\\d+) passed, (\\d+) failed`, 'gm'))].pop();
  let p = 0;
  let f = 0;
  if (m) { p = Number(m[1]); f = Number(m[2]); }
  if (!r.ok && f === 0) f = 1; // a crashed stage counts as a failure even if it printed no counts
  passed += p;
  failed += f;
  results.push(`${name}: ${p} passed, ${f} failed (${r.secs}s)${r.ok ? '' : ' — FAILED'}`);
  return r.ok;
}

const only = process.env.TEST_ONLY ? process.env.TEST_ONLY.split(',') : null;
const want = (s) => !only || only.includes(s);

if (want('lint')) step('lint', 'npx', ['eslint', '.']);
if (want('typecheck')) {
  step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
  // The webview has its own tsconfig (DOM lib); checked once it holds TypeScript.
  if (existsSync('webview/tsconfig.json') && readdirSync('webview', { recursive: true }).some((f) => String(f).endsWith('.ts'))) step('typecheck-webview', 'npx', ['tsc', '-p', 'webview/tsconfig.json']);
}
step('build', 'node', ['scripts/build.mjs']);

if (want('unit')) {
  mkdirSync('.tmp', { recursive: true });
  const tap = '.tmp/unit.tap';
  rmSync(tap, { force: true });
  const r = run('unit', 'node', ['scripts/test-unit.mjs'], { UNIT_TAP_FILE: tap });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  let f = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  if (!r.ok && f === 0) f = 1;
  passed += p;
  failed += f;
  results.push(`unit: ${p} passed, ${f} failed (${r.secs}s)`);
}
if (want('integration') && existsSync('scripts/test-integration.mjs')) counted('integration', 'node', ['scripts/test-integration.mjs']);
if (want('e2e') && existsSync('scripts/test-e2e.mjs')) counted('e2e', 'node', ['scripts/test-e2e.mjs']);

console.log('\n' + results.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
