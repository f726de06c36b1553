// Reads a rollout file or run folder into a RunModel: the node reader streams records, the core builder
// detects, normalises, groups and (optionally) analyses. Used by the CLI, the bench and the extension's
// large-file paths.
import { readInput, type InputReadResult } from './read-input';
import { InputError } from './read-types';
import { AnalysisPool } from './analysis-pool';
import { loadRunParallel } from './parallel-load';
import { RunBuilder, type RunBuilderOptions, type RunModel } from '../core/run/run-builder';

export interface LoadRunOptions extends RunBuilderOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  /** Run the analysis in worker threads (true: one per core; a number: that many). */
  workers?: boolean | number;
}

export interface LoadedRun {
  model: RunModel;
  input: InputReadResult;
}

export async function loadRunWithInput(path: string, opts: LoadRunOptions = {}): Promise<LoadedRun> {
  let pool: AnalysisPool | null = null;
  let builder: RunBuilder;
  if (opts.analyse && opts.workers) {
    const size = typeof opts.workers === 'number' ? opts.workers : undefined;
    pool = new AnalysisPool((index, bits, flags) => builder.applyFlags(index, flags ?? bits), { size, keepFlags: opts.keepFlags });
    const p = pool;
    builder = new RunBuilder({ ...opts, deferAnalysis: (index, input) => p.add(index, input) });
  } else {
    builder = new RunBuilder(opts);
  }
  try {
    return await read(path, builder, pool, opts);
  } finally {
    await pool?.close();
  }
}

async function read(path: string, builder: RunBuilder, pool: AnalysisPool | null, opts: LoadRunOptions): Promise<LoadedRun> {
  const input = await readInput(path, {
    drain: pool ? () => pool.drain() : undefined,
    onFile: (info) => builder.beginFile({ path: info.path, stepFromName: info.stepFromName, split: info.split }),
    onRecord: (r) => builder.addRecord(r),
    onBadLine: (b) => builder.addBadLine(b),
    onNote: (n) => builder.addNote(n),
    onProgress: opts.onProgress,
  }, { signal: opts.signal });
  builder.endInput();
  await pool?.drain(0);
  if (input.records === 0) {
    const known = input.files.find((f) => f.notRollout)?.notRollout;
    if (known) throw new InputError(`${path}: not a rollout file: ${known.explanation}`, path, 'unsupported');
  }
  return { model: builder.finish(), input };
}

export async function loadRun(path: string, opts: LoadRunOptions = {}): Promise<RunModel> {
  if (opts.analyse && opts.workers) {
    // Large JSONL inputs: the workers read their own byte ranges (same model, both cores parse).
    const size = typeof opts.workers === 'number' ? opts.workers : undefined;
    const fast = await loadRunParallel(path, { ...opts, workers: size });
    if (fast) return fast.model;
  }
  return (await loadRunWithInput(path, opts)).model;
}
