// Bundles with esbuild: the extension (node, cjs, vscode external), the CLI (node), the worker, the webview
// (browser, iife) and the test entry points. One script so that `npm run build` is the only build step.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'node20', platform: 'node', format: 'cjs' };

function listTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

const builds = [];
const add = (opts) => builds.push(opts);

add({ ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] });
add({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } });
add({ ...common, entryPoints: { worker: 'src/node/analysis-worker.ts' }, outdir: 'dist' });
// The Rollout Viewer's scan runs in its own worker thread (src/node/viewer/scan-in-worker.ts loads it).
add({ ...common, entryPoints: { 'viewer-worker': 'src/node/viewer/viewer-worker.ts' }, outdir: 'dist' });
// The large-file problem scan (files over 50 MB) runs in its own worker thread (src/extension/large-file-diagnostics.ts).
add({ ...common, entryPoints: { 'problem-scan-worker': 'src/node/problem-scan-worker.ts' }, outdir: 'dist' });
if (existsSync('bench/bench.ts')) add({ ...common, entryPoints: { bench: 'bench/bench.ts' }, outdir: 'dist' });
if (existsSync('bench/detectors.ts')) add({ ...common, entryPoints: { 'bench-detectors': 'bench/detectors.ts' }, outdir: 'dist' });
// Webview bundles are minified: they cross to the client (Remote-SSH) and the report inlines one into its HTML.
for (const [name, entry] of [['viewer', 'webview/viewer/main.ts'], ['compare', 'webview/viewer/compare-main.ts'], ['report', 'webview/report/main.ts']]) {
  if (existsSync(entry)) add({ bundle: true, sourcemap: true, minify: true, logLevel: 'warning', platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { [name]: entry }, outdir: 'dist/webview', loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' } });
}
const integ = listTests('test/integration', '.vscode.test.ts');
if (integ.length > 0) {
  add({ ...common, entryPoints: ['test/integration/index.ts', ...integ], outdir: 'out/test/integration', external: ['vscode', 'mocha'], bundle: true });
}

mkdirSync('dist', { recursive: true });
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
