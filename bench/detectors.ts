// `npm run bench:detectors`: single-core throughput of each detector and of analyseCompletion, in MB/s of completion
// text (UTF-8 bytes), on three corpora:
//   - real English reasoning traces (reward-kit fixtures, field regenerated_content),
//   - the synthetic verl traces of bench/generate.ts (what `npm run bench` analyses; v3 varied text and v2 templated),
//   - real Chinese poem completions (rl-logging-board fixture; tiny samples, so this measures the fixed per-sample cost).
// Each cell runs the corpus for at least --ms milliseconds of CPU time (default 1500) in 5 rounds after a warm-up, and
// reports the fastest round, in CPU time: the figures stay comparable when other jobs share the machine.
//   node dist/bench-detectors.js [--ms 1500] [--only analyse,repetition] [--synthetic-mb 16] [--fixtures dir] [--corpus reward]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateRolloutFile } from './generate';
import { analyseCompletion } from '../src/core/analyse';
import { detectLanguageMix } from '../src/core/detectors/language-mix';
import { detectRepetition, findTailLoop, seqRep } from '../src/core/detectors/repetition';
import { estimateCompressRatio } from '../src/core/detectors/compress';
import { detectTruncation } from '../src/core/detectors/truncation';
import { detectFormat } from '../src/core/detectors/format';
import { segmentTrace, type Segmentation } from '../src/core/trace/segment';
import { extractAnswer } from '../src/core/trace/answer';

import { zlibCompressRatio } from '../src/node/zlib-ratio';

interface Sample {
  completion: string;
  prompt: string | null;
}

