// The records the parallel reader detects the format on: the first `want` records of the first file, exactly as the
// streaming readers emit them (they are the streaming readers, stopped after `want` records: the same line rules,
// a huge value that cannot be a record skipped unread). Read in a worker (analysis-worker.ts, SampleTask): the first
// record of a ROLL step file is a line of megabytes, and a parquet file's first row group may hold 100k rows;
// neither belongs on the thread that serves the editor.
import type { JsonValue } from '../core/types';
import { scanJsonArray } from './json-container';
import { scanJsonl } from './jsonl-scan';
import { readParquet } from './parquet-reader';
import type { ContainerKind } from './sniff';

/** The first `want` records of a file (terminated JSONL lines only, as the streaming reader would emit them). */
export async function firstRecordsOf(path: string, container: ContainerKind, want: number): Promise<JsonValue[]> {
  const values: JsonValue[] = [];
  const stop = new AbortController();
  const onRecord = (r: { value: JsonValue }): void => {
    if (values.length < want) values.push(r.value);
    if (values.length >= want) stop.abort();
  };
  try {
    if (container === 'parquet') await readParquet(path, { onRecord }, { signal: stop.signal, rowGroups: { from: 0, to: 1 }, maxRows: want });
    else if (container === 'jsonl') await scanJsonl(path, { onRecord }, { signal: stop.signal, expandContainers: true, chunkSize: 1 << 20 });
    else await scanJsonArray(path, { onRecord }, { signal: stop.signal, chunkSize: 1 << 20 });
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
  return values;
}
