// `npm run bench`: throughput, memory and responsiveness on a generated 1 GB rollout file and on a generated run
// folder of 200 verl step files (1.jsonl … 200.jsonl, 5 MB each). Each phase runs in its own child process, so that
// peak RSS is per phase. Phases:
//   bare     readline + JSON.parse of every line (the baseline)
//   index    read, normalise, group, advantages, reward statistics (main thread, streaming)
//   summary  index + full trace analysis (all detectors on every sample): worker threads read their own byte ranges
//   first    time until the first 100 samples are read and normalised (what a viewer can show first)
//   jump     random access: 200 jumps to random sample indices through the record index (read + normalise +
//            analyse one record); the index itself is built first and not timed here
// Every phase also reports CPU seconds (user + sys, all threads: comparable when the machine is shared) and the
// longest main-thread block while it ran (perf_hooks.monitorEventLoopDelay at 10 ms resolution: what the extension
// host would feel if it ran the phase's main-thread side; on a loaded machine this includes waiting for a core) and,
// for summary, the longest stretch of the main thread's own work (one range's merge), timed directly.
//   node dist/bench.js [--mb 1024] [--file path] [--folder-files 200] [--folder-mb 5] [--targets file,folder]
//                      [--phases bare,index,summary,first,jump] [--repeat 3 (summary runs; the median is shown)]
//                      [--text varied|templated (v3 bench text, default; or the v2 templated text)]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateRolloutFile, type BenchText } from './generate';
import { loadRun } from '../src/node/load-run';
import { loadRunParallel } from '../src/node/parallel-load';
import { readInput } from '../src/node/read-input';
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

async function bare(path: string): Promise<number> {
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

function inputFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((n) => n.endsWith('.jsonl')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10)).map((n) => join(path, n));
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

async function runPhase(phase: string, path: string): Promise<PhaseResult> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let records = 0;
  let detail: string | undefined;
  let extra: Record<string, number> | undefined;
  if (phase === 'bare') {
    records = await bare(path);
  } else if (phase === 'index' || phase === 'summary') {
    let model: RunModel;
    const fast = phase === 'summary' ? await loadRunParallel(path, { analyse: true }) : null;
    if (fast) {
      model = fast.model;
      extra = { ownBlockMs: fast.longestBlockMs, workerCpuSeconds: fast.workerMs / 1000 };
    } else {
      model = await loadRun(path, { analyse: phase === 'summary', workers: phase === 'summary' });
    }
    const s = summariseRun(model, path);
    records = model.count;
    detail = s ? `${s.format}, ${s.groups.count} groups, ${s.groups.zeroVariance} zero-variance, flags ${JSON.stringify(s.flags)}` : 'not recognised';
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

async function ensureFile(file: string, mb: number, style: BenchText): Promise<void> {
  if (existsSync(file)) return;
  mkdirSync(resolve(file, '..'), { recursive: true });
  process.stderr.write(`generating ${mb} MB of synthetic verl rollouts in ${file} …\n`);
  const n = await generateRolloutFile(file, mb * 1024 * 1024, 8, 1, style);
  process.stderr.write(`  ${n} records\n`);
}

async function ensureFolder(folder: string, files: number, mb: number, style: BenchText): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (let i = 1; i <= files; i++) {
    const f = join(folder, `${i}.jsonl`);
    if (existsSync(f)) continue;
    if (i === 1) process.stderr.write(`generating ${files} step files of ${mb} MB in ${folder} …\n`);
    await generateRolloutFile(f, mb * 1024 * 1024, 8, i, style);
  }
}

function runInChild(phase: string, path: string): PhaseResult {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', process.argv[1], '--phase', phase, '--file', path], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`phase ${phase} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as PhaseResult;
}

