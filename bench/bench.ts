// `npm run bench`: throughput, CPU and peak memory of the full analysis on every input path, against a bare loop.
// Each phase runs in its own child process, so that peak RSS is per phase. Inputs (generated once into bench-data/,
// deterministic):
//   verl        verl JSONL, generated prose (bench/generate.ts)
//   real        verl JSONL whose completions are real model texts drawn from the shared fixtures at bench time
//               (--fixtures DIR, default ROLLOUT_LENS_FIXTURES or ../shared/fixtures; never copied into the repo)
//   trl         TRL-shaped JSONL (step, prompt_id, prompt, completion, reward; re-logged batches); generic: the same
//               file read with --format generic
//   nemo-rl     NeMo-RL train JSONL; roll: a ROLL run folder (one columnar line per step file)
//   json-array  a top-level JSON array; parquet: TRL completions parquet; mixed: a folder of .jsonl and .json files
//   folder      a run folder of 200 verl step files
//   agentic     verl multi-turn tool-use JSONL assembled from the real verl-hecate turns (bench/shapes-agentic.ts)
// Phases:
//   fast      the baseline: 16 MiB chunks, JSON.parse of every line (JSONL inputs; the others are compared with
//             the verl file's fast loop, bytes for bytes)
//   readline  readline + JSON.parse of every line (the older, slower baseline)
//   summary   what `rollout-lens summary` runs: read, normalise, group, advantages, every detector on every sample
//   viewer    the Rollout Viewer's full scan as the extension runs it (dist/viewer-worker.js, offsets kept)
//   first     time until the first 100 samples are read and normalised; jump: 200 random jumps through the index
// Every phase reports wall and CPU seconds (user + sys, all threads: comparable when the machine is shared), peak
// RSS and the longest main-thread block (perf_hooks.monitorEventLoopDelay, 10 ms resolution). The baselines (fast,
// readline) are the fastest of three runs or of --repeat; summary and viewer, the median of --repeat runs.
//   node dist/bench.js [--mb 1024] [--inputs verl,real,trl,generic,nemo-rl,roll,json-array,parquet,mixed,folder]
//                      [--phases fast,readline,summary,viewer] [--repeat 1] [--text varied|templated]
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateRolloutFile, type BenchText } from './generate';
import { agenticPools, writeAgenticJsonl } from './shapes-agentic';
import { generatedTexts, realTexts, writeJsonArray, writeMixedFolder, writeNemoRl, writeParquet, writeRollFolder, writeTrl, writeVerlJsonl } from './shapes';
import { RunSession } from '../src/node/viewer/run-session';
import type { FormatName } from '../src/core/types';
import { loadRun } from '../src/node/load-run';
import { loadRunParallel } from '../src/node/parallel-load';
import { readInput } from '../src/node/read-input';
import { readParquet } from '../src/node/parquet-reader';
import type { JsonlRecordIndex } from '../src/node/record-index';
import { summariseRun } from '../src/core/run/run-summary';
import { RunBuilder, type RunModel } from '../src/core/run/run-builder';
import { normaliseRecord } from '../src/core/formats/normalise';
import { analyseCompletion } from '../src/core/analyse';
import { completionText, promptText } from '../src/core/run/sample-text';
import { zlibCompressRatio } from '../src/node/zlib-ratio';

interface PhaseResult {
  phase: string;
  seconds: number;
  cpuSeconds: number;
  records: number;
  maxRssMB: number;
  /** Longest main-thread block (ms). */
  blockMs: number;
  detail?: string;
  /** first: seconds to the first samples; jump: median and max ms per jump. */
  extra?: Record<string, number>;
}

async function readlineLoop(path: string): Promise<number> {
  let n = 0;
  for (const file of inputFiles(path)) {
    const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    for await (const line of rl) {
      if (line.length === 0) continue;
      JSON.parse(line);
      n++;
    }
  }
  return n;
}

/** The fast bare loop: 16 MiB reads, lines cut at '\n' in the buffer, JSON.parse of each (one core). */
function fastLoop(path: string): number {
  let n = 0;
  const buf = Buffer.allocUnsafe(16 << 20);
  for (const file of inputFiles(path)) {
    const fd = openSync(file, 'r');
    try {
      let carry = Buffer.alloc(0);
      for (;;) {
        const got = readSync(fd, buf, 0, buf.length, null);
        if (got === 0) break;
        const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
        let p = 0;
        for (;;) {
          const nl = chunk.indexOf(0x0a, p);
          if (nl < 0) break;
          if (nl > p) {
            JSON.parse(chunk.toString('utf8', p, nl));
            n++;
          }
          p = nl + 1;
        }
        carry = Buffer.from(chunk.subarray(p));
      }
      if (carry.length > 0) {
        JSON.parse(carry.toString('utf8'));
        n++;
      }
    } finally {
      closeSync(fd);
    }
  }
  return n;
}