interface Prepared extends Sample {
  seg: Segmentation;
  from: number;
  to: number;
  /** The repetition pass's plain-English verdict for the region (what analyseCompletion hands to language-mix). */
  plainEnglish: boolean;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

async function corpora(fixtures: string, syntheticMb: number): Promise<{ name: string; samples: Sample[] }[]> {
  const out: { name: string; samples: Sample[] }[] = [];
  const rk = ['gsm8k_regenerated_think_traces.jsonl', 'openr1_math_regenerated_think_traces.jsonl']
    .map((f) => resolve(fixtures, 'reward-kit', f))
    .filter((p) => existsSync(p));
  if (rk.length > 0) {
    const samples = rk.flatMap((p) => readJsonl(p)).flatMap((r) => {
      const c = str(r['regenerated_content']);
      return c === null ? [] : [{ completion: c, prompt: str(r['user_prompt']) }];
    });
    out.push({ name: 'reward-kit EN (real)', samples });
  }
  // The bench's text (v3, varied) and the older templated text (v2), which is more repetitive than real traces.
  for (const [style, version, label] of [['varied', 'v3', 'synthetic verl (bench v3)'], ['templated', 'v2', 'templated (v2)']] as const) {
    const synth = resolve(`bench-data/rollouts-${version}-${syntheticMb}mb.jsonl`);
    if (!existsSync(synth)) {
      mkdirSync(resolve(synth, '..'), { recursive: true });
      await generateRolloutFile(synth, syntheticMb * 1024 * 1024, 8, 1, style);
    }
    out.push({
      name: label,
      samples: readJsonl(synth).flatMap((r) => {
        const c = str(r['output']);
        return c === null ? [] : [{ completion: c, prompt: str(r['input']) }];
      }),
    });
  }
  const poems = resolve(fixtures, 'rl-logging-board', 'eval_poem_task_data.jsonl');
  if (existsSync(poems)) {
    out.push({
      name: 'Chinese poems (real)',
      samples: readJsonl(poems).flatMap((r) => {
        const c = str(r['response']);
        return c === null ? [] : [{ completion: c, prompt: str(r['prompt']) }];
      }),
    });
  }
  return out;
}

type Runner = (s: Prepared) => unknown;

const RUNNERS: [string, Runner][] = [
  ['segment', (s) => segmentTrace(s.completion, { prompt: s.prompt })],
  ['language-mix (alone)', (s) => detectLanguageMix(s.completion, { target: 'en', from: s.from, to: s.to })],
  ['language-mix (in analyse)', (s) => detectLanguageMix(s.completion, { target: 'en', from: s.from, to: s.to, plainEnglish: s.plainEnglish })],
  ['repetition (zlib)', (s) => detectRepetition(s.completion, { from: s.from, to: s.to, compressRatio: zlibCompressRatio })],
  ['repetition (estimate)', (s) => detectRepetition(s.completion, { from: s.from, to: s.to })],
  ['  tail loop', (s) => findTailLoop(s.completion, s.from, s.to)],
  ['  seq-rep-4 (whole)', (s) => seqRep(s.completion, 4, s.from, s.to)],
  ['  compress estimate 2k', (s) => estimateCompressRatio(s.completion.slice(Math.max(s.from, s.to - 2000), s.to))],
  ['truncation+format', (s) => [detectTruncation({ text: s.completion, segmentation: s.seg }), detectFormat({ text: s.completion, segmentation: s.seg, promptKnown: s.prompt !== null })]],
  ['extractAnswer', (s) => extractAnswer(s.completion)],
  ['analyseCompletion (zlib)', (s) => analyseCompletion({ completion: s.completion, prompt: s.prompt, compressRatio: zlibCompressRatio })],
];

let sink = 0;

/** CPU time of this process in ms (user + system): less disturbed than wall time when other jobs share the cores. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs the corpus repeatedly for at least `minMs` of CPU time, split into 5 rounds, and returns the fastest round
 * (the least disturbed by other processes and GC pauses of earlier cells).
 */
function measure(samples: Prepared[], run: Runner, minMs: number): { ms: number; passes: number } {
  // Warm-up: at least 200 calls so that the JIT has optimised the hot functions.
  for (let k = 0; k < Math.max(1, Math.ceil(200 / samples.length)); k++) for (const s of samples) if (run(s)) sink++;
  let best = { ms: Infinity, passes: 1 };
  for (let round = 0; round < 5; round++) {
    let passes = 0;
    const t0 = cpuMs();
    let ms = 0;
    while (ms < minMs / 5) {
      for (const s of samples) if (run(s)) sink++;
      passes++;
      ms = cpuMs() - t0;
    }
    if (ms / passes < best.ms / best.passes) best = { ms, passes };
  }
  return best;
}

async function main(): Promise<void> {
  const minMs = Number(arg('--ms') ?? 1500);
  const only = arg('--only')?.split(',');
  // The tests' default (test/support/fixtures.ts): ROLLOUT_LENS_FIXTURES, else ../shared/fixtures beside the checkout
  // (run from the project root).
  const fixtures = arg('--fixtures') ?? resolve(process.env.ROLLOUT_LENS_FIXTURES ?? resolve('..', 'shared', 'fixtures'), 'real');
  const sets = await corpora(fixtures, Number(arg('--synthetic-mb') ?? 16));
  const names = sets.map((s) => s.name).filter((n) => !arg('--corpus') || n.toLowerCase().includes(arg('--corpus')!.toLowerCase()));
  const table = new Map<string, string[]>();
  const sizes: string[] = [];
  const corpus = arg('--corpus');
  for (const set of sets) {
    if (corpus && !set.name.toLowerCase().includes(corpus.toLowerCase())) continue;
    const prepared: Prepared[] = set.samples.map((s) => {
      const seg = segmentTrace(s.completion, { prompt: s.prompt });
      const body = seg.reasoning ?? { start: 0, end: seg.contentEnd };
      const plainEnglish = detectRepetition(s.completion, { from: body.start, to: body.end }).plainEnglish;
      return { ...s, seg, from: body.start, to: body.end, plainEnglish };
    });
    const bytes = prepared.reduce((a, s) => a + Buffer.byteLength(s.completion), 0);
    sizes.push(`${set.name}: ${prepared.length} samples, ${(bytes / 1e6).toFixed(2)} MB, mean ${(bytes / prepared.length / 1000).toFixed(1)} KB`);
    for (const [name, run] of RUNNERS) {
      if (only && !only.some((o) => name.includes(o))) continue;
      const { ms, passes } = measure(prepared, run, minMs);
      const mbps = (bytes * passes) / 1e6 / (ms / 1000);
      const usPerSample = (ms * 1000) / (passes * prepared.length);
      const row = table.get(name) ?? [];
      row.push(`${mbps.toFixed(0)} MB/s (${usPerSample.toFixed(1)} µs)`);
      table.set(name, row);
    }
  }
  process.stdout.write(`node ${process.version}, single core, CPU time, best of 5 rounds of ≥ ${minMs / 5} ms per cell\n`);
  for (const s of sizes) process.stdout.write(`  ${s}\n`);
  process.stdout.write(`\n| detector | ${names.join(' | ')} |\n|---|${names.map(() => '---').join('|')}|\n`);
  for (const [name, row] of table) process.stdout.write(`| ${name} | ${row.join(' | ')} |\n`);
  if (sink < 0) process.stdout.write('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-detectors: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
