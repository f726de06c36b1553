// `npm run bench`: throughput and peak memory on a generated rollout file (1 GB by default), each phase in its
// own child process so that peak RSS is per phase. Compared in the same run against a bare loop that reads
// the file with readline and JSON.parses every line.
//   node dist/bench.js [--mb 1024] [--file path] [--phases bare,index,summary]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { generateRolloutFile } from './generate';
import { loadRun } from '../src/node/load-run';
import { summariseRun } from '../src/core/run/run-summary';

interface PhaseResult {
  phase: string;
  seconds: number;
  records: number;
  maxRssMB: number;
  detail?: string;
}

async function bare(file: string): Promise<number> {
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (line.length === 0) continue;
    JSON.parse(line);
    n++;
  }
  return n;
}

async function runPhase(phase: string, file: string): Promise<PhaseResult> {
  const t0 = process.hrtime.bigint();
  let records = 0;
  let detail: string | undefined;
  if (phase === 'bare') {
    records = await bare(file);
  } else if (phase === 'index' || phase === 'summary') {
    const model = await loadRun(file, { analyse: phase === 'summary', workers: phase === 'summary' });
    const s = summariseRun(model, file);
    records = model.count;
    detail = s ? `${s.format}, ${s.groups.count} groups, ${s.groups.zeroVariance} zero-variance, flags ${JSON.stringify(s.flags)}` : 'not recognised';
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { phase, seconds, records, maxRssMB: process.resourceUsage().maxRSS / 1024, detail };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const phaseArg = arg('--phase');
  if (phaseArg) {
    const r = await runPhase(phaseArg, arg('--file') ?? '');
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const mb = Number(arg('--mb') ?? process.env.BENCH_MB ?? 1024);
  const file = resolve(arg('--file') ?? `bench-data/rollouts-v2-${mb}mb.jsonl`);
  if (!existsSync(file)) {
    mkdirSync(resolve(file, '..'), { recursive: true });
    process.stderr.write(`generating ${mb} MB of synthetic verl rollouts in ${file} …\n`);
    const n = await generateRolloutFile(file, mb * 1024 * 1024);
    process.stderr.write(`  ${n} records\n`);
  }
  const size = statSync(file).size;
  const phases = (arg('--phases') ?? 'bare,index,summary').split(',');
  const results: PhaseResult[] = [];
  for (const p of phases) {
    process.stderr.write(`phase ${p} …\n`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', process.argv[1], '--phase', p, '--file', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`phase ${p} failed: ${r.stderr}`);
    results.push(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as PhaseResult);
  }
  const base = results.find((r) => r.phase === 'bare');
  const mbTotal = size / 1e6;
  const rows = results.map((r) => {
    const rate = mbTotal / r.seconds;
    const ratio = base ? (base.seconds / r.seconds).toFixed(2) + '×' : '—';
    return `| ${r.phase} | ${r.records} | ${r.seconds.toFixed(1)} | ${rate.toFixed(0)} | ${ratio} | ${r.maxRssMB.toFixed(0)} | ${(r.maxRssMB * 1024 * 1024 / size).toFixed(3)} |`;
  });
  process.stdout.write(`\nfile: ${file} (${(size / 1e6).toFixed(0)} MB), node ${process.version}\n\n`);
  process.stdout.write('| phase | records | seconds | MB/s | vs bare JSON.parse loop | peak RSS MB | RSS / file |\n|---|---|---|---|---|---|---|\n');
  process.stdout.write(rows.join('\n') + '\n');
  for (const r of results) if (r.detail) process.stdout.write(`\n${r.phase}: ${r.detail}`);
  process.stdout.write('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