/**
 * The bare loop of a parquet file: every row decoded (hyparquet, one row group slice at a time, cells converted to
 * JSON values) and nothing else, on one core. A parquet file is about a third of the JSONL text of the same rows, so
 * MB/s against a JSONL loop would compare compressed bytes with text; this is the same rows' cheapest honest read.
 */
async function parquetLoop(path: string): Promise<number> {
  let n = 0;
  for (const file of inputFiles(path)) await readParquet(file, { onRecord: () => void n++ });
  return n;
}

function inputFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((n) => /\.(jsonl|json|parquet)$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10)).map((n) => join(path, n));
}

const FIRST_N = 100;

/** Seconds until FIRST_N samples are normalised, reading as the streaming path does; then stops the read. */
async function firstSamples(path: string): Promise<{ seconds: number; count: number }> {
  const t0 = performance.now();
  const builder = new RunBuilder({});
  const ac = new AbortController();
  let seconds = 0;
  let count = 0;
  try {
    await readInput(path, {
      onFile: (info) => builder.beginFile({ path: info.path, stepFromName: info.stepFromName, split: info.split }),
      onRecord: (r) => {
        builder.addRecord(r);
        count++;
        if (count === FIRST_N && seconds === 0) {
          seconds = (performance.now() - t0) / 1000;
          ac.abort();
        }
      },
    }, { signal: ac.signal });
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  }
  return { seconds, count };
}

/** Builds the record index, then times JUMPS random jumps (read + normalise + analyse one sample). */
async function jumps(path: string): Promise<{ records: number; medianMs: number; maxMs: number; indexSeconds: number }> {
  const t0 = performance.now();
  const builder = new RunBuilder({});
  const input = await readInput(path, {
    onFile: (info) => builder.beginFile({ path: info.path, stepFromName: info.stepFromName, split: info.split }),
    onRecord: (r) => builder.addRecord(r),
  }, { keepOffsets: true });
  const model = builder.finish();
  const indexSeconds = (performance.now() - t0) / 1000;
  const det = model.detection;
  if (det === null) throw new Error('not recognised');
  const indexes: { index: JsonlRecordIndex; step: number | null }[] = input.files.flatMap((f) => (f.index ? [{ index: f.index, step: f.info.stepFromName }] : []));
  const starts: number[] = [];
  let total = 0;
  for (const x of indexes) {
    starts.push(total);
    total += x.index.count;
  }
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const times: number[] = [];
  for (let k = 0; k < JUMPS; k++) {
    const n = Math.floor(rand() * total);
    let fi = starts.length - 1;
    while (starts[fi] > n) fi--;
    const t = performance.now();
    const r = await indexes[fi].index.read(n - starts[fi]);
    if (!r.ok) throw new Error(r.bad.error);
    const s = normaliseRecord(r.record, det, { stepFromName: indexes[fi].step, split: null });
    if (!Array.isArray(s) || s.length === 0) throw new Error('record did not normalise');
    analyseCompletion({ completion: completionText(s[0].completion), prompt: promptText(s[0].prompt), compressRatio: zlibCompressRatio });
    times.push(performance.now() - t);
  }
  for (const x of indexes) await x.index.close();
  times.sort((a, b) => a - b);
  return { records: total, medianMs: times[times.length >> 1], maxMs: times[times.length - 1], indexSeconds };
}

const JUMPS = 200;
/** Runs of each baseline loop (fast, readline); the fastest is the baseline. */
const BASELINE_RUNS = 3;

