// Packaging that cannot drift (issue #18): every entry point the extension can start is a bundle the build lists
// as shipped, and `vsce ls` (the VSIX's file list) contains each of them and no source map or bench bundle. vsce
// runs on a scratch copy of the manifest and .vscodeignore with placeholder files where the build puts its output,
// so the test needs no build and checks the real ignore rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../support/fixtures';
import { WORKER_BUNDLES } from '../../../src/node/worker-script';

interface Bundle {
  file: string;
  kind: string;
  ship: boolean;
}

function plannedBundles(): Bundle[] {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build.mjs'), '--list', '--production'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { bundles: Bundle[] }).bundles;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** dist/ files the extension's code starts or loads: package.json main, every bundled worker it names. */
function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { main: string };
  const out = new Set<string>([pkg.main.replace(/^\.\//, '')]);
  for (const name of WORKER_BUNDLES) out.add(`dist/${name}.js`);
  for (const f of [...sourceFiles(join(PROJECT_ROOT, 'src', 'extension')), ...sourceFiles(join(PROJECT_ROOT, 'src', 'node'))]) {
    const text = readFileSync(f, 'utf8');
    // join(__dirname, 'x.js') and bundledWorker(__dirname, 'x'): __dirname is dist/ once bundled.
    for (const m of text.matchAll(/join\(__dirname, '([\w.-]+\.js)'\)/g)) out.add(`dist/${m[1]}`);
    for (const m of text.matchAll(/bundledWorker\(__dirname, '([\w-]+)'\)/g)) out.add(`dist/${m[1]}.js`);
  }
  return [...out].sort();
}

function vsceLs(files: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'rl-vsix-'));
  try {
    for (const f of ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'CHANGELOG.md']) copyFileSync(join(PROJECT_ROOT, f), join(dir, f));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), '// placeholder\n');
    }
    const vsce = join(PROJECT_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `vsce ls failed: ${r.stderr}`);
    return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every entry point the extension can start is a shipped bundle of the build', () => {
  const shipped = new Set(plannedBundles().filter((b) => b.ship).map((b) => b.file));
  const entries = entryPoints();
  assert.ok(entries.includes('dist/problem-scan-worker.js'), `entry points found: ${entries.join(', ')}`);
  for (const e of entries) assert.ok(shipped.has(e), `${e} is started by the extension but scripts/build.mjs does not ship it`);
});

test('vsce ls lists every shipped bundle and no source map or bench bundle', { timeout: 60000 }, () => {
  const bundles = plannedBundles();
  const maps = bundles.map((b) => `${b.file}.map`);
  const listed = new Set(vsceLs([...bundles.map((b) => b.file), ...maps, 'dist/webview/KaTeX_Main-Regular-X.woff2', 'dist/bundles.json']));
  for (const b of bundles.filter((x) => x.ship)) assert.ok(listed.has(b.file), `${b.file} is missing from the VSIX (vsce ls)`);
  for (const e of entryPoints()) assert.ok(listed.has(e), `${e} (an entry point) is missing from the VSIX`);
  assert.ok(listed.has('dist/webview/KaTeX_Main-Regular-X.woff2'), 'webview assets the build emits must ship');
  const leaked = [...listed].filter((f) => f.endsWith('.map') || /^dist\/bench/.test(f) || f.startsWith('out/') || f.startsWith('src/'));
  assert.deepEqual(leaked, [], 'source maps, bench bundles and sources stay out of the VSIX');
  for (const b of bundles.filter((x) => !x.ship && x.file.startsWith('dist/'))) assert.ok(!listed.has(b.file), `${b.file} is not meant to ship`);
});
