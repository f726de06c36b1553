// Bundles with esbuild: the extension (node, cjs, vscode external), the CLI (node), the worker threads, the webview
// (browser, iife) and the test entry points. One script so that `npm run build` is the only build step.
//
// The build also writes dist/bundles.json: every file it puts in dist/ and whether the package ships it. The
// .vscodeignore admits dist/ as a whole (minus maps and the bench), and test/unit/packaging checks that every
// bundle the extension can start is in `vsce ls`, so a new worker cannot be left out of the VSIX by name.
//   node scripts/build.mjs [--watch] [--production (no source maps: what `npm run package` ships)] [--list]
// --list prints the planned bundles.json (without building) and exits.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const listOnly = process.argv.includes('--list');
// Shipped bundles are minified (a smaller VSIX, less to parse on activation). Not keepNames: it adds a
// defineProperty call per function and class to the module's start-up, on the extension host's thread. Source maps
// only in development builds (a dev build's maps map the minified bundles back); the VSIX never carries them.
const common = { bundle: true, sourcemap: !production, logLevel: 'warning', target: 'node20', platform: 'node', format: 'cjs' };
const shipped = { ...common, minify: true };

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
/** dist/bundles.json entries: the output file (relative to the repo), its kind, and whether the VSIX ships it. */
const manifest = [];
const add = (opts, kind, ship) => {
  builds.push(opts);
  if (opts.outdir?.startsWith('dist')) {
    for (const name of Object.keys(opts.entryPoints)) manifest.push({ file: `${opts.outdir}/${name}.js`, kind, ship });
  }
};

add({ ...shipped, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] }, 'extension', true);
add({ ...shipped, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }, 'cli', true);
// Worker threads the extension starts (src/node/worker-script.ts resolves them next to dist/extension.js):
// the analysis and parallel reader, the Rollout Viewer's scan, the large-file problem scan (files over 50 MB).
add({ ...shipped, entryPoints: { worker: 'src/node/analysis-worker.ts' }, outdir: 'dist' }, 'worker', true);
add({ ...shipped, entryPoints: { 'viewer-worker': 'src/node/viewer/viewer-worker.ts' }, outdir: 'dist' }, 'worker', true);
add({ ...shipped, entryPoints: { 'problem-scan-worker': 'src/node/problem-scan-worker.ts' }, outdir: 'dist' }, 'worker', true);
if (existsSync('bench/bench.ts')) add({ ...common, entryPoints: { bench: 'bench/bench.ts' }, outdir: 'dist' }, 'bench', false);
if (existsSync('bench/detectors.ts')) add({ ...common, entryPoints: { 'bench-detectors': 'bench/detectors.ts' }, outdir: 'dist' }, 'bench', false);
if (existsSync('bench/prepare-cpu.ts')) add({ ...common, entryPoints: { 'bench-prepare': 'bench/prepare-cpu.ts' }, outdir: 'dist' }, 'bench', false);
// Webview bundles are minified: they cross to the client (Remote-SSH) and the report inlines one into its HTML.
for (const [name, entry] of [['viewer', 'webview/viewer/main.ts'], ['compare', 'webview/viewer/compare-main.ts'], ['report', 'webview/report/main.ts']]) {
  if (existsSync(entry)) add({ bundle: true, sourcemap: !production, minify: true, logLevel: 'warning', platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { [name]: entry }, outdir: 'dist/webview', loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' } }, 'webview', true);
}
const integ = listTests('test/integration', '.vscode.test.ts');
if (integ.length > 0 && !production) {
  add({ ...common, entryPoints: ['test/integration/index.ts', ...integ], outdir: 'out/test/integration', external: ['vscode', 'mocha'], bundle: true }, 'test', false);
}

if (listOnly) {
  process.stdout.write(JSON.stringify({ bundles: manifest }, null, 2) + '\n');
  process.exit(0);
}

mkdirSync('dist', { recursive: true });
// Maps left by an earlier development build must not reach a production package.
if (production) for (const f of listFiles('dist')) if (f.endsWith('.map')) rmSync(f);
writeFileSync('dist/bundles.json', JSON.stringify({ production, bundles: manifest }, null, 2) + '\n');
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}