async function main(): Promise<void> {
  const phaseArg = arg('--phase');
  if (phaseArg) {
    const r = await runPhase(phaseArg, arg('--file') ?? '');
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const mb = Number(arg('--mb') ?? process.env.BENCH_MB ?? 1024);
  const folderFiles = Number(arg('--folder-files') ?? 200);
  const folderMb = Number(arg('--folder-mb') ?? 5);
  const targets = (arg('--targets') ?? 'file,folder').split(',');
  const phases = (arg('--phases') ?? 'bare,index,summary,first,jump').split(',');
  const repeat = Math.max(1, Number(arg('--repeat') ?? 3));
  // --text templated: the v2 bench files (sentences from twenty templates, more repetitive than real traces).
  const style: BenchText = arg('--text') === 'templated' ? 'templated' : 'varied';
  const version = style === 'varied' ? 'v3' : 'v2';
  const inputs: { name: string; path: string }[] = [];
  if (targets.includes('file')) {
    const file = resolve(arg('--file') ?? `bench-data/rollouts-${version}-${mb}mb.jsonl`);
    await ensureFile(file, mb, style);
    inputs.push({ name: 'file', path: file });
  }
  if (targets.includes('folder')) {
    const folder = resolve(style === 'varied' ? `bench-data/run-v3-${folderFiles}x${folderMb}mb` : `bench-data/run-${folderFiles}x${folderMb}mb`);
    await ensureFolder(folder, folderFiles, folderMb, style);
    inputs.push({ name: `folder (${folderFiles} files)`, path: folder });
  }
  const rows: string[] = [];
  const notes: string[] = [];
  for (const input of inputs) {
    const size = sizeOf(input.path);
    const mbTotal = size / 1e6;
    let base: PhaseResult | undefined;
    notes.push(`${input.name}: ${input.path}, ${mbTotal.toFixed(0)} MB`);
    for (const p of phases) {
      const load = loadavg()[0].toFixed(1);
      process.stderr.write(`${input.name}: phase ${p} (load ${load}) …\n`);
      // The full-analysis figure is the one with a target: it runs `repeat` times (default 3) and the run with the
      // median wall time is reported, with the range, because this 2-core machine's speed moves by ±10 % between runs.
      const runs = p === 'summary' ? Array.from({ length: repeat }, () => runInChild(p, input.path)) : [runInChild(p, input.path)];
      runs.sort((a, b) => a.seconds - b.seconds);
      const r = runs[Math.floor((runs.length - 1) / 2)]!;
      if (runs.length > 1) {
        const mbs = runs.map((x) => (mbTotal / x.seconds).toFixed(0));
        notes.push(`${input.name} ${p}: ${runs.length} runs, MB/s ${mbs[mbs.length - 1]}–${mbs[0]} (median shown), CPU s ${runs.map((x) => x.cpuSeconds.toFixed(1)).join(', ')}`);
      }
      if (p === 'bare') base = r;
      const rssRatio = (r.maxRssMB * 1024 * 1024 / size).toFixed(3);
      if (p === 'first') {
        rows.push(`| ${input.name} | first ${FIRST_N} samples | — | ${r.extra?.firstSeconds?.toFixed(3)} s | — | — | — | ${r.maxRssMB.toFixed(0)} | ${rssRatio} | ${r.blockMs.toFixed(0)} | ${load} |`);
      } else if (p === 'jump') {
        rows.push(`| ${input.name} | jump to a random sample (${JUMPS}×, read + normalise + analyse) | ${r.records} | median ${r.extra?.medianMs?.toFixed(1)} ms, max ${r.extra?.maxMs?.toFixed(1)} ms | — | — | — | ${r.maxRssMB.toFixed(0)} | ${rssRatio} | ${r.blockMs.toFixed(0)} | ${load} |`);
      } else {
        const ratio = base ? (base.seconds / r.seconds).toFixed(2) + '×' : '—';
        const own = r.extra?.ownBlockMs !== undefined ? ` (own work ${r.extra.ownBlockMs.toFixed(0)})` : '';
        rows.push(`| ${input.name} | ${p} | ${r.records} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${(mbTotal / r.seconds).toFixed(0)} | ${ratio} | ${r.maxRssMB.toFixed(0)} | ${rssRatio} | ${r.blockMs.toFixed(0)}${own} | ${load} |`);
      }
      if (r.detail) notes.push(`${input.name} ${p}: ${r.detail}`);
    }
  }
  process.stdout.write(`\nnode ${process.version}\n\n`);
  process.stdout.write('| input | phase | records | seconds | CPU s | MB/s | vs bare loop | peak RSS MB | RSS / input | longest main-thread block ms | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|\n');
  process.stdout.write(rows.join('\n') + '\n\n' + notes.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
