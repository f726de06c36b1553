// Reads a rollout file or run folder into a RunModel: the node reader streams records, the core builder
// detects, normalises, groups and (optionally) analyses. Used by the CLI, the bench and the extension's
// large-file paths.
import { readInput, type InputReadResult } from './read-input';
import { InputError } from './read-types';
import { RunBuilder, type RunBuilderOptions, type RunModel } from '../core/run/run-builder';

export interface LoadRunOptions extends RunBuilderOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface LoadedRun {
  model: RunModel;
  input: InputReadResult;
}

export async function loadRunWithInput(path: string, opts: LoadRunOptions = {}): Promise<LoadedRun> {
  const builder = new RunBuilder(opts);
  const input = await readInput(path, {
    onFile: (info) => builder.beginFile({ path: info.path, stepFromName: info.stepFromName, split: info.split }),
    onRecord: (r) => builder.addRecord(r),
    onBadLine: (b) => builder.addBadLine(b),
    onNote: (n) => builder.addNote(n),
    onProgress: opts.onProgress,
  }, { signal: opts.signal });
  if (input.records === 0) {
    const known = input.files.find((f) => f.notRollout)?.notRollout;
    if (known) throw new InputError(`${path}: not a rollout file: ${known.explanation}`, path, 'unsupported');
  }
  return { model: builder.finish(), input };
}

export async function loadRun(path: string, opts: LoadRunOptions = {}): Promise<RunModel> {
  return (await loadRunWithInput(path, opts)).model;
}
