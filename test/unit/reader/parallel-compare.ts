// The parallel reader's contract in one place: on any input it accepts, the run model equals the streaming path's.
import assert from 'node:assert/strict';
import { loadRunWithInput } from '../../../src/node/load-run';
import { loadRunParallel } from '../../../src/node/parallel-load';
import type { RunModel } from '../../../src/core/run/run-builder';

/** The same path loaded by the streaming reader and by the parallel one (ranges of `rangeBytes`). */
export async function bothPaths(path: string, rangeBytes?: number): Promise<{ stream: RunModel; parallel: RunModel }> {
  const opts = { analyse: true, keepFlags: true } as const;
  const stream = (await loadRunWithInput(path, { ...opts, workers: 2 })).model;
  const p = await loadRunParallel(path, { ...opts, workers: 2, minBytes: 0, rangeBytes });
  assert.ok(p, `${path}: the parallel path declined`);
  return { stream, parallel: p.model };
}

/** Every part of the model a view reads: counts, detection, conventions, files, bad lines, notes, columns, groups, flags. */
export function assertSameModel(stream: RunModel, parallel: RunModel): void {
  assert.equal(parallel.count, stream.count);
  assert.deepEqual(parallel.detection, stream.detection);
  // Decided on the same first records by both paths.
  assert.deepEqual(parallel.conventions, stream.conventions);
  assert.deepEqual(parallel.files, stream.files);
  assert.deepEqual(parallel.badLines, stream.badLines);
  assert.deepEqual(parallel.notes, stream.notes);
  assert.deepEqual(parallel.flagCounts, stream.flagCounts);
  for (const k of Object.keys(stream.columns) as (keyof RunModel['columns'])[]) assert.deepEqual(parallel.columns[k], stream.columns[k], `column ${k}`);
  assert.deepEqual(parallel.groups, stream.groups);
  assert.deepEqual(parallel.flags, stream.flags);
}

/** Both paths, asserted equal. */
export async function compareParallel(path: string, rangeBytes?: number): Promise<{ stream: RunModel; parallel: RunModel }> {
  const r = await bothPaths(path, rangeBytes);
  assertSameModel(r.stream, r.parallel);
  return r;
}
