// Reads a rollout file or run folder into a RunModel: the node reader streams records, the core builder
// detects, normalises, groups and (optionally) analyses. Used by the CLI, the bench and the extension's
// large-file paths.
import { readInput } from './read-input';
import { RunBuilder, type RunBuilderOptions, type RunModel } from '../core/run/run-builder';

export interface LoadRunOptions extends RunBuilderOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export async function loadRun(path: string, opts: LoadRunOptions = {}): Promise<RunModel> {
  const builder = new RunBuilder(opts);
  const result = await readInput(path, {
    onFile: (info) => builder.beginFile({ path: info.path, stepFromName: info.stepFromName, split: info.split }),
    onRecord: (r) => builder.addRecord(r),
    onBadLine: (b) => builder.addBadLine(b),
    onNote: (n) => builder.addNote(n),
    onProgress: opts.onProgress,
  }, { signal: opts.signal });
  void result;
  return builder.finish();
}