async function runPhase(phase: string, path: string, format: FormatName | 'auto'): Promise<PhaseResult> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let records = 0;
  let detail: string | undefined;
  let extra: Record<string, number> | undefined;
  if (phase === 'fast') {
    records = path.endsWith('.parquet') ? await parquetLoop(path) : fastLoop(path);
  } else if (phase === 'readline') {
    records = await readlineLoop(path);
  } else if (phase === 'summary') {
    // As the CLI's summary command: loadRun with workers (the parallel reader when the input qualifies).
    const fast = await loadRunParallel(path, { analyse: true, format });
    let model: RunModel;
    if (fast) {
      model = fast.model;
      extra = { ownBlockMs: fast.longestBlockMs, workerCpuSeconds: fast.workerMs / 1000 };
    } else {
      model = await loadRun(path, { analyse: true, workers: true, format });
      detail = 'streaming path';
    }
    const s = summariseRun(model, path);
    records = model.count;
    detail = `${detail ? `${detail}; ` : ''}${s ? `${s.format}, ${s.groups.count} groups, ${s.groups.zeroVariance} zero-variance, flags ${JSON.stringify(s.flags)}` : 'not recognised'}`;
  } else if (phase === 'viewer') {
    // The extension's scan: RunSession in dist/viewer-worker.js (offsets kept, derived chart data computed there).
    const s = new RunSession(path, { workerScript: join(__dirname, 'viewer-worker.js'), analyse: true, format });
    const model = await s.scan();
    records = model.count;
    detail = `${model.count} samples, ${model.groups.grouping.count} groups`;
    await s.close();
  } else if (phase === 'first') {
    const f = await firstSamples(path);
    records = f.count;
    extra = { firstSeconds: f.seconds };
  } else if (phase === 'jump') {
    const j = await jumps(path);
    records = j.records;
    extra = { medianMs: j.medianMs, maxMs: j.maxMs, indexSeconds: j.indexSeconds };
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  h.disable();
  return {
    phase, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, records, maxRssMB: process.resourceUsage().maxRSS / 1024,
    blockMs: h.max / 1e6, detail, extra,
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sizeOf(path: string): number {
  return inputFiles(path).reduce((a, f) => a + statSync(f).size, 0);
}

function runInChild(phase: string, path: string, format: string): PhaseResult {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', process.argv[1], '--phase', phase, '--file', path, '--format', format], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`phase ${phase} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as PhaseResult;
}

interface BenchInput {
  name: string;
  path: string;
  format: FormatName | 'auto';
  /** JSONL lines: the fast and readline loops can read it. */
  jsonl: boolean;
}

function fixturesRoot(): string {
  const given = arg('--fixtures') ?? process.env.ROLLOUT_LENS_FIXTURES;
  if (given) return resolve(given);
  for (const c of [resolve('..', 'shared', 'fixtures'), resolve('..', '..', 'shared', 'fixtures')]) if (existsSync(c)) return c;
  throw new Error('shared fixtures not found: pass --fixtures DIR or set ROLLOUT_LENS_FIXTURES (the real-text input draws from them)');
}

/** Generates (once) the input `name` of about `mb` MB and describes it. */
async function prepareInput(name: string, mb: number, style: BenchText, folderFiles: number, folderMb: number): Promise<BenchInput> {
  const bytes = mb * 1024 * 1024;
  const tag = style === 'varied' ? 'v3' : 'v2';
  const gen = generatedTexts(style);
  const made = (p: string): boolean => existsSync(p);
  const note = (p: string): void => void process.stderr.write(`generating ${name} (${mb} MB) in ${p} …\n`);
  mkdirSync(resolve('bench-data'), { recursive: true });
  switch (name) {
    case 'verl': {
      const p = resolve(arg('--file') ?? `bench-data/rollouts-${tag}-${mb}mb.jsonl`);
      if (!made(p)) { note(p); await generateRolloutFile(p, bytes, 8, 1, style); }
      return { name: 'verl JSONL (generated prose)', path: p, format: 'auto', jsonl: true };
    }
    case 'real': {
      const p = resolve(`bench-data/rollouts-real-${mb}mb.jsonl`);
      if (!made(p)) {
        note(p);
        const root = fixturesRoot();
        const texts = realTexts([join(root, 'real'), join(root, 'real2')]);
        process.stderr.write(`  ${texts.name}\n`);
        writeVerlJsonl(p, bytes, texts, 1, 1);
      }
      return { name: 'verl JSONL (real model texts)', path: p, format: 'auto', jsonl: true };
    }
    case 'trl':
    case 'generic': {
      const p = resolve(`bench-data/trl-${tag}-${mb}mb.jsonl`);
      if (!made(p)) { note(p); writeTrl(p, bytes, gen, 1); }
      return name === 'trl'
        ? { name: 'TRL-shaped JSONL', path: p, format: 'auto', jsonl: true }
        : { name: 'the same, --format generic', path: p, format: 'generic', jsonl: true };
    }
    case 'nemo-rl': {
      const p = resolve(`bench-data/nemo-rl-${tag}-${mb}mb.jsonl`);
      if (!made(p)) { note(p); writeNemoRl(p, bytes, gen, 1); }
      return { name: 'NeMo-RL JSONL', path: p, format: 'auto', jsonl: true };
    }
    case 'roll': {
      const p = resolve(`bench-data/roll-${tag}-${mb}mb`);
      if (!made(p)) { note(p); writeRollFolder(p, Math.max(1, Math.round(mb / 8)), 8 << 20, gen, 1); }
      return { name: 'ROLL folder (8 MB columnar step files)', path: p, format: 'auto', jsonl: true };
    }
    case 'json-array': {
      const p = resolve(`bench-data/array-${tag}-${mb}mb.json`);
      if (!made(p)) { note(p); writeJsonArray(p, bytes, gen, 1); }
      return { name: 'JSON array', path: p, format: 'auto', jsonl: false };
    }
    case 'parquet': {
      const p = resolve(`bench-data/trl-${tag}-${mb}mb.parquet`);
      if (!made(p)) { note(p); await writeParquet(p, bytes, gen, 1); }
      return { name: 'TRL parquet', path: p, format: 'auto', jsonl: false };
    }
    case 'mixed': {
      const p = resolve(`bench-data/mixed-${tag}-${mb}mb`);
      if (!made(p)) { note(p); writeMixedFolder(p, Math.max(3, Math.round(mb / 8)), 8 << 20, gen, 1); }
      return { name: 'folder of .jsonl + .json (8 MB files)', path: p, format: 'auto', jsonl: false };
    }
    case 'folder': {
      const p = resolve(style === 'varied' ? `bench-data/run-v3-${folderFiles}x${folderMb}mb` : `bench-data/run-${folderFiles}x${folderMb}mb`);
      mkdirSync(p, { recursive: true });
      for (let i = 1; i <= folderFiles; i++) {
        const f = join(p, `${i}.jsonl`);
        if (existsSync(f)) continue;
        if (i === 1) note(p);
        await generateRolloutFile(f, folderMb * 1024 * 1024, 8, i, style);
      }
      return { name: `verl folder (${folderFiles} step files)`, path: p, format: 'auto', jsonl: true };
    }
    case 'agentic': {
      const p = resolve(`bench-data/agentic-${mb}mb.jsonl`);
      if (!made(p)) { note(p); process.stderr.write(`  ${writeAgenticJsonl(p, bytes, agenticPools(join(fixturesRoot(), 'real2', 'verl-hecate', '2.jsonl'))).name}\n`); }
      return { name: 'verl multi-turn JSONL (tool calls, real turns)', path: p, format: 'auto', jsonl: true };
    }
    default:
      throw new Error(`unknown input ${name}`);
  }
}

async function main(): Promise<void> {
  const phaseArg = arg('--phase');
  if (phaseArg) {
    const r = await runPhase(phaseArg, arg('--file') ?? '', (arg('--format') ?? 'auto') as FormatName | 'auto');
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const mb = Number(arg('--mb') ?? process.env.BENCH_MB ?? 1024);
  const folderFiles = Number(arg('--folder-files') ?? 200);
  const folderMb = Number(arg('--folder-mb') ?? 5);
  const names = (arg('--inputs') ?? 'verl,real,trl,generic,nemo-rl,roll,json-array,parquet,mixed,folder').split(',');
  const phases = (arg('--phases') ?? 'fast,readline,summary,viewer').split(',');
  const repeat = Math.max(1, Number(arg('--repeat') ?? 1));
  // --text templated: the v2 bench files (sentences from twenty templates, more repetitive than real traces).
  const style: BenchText = arg('--text') === 'templated' ? 'templated' : 'varied';
  const inputs: BenchInput[] = [];
  for (const n of names) inputs.push(await prepareInput(n, mb, style, folderFiles, folderMb));
  const rows: string[] = [];
  const notes: string[] = [];
  // The reference speed for inputs the line loops cannot read (arrays, parquet): the first JSONL input's fast loop.
  let refMBs: number | null = null;
  for (const input of inputs) {
    const size = sizeOf(input.path);
    const mbTotal = size / 1e6;
    notes.push(`${input.name}: ${input.path}, ${mbTotal.toFixed(0)} MB`);
    let fastMBs: number | null = null;
    let summarySeconds: number | null = null;
    for (const p of phases) {
      const parquet = input.path.endsWith('.parquet');
      if ((p === 'fast' || p === 'readline' || p === 'first' || p === 'jump') && !input.jsonl && !(p === 'fast' && parquet)) continue;
      if ((p === 'fast' || p === 'readline') && input.format !== 'auto') continue; // same bytes as the row above
      const load = loadavg()[0].toFixed(1);
      process.stderr.write(`${input.name}: phase ${p} (load ${load}) …\n`);
      // The baselines are the fastest of at least BASELINE_RUNS runs (one run of a 1 GB loop varied 3.5–6.9 s on this
      // machine, and a slow one flatters every ratio against it); the phases measured against them, the median.
      const baseline = p === 'fast' || p === 'readline';
      const runs = Array.from({ length: baseline ? Math.max(BASELINE_RUNS, repeat) : p === 'summary' || p === 'viewer' ? repeat : 1 }, () => runInChild(p, input.path, input.format));
      runs.sort((a, b) => a.seconds - b.seconds);
      const r = baseline ? runs[0]! : runs[Math.floor((runs.length - 1) / 2)]!;
      if (runs.length > 1) notes.push(`${input.name} ${p}: ${runs.length} runs, seconds ${runs.map((x) => x.seconds.toFixed(1)).join(', ')} (${baseline ? 'fastest' : 'median'} shown)`);
      const mbs = mbTotal / r.seconds;
      if (p === 'fast') {
        fastMBs = mbs;
        if (!parquet) refMBs ??= mbs;
      }
      // Parquet against the JSONL loop as well (compressed MB/s against text MB/s), in the notes.
      if (parquet && p !== 'fast' && refMBs) notes.push(`${input.name} ${p}: ${(mbs / refMBs).toFixed(2)}× the first JSONL input's fast loop, compressed MB/s for text MB/s`);
      if (p === 'summary') summarySeconds = r.seconds;
      const ref = fastMBs ?? refMBs;
      const ratio = ref ? `${(mbs / ref).toFixed(2)}×${fastMBs ? (parquet ? ' ‡' : '') : ' †'}` : '—';
      const rssRatio = (r.maxRssMB * 1024 * 1024 / size).toFixed(2);
      const vsSummary = p === 'viewer' && summarySeconds ? ` (${(r.seconds / summarySeconds).toFixed(2)}× summary)` : '';
      const own = r.extra?.ownBlockMs !== undefined ? ` (own work ${r.extra.ownBlockMs.toFixed(0)})` : '';
      if (p === 'first') {
        rows.push(`| ${input.name} | first 100 samples | — | ${r.extra?.firstSeconds?.toFixed(3)} s | ${r.cpuSeconds.toFixed(1)} | — | — | ${r.maxRssMB.toFixed(0)} | ${rssRatio} | ${r.blockMs.toFixed(0)} | ${load} |`);
      } else if (p === 'jump') {
        rows.push(`| ${input.name} | jump (${JUMPS}×) | ${r.records} | median ${r.extra?.medianMs?.toFixed(1)} ms, max ${r.extra?.maxMs?.toFixed(1)} ms | ${r.cpuSeconds.toFixed(1)} | — | — | ${r.maxRssMB.toFixed(0)} | ${rssRatio} | ${r.blockMs.toFixed(0)} | ${load} |`);
      } else {
        rows.push(`| ${input.name} | ${p}${vsSummary} | ${r.records} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${mbs.toFixed(0)} | ${ratio} | ${r.maxRssMB.toFixed(0)} | ${rssRatio} | ${r.blockMs.toFixed(0)}${own} | ${load} |`);
      }
      if (r.detail) notes.push(`${input.name} ${p}: ${r.detail}`);
      process.stderr.write(`  ${rows[rows.length - 1]}\n`);
    }
  }
  process.stdout.write(`\nnode ${process.version}, ${availableParallelism()} cores\n\n`);
  process.stdout.write('| input | phase | samples / records | seconds | CPU s | MB/s | vs fast loop | peak RSS MB | RSS / input | longest main-thread block ms | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|\n');
  process.stdout.write(rows.join('\n') + '\n\n† no line loop reads this container: compared with the first JSONL input\'s fast loop, MB/s for MB/s.\n‡ parquet: compared with the bare decode of the same file (every row read, nothing else, one core).\n\n' + notes.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
