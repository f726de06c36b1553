// Rollout Lens: runs the user's JS/TS reward function in a worker thread (never eval: the module is loaded with
// require / dynamic import from its file; TypeScript is bundled by esbuild to a temporary .cjs file first).
// workerData: { file, name }. Messages: host -> { id, items }, worker -> { ready, function } | { fatal } |
// { id, results }. Signature (TRL): fn(prompts, completions, kwargs) -> number[] | Promise<number[]>.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function findEsbuild(file) {
  for (const base of [file, path.join(process.cwd(), 'x'), __filename]) {
    try {
      return createRequire(base)('esbuild');
    } catch {
      // try the next place
    }
  }
  return null;
}

async function loadModule(file) {
  if (/\.[cm]?ts$/i.test(file)) {
    const esbuild = findEsbuild(file);
    if (!esbuild) throw new Error('TypeScript reward functions need esbuild installed next to the file (npm install esbuild), or compile it to .js');
    const out = await esbuild.build({ entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent', packages: 'external' });
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-lens-rfn-')), 'reward.cjs');
    fs.writeFileSync(tmp, out.outputFiles[0].text);
    try {
      return createRequire(file)(tmp);
    } finally {
      fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    }
  }
  return import(pathToFileURL(file).href);
}

function pick(mod, name, file) {
  const m = mod && typeof mod === 'object' && 'default' in mod && mod.default && typeof mod.default === 'object' ? { ...mod.default, ...mod } : mod;
  if (name) {
    if (typeof m[name] !== 'function') throw new Error(`${file} exports no function '${name}'`);
    return [name, m[name]];
  }
  if (typeof m.default === 'function') return ['default', m.default];
  const fns = Object.keys(m).filter((k) => typeof m[k] === 'function');
  if (fns.length !== 1) throw new Error(`${file}: name the function to use (path:name); found ${fns.join(', ') || 'no exported function'}`);
  return [fns[0], m[fns[0]]];
}

function shown(v) {
  let t;
  try {
    t = JSON.stringify(v);
  } catch {
    t = String(v);
  }
  if (t === undefined) t = String(v);
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

// Exactly one number per completion: a string ("0.5") or an object without a numeric `score` is an error, never a value.
function asResult(v) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (!('score' in v)) return { score: null, error: `returned an object without 'score': ${shown(v)}` };
    v = v.score;
  }
  if (v === null || v === undefined) return { score: null };
  if (typeof v === 'boolean') v = v ? 1 : 0;
  if (typeof v !== 'number') return { score: null, error: `returned ${typeof v === 'string' ? 'the string' : typeof v} ${shown(v)}, expected a number` };
  return Number.isFinite(v) ? { score: v } : { score: null, error: `returned ${v}` };
}

/** The whole batch failed in a way one-at-a-time retries would hide (a wrong-length list scores each single sample). */
class BatchShapeError extends Error {}

function kwargsOf(items) {
  const keys = [];
  for (const it of items) if (it.record && typeof it.record === 'object' && !Array.isArray(it.record)) for (const k of Object.keys(it.record)) if (!keys.includes(k)) keys.push(k);
  const kw = {};
  for (const k of keys) kw[k] = items.map((it) => (it.record && typeof it.record === 'object' ? it.record[k] ?? null : null));
  if (!('ground_truth' in kw)) kw.ground_truth = items.map((it) => it.gold ?? null);
  if (!('solution' in kw)) kw.solution = items.map((it) => it.gold ?? null);
  return kw;
}

function errorText(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function run(fn, items) {
  try {
    const values = await fn(items.map((it) => it.prompt), items.map((it) => it.completion), kwargsOf(items));
    if (!Array.isArray(values) || values.length !== items.length) {
      throw new BatchShapeError(`returned ${Array.isArray(values) ? `a list of ${values.length}` : typeof values} for ${items.length} completions, expected one number each: ${shown(values)}`);
    }
    return values.map(asResult);
  } catch (e) {
    if (e instanceof BatchShapeError) return items.map(() => ({ score: null, error: e.message }));
    if (items.length === 1) return [{ score: null, error: errorText(e) }];
  }
  // The batch failed: one at a time, so only the failing samples are marked.
  const out = [];
  for (const it of items) out.push(...(await run(fn, [it])));
  return out;
}

(async () => {
  let fn;
  try {
    const mod = await loadModule(workerData.file);
    const [name, f] = pick(mod, workerData.name, workerData.file);
    fn = f;
    parentPort.postMessage({ ready: true, function: name });
  } catch (e) {
    parentPort.postMessage({ fatal: errorText(e) });
    return;
  }
  parentPort.on('message', async (req) => {
    parentPort.postMessage({ id: req.id, results: await run(fn, req.items) });
  });
})();
